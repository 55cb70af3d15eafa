#!/usr/bin/env bash
# The step API's overhead per step (docs/python.md): the serial chain of the
# benchmarks (tests/bench/serial_chain.yaml) for 20,000 periods, run on its
# own base-stock policy and then stepped from Python with a base-stock agent
# at the retailer (the same run, bit for bit), alternating, 5 times each.
# Prints the medians and (stepped - own) / steps.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
exec "$root/scripts/python.sh" - "$root" <<'PY'
import statistics, sys, time
import chainsim

root = sys.argv[1]
periods = 20000
s = chainsim.load(f"{root}/tests/bench/serial_chain.yaml", set={"horizon": periods})
position = chainsim.OBSERVATION_FIELDS.index("position")
env = s.environment(agents="retailer")

def own():
    s.run(replications=1, series=False)

def stepped():
    obs, done, steps = env.reset(), False, 0
    while not done:
        obs, reward, done, info = env.step(max(0.0, 40.0 - obs[position]))
        steps += 1
    assert steps == periods

times = {"own": [], "stepped": []}
for _ in range(5):
    for name, f in (("own", own), ("stepped", stepped)):
        t = time.perf_counter()
        f()
        times[name].append(time.perf_counter() - t)
a, b = statistics.median(times["own"]), statistics.median(times["stepped"])
print(f"serial chain, {periods} periods, medians of 5 alternating runs")
print(f"  on its own policy         {a * 1e3:8.1f} ms")
print(f"  stepped from Python       {b * 1e3:8.1f} ms")
print(f"  overhead per step         {(b - a) / periods * 1e6:8.1f} us")
PY

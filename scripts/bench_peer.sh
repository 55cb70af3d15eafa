#!/usr/bin/env bash
# chainsim against an idiomatic SimPy 4 model of the same serial chain, as a
# user times them: whole processes, alternating, median of each, and the
# ratio against the target of 100x (issue 14). Two workloads: one run of
# 100,000 periods, and 1,000 replications of 52 periods. chainsim runs
# tests/bench/serial_chain.yaml with outputs off but summary.json
# (--no-report --timeseries none); SimPy runs tests/bench/simpy_serial_chain.py.
#
#   SIMPY_SRC=/path/to/simpy/src scripts/bench_peer.sh      (5 alternations)
#   BENCH_REPETITIONS=9 SIMPY_SRC=... scripts/bench_peer.sh
#
# SimPy is the peer, not a dependency: without SIMPY_SRC (a SimPy 4 source
# tree's src/ folder, e.g. from a checkout of its repository) it says so and
# exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${SIMPY_SRC:-}" ] || [ ! -d "${SIMPY_SRC}/simpy" ]; then
  echo "bench_peer: skipped: set SIMPY_SRC to a SimPy 4 source tree's src/ folder (the one holding simpy/)"
  exit 0
fi
scripts/bench_build.sh chainsim
reps="${BENCH_REPETITIONS:-5}"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
seconds() {  # FILE COMMAND...: appends the whole process's wall-clock seconds to FILE
  local file="$1"; shift
  python3 scripts/wall_time.py "$file" "$@" >/dev/null
}
workload() {  # name periods replications
  local name="$1" periods="$2" replications="$3" i
  for i in $(seq "$reps"); do
    seconds "$out/$name.chainsim" build/bench/cli/chainsim run tests/bench/serial_chain.yaml --out "$out/run" \
      --quiet --no-report --timeseries none --set horizon="$periods" --replications "$replications"
    seconds "$out/$name.simpy" env SIMPY_SRC="$SIMPY_SRC" python3 tests/bench/simpy_serial_chain.py "$periods" \
      "$replications"
  done
}
workload long 100000 1
workload many 52 1000
python3 - "$out" "$reps" <<'PY'
import os, statistics, sys
out, reps = sys.argv[1], sys.argv[2]
print(f"serial chain, whole process, median of {reps} alternating runs each (target: 100x SimPy)")
print(f"{'workload':<36} {'chainsim s':>10} {'SimPy s':>9} {'ratio':>7}  target")
for name, label in (("long", "1 run x 100,000 periods"), ("many", "1,000 replications x 52 periods")):
    c = statistics.median(float(x) for x in open(os.path.join(out, name + ".chainsim")))
    s = statistics.median(float(x) for x in open(os.path.join(out, name + ".simpy")))
    ratio = s / c
    print(f"{label:<36} {c:>10.3f} {s:>9.3f} {ratio:>6.1f}x  {'met' if ratio >= 100 else 'not met'}")
PY

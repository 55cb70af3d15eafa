#!/usr/bin/env bash
# chainsim against SupplyNetPy on SupplyNetPy's own published benchmark
# network (N = 50, 100, 200 nodes, all-to-all lanes between tiers, 500 time
# units; tests/bench/supplynetpy_network.yaml), as users time them: whole
# processes, alternating, median of each. Prints chainsim's ratio to the
# peer's own timing (simulate_sc_net alone, as its benchmark script times
# it) and to its whole process, against the target of 20x (issue 14).
#
#   SUPPLYNETPY=/path/to/SupplyNetPy SIMPY_SRC=/path/to/simpy/src scripts/bench_supplynetpy.sh
#   BENCH_REPETITIONS=9 ... (5 alternations by default)
#
# SupplyNetPy is the peer, not a dependency: without SUPPLYNETPY (a checkout
# of github.com/SupplyChainSimulation/SupplyNetPy) and SIMPY_SRC (a SimPy 4
# source tree's src/ folder) it says so and exits 0. Its import needs
# networkx and matplotlib (Debian: python3-networkx python3-matplotlib);
# PYTHON picks the interpreter (default /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."

py="${PYTHON:-/usr/bin/python3}"
if [ -z "${SUPPLYNETPY:-}" ] || [ ! -f "${SUPPLYNETPY}/examples/notebooks/data/benchmark_performance.py" ] ||
   [ -z "${SIMPY_SRC:-}" ] || [ ! -d "${SIMPY_SRC}/simpy" ]; then
  echo "bench_supplynetpy: skipped: set SUPPLYNETPY to a SupplyNetPy checkout and SIMPY_SRC to a SimPy 4 src/ folder"
  exit 0
fi
export PYTHONPATH="${SIMPY_SRC}:${SUPPLYNETPY}/src"
if ! "$py" -c "import SupplyNetPy.Components" 2>/dev/null; then
  echo "bench_supplynetpy: skipped: $py cannot import SupplyNetPy (it needs networkx and matplotlib)"
  exit 0
fi
scripts/bench_build.sh chainsim
reps="${BENCH_REPETITIONS:-5}"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for n in 50 100 200; do
  # SupplyNetPy's tiers: N//5 suppliers, N//10 manufacturers, N//7 distributors, the rest retailers.
  sets=(--set "nodes.supplier.count=$((n / 5))" --set "nodes.manufacturer.count=$((n / 10))"
        --set "nodes.distributor.count=$((n / 7))" --set "nodes.retailer.count=$((n - n / 5 - n / 10 - n / 7))")
  for i in $(seq "$reps"); do
    # Whole processes timed by scripts/wall_time.py; the peer also prints its own timing.
    python3 scripts/wall_time.py "$out/$n.chainsim" build/bench/cli/chainsim run tests/bench/supplynetpy_network.yaml \
      "${sets[@]}" --out "$out/run" --quiet --no-report --timeseries none >/dev/null
    python3 scripts/wall_time.py "$out/$n.peer" "$py" tests/bench/supplynetpy_run.py "$SUPPLYNETPY" "$n" 500 0 \
      >>"$out/$n.own"
  done
done
python3 - "$out" "$reps" <<'PY'
import os, statistics, sys
out, reps = sys.argv[1], sys.argv[2]
def col(path, f):
    return statistics.median(f([float(x) for x in line.split()]) for line in open(path))
print(f"SupplyNetPy's benchmark network, 500 time units, median of {reps} alternating runs each (target: 20x)")
print(f"{'N':>4} {'chainsim s':>10} {'peer own s':>10} {'peer process s':>14} {'x own':>7} {'x process':>9}  target")
for n in (50, 100, 200):
    c = col(os.path.join(out, f"{n}.chainsim"), lambda v: v[0])
    own = col(os.path.join(out, f"{n}.own"), lambda v: v[0])
    whole = col(os.path.join(out, f"{n}.peer"), lambda v: v[0])
    ratio = own / c
    print(f"{n:>4} {c:>10.3f} {own:>10.3f} {whole:>14.3f} {ratio:>6.1f}x {whole / c:>8.1f}x  {'met' if ratio >= 20 else 'not met'}")
PY

#!/usr/bin/env bash
# Builds chainsim_bench (Release) and runs it, then prints the engine's ratio
# to the bare std::priority_queue for the hold model (median of repetitions,
# both families from the same run).
#
#   scripts/bench.sh                 every benchmark
#   scripts/bench.sh 'BM_Hold.*'     a filter (Google Benchmark regex)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh test
filter="${1:-.}"
reps="${BENCH_REPETITIONS:-5}"

cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DCHAINSIM_BUILD_TESTS=OFF >/dev/null
cmake --build build/bench -j "$(nproc 2>/dev/null || echo 2)" --target chainsim_bench >/dev/null

out="build/bench/results.json"
build/bench/tests/bench/chainsim_bench --benchmark_filter="$filter" \
  --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
  --benchmark_out="$out" --benchmark_out_format=json

python3 - "$out" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
med = {b["run_name"]: b for b in data["benchmarks"] if b.get("aggregate_name") == "median"}
rows = []
for n in (100, 1000, 10000, 100000, 1000000):
    e, q = med.get(f"BM_HoldEngine/{n}"), med.get(f"BM_HoldStdPriorityQueue/{n}")
    if e and q:
        rows.append((n, e["items_per_second"] / 1e6, q["items_per_second"] / 1e6))
if rows:
    print("\nhold model, median of repetitions (M events/s)")
    print(f"{'N':>9} {'engine':>9} {'std::pq':>9} {'ratio':>7}")
    for n, e, q in rows:
        print(f"{n:>9} {e:>9.2f} {q:>9.2f} {e / q:>7.2f}")
PY

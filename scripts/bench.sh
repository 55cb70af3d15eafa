#!/usr/bin/env bash
# Builds chainsim_bench (Release) and runs it, then prints the engine's ratio
# to the bare std::priority_queue for the hold model and the supply-chain
# figures: simulated periods per second of the serial chain and its ratio to
# an idiomatic SimPy model of the same workload (34,000 periods/s on the
# development machine), and BM_Network's time and peak memory (median of
# repetitions, all from the same run).
#
#   scripts/bench.sh                        every benchmark
#   scripts/bench.sh 'BM_Hold.*'            a filter (Google Benchmark regex)
#   scripts/bench.sh 'BM_Serial|BM_Network' the supply-chain benchmarks
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bench_build.sh chainsim_bench
filter="${1:-.}"
reps="${BENCH_REPETITIONS:-5}"

out="build/bench/results.json"
build/bench/tests/bench/chainsim_bench --benchmark_filter="$filter" \
  --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
  --benchmark_out="$out" --benchmark_out_format=json

# BM_Network's peak_rss_MB is the process's high-water mark, so it is read
# from a process that runs BM_Network alone.
rss="build/bench/network_rss.json"
rm -f "$rss"
if build/bench/tests/bench/chainsim_bench --benchmark_list_tests --benchmark_filter="$filter" | grep -qx BM_Network; then
  build/bench/tests/bench/chainsim_bench --benchmark_filter='^BM_Network$' \
    --benchmark_out="$rss" --benchmark_out_format=json >/dev/null
fi

python3 - "$out" "$rss" <<'PY'
import json, os, sys
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

# An idiomatic SimPy 4 model of the serial chain (issue 3) on the development
# machine; the issue asks for >= 30x and aims at 100x.
SIMPY_PERIODS_PER_S = 34000.0
serial = [(name, med[name]) for name in ("BM_SerialChain", "BM_SerialChainSeries", "BM_SerialChainFinanceMessages")
          if name in med]
if serial:
    print("\nserial chain, 4 stages, 10,000 periods per run, median of repetitions")
    print(f"{'benchmark':<30} {'periods/s':>11} {'x SimPy':>8} {'msgs/period':>12} {'M events/s':>11}")
    for name, b in serial:
        rate = b["items_per_second"]
        print(f"{name:<30} {rate:>11,.0f} {rate / SIMPY_PERIODS_PER_S:>8.1f} "
              f"{b.get('messages_per_period', float('nan')):>12.2f} {b.get('events_per_second', 0.0) / 1e6:>11.2f}")
net = med.get("BM_Network")
if net and os.path.exists(sys.argv[2]):
    alone = [b for b in json.load(open(sys.argv[2]))["benchmarks"] if b["name"] == "BM_Network"]
    if alone:
        net["peak_rss_MB"] = alone[0]["peak_rss_MB"]
if net:
    unit = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[net.get("time_unit", "ns")]
    print(f"\nBM_Network (205 nodes, 365 days): {net['real_time'] * unit:.1f} ms per run, "
          f"peak RSS {net.get('peak_rss_MB', float('nan')):.1f} MB (targets: < 100 ms, < 50 MB)")
PY

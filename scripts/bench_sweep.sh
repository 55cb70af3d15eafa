#!/usr/bin/env bash
# Measures how chainsim sweep scales with threads, and what a sweep of many
# tiny runs costs, on this machine. Prints the figures; asserts nothing (run
# it on a quiet machine: other work on the cores skews every wall-clock time).
#
#   scripts/bench_sweep.sh            all three measurements
#   JOBS=4 scripts/bench_sweep.sh     compare --jobs 1 with --jobs 4
#
# 1. Scaling: 40 points x 120 replications of a twenty-year serial chain
#    (scenarios/serial_base_stock.yaml, horizon 7300 days), about 20 s of
#    single-core work, with --jobs 1 and --jobs $JOBS (default 2). The target
#    on 2 cores: the time with 2 jobs <= 0.6 x the time with 1. The files of
#    both runs must be the same bytes.
# 2. Tiny runs: 10,000 beer games (36 weeks each; Poisson noise on the
#    retailer's demand so that replications differ): a 10 x 10 grid over the
#    players' theta and alpha_s, 100 replications per point; runs/s with each
#    job count, and the start-up (a one-run sweep) for comparison.
# 3. The same 10,000 beer games as a Latin hypercube of 10,000 points with one
#    replication each: every run is a new point, so this shows the cost of
#    converting a point (checking it before the start, and building its
#    ScenarioSpec) next to the runs themselves.
# 4. With CALLGRIND=1 (needs valgrind), a load-independent check of 1 and 2:
#    smaller versions of both sweeps with --jobs 2 under callgrind, counting
#    each thread's instructions. The main thread (start-up, the writer, the
#    summaries and the response surfaces) is the serial part; Amdahl's law
#    then bounds the time with 2 jobs at (serial + parallel / 2) / total of
#    the time with 1 (memory bandwidth and the cores' clocks aside).
set -euo pipefail
cd "$(dirname "$0")/.."

jobs="${JOBS:-2}"
build=build/bench-sweep
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCHAINSIM_BUILD_TESTS=OFF -DCHAINSIM_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target chainsim >/dev/null
exe="$build/cli/chainsim"
work="$build/bench-out"
rm -rf "$work"
mkdir -p "$work"

echo "machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

# run NAME ARGS...: runs a sweep, prints wall and CPU seconds, sets $wall.
run() {
  local name="$1"; shift
  local t0 t1 cpu0 cpu1
  t0=$(date +%s.%N)
  cpu0=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
  "$exe" sweep "$@" --quiet --out "$work/$name"
  t1=$(date +%s.%N)
  cpu1=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
  wall=$(calc "$t1 - $t0")
  cpu=$(calc "($cpu1 - $cpu0) / $(getconf CLK_TCK)")
}

same() {
  for f in sweep.csv sweep_summary.csv sweep.json sweep_model.json; do
    cmp -s "$work/$1/$f" "$work/$2/$f" || { echo "  DIFFERENT: $f ($1 vs $2)"; return 1; }
  done
  echo "  files identical byte for byte ($1 vs $2)"
}

echo
echo "== 1. scaling: 40 points x 120 replications, serial chain of 7300 days (4800 runs)"
scaling=(scenarios/serial_base_stock.yaml --param nodes.store.policy.S=20:59:1 --set horizon=7300
         --replications 120)
run scale_1 "${scaling[@]}" --jobs 1
w1=$wall
printf '  --jobs 1: %.2f s wall, %.2f s CPU, %.0f runs/s\n' "$w1" "$cpu" "$(calc "4800 / $w1")"
run "scale_$jobs" "${scaling[@]}" --jobs "$jobs"
wj=$wall
printf '  --jobs %s: %.2f s wall, %.2f s CPU, %.0f runs/s\n' "$jobs" "$wj" "$cpu" "$(calc "4800 / $wj")"
printf '  ratio (jobs %s / jobs 1): %.3f   (target on 2 cores: <= 0.6)\n' "$jobs" "$(calc "$wj / $w1")"
same scale_1 "scale_$jobs"

echo
echo "== 2. 10,000 beer games: 10 x 10 grid x 100 replications"
beer=(scenarios/beer_game.yaml --param nodes.retailer.policy.theta=0.0:0.9:0.1
      --param nodes.retailer.policy.alpha_s=0.05:0.5:0.05 --set nodes.retailer.demand.noise=poisson
      --replications 100)
run beer_start scenarios/beer_game.yaml --param nodes.retailer.policy.theta=0.36 --replications 1 --jobs 1
printf '  start-up and output of a one-run sweep: %.3f s\n' "$wall"
for j in 1 "$jobs"; do
  run "beer_$j" "${beer[@]}" --jobs "$j"
  printf '  --jobs %s: %.2f s wall, %.2f s CPU, %.0f runs/s\n' "$j" "$wall" "$cpu" "$(calc "10000 / $wall")"
done
same beer_1 "beer_$jobs"
printf '  sweep.csv: %s rows, %s bytes\n' "$(($(wc -l < "$work/beer_1/sweep.csv") - 1))" "$(wc -c < "$work/beer_1/sweep.csv")"

echo
echo "== 3. 10,000 beer games as a Latin hypercube of 10,000 points x 1 replication"
lhs=(scenarios/beer_game.yaml --design lhs --samples 10000 --param nodes.retailer.policy.theta=0.0:1.0
     --param nodes.retailer.policy.alpha_s=0.0:1.0 --set nodes.retailer.demand.noise=poisson --replications 1)
for j in 1 "$jobs"; do
  run "lhs_$j" "${lhs[@]}" --jobs "$j"
  printf '  --jobs %s: %.2f s wall, %.2f s CPU, %.0f runs/s\n' "$j" "$wall" "$cpu" "$(calc "10000 / $wall")"
done
same lhs_1 "lhs_$jobs"

if [ "${CALLGRIND:-}" = "1" ]; then
  echo
  echo "== 4. instructions per thread under callgrind (--jobs 2)"
  amdahl() {
    local name="$1"; shift
    rm -f "$work/cg.$name".*
    valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$work/cg.$name" \
      "$exe" sweep "$@" --jobs 2 --quiet --out "$work/cg_$name" 2>/dev/null
    grep -h '^summary:' "$work/cg.$name"-* | awk -v name="$name" '
      NR == 1 { main = $2 } { total += $2 }
      END { printf "  %s: main thread %.1f%% of %.2fG instructions; bound with 2 jobs: %.3f of 1 job\n",
                   name, 100 * main / total, total / 1e9, (main + (total - main) / 2) / total }'
  }
  amdahl scaling scenarios/serial_base_stock.yaml --param nodes.store.policy.S=20:59:1 --set horizon=3650 \
    --replications 6
  amdahl beer scenarios/beer_game.yaml --param nodes.retailer.policy.theta=0.0:0.9:0.1 \
    --param nodes.retailer.policy.alpha_s=0.05:0.5:0.05 --set nodes.retailer.demand.noise=poisson --replications 20
fi

echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

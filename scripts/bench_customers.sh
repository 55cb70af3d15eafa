#!/usr/bin/env bash
# Individual mode at scale, as a user meets it: the whole `chainsim run` of
# tests/bench/million_customers.yaml (one million customers for a year of
# weeks, customers.csv and report.html written), run a few times; prints the
# median wall-clock time and the largest peak resident memory.
#
#   scripts/bench_customers.sh            3 runs
#   BENCH_REPETITIONS=5 scripts/bench_customers.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bench_build.sh chainsim
reps="${BENCH_REPETITIONS:-3}"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for i in $(seq "$reps"); do
  /usr/bin/time -f "%e %M" -o "$out/time.$i" build/bench/cli/chainsim run tests/bench/million_customers.yaml \
    --out "$out/run" --quiet
done
python3 - "$out" "$reps" <<'PY'
import os, statistics, sys
out, reps = sys.argv[1], int(sys.argv[2])
runs = [open(os.path.join(out, f"time.{i}")).read().split() for i in range(1, reps + 1)]
seconds = statistics.median(float(r[0]) for r in runs)
peak = max(int(r[1]) for r in runs) / 1024
rows = sum(1 for _ in open(os.path.join(out, "run", "customers.csv"))) - 1
print(f"1,000,000 customers, 52 periods, individual mode: {seconds:.2f} s (median of {reps} whole runs), "
      f"peak memory {peak:.0f} MB, customers.csv {rows:,} deliveries")
PY

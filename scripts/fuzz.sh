#!/usr/bin/env bash
# Fuzzes the scenario loader and --set parsing with libFuzzer (tests/fuzz/README.md).
#
#   scripts/fuzz.sh [SECONDS] [BUILD_DIR]
#
# Builds the two fuzz targets with Clang, AddressSanitizer and UBSan in
# BUILD_DIR (default build/fuzz; an existing CHAINSIM_FUZZ=ON build is
# reused), then runs each for SECONDS (default 60), side by side, from a
# seed corpus of scenarios/ and tests/scenarios/fixtures/ and the findings
# in tests/fuzz/corpus/. Fails on any crash, hang (10 s an input), leak or
# malformed error message; the input that found it is saved under
# BUILD_DIR/fuzz-findings/ — minimise it (the target with -minimize_crash=1)
# and add it to tests/fuzz/corpus/, where the normal suite replays it.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
build="${2:-build/fuzz}"
jobs="$(nproc 2>/dev/null || echo 2)"

if [ ! -f "$build/CMakeCache.txt" ]; then
  scripts/setup.sh test
  cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCHAINSIM_SANITIZE=ON -DCHAINSIM_FUZZ=ON \
    -DCHAINSIM_BUILD_BENCHMARKS=OFF
fi
# Always brought up to date: a campaign fuzzes the code as it is.
cmake --build "$build" -j "$jobs" --target fuzz_scenario fuzz_set

root="$(pwd)"
build="$(cd "$build" && pwd)"
work="$build/fuzz-work"
findings="$build/fuzz-findings"
rm -rf "$work"
mkdir -p "$work/scenario" "$work/set" "$work/files" "$findings"
# The folder relative paths resolve against: the examples and their traces,
# so that a mutated extends or trace reaches a real file.
cp scenarios/*.yaml tests/scenarios/fixtures/* "$work/files/"
export CHAINSIM_FUZZ_DIR="$work/files"
# Seeds: every example and fixture scenario, and the findings so far.
cp scenarios/*.yaml tests/scenarios/fixtures/*.yaml "$work/scenario/"
cp tests/fuzz/corpus/scenario/* "$work/scenario/" 2>/dev/null || true
cp tests/fuzz/corpus/set/* "$work/set/" 2>/dev/null || true
printf 'horizon=40\nnodes.store.policy.S=12' > "$work/set/seed_two_sets"
printf 'nodes.*.policy.S=20' > "$work/set/seed_pattern"

# Leaks are findings; a hang is an input that takes over 10 s.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
status=0
pids=()
for target in fuzz_scenario fuzz_set; do
  corpus="$work/${target#fuzz_}"
  (cd "$work" && "$build/tests/fuzz/$target" "$corpus" -dict="$root/tests/fuzz/yaml.dict" \
     -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
     -artifact_prefix="$findings/$target-" > "$build/$target.log" 2>&1) &
  pids+=($!)
done
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then status=1; fi
done
for target in fuzz_scenario fuzz_set; do
  echo "== $target: $(grep -E '^stat::number_of_executed_units' "$build/$target.log" | awk '{print $2}') inputs in ${seconds} s"
  if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|finding:' "$build/$target.log"; then
    status=1
    grep -E -A12 'ERROR: |runtime error:|finding:' "$build/$target.log" > "$build/$target.excerpt" || true
    head -40 "$build/$target.excerpt"
  fi
done
if [ "$status" -ne 0 ]; then
  echo "fuzz: findings in $findings (logs: $build/fuzz_scenario.log, $build/fuzz_set.log)" >&2
  exit 1
fi
echo "fuzz: nothing found"

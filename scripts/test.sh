#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite.
#
# Warnings are errors. The first pass builds with GCC; with CI=true the suite
# runs a second time in a build with Clang, AddressSanitizer and
# UndefinedBehaviorSanitizer (all but the headless-Chromium page checks and
# the long validation runs),
# so that every change compiles with both, and then the two libFuzzer
# targets run side by side for 30 s on that build (a smoke check within CI's
# 25 minutes; campaigns: tests/fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh test

jobs="$(nproc 2>/dev/null || echo 2)"

# run_suite DIR [CTEST ARGS...] -- [CMAKE ARGS...]
run_suite() {
  local dir="$1"; shift
  local ctest_args=()
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do ctest_args+=("$1"); shift; done
  [ "$#" -gt 0 ] && shift
  # CHAINSIM_UNITY: each target's sources compiled in batches (CMakeLists.txt
  # says why); CI builds everything twice and has 25 minutes.
  cmake -S . -B "$dir" -DCHAINSIM_WERROR=ON -DCHAINSIM_UNITY=ON "$@"
  cmake --build "$dir" -j "$jobs"
  (cd "$dir" && ctest --output-on-failure --no-tests=error -j "$jobs" "${ctest_args[@]}")
}

run_suite build/test -- -DCMAKE_BUILD_TYPE=Release

if [ "${CI:-}" = "true" ]; then
  echo "== the suite again, built with Clang, under AddressSanitizer and UndefinedBehaviorSanitizer =="
  # Line tables only (-g1): the sanitizers' reports still name file and line,
  # and the build takes a third less time than with full debug information.
  # The same build carries libFuzzer's coverage (CHAINSIM_FUZZ) and its fuzz targets.
  # The headless-Chromium checks of the pages (label browser) are left to the
  # first pass: the pages are the same bytes, which report_tests and the
  # examples already make under the sanitizers here. So are the validation
  # cases (label validation): millions of periods of the model code the
  # other tests run under the sanitizers, about a minute of the 25 CI has;
  # they are not even built here (half a minute).
  run_suite build/sanitize-clang -LE 'browser|validation' -- -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHAINSIM_SANITIZE=ON -DCHAINSIM_FUZZ=ON -DCHAINSIM_BUILD_VALIDATION=OFF \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
    -DCHAINSIM_BUILD_BENCHMARKS=OFF
  echo "== the loader and --set fuzzed for 30 s (scripts/fuzz.sh; tests/fuzz/README.md) =="
  scripts/fuzz.sh 30 build/sanitize-clang
fi

#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite.
#
# Warnings are errors. With CI=true the suite also runs a second time in a
# build with AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh test

jobs="$(nproc 2>/dev/null || echo 2)"

run_suite() {
  local dir="$1"; shift
  cmake -S . -B "$dir" -DCHAINSIM_WERROR=ON "$@"
  cmake --build "$dir" -j "$jobs"
  (cd "$dir" && ctest --output-on-failure --no-tests=error -j "$jobs")
}

run_suite build/test -DCMAKE_BUILD_TYPE=Release

if [ "${CI:-}" = "true" ]; then
  echo "== the suite again under AddressSanitizer and UndefinedBehaviorSanitizer =="
  run_suite build/sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHAINSIM_SANITIZE=ON \
    -DCHAINSIM_BUILD_BENCHMARKS=OFF
fi

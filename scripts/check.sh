#!/usr/bin/env bash
# Runs chainsim's validation cases and prints every comparison with theory as
# a table: case, quantity, simulated, theory, difference, tolerance, within.
# docs/validation.md explains each case and where its tolerance comes from.
#
#   scripts/check.sh [case ...]        (default: every case; about 10 s)
#
# Builds chainsim_check (Release) in build/check, or uses $CHAINSIM_BUILD if
# set to an existing build directory. Exit status 0 when every comparison
# holds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
build="${CHAINSIM_BUILD:-build/check}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCHAINSIM_BUILD_BENCHMARKS=OFF >/dev/null
fi
if grep -q '^CHAINSIM_BUILD_VALIDATION:BOOL=OFF' "$build/CMakeCache.txt"; then
  echo "check.sh: $build is configured without the validation suite (CHAINSIM_BUILD_VALIDATION=OFF); unset CHAINSIM_BUILD or name another build" >&2
  exit 2
fi
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target chainsim_check >/dev/null
exec "$build/tests/chainsim_check" "$@"

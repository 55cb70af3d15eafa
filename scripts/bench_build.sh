#!/usr/bin/env bash
# Sets up what the benchmarks need and builds one target of the Release
# benchmark build (build/bench), quietly: the first step of every
# scripts/bench*.sh.
#
#   scripts/bench_build.sh chainsim | chainsim_bench
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DCHAINSIM_BUILD_TESTS=OFF >/dev/null
cmake --build build/bench -j "$(nproc 2>/dev/null || echo 2)" --target "${1:?which target}" >/dev/null

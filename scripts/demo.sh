#!/usr/bin/env bash
# Sets up, builds and runs the demo: the beer game (scenarios/beer_game.yaml).
# The summary table is printed; summary.json, timeseries.csv and report.html
# (open it in a browser) are written to out/beer_game/.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh demo

# CHAINSIM_UNITY: sources compiled in batches, which parse the headers once
# (CMakeLists.txt says why); the first build on a bare machine is shorter.
cmake -S . -B build/demo -DCMAKE_BUILD_TYPE=Release -DCHAINSIM_UNITY=ON \
  -DCHAINSIM_BUILD_TESTS=OFF -DCHAINSIM_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build/demo -j "$(nproc 2>/dev/null || echo 2)" --target chainsim >/dev/null
build/demo/cli/chainsim run scenarios/beer_game.yaml

#!/usr/bin/env bash
# Regenerates tests/golden/*.json, the pinned KPI summaries of the example
# scenarios, after an intended change of results. Commit them with a message
# that says why the numbers moved.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/test}"
cmake -S . -B "$build" >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target example_tests >/dev/null
CHAINSIM_UPDATE_GOLDENS=1 "$build/tests/example_tests" -tc="every example scenario runs and matches its golden summary"
git --no-pager diff --stat -- tests/golden 2>/dev/null || true

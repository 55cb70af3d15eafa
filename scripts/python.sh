#!/usr/bin/env bash
# Sets up and builds the Python module (docs/python.md), then runs Debian's
# python3 with it importable, passing the arguments on:
#
#   scripts/python.sh                          an interactive session: import chainsim
#   scripts/python.sh docs/examples/regime_change.py
#   scripts/python.sh -m pytest tests/python
#
# The module lands in build/python/python/chainsim; to use it from elsewhere
# (a notebook), put that folder's parent on PYTHONPATH: scripts/python.sh
# --path prints it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

"$root/scripts/setup.sh" python
cmake -S "$root" -B "$root/build/python" -DCMAKE_BUILD_TYPE=Release \
  -DCHAINSIM_BUILD_TESTS=OFF -DCHAINSIM_BUILD_BENCHMARKS=OFF -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build "$root/build/python" -j "$(nproc 2>/dev/null || echo 2)" --target chainsim_python >/dev/null

path="$root/build/python/python"
if [ "${1:-}" = "--path" ]; then
  echo "$path"
  exit 0
fi
PYTHONPATH="$path${PYTHONPATH:+:$PYTHONPATH}" exec /usr/bin/python3 "$@"

#!/usr/bin/env bash
# Instructions per simulated period of the benchmark's serial chain, counted
# by callgrind (deterministic, unlike wall-clock time on a shared machine).
# Builds chainsim_profile_serial (Release with debug info), runs it for 10,000
# and 30,000 periods and divides the difference by 20,000, so the fixed cost
# of a run (loading, building the network, the KPI summary) drops out.
#
#   scripts/profile.sh          the serial chain with the KPI collector
#   scripts/profile.sh series   ... also keeping every per-period record
#   scripts/profile.sh segment  ... with a customer segment in front of the retailer
#
# Leaves build/prof/callgrind.30000.out for callgrind_annotate.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-}"
command -v valgrind >/dev/null || { echo "profile: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
cmake -S . -B build/prof -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS="-g" -DCHAINSIM_BUILD_TESTS=OFF >/dev/null
cmake --build build/prof -j "$(nproc 2>/dev/null || echo 2)" --target chainsim_profile_serial >/dev/null

exe=build/prof/tests/bench/chainsim_profile_serial
count() {
  valgrind --tool=callgrind --callgrind-out-file="build/prof/callgrind.$1.out" "$exe" "$1" $mode 2>&1 |
    awk '/refs:/ { gsub(",", "", $NF); print $NF }'
}
"$exe" 10000 $mode
a=$(count 10000)
b=$(count 30000)
echo "instructions per simulated period: $(( (b - a) / 20000 ))  (callgrind Ir, 10,000 vs 30,000 periods)"
echo "breakdown: callgrind_annotate --inclusive=yes build/prof/callgrind.30000.out | less"

#!/usr/bin/env bash
# Every whole-process figure of issue 14 against its target, as a user runs
# chainsim: the serial chain beside SimPy (scripts/bench_peer.sh), SupplyNetPy's
# benchmark network beside SupplyNetPy (scripts/bench_supplynetpy.sh), and the
# 100,000-node network and the million-period time series
# (scripts/bench_scale.sh). The peers come from checkouts named by SIMPY_SRC
# and SUPPLYNETPY; without them their comparisons say so and are skipped.
#
#   SIMPY_SRC=... SUPPLYNETPY=... scripts/bench_whole.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bench_peer.sh
echo
scripts/bench_supplynetpy.sh
echo
scripts/bench_scale.sh

#!/usr/bin/env python3
"""Runs a command as a user would and appends its wall-clock seconds to a file.

    wall_time.py SECONDS_FILE COMMAND [ARGS...]

The clock (time.perf_counter) starts just before the process is started and
stops when it has exited, so the figure is the whole process: start-up,
loading, the run and writing its outputs. The command's standard output and
error pass through; its exit status is this script's.

scripts/bench_peer.sh and scripts/bench_supplynetpy.sh time whole processes
with it rather than with two calls of `date` around the command (runs of a
few tens of milliseconds; the sweeps of bench_sweep.sh take seconds, where
it does not matter): each `date` is a process of its own,
and the second one's start-up (about 9 ms on the 2-core VM, where `true`
timed that way takes 11 ms and 2 ms timed here) was counted as the
command's, a large share of a run that takes a few tens of milliseconds.
"""
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 3:
        print("usage: wall_time.py SECONDS_FILE COMMAND [ARGS...]", file=sys.stderr)
        return 2
    start = time.perf_counter()
    status = subprocess.run(sys.argv[2:], check=False).returncode
    seconds = time.perf_counter() - start
    with open(sys.argv[1], "a", encoding="utf-8") as f:
        f.write(f"{seconds:.6f}\n")
    return status


if __name__ == "__main__":
    sys.exit(main())

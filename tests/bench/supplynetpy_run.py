"""Runs SupplyNetPy's published benchmark network for one N, as its own
benchmark does (examples/notebooks/data/benchmark_performance.py in a
SupplyNetPy checkout): builds the network with that script's build_network,
seeds Python's random with the replication, and times simulate_sc_net alone
(logging off, the garbage collector off, as the script does). Prints the
simulation's seconds: the peer's own timing. scripts/bench_supplynetpy.sh
times the whole process around it.

    PYTHONPATH=<simpy src>:<SupplyNetPy src> python3 supplynetpy_run.py CHECKOUT N [HORIZON] [REP]
"""
import gc
import os
import random
import sys
import time

checkout, n = sys.argv[1], int(sys.argv[2])
horizon = float(sys.argv[3]) if len(sys.argv) > 3 else 500.0
rep = int(sys.argv[4]) if len(sys.argv) > 4 else 0
sys.path.insert(0, os.path.join(checkout, "examples", "notebooks", "data"))
import benchmark_performance  # noqa: E402  (its sweep runs only as __main__)
import SupplyNetPy.Components as scm  # noqa: E402

nodes, links, demands = benchmark_performance.build_network(n)
random.seed(rep)
net = scm.create_sc_net(nodes, links, demands)
gc.collect()
gc.disable()
start = time.perf_counter()
scm.simulate_sc_net(net, sim_time=horizon, logging=False)
print(time.perf_counter() - start)

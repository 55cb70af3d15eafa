#!/usr/bin/env python3
"""The benchmarks' serial chain (tests/bench/serial_chain.yaml) as an
idiomatic SimPy 4 model, for whole-process timing side by side with
`chainsim run` (scripts/bench_peer.sh). It is the peer, not part of chainsim:
SimPy is not a dependency, and this script runs only when given a SimPy
source tree.

Four stages (factory <- distributor <- wholesaler <- retailer), Poisson(8)
demand at the retailer, base-stock S = 40 everywhere, an order reaches the
supplier 1 period after it is placed, a shipment arrives 2 periods after it
leaves, the factory produces in 2 periods, backorders, holding 0.1 and
backorder 1 per unit and period. Each period a stage takes in what arrived
(time k + 0.25), then serves its backlog, first in first out, and reviews (k +
0.5); every order, shipment and production run is a SimPy process.

Usage: SIMPY_SRC=/path/to/simpy/src simpy_serial_chain.py PERIODS REPLICATIONS [SEED]
"""
import math
import os
import random
import sys
from collections import deque

sys.path.insert(0, os.environ.get("SIMPY_SRC", ""))
import simpy  # noqa: E402

S = 40
HOLDING, BACKORDER = 0.1, 1.0


def poisson(rng, mean):
    """Poisson by inversion (one uniform), as chainsim draws it."""
    u, k, p = rng.random(), 0, math.exp(-mean)
    cdf = p
    while cdf < u:
        k += 1
        p *= mean / k
        cdf += p
    return k


class Stage:
    def __init__(self, env, name, upstream, production=None):
        self.env, self.name, self.upstream, self.production = env, name, upstream, production
        self.on_hand, self.on_order = S, 0
        self.backlog = deque()  # [units still owed, buyer stage or None for customers]
        self.cost = 0.0
        self.demand = self.met = 0

    def deliver(self, units, delay):
        yield self.env.timeout(delay)
        self.on_hand += units
        self.on_order -= units

    def order_arrives(self, units, buyer, delay):
        yield self.env.timeout(delay)
        self.backlog.append([units, buyer])

    def serve(self):
        while self.backlog and self.on_hand > 0:
            line = self.backlog[0]
            shipped = min(line[0], self.on_hand)
            self.on_hand -= shipped
            line[0] -= shipped
            if line[1] is not None:
                self.env.process(line[1].deliver(shipped, 1.75))  # transport 2
            if line[0] == 0:
                self.backlog.popleft()

    def review(self):
        owed = sum(line[0] for line in self.backlog)
        position = self.on_hand + self.on_order - owed
        if position < S:
            units = S - position
            self.on_order += units
            if self.production:
                self.env.process(self.deliver(units, 1.75))  # produced in 2
            else:
                self.env.process(self.upstream.order_arrives(units, self, 0.75))  # order delay 1
        self.cost += HOLDING * self.on_hand + BACKORDER * owed

    def run(self, rng=None):
        yield self.env.timeout(0.5)
        while True:
            if rng is not None:  # the retailer: this period's customers
                d = poisson(rng, 8)
                self.demand += d
                if d:
                    self.backlog.append([d, None])
                before = self.on_hand
                self.serve()
                self.met += min(d, before)
            else:
                self.serve()
            self.review()
            yield self.env.timeout(1)


def replication(periods, seed):
    env = simpy.Environment()
    factory = Stage(env, "factory", None, production=2)
    distributor = Stage(env, "distributor", factory)
    wholesaler = Stage(env, "wholesaler", distributor)
    retailer = Stage(env, "retailer", wholesaler)
    rng = random.Random(seed)
    for stage in (factory, distributor, wholesaler):
        env.process(stage.run())
    env.process(retailer.run(rng))
    env.run(until=periods)
    stages = (factory, distributor, wholesaler, retailer)
    return retailer.met / max(1, retailer.demand), sum(s.cost for s in stages)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    periods, replications = int(sys.argv[1]), int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    fill = cost = 0.0
    for r in range(replications):
        f, c = replication(periods, seed * 1000003 + r)
        fill += f
        cost += c
    print(f"simpy: {replications} x {periods} periods, "
          f"fill rate {fill / replications:.3f}, cost {cost / replications:.0f}")


if __name__ == "__main__":
    main()

"""A policy written in Python against the base-stock policy, on a regime change.

scenarios/regime_change.yaml: one store, Poisson demand of 10 a day that
doubles on day 100, and a base-stock level (S = 45) set for the first half.
The Python policy trains nothing: it re-estimates the mean demand by
exponential smoothing of what each review saw and orders up to the
newsvendor level of the lead-time demand, (L + 1) * mean + z * sqrt((L + 1) *
mean), L = 3 days (an order takes 1 day to reach the supplier and its shipment
2 to come), z for the critical fractile b / (b + h) of the store's backorder
and holding costs.

Both policies drive the store through the step API, on the same replications
(common random numbers), so the difference is the policies'. The base-stock
agent's costs are the scenario's own run, bit for bit.

    scripts/python.sh docs/examples/regime_change.py
"""
from __future__ import annotations

import os
import statistics
import sys
from statistics import NormalDist

import chainsim

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
POSITION, DEMAND = chainsim.OBSERVATION_FIELDS.index("position"), chainsim.OBSERVATION_FIELDS.index("demand_signal")


def base_stock(S):
    return lambda obs: max(0.0, S - obs[POSITION])


def smoothed_order_up_to(first_guess=10.0, alpha=0.2, lead_time=3, holding=0.1, backorder=2.0):
    z = NormalDist().inv_cdf(backorder / (backorder + holding))
    state = {"mean": first_guess, "seen": 0}

    def policy(obs):
        if state["seen"] > 0:  # the first review has seen no demand yet
            state["mean"] += alpha * (obs[DEMAND] - state["mean"])
        state["seen"] += 1
        exposure = (lead_time + 1) * state["mean"]
        return max(0.0, round(exposure + z * exposure ** 0.5) - obs[POSITION])

    return policy


def cost_of(scenario, make_policy, replications):
    """The operating cost (minus the summed rewards) of each replication."""
    env = scenario.environment(agents="store")
    costs = []
    for r in range(replications):
        policy = make_policy()
        obs, total, done = env.reset(replication=r), 0.0, False
        while not done:
            obs, reward, done, _ = env.step(policy(obs))
            total += reward
        costs.append(-total)
    return costs


def main() -> int:
    scenario = chainsim.load(os.path.join(ROOT, "scenarios", "regime_change.yaml"))
    n = 10  # replications (the t quantile below is for 9 degrees of freedom)
    fixed = cost_of(scenario, lambda: base_stock(45), n)
    adaptive = cost_of(scenario, smoothed_order_up_to, n)
    diff = [a - f for a, f in zip(adaptive, fixed)]
    # The base-stock agent is the scenario's own run, replication by replication.
    own = scenario.run(replications=n, series=False)
    own_costs = [sum(own.values("network", "", kpi)[r] for kpi in ("cost_holding", "cost_backorder"))
                 for r in range(n)]
    half = 2.262 * statistics.stdev(diff) / n ** 0.5  # Student t, 9 degrees of freedom, 95%
    print(f"{n} replications of {scenario.name}: operating cost (holding + backorders)")
    print(f"  base-stock S = 45        {statistics.mean(fixed):10.1f}   (chainsim run: {statistics.mean(own_costs):.1f})")
    print(f"  smoothed order-up-to     {statistics.mean(adaptive):10.1f}")
    print(f"  difference (paired)      {statistics.mean(diff):10.1f} +/- {half:.1f}")
    same = all(abs(a - b) <= 1e-9 * abs(b) for a, b in zip(fixed, own_costs))
    return 0 if same and statistics.mean(diff) + half < 0 else 1


if __name__ == "__main__":
    sys.exit(main())

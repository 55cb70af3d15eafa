// chainsim optimize against known optima (docs/optimize.md, docs/validation.md):
// the newsvendor's critical fractile (lost sales, tau = 1), the optimal
// base-stock level of a Poisson single stage with backorders (tau = 2), the
// Clark-Scarf two-stage echelon levels (COMPASS on a 2-D grid), and a service
// constraint. The exact expected cost of every point comes from the theory
// (tests/validation/theory.h); the test checks that the point selected is
// within the indifference zone of the optimum, for several seeds: the
// answer may change with the seed, but only inside the zone.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/experiment/optimize.h"
#include "models/scenario/loader.h"
#include "tests/validation/theory.h"

using namespace chainsim;
using namespace chainsim::models;

namespace {

const std::string kDir = std::string(CHAINSIM_SOURCE_DIR) + "/tests/validation/optimize/";
constexpr double kPeriods = 2000;  // single_stage.yaml: horizon 2050, warm-up 50

OptimizeSpec single_stage(std::vector<std::string> sets, const std::string& range, double delta_per_period,
                          std::uint64_t seed) {
  OptimizeSpec s;
  s.scenario = kDir + "single_stage.yaml";
  s.sets = std::move(sets);
  s.params = {sim::parse_param_spec("nodes.shop.policy.S", range)};
  s.objective = "network.total_cost";
  s.delta = delta_per_period * kPeriods;
  s.seed = seed;
  s.jobs = 2;
  return s;
}

std::string fmt_range(int from, int to) { return std::to_string(from) + ":" + std::to_string(to) + ":1"; }

int selected(const OptimizeResult& r, std::size_t param = 0) { return std::stoi(r.best.values.at(param)); }

// Poisson(mean) pmf, for the newsvendor's exact cost.
double poisson_pmf(double mean, int n) { return std::exp(-mean + n * std::log(mean) - std::lgamma(n + 1.0)); }

}  // namespace

TEST_CASE("optimize finds the newsvendor's critical fractile: lost sales, no lead time, Poisson demand") {
  // tau = 1 (transit 1, no order delay): each period starts at S, so the
  // expected cost a period is h E[(S - D)^+] + p E[(D - S)^+], D ~ Poisson(5),
  // minimised at the critical fractile p / (p + h) = 0.9: S* = 8.
  const double lambda = 5, h = 1, p = 9;
  auto cost = [&](int S) {
    double c = 0.0;
    for (int n = 0; n < 80; ++n) c += poisson_pmf(lambda, n) * (n < S ? h * (S - n) : p * (n - S));
    return c;
  };
  double best = 1e300;
  int argmin = -1;
  double cdf = 0.0;
  int fractile = -1;
  for (int S = 0; S <= 20; ++S) {
    if (cost(S) < best) best = cost(S), argmin = S;
    cdf += poisson_pmf(lambda, S);
    if (fractile < 0 && cdf >= p / (p + h)) fractile = S;
  }
  REQUIRE(argmin == fractile);  // the theory's own check
  REQUIRE(argmin == 8);
  const double delta = 0.1;  // per period: C(7) and C(9) are 0.2 above C(8)
  for (const std::uint64_t seed : {1, 2, 3}) {
    const OptimizeResult r = run_optimize(
        single_stage({"nodes.shop.unmet_demand=lost", "lanes.0.order_delay=0"}, "2:16:1", delta, seed));
    CAPTURE(seed);
    CAPTURE(r.stopped);
    CHECK(r.method == "kim-nelson");
    CHECK(r.guarantee);
    CHECK(cost(selected(r)) <= best + delta);
  }
}

TEST_CASE("optimize finds the optimal base-stock level of a Poisson single stage with backorders") {
  // tau = 2: the cost a period is h E[(S - D2)^+] + b E[(D2 - S)^+], D2 ~
  // Poisson(10) (theory::base_stock_poisson), minimised at the critical
  // fractile b / (b + h) = 0.9 of D2: S* = 14.
  const double lambda = 5, h = 1, b = 9;
  auto cost = [&](int S) {
    const validation::theory::BaseStock t = validation::theory::base_stock_poisson(lambda, 2, S);
    return h * t.on_hand + b * t.backorders;
  };
  double best = 1e300;
  int argmin = -1;
  for (int S = 0; S <= 30; ++S) {
    if (cost(S) < best) best = cost(S), argmin = S;
  }
  REQUIRE(argmin == 14);
  REQUIRE(validation::theory::poisson_cdf(2 * lambda, argmin) >= b / (b + h));
  REQUIRE(validation::theory::poisson_cdf(2 * lambda, argmin - 1) < b / (b + h));
  const double delta = 0.1;
  for (const std::uint64_t seed : {1, 2, 3}) {
    const OptimizeResult r = run_optimize(single_stage({}, "6:26:1", delta, seed));
    CAPTURE(seed);
    CAPTURE(r.stopped);
    CHECK(r.guarantee);
    CHECK(cost(selected(r)) <= best + delta);
    // The runners-up the runs cannot tell from it are near the optimum too.
    for (const OptimizeCandidate& c : r.runners_up) CHECK(cost(std::stoi(c.values[0])) <= best + 4 * delta);
  }
}

TEST_CASE("optimize with COMPASS finds Clark and Scarf's optimal echelon base-stock levels of two stages") {
  const double lambda = 5, h1 = 2, h2 = 1, b = 4;
  const int L1 = 1, L2 = 2;
  const validation::theory::TwoStage opt = validation::theory::clark_scarf_two_stage(lambda, L1, L2, h1, h2, b);
  auto cost = [&](int S1, int S2) {
    return validation::theory::two_stage_direct(lambda, L1, L2, h1, h2, b, S1, S2).cost;
  };
  REQUIRE(cost(opt.S1, opt.S2) == doctest::Approx(opt.cost).epsilon(1e-9));
  const double delta = 0.25;  // per period, on a cost near opt.cost
  for (const std::uint64_t seed : {1, 2}) {
    OptimizeSpec s;
    s.scenario = kDir + "two_stage.yaml";
    s.params = {sim::parse_param_spec("nodes.retailer.policy.S", fmt_range(opt.S1 - 7, opt.S1 + 7)),
                sim::parse_param_spec("nodes.warehouse.policy.S", fmt_range(opt.S2 - 9, opt.S2 + 9))};
    s.objective = "network.total_cost";
    s.delta = delta * 1000;  // two_stage.yaml: 1,000 periods after the warm-up
    s.seed = seed;
    s.jobs = 2;
    const OptimizeResult r = run_optimize(s);
    CAPTURE(seed);
    CAPTURE(r.stopped);
    CAPTURE(opt.S1);
    CAPTURE(opt.S2);
    CAPTURE(r.best.values[0]);
    CAPTURE(r.best.values[1]);
    CHECK(r.method == "compass");
    CHECK(r.guarantee);
    CHECK(r.visited < r.points / 2);  // a search, not an enumeration
    CHECK(cost(selected(r, 0), selected(r, 1)) <= opt.cost + delta);
  }
}

TEST_CASE("optimize with COMPASS finds the optimal periodic (s, S) policy of Zheng and Federgruen") {
  // The shop of single_stage.yaml on (s, S) with a fixed cost K = 25 an
  // order, tau = 1: the exact cost of every (s, S) by Zheng & Federgruen's
  // formula (validated against the simulation by the s_S case), the optimum
  // by enumeration over the grid.
  const double lambda = 5, h = 1, b = 9, K = 25;
  auto cost = [&](int s, int S) { return validation::theory::s_S_poisson(lambda, 1, h, b, K, s, S).cost; };
  double best = 1e300;
  for (int s = 0; s <= 12; ++s) {
    for (int S = 13; S <= 36; ++S) best = std::min(best, cost(s, S));
  }
  const double delta = 0.1;  // per period, on a cost near 16
  for (const std::uint64_t seed : {1, 2}) {
    OptimizeSpec o = single_stage({"lanes.0.order_delay=0", "nodes.shop.ordering_cost=25",
                                   "nodes.shop.policy={type: s_S, s: 3, S: 18}"},
                                  "0:12:1", delta, seed);
    o.params.push_back(sim::parse_param_spec("nodes.shop.policy.S", "13:36:1"));
    o.params[0] = sim::parse_param_spec("nodes.shop.policy.s", "0:12:1");
    const OptimizeResult r = run_optimize(o);
    CAPTURE(seed);
    CAPTURE(r.stopped);
    CAPTURE(r.best.values[0]);
    CAPTURE(r.best.values[1]);
    CHECK(r.method == "compass");
    CHECK(r.guarantee);
    CHECK(cost(selected(r, 0), selected(r, 1)) <= best + delta);
  }
}

TEST_CASE("optimize under a service constraint selects the cheapest level that meets it, within its tolerance") {
  // Minimise holding cost subject to the fill rate >= 0.95 (tolerance 0.01):
  // the holding cost grows with S, so the answer is the smallest S whose fill
  // rate is at least 0.95, give or take a level whose fill rate is within
  // the tolerance of the bound.
  const double lambda = 5;
  auto fill = [&](int S) { return validation::theory::base_stock_poisson(lambda, 2, S).fill_rate; };
  int smallest_surely = -1;   // fill >= 0.95 + tolerance
  int smallest_possibly = -1;  // fill >= 0.95 - tolerance
  for (int S = 0; S <= 40; ++S) {
    if (smallest_possibly < 0 && fill(S) >= 0.94) smallest_possibly = S;
    if (smallest_surely < 0 && fill(S) >= 0.96) smallest_surely = S;
  }
  for (const std::uint64_t seed : {1, 2}) {
    OptimizeSpec s = single_stage({}, "6:26:1", 0.1, seed);
    s.objective = "network.cost_holding";
    s.constraints = {parse_constraint("stock.shop/item.fill_rate>=0.95", 0.01)};
    const OptimizeResult r = run_optimize(s);
    CAPTURE(seed);
    CAPTURE(r.stopped);
    REQUIRE(r.found);
    CHECK(r.guarantee);
    CHECK(selected(r) >= smallest_possibly);
    CHECK(selected(r) <= smallest_surely);
  }
}

TEST_CASE("optimize refuses what it cannot do, naming it") {
  OptimizeSpec s = single_stage({}, "6:26:1", 0.1, 1);
  s.objective = "network.no_such_kpi";
  CHECK_THROWS_WITH_AS(run_optimize(s), doctest::Contains("no KPI column 'network.no_such_kpi'"), LoadError);
  s = single_stage({}, "6:26:1", 0.1, 1);
  s.delta = 0;
  CHECK_THROWS_WITH_AS(run_optimize(s), "--indifference must be a number > 0 (got 0)", std::invalid_argument);
  s = single_stage({}, "6:26:1", 0.1, 1);
  s.params = {sim::parse_param_spec("nodes.shop.policy.S", "1.5:9.5")};
  CHECK_THROWS_AS(run_optimize(s), std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_constraint("fill_rate=0.9"), "--subject-to 'fill_rate=0.9': write KPI>=VALUE or KPI<=VALUE",
                       std::invalid_argument);
  CHECK_THROWS_AS(parse_constraint("network.fill_rate>=high"), std::invalid_argument);
}

TEST_CASE("a budget that runs out stops the search with the best by the means and no guarantee") {
  OptimizeSpec s = single_stage({}, "6:26:1", 0.1, 1);
  s.budget = 50;  // less than the first stage of 21 points x 10: nothing runs
  OptimizeResult r = run_optimize(s);
  CHECK(!r.found);
  CHECK(!r.guarantee);
  CHECK(r.runs == 0);
  CHECK(r.stopped.find("budget") != std::string::npos);
  s.delta = 0.01 * kPeriods;  // a fine indifference zone: many stages of screening
  s.budget = 250;               // the first stage, and a little screening
  r = run_optimize(s);
  CHECK(r.found);
  CHECK(!r.guarantee);
  CHECK(r.runs <= 250);
  CHECK(r.guarantee_text.rfind("none: ", 0) == 0);
  const int S = selected(r);
  CHECK((S >= 12 && S <= 16));  // the best by its means is near the optimum, 14
  s.method = OptimizeMethod::kCompass;
  s.budget = 5;  // not even COMPASS's first points
  r = run_optimize(s);
  CHECK(!r.found);
  CHECK(r.runs == 0);
}

TEST_CASE("several constraints are checked together, a point out on one of them taking no more runs") {
  OptimizeSpec s = single_stage({}, "6:26:1", 0.1, 3);
  s.objective = "network.cost_holding";
  s.constraints = {parse_constraint("stock.shop/item.fill_rate>=0.95", 0.0001),
                   parse_constraint("stock.shop/item.backorders_mean<=0.5", 0.0001)};
  const OptimizeResult r = run_optimize(s);
  REQUIRE(r.found);
  const int S = selected(r);
  const validation::theory::BaseStock t = validation::theory::base_stock_poisson(5, 2, S);
  CHECK(t.fill_rate >= 0.95 - 0.001);
  CHECK(t.backorders <= 0.5 + 0.01);
  CHECK(validation::theory::base_stock_poisson(5, 2, S - 1).fill_rate < 0.95 + 0.001);
}

TEST_CASE("an optimisation is the same whatever the number of threads") {
  OptimizeSpec s = single_stage({}, "6:26:2", 0.1, 5);
  s.jobs = 1;
  const OptimizeResult one = run_optimize(s);
  s.jobs = 3;
  const OptimizeResult three = run_optimize(s);
  REQUIRE(one.trace.size() == three.trace.size());
  for (std::size_t i = 0; i < one.trace.size(); ++i) {
    CHECK(one.trace[i].point == three.trace[i].point);
    CHECK(one.trace[i].objective == three.trace[i].objective);
  }
  CHECK(one.best.point == three.best.point);
}

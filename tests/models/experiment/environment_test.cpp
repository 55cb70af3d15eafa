// A scenario stepped by an outside agent (models/experiment/environment.h):
// an agent that orders what the policy would reproduces the scenario's own
// run bit for bit, the rewards add up to the run's costs, and misuse is
// refused with what is wrong.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/experiment/environment.h"
#include "models/experiment/experiment.h"
#include "models/scenario/loader.h"

using namespace chainsim::models;

namespace {

// The benchmarks' serial chain (base-stock S = 40 everywhere, Poisson(8)
// demand, finance on) for a year of periods.
ScenarioSpec serial_chain() {
  return load_scenario(std::string(CHAINSIM_SOURCE_DIR) + "/tests/bench/serial_chain.yaml",
                       LoadOptions({"horizon=365"}))
      .spec;
}

// Steps `env` to the end with base-stock orders up to S = 40; returns the
// sum of the rewards and the decisions seen.
struct Played {
  double rewards = 0.0;
  std::vector<std::size_t> agents;
};
Played play_base_stock(Environment& env, std::uint64_t seed, int replication) {
  Played p;
  EnvDecision d = env.reset(seed, replication);
  CHECK(d.reward == 0.0);
  while (!d.done) {
    p.agents.push_back(d.agent);
    d = env.step(std::max(0.0, 40.0 - d.view.position));
    p.rewards += d.reward;
  }
  return p;
}

void check_same_kpis(const KpiSet& a, const KpiSet& b) {
  REQUIRE(a.values.size() == b.values.size());
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    CAPTURE(a.values[i].kpi);
    CAPTURE(a.values[i].name);
    CHECK(a.values[i].kpi == b.values[i].kpi);
    // Bit for bit (NaN where both are undefined).
    CHECK((a.values[i].value == b.values[i].value || (std::isnan(a.values[i].value) && std::isnan(b.values[i].value))));
  }
}

}  // namespace

TEST_CASE("an agent ordering up to the base-stock level gives the scenario's own run, bit for bit") {
  const ScenarioSpec spec = serial_chain();
  const ReplicationOutput own = run_replication(spec, 7, 3);
  Environment env(spec, {"retailer"});
  CHECK(env.agents() == std::vector<std::string>{"retailer/item"});
  const Played p = play_base_stock(env, 7, 3);
  CHECK(env.done());
  CHECK(p.agents.size() == 365);  // one review a period
  check_same_kpis(env.kpis(), own.kpis);
  // Another seed is another run, and the same seed the same one again.
  play_base_stock(env, 8, 3);
  CHECK(env.kpis().get("network", "", "total_cost") != own.kpis.get("network", "", "total_cost"));
  play_base_stock(env, 7, 3);
  check_same_kpis(env.kpis(), own.kpis);
}

TEST_CASE("several controlled stocks decide in simulation order, downstream first, and the run is still the scenario's") {
  const ScenarioSpec spec = serial_chain();
  const ReplicationOutput own = run_replication(spec, 1, 0);
  Environment env(spec, {"distributor", "retailer/item"});
  const Played p = play_base_stock(env, 1, 0);
  REQUIRE(p.agents.size() == 2 * 365);
  CHECK(p.agents[0] == 1);  // the retailer reviews before the distributor
  CHECK(p.agents[1] == 0);
  check_same_kpis(env.kpis(), own.kpis);
}

TEST_CASE("the rewards of a run add up to minus its operating costs, or to its profit") {
  const ScenarioSpec spec = serial_chain();
  Environment cost(spec, {});
  CHECK(cost.agents() == std::vector<std::string>{"retailer/item"});  // the stock serving customers
  const double cost_rewards = play_base_stock(cost, 2, 0).rewards;
  double operating = 0.0;
  for (const char* k : {"cost_holding", "cost_backorder", "cost_lost_sale", "cost_ordering", "cost_transport",
                        "cost_production"}) {
    const double v = cost.kpis().get("network", "", k);
    if (!std::isnan(v)) operating += v;
  }
  CHECK(operating > 1000.0);
  CHECK(cost_rewards == doctest::Approx(-operating).epsilon(1e-9));

  Environment profit(spec, {}, EnvReward::kProfit);
  const double profit_rewards = play_base_stock(profit, 2, 0).rewards;
  CHECK(profit_rewards > 0.0);
  CHECK(profit_rewards != doctest::Approx(cost_rewards));
}

TEST_CASE("an agent the scenario cannot have, a bad order and a step out of turn are refused") {
  const ScenarioSpec spec = serial_chain();
  CHECK_THROWS_WITH_AS(Environment(spec, {"brewer"}), "agent 'brewer': no such node", std::invalid_argument);
  CHECK_THROWS_WITH_AS(Environment(spec, {"retailer/beer"}), "agent 'retailer/beer': no such stock",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(Environment(spec, {"retailer", "retailer/item"}),
                       "agent 'retailer/item': stock 'retailer/item' is named twice", std::invalid_argument);
  Environment env(spec, {"retailer"});
  CHECK_THROWS_WITH_AS(env.step(1), "reset first", std::logic_error);
  CHECK_THROWS_WITH_AS(env.kpis(), "the run has not ended: step until done", std::logic_error);
  env.reset(1, 0);
  CHECK_THROWS_AS(env.step(-1), std::invalid_argument);
  CHECK_THROWS_AS(env.step(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  EnvDecision d = env.step(5);
  while (!d.done) d = env.step(5);
  CHECK_THROWS_WITH_AS(env.step(1), "the run has ended: reset to start another", std::logic_error);
}

TEST_CASE("a run abandoned half way, by a reset or by the environment's end, stops its thread cleanly") {
  const ScenarioSpec spec = serial_chain();
  const ReplicationOutput own = run_replication(spec, 4, 0);
  {
    Environment env(spec, {"retailer"});
    EnvDecision d = env.reset(4, 0);
    for (int k = 0; k < 100; ++k) d = env.step(3);
    CHECK(!d.done);
    play_base_stock(env, 4, 0);  // reset abandons the run in progress
    check_same_kpis(env.kpis(), own.kpis);
    env.reset(4, 0);
    env.step(1);
  }  // destroyed mid-run: it must not hang or leak the thread
  CHECK(true);
}

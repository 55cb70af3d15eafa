#include "models/experiment/compare.h"

#include <doctest/doctest.h>

#include <cmath>
#include <fmt/core.h>

#include "models/chain/spec_checks.h"
#include "models/experiment/experiment.h"
#include "models/scenario/loader.h"
#include "sim/statistics.h"

using namespace chainsim::models;

namespace {

LoadedScenario load(const std::vector<std::string>& sets) {
  std::vector<std::string> all = {"horizon=120", "warmup=20"};
  all.insert(all.end(), sets.begin(), sets.end());
  return load_scenario("scenarios/serial_base_stock.yaml", {all});
}

const KpiComparison& find(const Comparison& c, const std::string& column) {
  for (const KpiComparison& k : c.kpis) {
    if (k.column == column) return k;
  }
  FAIL("no KPI " << column);
  return c.kpis.front();
}

}  // namespace

TEST_CASE("a scenario compared with itself differs in nothing, to the bit") {
  const LoadedScenario s = load({});
  CompareOptions o;
  o.seed = 3;
  o.replications = 5;
  o.jobs = 2;
  const Comparison c = compare_scenarios(s.spec, s.spec, o);
  REQUIRE_FALSE(c.kpis.empty());
  for (const KpiComparison& k : c.kpis) {
    CAPTURE(k.column);
    CHECK_FALSE(k.excludes_zero);
    if (k.difference.n > 0) CHECK(k.difference.mean == 0.0);
  }
  CHECK(c.only_baseline.empty());
  CHECK(c.only_variant.empty());
}

TEST_CASE("the paired interval is the Student t interval of the per-replication differences") {
  const LoadedScenario base = load({}), variant = load({"nodes.store.policy.S=34"});
  ExperimentOptions e;
  e.seed = 9;
  e.replications = 6;
  e.series = SeriesMode::kNone;
  const ExperimentResult b = run_experiment(base.spec, e), v = run_experiment(variant.spec, e);
  const Comparison c = compare_replications(b.kpis, v.kpis);
  const KpiComparison& k = find(c, "stock.store/widget.fill_rate");
  chainsim::sim::RunningStats d;
  for (std::size_t r = 0; r < 6; ++r) {
    d.add(v.kpis[r].get("stock", "store/widget", "fill_rate") - b.kpis[r].get("stock", "store/widget", "fill_rate"));
  }
  const auto iv = chainsim::sim::confidence_interval(d, 0.95);
  CHECK(k.difference.mean == iv.mean);
  CHECK(k.difference.half_width == iv.half_width);
  CHECK(k.difference.n == 6);
  // The same demand in both (common random numbers): its difference is 0.
  CHECK(find(c, "stock.store/widget.demand_mean").difference.mean == 0.0);
}

TEST_CASE("a higher base-stock level at the store raises its fill rate, marked as significant") {
  const LoadedScenario base = load({"nodes.store.policy.S=22"}), variant = load({"nodes.store.policy.S=40"});
  CompareOptions o;
  o.seed = 1;
  o.replications = 10;
  const Comparison c = compare_scenarios(base.spec, variant.spec, o);
  const KpiComparison& fill = find(c, "stock.store/widget.fill_rate");
  CAPTURE(fill.difference.mean);
  CAPTURE(fill.difference.half_width);
  CHECK(fill.difference.mean > 0);
  CHECK(fill.excludes_zero);
  const KpiComparison& on_hand = find(c, "stock.store/widget.on_hand_mean");
  CHECK(on_hand.excludes_zero);
  CHECK(on_hand.difference.mean > 0);
  const std::string table = compare_table(c, true);
  CHECK(table.find("stock.store/widget.fill_rate") != std::string::npos);
  CHECK(table.find("stock.store/widget.demand_mean") == std::string::npos);
  const std::string csv = compare_csv(c);
  CHECK(csv.rfind("kpi,baseline_mean,baseline_half_width,variant_mean,variant_half_width,difference,", 0) == 0);
  CHECK(csv.find("\nstock.store/widget.fill_rate,") != std::string::npos);
}

TEST_CASE("KPIs only one side reports are listed apart") {
  const LoadedScenario base = load({});
  ExperimentOptions e;
  e.replications = 2;
  e.series = SeriesMode::kNone;
  ExperimentResult b = run_experiment(base.spec, e);
  std::vector<KpiSet> v = b.kpis;
  for (KpiSet& k : v) k.values.push_back({"node", "extra", "revenue", 1.0});
  const Comparison c = compare_replications(b.kpis, v);
  CHECK(c.only_variant == std::vector<std::string>{"node.extra.revenue"});
  CHECK(c.only_baseline.empty());
}

TEST_CASE("an experiment checks its spec once, before any replication, and still refuses a bad one") {
  ScenarioSpec bad = load({}).spec;
  bad.nodes[1].holding_cost = -1;
  ExperimentOptions o;
  o.replications = 3;
  int replications_run = 0;
  CHECK_THROWS_AS(run_experiment(bad, o, [&](const ExperimentResult&, const ReplicationOutput&) { ++replications_run; }),
                  SpecError);
  CHECK(replications_run == 0);
  // A good spec's replications are what they were when each checked it (and replication 0,
  // run on the network first built to name the outputs, is what a build of its own runs).
  const ScenarioSpec good = load({}).spec;
  const ExperimentResult r = run_experiment(good, o);
  for (int i = 0; i < 3; ++i) {
    CAPTURE(i);
    const KpiSet alone = run_replication(good, o.seed, i).kpis;
    REQUIRE(alone.values.size() == r.kpis[static_cast<std::size_t>(i)].values.size());
    for (std::size_t k = 0; k < alone.values.size(); ++k) {
      const double a = alone.values[k].value, b = r.kpis[static_cast<std::size_t>(i)].values[k].value;
      CHECK(((std::isnan(a) && std::isnan(b)) || a == b));
    }
  }
}

TEST_CASE("a network knows whether its results depend on random numbers") {
  auto random_of = [](const std::string& file, const std::vector<std::string>& sets) {
    const LoadedScenario s = load_scenario(file, {sets});
    return run_replication(s.spec, 1, 0, {}).random;
  };
  CHECK_FALSE(random_of("scenarios/beer_game.yaml", {}));
  CHECK(random_of("scenarios/serial_base_stock.yaml", {"horizon=20", "warmup=0"}));
  // One source of spread is enough: a step demand with noise, a lead time, a
  // supplier's reliability.
  CHECK(random_of("scenarios/beer_game.yaml", {"nodes.retailer.demand.noise=poisson"}));
  CHECK(random_of("scenarios/beer_game.yaml", {"lanes.0.transport_time={type: uniform, low: 1, high: 3}"}));
  CHECK_FALSE(random_of("scenarios/beer_game.yaml", {"lanes.0.transport_time={type: uniform, low: 2, high: 2}"}));
  CHECK_FALSE(random_of("scenarios/beer_game.yaml", {"nodes.retailer.demand={type: poisson, mean: 0}"}));
}

TEST_CASE("a deterministic comparison gives exact differences from one replication, and the same from three") {
  const LoadedScenario base = load_scenario("scenarios/beer_game.yaml", {}),
                       variant = load_scenario("scenarios/beer_game.yaml", {{"nodes.retailer.policy.beta=1"}});
  CompareOptions o;
  o.replications = 1;
  const Comparison one = compare_scenarios(base.spec, variant.spec, o);
  o.replications = 3;
  const Comparison three = compare_scenarios(base.spec, variant.spec, o);
  REQUIRE(one.deterministic);
  REQUIRE(three.deterministic);
  REQUIRE(one.kpis.size() == three.kpis.size());
  std::size_t differ = 0;
  for (std::size_t i = 0; i < one.kpis.size(); ++i) {
    const KpiComparison &a = one.kpis[i], &b = three.kpis[i];
    CAPTURE(a.column);
    if (a.difference.n == 0) continue;
    CHECK(a.exact);
    CHECK(b.exact);
    CHECK(a.difference.half_width == 0.0);
    CHECK(a.difference.mean == b.difference.mean);
    CHECK(a.excludes_zero == b.excludes_zero);
    CHECK(a.excludes_zero == (std::abs(a.difference.mean) > 1e-9 * std::max(std::abs(a.baseline.mean),
                                                                            std::abs(a.variant.mean))));
    differ += a.excludes_zero ? 1 : 0;
  }
  CHECK(differ > 10);
  // beta = 1 counts the whole supply line: the retailer orders less and backlogs more.
  CHECK(find(one, "network.backorders_mean").difference.mean > 0);
  const std::string table = compare_table(one);
  CHECK(table.find("every difference is exact") != std::string::npos);
  CHECK(table.find(" exact *") != std::string::npos);
  CHECK(table.find("±") == std::string::npos);
  CHECK(compare_csv(one).find(",true,true\n") != std::string::npos);
}

TEST_CASE("a difference the same in every replication of a random scenario is marked with no spread, not called exact") {
  KpiSet b, v;
  b.values.push_back({"network", "", "cost", 10.0});
  v.values.push_back({"network", "", "cost", 12.0});
  b.values.push_back({"network", "", "noise", 1.0});
  v.values.push_back({"network", "", "noise", 1.0});
  std::vector<KpiSet> bs{b, b, b}, vs{v, v, v};
  vs[1].values[1].value = 2.0;
  const Comparison c = compare_replications(bs, vs);
  CHECK_FALSE(c.deterministic);
  REQUIRE(c.kpis.size() == 2);
  CHECK_FALSE(c.kpis[0].exact);
  CHECK(c.kpis[0].excludes_zero);
  CHECK(c.kpis[0].difference.half_width == 0.0);
  // Told it is deterministic, the same numbers are exact.
  const Comparison d = compare_replications(bs, {v, v, v}, 0.95, true);
  CHECK(d.kpis[0].exact);
  CHECK(d.kpis[0].excludes_zero);
  CHECK(d.kpis[1].exact);
  CHECK_FALSE(d.kpis[1].excludes_zero);
  CHECK_FALSE(c.kpis[1].exact);
  CHECK_FALSE(c.kpis[1].excludes_zero);
  // One replication of a random scenario is never exact: no interval.
  const Comparison single = compare_replications({b}, {v});
  CHECK_FALSE(single.kpis[0].exact);
  CHECK_FALSE(single.kpis[0].excludes_zero);
}

TEST_CASE("a KPI only one side reports is listed with its value in that run") {
  KpiSet b, v;
  b.values.push_back({"network", "", "cost", 10.0});
  v.values.push_back({"network", "", "cost", 12.0});
  v.values.push_back({"lane", "third->plant", "shipped", 40.0});
  std::vector<KpiSet> bs{b, b}, vs{v, v};
  vs[1].values[1].value = 60.0;
  const Comparison c = compare_replications(bs, vs);
  REQUIRE(c.only_variant == std::vector<std::string>{"lane.third->plant.shipped"});
  REQUIRE(c.only_variant_values.size() == 1);
  CHECK(c.only_variant_values[0].mean == 50.0);
  CHECK(c.only_variant_values[0].n == 2);
  const std::string table = compare_table(c);
  CHECK(table.find("only in the variant: lane.third->plant.shipped 50 ±" +
                   fmt::format("{:.4g}", c.only_variant_values[0].half_width) + "\n") != std::string::npos);
  CompareMeta meta;
  const std::string json = compare_json(c, meta);
  CHECK(json.find("\"only_in_variant_values\": [\n    {\n      \"kpi\": \"lane.third->plant.shipped\",\n      \"mean\": 50.0") !=
        std::string::npos);
}

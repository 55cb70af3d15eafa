// The `Expect:` lines of the perishable teaching scenario (fresh_food.yaml
// and its LIFO variant), checked under common random numbers with the
// scenario's own seed and replications; a difference is claimed only where
// its paired 95% interval excludes zero.
#include <doctest/doctest.h>

#include <string>

#include "models/experiment/compare.h"
#include "models/scenario/loader.h"

using namespace chainsim::models;

namespace {

const std::string kRoot = CHAINSIM_SOURCE_DIR;

ScenarioSpec scenario(const std::string& name) { return load_scenario(kRoot + "/scenarios/" + name + ".yaml").spec; }

const KpiComparison& kpi(const Comparison& c, const std::string& column) {
  for (const KpiComparison& k : c.kpis) {
    if (k.column == column) return k;
  }
  FAIL("no KPI " << column);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("fresh_food: customers who pick the freshest leave the old cartons to expire") {
  const ScenarioSpec fifo = scenario("fresh_food");
  CompareOptions o;
  o.seed = fifo.seed;
  o.replications = fifo.replications;
  const Comparison c = compare_scenarios(fifo, scenario("fresh_food_lifo"), o);
  const KpiComparison& waste = kpi(c, "stock.store/milk.waste_share");
  CAPTURE(waste.baseline.mean);
  CAPTURE(waste.variant.mean);
  // Rotated: about 4% of the shelf's outflow expires; LIFO: about seven times that.
  CHECK(waste.baseline.mean > 0.02);
  CHECK(waste.baseline.mean < 0.06);
  CHECK(waste.variant.mean > 5 * waste.baseline.mean);
  CHECK(waste.variant.mean < 9 * waste.baseline.mean);
  CHECK(waste.difference.mean - waste.difference.half_width > 0);
  // The store's profit falls to nearly nothing.
  const KpiComparison& profit = kpi(c, "node.store.profit");
  CHECK(profit.difference.mean + profit.difference.half_width < 0);
  CHECK(profit.variant.mean < 0.1 * profit.baseline.mean);
  // Its fill rate does not move; the warehouse sells more to replace what expires.
  const KpiComparison& fill = kpi(c, "stock.store/milk.fill_rate");
  CHECK(std::abs(fill.difference.mean) <= fill.difference.half_width + 1e-3);
  const KpiComparison& wh = kpi(c, "node.warehouse.revenue");
  CHECK(wh.difference.mean - wh.difference.half_width > 0);
  CHECK(kpi(c, "stock.warehouse/milk.expired").variant.mean == 0);
}

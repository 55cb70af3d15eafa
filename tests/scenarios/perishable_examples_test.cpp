// The `Expect:` lines of the perishable teaching scenario (fresh_food.yaml
// and its LIFO variant), checked under common random numbers with the
// scenario's own seed and replications; a difference is claimed only where
// its paired 95% interval excludes zero.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "tests/scenarios/expect_helpers.h"

using namespace chainsim::models;
using namespace chainsim::models::testing;

TEST_CASE("fresh_food: customers who pick the freshest leave the old cartons to expire") {
  const Comparison c = compare(scenario("fresh_food"), scenario("fresh_food_lifo"));
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

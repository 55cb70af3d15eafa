// Consignment stock (LaneSpec::consignment, docs/finance.md): the seller owns
// what it ships on the lane until the buyer uses it, invoices it then, and
// pays its holding cost at the buyer; the physical flows are those of title
// transfer. Expected values are worked out by hand from docs/timing.md.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "models/chain/spec_checks.h"
#include "models/measure/kpi.h"
#include "tests/models/chain_helpers.h"

using namespace chainsim::models;
using namespace chainsim::models::testing;
using chainsim::sim::Distribution;

namespace {

// wh (1000 on hand, no orders) -> shop at 5 a unit, transport 1, invoices at
// once and paid at the next boundary; the shop (4 of its own on hand at
// time 0, base stock 10, holding 0.5 a unit per period) sells 2 a period.
ScenarioSpec shop_on(bool consignment, int horizon = 10) {
  ScenarioSpec s;
  s.horizon = horizon;
  s.products = {product("item", 1.0, 8.0)};
  StockSpec st = stock("item", 4, base_stock(10), {from("wh")});
  st.demand = {constant_demand(2)};
  NodeSpec shop = node("shop", NodeKind::kRetailer, {st});
  shop.holding_cost = 0.5;
  s.nodes = {node("wh", NodeKind::kWarehouse, {stock("item", 1000, no_orders())}), shop};
  s.lanes = {lane("wh", "shop", 1)};
  s.lanes[0].price = 5;
  s.lanes[0].consignment = consignment;
  s.nodes[0].firm = "maker";
  s.nodes[1].firm = "retail";
  return s;
}

Audited measure(const ScenarioSpec& s) { return run_audited(s); }

std::string problems(const ScenarioSpec& s) { return spec_problems(s); }

}  // namespace

TEST_CASE("on consignment the seller invoices what the buyer sells, not what it ships, and the goods move the same") {
  // The shop reviews after its sale at t = 0 (position 2) and orders 8, then
  // 2 a period: 26 units shipped by t = 9. It sells 20: its own 4 first
  // (t = 0, 1), then 16 of the wh's.
  const Audited title = measure(shop_on(false));
  const Audited consigned = measure(shop_on(true));
  for (std::int64_t k = 0; k < 10; ++k) {
    CAPTURE(k);
    CHECK(consigned.run.at("shop", "item", k).on_hand == title.run.at("shop", "item", k).on_hand);
    CHECK(consigned.run.at("shop", "item", k).ordered == title.run.at("shop", "item", k).ordered);
  }
  CHECK(title.kpis.get("node", "shop", "cost_purchase") == doctest::Approx(26 * 5.0));
  CHECK(consigned.kpis.get("node", "shop", "cost_purchase") == doctest::Approx(16 * 5.0));
  CHECK(consigned.kpis.get("node", "wh", "revenue") == doctest::Approx(16 * 5.0));
  CHECK(consigned.kpis.get("firm", "maker", "intercompany_sales") == doctest::Approx(16 * 5.0));
  CHECK(title.kpis.get("firm", "maker", "intercompany_sales") == doctest::Approx(26 * 5.0));
  // Nothing on consignment in period 0; from period 2 on, every unit on
  // hand is the wh's (the shop's own were sold at t = 0 and 1).
  CHECK(consigned.run.at("shop", "item", 0).consigned_avg == 0);
  CHECK(consigned.run.at("shop", "item", 5).consigned_avg == doctest::Approx(consigned.run.at("shop", "item", 5).on_hand_avg));
}

TEST_CASE("on consignment the seller pays the holding cost of its units at the buyer, and the total is unchanged") {
  const Audited title = measure(shop_on(false));
  const Audited consigned = measure(shop_on(true));
  const double shop_title = title.kpis.get("node", "shop", "cost_holding");
  const double shop_consigned = consigned.kpis.get("node", "shop", "cost_holding");
  const double wh_consigned = consigned.kpis.get("node", "wh", "cost_holding");
  CHECK(shop_title > 0);
  CHECK(wh_consigned > 0);
  CHECK(title.kpis.get("node", "wh", "cost_holding") == 0);  // wh's own holding cost is 0
  CHECK(shop_consigned + wh_consigned == doctest::Approx(shop_title));
  CHECK(consigned.kpis.get("network", "", "cost_holding") == doctest::Approx(title.kpis.get("network", "", "cost_holding")));
  // The shop's own units: 2 over period 0 (4 less the 2 sold at t = 0), and
  // none after its last 2 are sold at t = 1: 0.5 x 2.
  CHECK(shop_consigned == doctest::Approx(0.5 * 2));
  CHECK(consigned.kpis.get("stock", "shop/item", "consigned_mean") > 0);
  CHECK(std::isnan(title.kpis.get("stock", "shop/item", "consigned_mean")));
}

TEST_CASE("a component bought on consignment is invoiced when the line consumes it") {
  // The plant makes 1 gadget from 1 part a period (make to order, demand 1);
  // parts come on consignment from wh: 10 used over 10 periods, 10 invoiced.
  ScenarioSpec s;
  s.horizon = 10;
  s.products = {product("part", 1.0), product("gadget", 3.0, 9.0)};
  StockSpec parts = stock("part", 0, base_stock(5), {from("wh")});
  StockSpec gadgets = stock("gadget", 0, make_to_order());
  ProductionSpec line;
  line.inputs = {{"part", 1.0}};
  line.lead_time = Distribution::constant(0.0);
  gadgets.production = line;
  gadgets.demand = {constant_demand(1)};
  s.nodes = {node("wh", NodeKind::kWarehouse, {stock("part", 1000, no_orders())}),
             node("plant", NodeKind::kFactory, {parts, gadgets})};
  s.lanes = {lane("wh", "plant", 1)};
  s.lanes[0].price = 2;
  s.lanes[0].consignment = true;
  const Audited m = measure(s);
  double consumed = 0;
  for (std::int64_t k = 0; k < 10; ++k) consumed += m.run.at("plant", "part", k).consumed;
  CHECK(consumed > 0);
  CHECK(m.kpis.get("node", "plant", "cost_purchase") == doctest::Approx(consumed * 2));
  CHECK(m.kpis.get("node", "wh", "revenue") == doctest::Approx(consumed * 2));
}

TEST_CASE("consignment of a perishable product is refused, naming the source") {
  ScenarioSpec s = shop_on(true);
  CHECK(problems(s).empty());
  s.products[0].shelf_life = Distribution::constant(5.0);
  CHECK(problems(s).find("nodes.1.stocks.0.sources.0: consignment stock of a perishable product") != std::string::npos);
}

TEST_CASE("a stock uses its consignment sellers' units in the order of its sources, and a seller pays its pipeline") {
  // Two sellers on consignment: b's units arrive first (transport 1), a's
  // later (transport 2), but a is listed first: once both hold units, a's
  // go first. The shop keeps nothing of its own.
  ScenarioSpec s;
  s.horizon = 8;
  s.products = {product("item", 1.0, 8.0)};
  StockSpec st = stock("item", 0, base_stock(6), {from("a", 0.5), from("b", 0.5)});
  st.demand = {constant_demand(2)};
  s.nodes = {node("a", NodeKind::kWarehouse, {stock("item", 100, no_orders())}),
             node("b", NodeKind::kWarehouse, {stock("item", 100, no_orders())}),
             node("shop", NodeKind::kRetailer, {st})};
  s.lanes = {lane("a", "shop", 2), lane("b", "shop", 1)};
  for (LaneSpec& l : s.lanes) {
    l.price = 5;
    l.consignment = true;
    l.holding_cost = 1;
  }
  const Audited m = measure(s);
  // The shop owes 2 at t = 0 and orders 4 from each; b's 4 arrive at 1 and
  // are sold (2 owed, 2 demanded). From t = 2 both sellers hold units and
  // a's go first: by arrival order b would be used first and invoiced more.
  const double a_sold = m.kpis.get("node", "a", "revenue") / 5, b_sold = m.kpis.get("node", "b", "revenue") / 5;
  CHECK(a_sold + b_sold == 16);  // every unit sold was a seller's
  CHECK(a_sold > b_sold);
  // The pipeline's holding cost is the sellers': the shop pays nothing.
  CHECK(m.kpis.get("node", "shop", "cost_holding") == 0);
  CHECK(m.kpis.get("node", "a", "cost_holding") > 0);
  CHECK(m.kpis.get("node", "b", "cost_holding") > 0);
}

TEST_CASE("a consignment lane cannot start with perishable units in its pipeline") {
  ScenarioSpec s = shop_on(true);
  s.products[0].shelf_life = Distribution::constant(5.0);
  s.nodes[1].stocks[0].sources.clear();
  s.nodes[1].stocks[0].policy = no_orders();
  s.lanes[0].initial_shipments = {{"item", {4.0}}};
  CHECK(problems(s).find("lanes.0.consignment: consignment stock of a perishable product") != std::string::npos);
}

TEST_CASE("units on consignment at the horizon are on the seller's books, and an outside seller's off the network's") {
  // At the horizon the shop holds its base stock's worth less the period's
  // sale, all of it the wh's (product unit cost 1, so salvage value 1).
  const Audited title = measure(shop_on(false));
  const Audited consigned = measure(shop_on(true));
  const double on_hand = consigned.run.at("shop", "item", 9).on_hand;
  REQUIRE(on_hand > 0);
  CHECK(title.run.at("shop", "item", 9).on_hand == on_hand);
  CHECK(title.kpis.get("node", "shop", "inventory_value_end") == doctest::Approx(on_hand));
  CHECK(consigned.kpis.get("node", "shop", "inventory_value_end") == doctest::Approx(0));
  CHECK(consigned.kpis.get("node", "wh", "consigned_value_end") == doctest::Approx(on_hand));
  CHECK(consigned.kpis.get("node", "wh", "inventory_value_end") ==
        doctest::Approx(title.kpis.get("node", "wh", "inventory_value_end") + on_hand));
  CHECK(std::isnan(title.kpis.get("node", "wh", "consigned_value_end")));  // no consignment lane: not reported
  // Between own nodes the network's inventory is the same; a supplier
  // outside the network that consigns keeps its units off the network's books.
  CHECK(consigned.kpis.get("network", "", "inventory_value_end") ==
        doctest::Approx(title.kpis.get("network", "", "inventory_value_end")));
  ScenarioSpec outside = shop_on(true);
  outside.nodes[0] = node("wh", NodeKind::kSupplier);
  outside.nodes[0].firm.reset();
  const Audited from_outside = measure(outside);
  const double held = from_outside.run.at("shop", "item", 9).on_hand;
  CHECK(from_outside.kpis.get("node", "wh", "consigned_value_end") == doctest::Approx(held));
  CHECK(from_outside.kpis.get("network", "", "inventory_value_end") == doctest::Approx(0));
}

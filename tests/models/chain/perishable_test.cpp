// Perishable products (models/chain/perishable.h, docs/perishables.md): the
// batches by expiry, the issuing rules, expiry at the boundaries, the age a
// shipment carries between stocks, the waste KPIs and cost, and the errors
// for bad input. Expected values are worked out by hand from docs/timing.md.
#include <doctest/doctest.h>

#include <cmath>

#include "models/chain/perishable.h"
#include "models/chain/spec_checks.h"
#include "models/measure/kpi.h"
#include "tests/models/chain_helpers.h"

using namespace chainsim::models;
using namespace chainsim::models::testing;
using chainsim::sim::Distribution;

namespace {

std::vector<AgeBatch> taken(AgeBatches& b, Qty q) {
  std::vector<AgeBatch> out;
  b.take(q, &out);
  return out;
}

// A shop selling 2 a period from 6 units that expire at t = 4, with 6 fresh
// units (lasting 4 periods from arrival) arriving at t = 1 from a supplier.
ScenarioSpec fresh_shop(Issuing rule, int horizon = 6) {
  ScenarioSpec s;
  s.horizon = horizon;
  s.products = {product("milk", 1.0, 3.0)};
  s.products[0].shelf_life = Distribution::constant(4.0);
  s.products[0].disposal_cost = 0.5;
  StockSpec st = stock("milk", 6, plan_orders({6}), {from("dairy")});
  st.demand = {constant_demand(2)};
  st.issuing = rule;
  NodeSpec shop = node("shop", NodeKind::kRetailer, {st});
  shop.unmet_demand = UnmetDemand::kLost;
  s.nodes = {node("dairy", NodeKind::kSupplier), shop};
  s.lanes = {lane("dairy", "shop", 1)};
  return s;
}

double expired_total(const Run& r, const std::string& node, const std::string& product) {
  double total = 0.0;
  for (std::int64_t k = 0; k < r.net->horizon(); ++k) total += r.at(node, product, k).expired;
  return total;
}

}  // namespace

TEST_CASE("age batches issue first in first out, first expired first out, or freshest first") {
  for (const Issuing rule : {Issuing::kFifo, Issuing::kFefo, Issuing::kLifo}) {
    CAPTURE(name_of(rule));
    AgeBatches b(rule);
    b.add(3, 10.0);  // arrival order: expiries 10, 6, 8
    b.add(2, 6.0);
    b.add(4, 8.0);
    CHECK(b.total() == 9);
    CHECK(b.next_expiry() == 6.0);
    const std::vector<AgeBatch> out = taken(b, 4);
    REQUIRE(out.size() == (rule == Issuing::kLifo ? 1u : 2u));
    if (rule == Issuing::kFifo) {
      CHECK(out[0].expires == 10.0);
      CHECK(out[0].qty == 3);
      CHECK(out[1].expires == 6.0);
      CHECK(out[1].qty == 1);
    } else if (rule == Issuing::kFefo) {
      CHECK(out[0].expires == 6.0);
      CHECK(out[0].qty == 2);
      CHECK(out[1].expires == 8.0);
      CHECK(out[1].qty == 2);
    } else {
      CHECK(out[0].expires == 8.0);
      CHECK(out[0].qty == 4);  // all from the last batch in
    }
    CHECK(b.total() == 5);
  }
}

TEST_CASE("age batches outdate every unit at or past its expiry, and no other") {
  AgeBatches b(Issuing::kFifo);
  b.add(3, 5.0);
  b.add(2, 4.0);
  b.add(1.5, 7.0);
  CHECK(b.expire(3.99) == 0.0);
  CHECK(b.expire(5.0) == 5.0);  // expiry at exactly now counts
  CHECK(b.total() == 1.5);
  CHECK(b.next_expiry() == 7.0);
  CHECK(b.take(10, nullptr) == 1.5);  // no more than there is
  CHECK(b.total() == 0.0);
  CHECK(std::isinf(b.next_expiry()));
  b.add(0.0, 1.0);  // nothing to keep
  CHECK(b.size() == 0);
}

SCENARIO("a shop's perishable stock: what the issuing rule sells decides what expires") {
  GIVEN("first in first out: the old units sell before they expire") {
    const Run r = run(fresh_shop(Issuing::kFifo));
    // t0..t2 sell the 6 old units; t3, t4 sell 4 of the 6 new ones, which
    // expire at t = 5 (arrived at 1, lasting 4): 2 expire then.
    for (int k = 0; k < 5; ++k) CHECK(r.at("shop", "milk", k).expired == 0);
    CHECK(r.at("shop", "milk", 5).expired == 2);
    CHECK(r.at("shop", "milk", 5).on_hand == 0);
    CHECK(r.at("shop", "milk", 5).lost == 2);
  }
  GIVEN("last in first out (customers pick the freshest): the old units are left to expire") {
    const Run r = run(fresh_shop(Issuing::kLifo));
    // t0 sells 2 old (4 left); t1..t3 sell the 6 new; at t = 4 the 4 old expire.
    CHECK(r.at("shop", "milk", 3).on_hand == 4);
    CHECK(r.at("shop", "milk", 4).expired == 4);
    CHECK(r.at("shop", "milk", 4).lost == 2);
    CHECK(expired_total(r, "shop", "milk") == 4);
  }
  GIVEN("first expired first out: here the same as first in first out") {
    const Run r = run(fresh_shop(Issuing::kFefo));
    CHECK(expired_total(r, "shop", "milk") == 2);
  }
  THEN("expiry is booked: the disposal cost in cash, the units out of the audit") {
    const Run r = run(fresh_shop(Issuing::kLifo));
    CHECK(r.cost("shop", CostKind::kWaste, 4) == doctest::Approx(4 * 0.5));
    CHECK(r.net->unit_totals().expired == 4);
    CHECK_NOTHROW(r.net->audit());
  }
}

TEST_CASE("a shipment between stocks carries its units' expiry: the clock runs in transit") {
  // The warehouse's 20 units (on hand at 0, lasting 5) are shipped 10 to the
  // shop at t = 0, arriving at t = 2; nobody buys: 10 expire at each stock at 5.
  ScenarioSpec s;
  s.horizon = 7;
  s.products = {product("fish")};
  s.products[0].shelf_life = Distribution::constant(5.0);
  s.nodes = {node("wh", NodeKind::kWarehouse, {stock("fish", 20, no_orders())}),
             node("shop", NodeKind::kRetailer, {stock("fish", 0, plan_orders({10}), {from("wh")})})};
  s.lanes = {lane("wh", "shop", 2)};
  const Run r = run(s);
  CHECK(r.at("shop", "fish", 2).received == 10);
  CHECK(r.at("shop", "fish", 4).on_hand == 10);
  CHECK(r.at("shop", "fish", 5).expired == 10);
  CHECK(r.at("wh", "fish", 5).expired == 10);
  AND_WHEN("the trip outlasts the shelf life, the units arrive outdated and are thrown away at once") {
    s.lanes[0].transport_time = Distribution::constant(6.0);
    const Run late = run(s);
    CHECK(late.at("shop", "fish", 6).received == 10);
    CHECK(late.at("shop", "fish", 6).expired == 10);
    CHECK(late.at("shop", "fish", 6).on_hand == 0);
  }
}

TEST_CASE("the waste KPIs: expired units, the share of the shelf's outflow, their value") {
  KpiCollector kpi;
  auto net = build_network(fresh_shop(Issuing::kLifo), 1, 0);
  net->add_sink(&kpi);
  net->run();
  const KpiSet k = kpi.finish();
  CHECK(k.get("stock", "shop/milk", "expired") == 4);
  // 8 sold, 4 expired.
  CHECK(k.get("stock", "shop/milk", "waste_share") == doctest::Approx(4.0 / 12.0));
  CHECK(k.get("network", "", "expired") == 4);
  CHECK(k.get("network", "", "waste_value") == doctest::Approx(4 * (1.0 + 0.5)));
  CHECK(k.get("network", "", "cost_waste") == doctest::Approx(2.0));
  CHECK(k.get("node", "shop", "cost_waste") == doctest::Approx(2.0));
}

TEST_CASE("a product that keeps reports no waste KPIs and runs as before") {
  ScenarioSpec s = fresh_shop(Issuing::kFifo);
  s.products[0].shelf_life.reset();
  s.products[0].disposal_cost = 0.0;
  s.nodes[1].stocks[0].issuing.reset();
  KpiCollector kpi;
  auto net = build_network(s, 1, 0);
  net->add_sink(&kpi);
  net->run();
  const KpiSet k = kpi.finish();
  CHECK(std::isnan(k.get("stock", "shop/milk", "expired")));
  CHECK(std::isnan(k.get("network", "", "cost_waste")));
  CHECK(net->unit_totals().expired == 0);
}

TEST_CASE("perishables in production: components expire, and the line issues them by the rule") {
  // Cream lasts 2 periods; the plant turns 1 cream into 1 butter (which keeps)
  // on demand for butter of 1 a period: of 5 cream on hand at 0, 2 are used
  // (t0, t1) and 3 expire at t = 2.
  ScenarioSpec s;
  s.horizon = 4;
  s.products = {product("cream"), product("butter")};
  s.products[0].shelf_life = Distribution::constant(2.0);
  StockSpec butter = stock("butter", 0, make_to_order());
  ProductionSpec line;
  line.inputs = {{"cream", 1.0}};
  line.lead_time = Distribution::constant(0.0);
  butter.production = line;
  butter.demand = {constant_demand(1)};
  s.nodes = {node("plant", NodeKind::kFactory, {stock("cream", 5, no_orders()), butter})};
  const Run r = run(s);
  CHECK(r.at("plant", "cream", 2).expired == 3);
  CHECK(r.at("plant", "cream", 1).consumed == 1);
  CHECK(r.net->unit_totals().expired == 3);
}

TEST_CASE("bad perishable input is refused, naming the key") {
  auto problems = [](const ScenarioSpec& s) {
    std::string all;
    for (const SpecIssue& i : check_spec(s)) all += i.path + ": " + i.message + "\n";
    return all;
  };
  ScenarioSpec s = fresh_shop(Issuing::kFifo);
  CHECK(problems(s).empty());
  s.products[0].shelf_life = Distribution::constant(0.0);
  CHECK(problems(s).find("products.0.shelf_life: must have a mean above 0") != std::string::npos);
  s.products[0].shelf_life.reset();
  CHECK(problems(s).find("products.0.disposal_cost: applies to a perishable product") != std::string::npos);
  CHECK(problems(s).find("nodes.1.stocks.0.issuing: applies to a perishable product") != std::string::npos);
  s = fresh_shop(Issuing::kFifo);
  s.nodes[1].stocks[0].returns = ReturnsSpec{};
  CHECK(problems(s).find("nodes.1.stocks.0.returns: returns of a perishable product") != std::string::npos);
}

TEST_CASE("a shipment's batches are put away oldest first, whatever order the seller issued them in") {
  // The warehouse (LIFO) holds 4 units expiring at 6 and, from t = 1, 4 more
  // expiring at 7; it ships all 8 at t = 1, freshest first. The store (FIFO)
  // sells 1 a period from t = 2: it must sell the units expiring at 6 first,
  // so none expire at 6 and 3 of the others at 7.
  ScenarioSpec s;
  s.horizon = 9;
  s.products = {product("yoghurt")};
  s.products[0].shelf_life = Distribution::constant(6.0);
  StockSpec wh = stock("yoghurt", 4, plan_orders({4}), {from("dairy")});
  wh.issuing = Issuing::kLifo;
  StockSpec st = stock("yoghurt", 0, plan_orders({0, 8}), {from("wh")});
  st.demand = {constant_demand(1)};
  NodeSpec shop = node("shop", NodeKind::kRetailer, {st});
  shop.unmet_demand = UnmetDemand::kLost;
  s.nodes = {node("dairy", NodeKind::kSupplier), node("wh", NodeKind::kWarehouse, {wh}), shop};
  s.lanes = {lane("dairy", "wh", 1), lane("wh", "shop", 1)};
  const Run r = run(s);
  CHECK(r.at("shop", "yoghurt", 2).received == 8);
  CHECK(r.at("shop", "yoghurt", 6).expired == 0);
  CHECK(r.at("shop", "yoghurt", 7).expired == 3);
}

TEST_CASE("a shelf life of m periods lasts m periods when the period is not a whole number") {
  // The same shop in days and in tenths of a day: a unit lasting 2 periods
  // is outdated at the second boundary after it is put away in both, so as
  // many expire. (Which period records an expiry can differ by one: in
  // tenths a shipment can arrive an ulp before the boundary it is due at.)
  auto shop = [](double period) {
    ScenarioSpec s;
    s.horizon = 100;
    s.period = period;
    s.products = {product("bread")};
    s.products[0].shelf_life = Distribution::constant(2 * period);
    StockSpec st = stock("bread", 1, base_stock(3), {from("bakery")});
    st.demand = {constant_demand(1)};
    NodeSpec n = node("shop", NodeKind::kRetailer, {st});
    n.unmet_demand = UnmetDemand::kLost;
    s.nodes = {node("bakery", NodeKind::kSupplier), n};
    s.lanes = {lane("bakery", "shop", period)};
    return s;
  };
  const Run days = run(shop(1.0));
  const Run tenths = run(shop(0.1));
  double a = 0, b = 0, sold_a = 0, sold_b = 0;
  for (int k = 0; k < 100; ++k) {
    CAPTURE(k);
    a += days.at("shop", "bread", k).expired;
    b += tenths.at("shop", "bread", k).expired;
    CHECK(std::abs(a - b) <= 1);
    sold_a += days.at("shop", "bread", k).shipped;
    sold_b += tenths.at("shop", "bread", k).shipped;
  }
  CHECK(a > 10);
  CHECK(a == b);
  CHECK(sold_a == sold_b);
}

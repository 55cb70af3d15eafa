// Returns centres (models/chain/recovery.h, docs/returns.md): customer
// returns sent to a centre, graded into routes by their shares, the lines'
// capacity and yield, recovered units reaching their stock, the costs and
// the recycler's cash, the KPIs, the audits, and the errors for bad input.
// Expected values are worked out by hand from docs/timing.md: sales at the
// boundaries t = 0 .. 9, returns arriving one period later.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "models/chain/spec_checks.h"
#include "models/measure/kpi.h"
#include "models/scenario/loader.h"
#include "tests/models/chain_helpers.h"

using namespace chainsim::models;
using namespace chainsim::models::testing;
using chainsim::sim::Distribution;

namespace {

RecoveryRouteSpec route(RecoveryRoute r, double share, const std::string& to = "", double lead = 0.0) {
  RecoveryRouteSpec s;
  s.route = r;
  s.share = share;
  s.to = to;
  s.lead_time = Distribution::constant(lead);
  return s;
}

// A store selling `sold` a period from a large stock (price 10, unit cost 4),
// `fraction` of it coming back one period later to the returns centre `hub`
// (a warehouse holding the product, nothing on hand), which grades it by
// `routes` at 0.5 a unit inspected and 0.25 a unit scrapped.
ScenarioSpec returns_network(std::vector<RecoveryRouteSpec> routes, double sold = 2.5, double fraction = 0.4,
                             int horizon = 10) {
  ScenarioSpec s;
  s.horizon = horizon;
  s.products = {product("item", 4.0, 10.0)};
  StockSpec st = stock("item", 1000, no_orders());
  st.demand = {constant_demand(sold)};
  ReturnsSpec back;
  back.fraction = fraction;
  back.delay = Distribution::constant(1.0);
  back.to = "hub";
  st.returns = back;
  NodeSpec hub = node("hub", NodeKind::kWarehouse, {stock("item", 0, no_orders())});
  RecoverySpec grading;
  grading.product = "item";
  grading.inspection_cost = 0.5;
  grading.scrap_cost = 0.25;
  grading.routes = std::move(routes);
  hub.recovery = {grading};
  s.nodes = {hub, node("store", NodeKind::kRetailer, {st})};
  return s;
}

double net_kpi(const Audited& a, const std::string& kpi) { return a.kpis.get("network", "", kpi); }

std::string problems(const ScenarioSpec& s) { return spec_problems(s); }

}  // namespace

TEST_CASE("returns resold as new reach their stock after the route's lead time, refunded at the store") {
  // 1 unit returns each period from t = 1 and is graded at once; back in the
  // hub's stock 2 later: the ones graded at 1 .. 7 are there by t = 9.
  const Audited a = run_audited(returns_network({route(RecoveryRoute::kResell, 1.0, "hub", 2.0)}));
  CHECK(net_kpi(a, "returned") == 9);
  CHECK(net_kpi(a, "return_rate") == doctest::Approx(9.0 / 25.0));
  CHECK(net_kpi(a, "graded") == 9);
  CHECK(net_kpi(a, "route_resell") == 1);
  CHECK(net_kpi(a, "route_scrap") == 0);
  CHECK(net_kpi(a, "recovery_rate") == 1);
  CHECK(net_kpi(a, "restocked_recovered") == 7);
  CHECK(net_kpi(a, "restock_time_mean") == doctest::Approx(2.0));
  CHECK(net_kpi(a, "value_recovered") == doctest::Approx(7 * 4.0));
  CHECK(net_kpi(a, "reverse_cost") == doctest::Approx(9 * 0.5));
  CHECK(a.run.at("hub", "item", 9).on_hand == 7);
  CHECK(a.run.net->unit_totals().in_recovery == 2);
  // The store refunds the price; the hub pays the inspection.
  CHECK(a.kpis.get("node", "store", "cost_returns") == doctest::Approx(9 * 10.0));
  CHECK(a.kpis.get("node", "hub", "cost_returns") == doctest::Approx(9 * 0.5));
  CHECK(a.run.at("store", "item", 9).on_hand == 1000 - 25);
}

TEST_CASE("graded units split by the routes' shares, a line's yield scraps the rest, each route costs and pays") {
  // 2.5 sold a period, half of it back: 1.25 a period, not whole units, so
  // each route takes exactly its share of what the ones before it left.
  std::vector<RecoveryRouteSpec> routes = {
      route(RecoveryRoute::kResell, 0.4, "hub"), route(RecoveryRoute::kRefurbish, 0.3, "hub", 1.0),
      route(RecoveryRoute::kRemanufacture, 0.1, "store"), route(RecoveryRoute::kRecycle, 0.1),
      route(RecoveryRoute::kScrap, 0.1)};
  routes[0].cost = 0.1;
  routes[1].cost = 2.0;
  routes[1].yield = 0.5;
  routes[2].cost = 3.0;
  routes[3].value = 1.5;
  const Audited a = run_audited(returns_network(routes, 2.5, 0.5));
  const double graded = 9 * 1.25;
  CHECK(net_kpi(a, "graded") == doctest::Approx(graded));
  CHECK(net_kpi(a, "route_resell") == doctest::Approx(0.4));
  CHECK(net_kpi(a, "route_refurbish") == doctest::Approx(0.3 * 0.5));
  CHECK(net_kpi(a, "route_remanufacture") == doctest::Approx(0.1));
  CHECK(net_kpi(a, "route_recycle") == doctest::Approx(0.1));
  CHECK(net_kpi(a, "route_scrap") == doctest::Approx(0.1 + 0.3 * 0.5));
  CHECK(net_kpi(a, "recovery_rate") == doctest::Approx(1 - 0.25));
  // Per unit graded: inspection 0.5; route costs 0.4 x 0.1 + 0.3 x 2 + 0.1 x 3;
  // scrapping 0.25 x (0.1 + 0.15).
  const double per_unit = 0.5 + 0.04 + 0.6 + 0.3 + 0.25 * 0.25;
  CHECK(net_kpi(a, "reverse_cost") == doctest::Approx(graded * per_unit));
  CHECK(a.kpis.get("node", "hub", "cost_returns") == doctest::Approx(graded * per_unit));
  // The recycler pays the hub in cash: revenue from outside the network.
  CHECK(a.kpis.get("node", "hub", "revenue") == doctest::Approx(graded * 0.1 * 1.5));
  // Resold and remanufactured units are back at once, refurbished ones a
  // period later (the last graded at t = 9 is still on its way).
  const double restocked = graded * (0.4 + 0.1) + 8 * 1.25 * 0.15;
  CHECK(net_kpi(a, "restocked_recovered") == doctest::Approx(restocked));
  CHECK(net_kpi(a, "restock_time_mean") == doctest::Approx(8 * 1.25 * 0.15 / restocked));
  CHECK(net_kpi(a, "value_recovered") == doctest::Approx(restocked * 4 + graded * 0.1 * 1.5));
  CHECK(a.run.at("hub", "item", 9).on_hand == doctest::Approx(graded * 0.4 + 8 * 1.25 * 0.15));
}

TEST_CASE("a line with a capacity works through its units in turn: the queue lengthens the time to restock") {
  // 1 unit a period to a refurbishing line that does half a unit a period:
  // the units graded at t = 1, 2, 3, 4 are done at 3, 5, 7, 9 (waits 2 .. 5).
  std::vector<RecoveryRouteSpec> routes = {route(RecoveryRoute::kRefurbish, 1.0, "hub")};
  routes[0].capacity = 0.5;
  const Audited a = run_audited(returns_network(routes));
  CHECK(net_kpi(a, "graded") == 9);
  CHECK(net_kpi(a, "restocked_recovered") == 4);
  CHECK(net_kpi(a, "restock_time_mean") == doctest::Approx((2 + 3 + 4 + 5) / 4.0));
  CHECK(a.run.net->unit_totals().in_recovery == 5);
  routes[0].capacity = kInfinity;
  const Audited b = run_audited(returns_network(routes));
  CHECK(net_kpi(b, "restocked_recovered") == 9);
  CHECK(net_kpi(b, "restock_time_mean") == 0);
}

TEST_CASE("whole units split by binomial draws: the route shares converge to the shares, and the audits hold") {
  // Poisson(20) sales, 10% back: about 2,000 units graded over 1,000 periods.
  std::vector<RecoveryRouteSpec> routes = {route(RecoveryRoute::kResell, 0.5, "hub", 1.0),
                                           route(RecoveryRoute::kRefurbish, 0.3, "store", 2.0),
                                           route(RecoveryRoute::kScrap, 0.2)};
  routes[1].yield = 0.9;
  ScenarioSpec s = returns_network(routes, 0, 0.1, 1000);
  s.nodes[1].stocks[0].demand = {poisson_demand(20)};
  s.nodes[1].stocks[0].initial = 1e6;
  const Audited a = run_audited(s, 7);
  const double graded = net_kpi(a, "graded");
  CHECK(graded == std::floor(graded));
  CHECK(graded > 1800);
  // Each share is a binomial proportion of the units graded: within 4 standard errors.
  for (const auto& route_share : {std::pair{"route_resell", 0.5}, std::pair{"route_refurbish", 0.3 * 0.9},
                                  std::pair{"route_scrap", 0.2 + 0.3 * 0.1}}) {
    const char* kpi = route_share.first;  // not a structured binding: CAPTURE takes it by reference
    const double p = route_share.second;
    CAPTURE(kpi);
    CHECK(std::abs(net_kpi(a, kpi) - p) < 4 * std::sqrt(p * (1 - p) / graded));
  }
  double shares = 0;
  for (const char* r : {"route_resell", "route_refurbish", "route_remanufacture", "route_recycle", "route_scrap"}) {
    shares += net_kpi(a, r);
  }
  CHECK(shares == doctest::Approx(1.0));
  // Same seed, same draws: the run is reproducible.
  const Audited again = run_audited(s, 7);
  CHECK(net_kpi(again, "graded") == graded);
  CHECK(net_kpi(again, "route_resell") == net_kpi(a, "route_resell"));
}

TEST_CASE("a store that is its own returns centre gets its resold units back the same instant") {
  ScenarioSpec s = returns_network({route(RecoveryRoute::kResell, 1.0, "store")});
  s.nodes[1].recovery = s.nodes[0].recovery;
  s.nodes[0].recovery.clear();
  s.nodes[1].stocks[0].returns->to = "store";
  CHECK(problems(s).empty());
  const Audited a = run_audited(s);
  CHECK(net_kpi(a, "restocked_recovered") == 9);
  CHECK(net_kpi(a, "restock_time_mean") == 0);
  CHECK(a.run.at("store", "item", 9).on_hand == 1000 - 25 + 9);
}

TEST_CASE("returns kept at the stock report no reverse-flow KPIs") {
  ScenarioSpec s = returns_network({route(RecoveryRoute::kScrap, 1.0)});
  s.nodes[1].stocks[0].returns->to.clear();
  s.nodes[0].recovery.clear();
  const Audited a = run_audited(s);
  CHECK(std::isnan(net_kpi(a, "graded")));
  CHECK(std::isnan(net_kpi(a, "return_rate")));
  CHECK(a.run.net->unit_totals().graded == 0);
  CHECK(a.run.net->unit_totals().restocked == 9);
}

TEST_CASE("bad returns-centre input is refused, naming the key") {
  const ScenarioSpec good = returns_network({route(RecoveryRoute::kResell, 0.5, "hub"), route(RecoveryRoute::kScrap, 0.5)});
  CHECK(problems(good).empty());
  ScenarioSpec s = good;
  s.nodes[0].recovery[0].routes[1].share = 0.4;
  CHECK(problems(s).find("nodes.0.recovery.0.routes: the shares must sum to 1 (got 0.9)") != std::string::npos);
  s = good;
  s.nodes[0].recovery[0].routes[0].to.clear();
  CHECK(problems(s).find("nodes.0.recovery.0.routes.0.to: required: the node whose stock the resell units go back to") !=
        std::string::npos);
  s = good;
  s.nodes[0].recovery[0].routes[0].to = "nowhere";
  CHECK(problems(s).find("nodes.0.recovery.0.routes.0.to: no node with id 'nowhere'") != std::string::npos);
  s = good;
  s.nodes[0].stocks.clear();
  CHECK(problems(s).find("nodes.0.recovery.0.routes.0.to: node 'hub' has no stock of 'item'") != std::string::npos);
  s = good;
  s.nodes[0].recovery[0].routes.clear();
  CHECK(problems(s).find("nodes.0.recovery.0.routes: at least one route is needed") != std::string::npos);
  s = good;
  s.nodes[0].recovery.push_back(s.nodes[0].recovery[0]);
  CHECK(problems(s).find("nodes.0.recovery.1.product: node 'hub' already grades 'item'") != std::string::npos);
  s = good;
  s.nodes[1].stocks[0].returns->to = "store";
  CHECK(problems(s).find("nodes.1.stocks.0.returns.to: node 'store' has no recovery for product 'item'") !=
        std::string::npos);
  s = good;
  s.nodes[1].stocks[0].returns->restock_fraction = 0.5;
  CHECK(problems(s).find("nodes.1.stocks.0.returns.to: restock_fraction and scrap_cost apply to returns kept") !=
        std::string::npos);
  s = good;
  s.nodes[0].kind = NodeKind::kSupplier;
  CHECK(problems(s).find("nodes.0.recovery: a supplier is not a returns centre") != std::string::npos);
  s = good;
  s.products[0].shelf_life = Distribution::constant(5.0);
  CHECK(problems(s).find("nodes.0.recovery.0.product: product 'item' is perishable") != std::string::npos);
  s = good;
  s.nodes[0].recovery[0].routes[0].yield = 1.5;
  CHECK(problems(s).find("nodes.0.recovery.0.routes.0.yield: must be in [0, 1] (got 1.5)") != std::string::npos);
}

TEST_CASE("a route key that belongs to other routes is refused with its file, line and key") {
  const std::string text = R"(name: t
horizon: 4
products: [{id: item, unit_cost: 1, price: 2}]
nodes:
  - id: hub
    product: item
    policy: {type: none}
    recovery:
      - product: item
        routes:
          - {type: resell, share: 1, to: hub, value: 3}
  - id: store
    kind: retailer
    product: item
    initial: 10
    policy: {type: none}
    demand: {type: constant, value: 1}
    returns: {fraction: 0.5, to: hub}
)";
  try {
    load_scenario_text(text, "r.yaml", ".");
    FAIL("the loader accepted a recycler's value on a resell route");
  } catch (const std::exception& e) {
    const std::string what = e.what();
    CAPTURE(what);
    CHECK(what.find("r.yaml:11:") != std::string::npos);
    CHECK(what.find("routes.0.value: does not apply to route type resell") != std::string::npos);
  }
  std::string ok = text;
  ok.replace(ok.find(", value: 3"), 10, "");
  CHECK_NOTHROW(load_scenario_text(ok, "r.yaml", "."));
}

TEST_CASE("a segment returns its purchases at the stock's fraction times its return_factor") {
  // The store's customers are a segment of 100 ordering 0.2 a period each
  // (Poisson(20) a period, one unit an order); the stock's fraction is 0.4.
  auto with_factor = [](double factor) {
    ScenarioSpec s = returns_network({route(RecoveryRoute::kScrap, 1.0)}, 0, 0.4, 400);
    s.nodes[1].stocks[0].demand.clear();
    s.nodes[1].stocks[0].initial = 1e6;
    SegmentSpec g;
    g.id = "buyers";
    g.size = 100;
    g.channels = {{"store", "", std::nullopt}};
    g.orders.rate = 0.2;
    g.return_factor = factor;
    s.customers = {g};
    return run_audited(s, 5);
  };
  CHECK(net_kpi(with_factor(0.0), "returned") == 0);
  const Audited twice = with_factor(2.0);
  const double sold = net_kpi(twice, "returned") / net_kpi(twice, "return_rate");
  CHECK(sold > 7000);
  // 0.8 of each sale comes back (binomial): within 4 standard errors, less
  // the sales of the last period, whose returns arrive after the horizon.
  CHECK(std::abs(net_kpi(twice, "return_rate") - 0.8) < 4 * std::sqrt(0.8 * 0.2 / sold) + 25 / sold);
  // Capped at 1: every unit comes back.
  const Audited all = with_factor(5.0);
  CHECK(net_kpi(all, "returned") == doctest::Approx(net_kpi(all, "returned") / net_kpi(all, "return_rate") -
                                                   all.run.at("store", "item", 399).customer_demand));
}

TEST_CASE("sending returns to a centre leaves the returns' own draws in step (common random numbers)") {
  // The same store with and without a centre: the same units come back in
  // the same periods, although only one of them grades.
  ScenarioSpec with = returns_network({route(RecoveryRoute::kScrap, 1.0)}, 0, 0.3, 60);
  with.nodes[1].stocks[0].demand = {poisson_demand(10)};
  ScenarioSpec without = with;
  without.nodes[1].stocks[0].returns->to.clear();
  without.nodes[0].recovery.clear();
  const Audited a = run_audited(with, 3), b = run_audited(without, 3);
  double total = 0;
  for (std::int64_t k = 0; k < 60; ++k) {
    CAPTURE(k);
    CHECK(a.run.at("store", "item", k).returned == b.run.at("store", "item", k).returned);
    total += a.run.at("store", "item", k).returned;
  }
  CHECK(total > 100);
}

TEST_CASE("a returns centre that is down holds the returns at its gate and grades them when it is back") {
  // Down from t = 2 to t = 5 with shipments held: the returns of the sales
  // at 1 .. 3 (arriving at 2 .. 4) are graded together at 5.
  ScenarioSpec s = returns_network({route(RecoveryRoute::kResell, 1.0, "hub")});
  EventSpec down;
  down.id = "closed";
  down.at = 2;
  down.duration = 3;
  down.action = ActionKind::kNodeDown;
  down.node = "hub";
  down.in_transit = InTransit::kHold;
  s.events = {down};
  const Audited a = run_audited(s);
  CHECK(a.run.at("store", "item", 1).returned == 1);
  for (std::int64_t k = 2; k < 5; ++k) CHECK(a.run.at("store", "item", k).returned == 0);
  CHECK(a.run.at("store", "item", 5).returned == 4);
  CHECK(a.run.at("hub", "item", 4).on_hand == 1);
  CHECK(a.run.at("hub", "item", 5).on_hand == 5);
  CHECK(net_kpi(a, "graded") == 9);
}

TEST_CASE("a returns centre or a route's stock named by a node group is refused: name a member") {
  const std::string text = R"(name: t
horizon: 4
products: [{id: item, unit_cost: 1, price: 2}]
nodes:
  - id: hub
    count: 2
    product: item
    policy: {type: none}
    recovery:
      - product: item
        routes: [{type: resell, share: 1, to: hub}]
  - id: store
    kind: retailer
    product: item
    initial: 10
    policy: {type: none}
    demand: {type: constant, value: 1}
    returns: {fraction: 0.5, to: hub}
)";
  try {
    load_scenario_text(text, "g.yaml", ".");
    FAIL("the loader accepted a returns centre named by a group");
  } catch (const std::exception& e) {
    const std::string what = e.what();
    CAPTURE(what);
    CHECK(what.find("returns.to: 'hub' is a node group: name one of its members (hub_1, hub_2, ...)") !=
          std::string::npos);
    CHECK(what.find("routes.0.to: 'hub' is a node group") != std::string::npos);
  }
  std::string ok = text;
  ok.replace(ok.find("to: hub}]"), 7, "to: hub_1");
  ok.replace(ok.find("to: hub}\n"), 7, "to: hub_2");
  CHECK_NOTHROW(load_scenario_text(ok, "g.yaml", "."));
}

TEST_CASE("units sent back to their vendor leave the network, and its credit note reaches the centre later") {
  // Every graded unit (1 a period from t = 1) goes back to the wh at 0.5 a
  // unit, for a credit note of 3 arriving 2 later: 9 sent, 7 credited by t = 9.
  ScenarioSpec s = returns_network({route(RecoveryRoute::kVendor, 1.0, "wh")});
  s.nodes.push_back(node("wh", NodeKind::kWarehouse, {stock("item", 50, no_orders())}));
  s.nodes[0].recovery[0].routes[0].cost = 0.5;
  s.nodes[0].recovery[0].routes[0].credit = 3;
  s.nodes[0].recovery[0].routes[0].credit_delay = 2;
  CHECK(problems(s).empty());
  const Audited a = run_audited(s);
  CHECK(net_kpi(a, "route_vendor") == 1);
  CHECK(net_kpi(a, "recovery_rate") == 1);
  CHECK(net_kpi(a, "restocked_recovered") == 0);
  CHECK(net_kpi(a, "value_recovered") == doctest::Approx(7 * 3.0));
  CHECK(net_kpi(a, "reverse_cost") == doctest::Approx(9 * (0.5 + 0.5)));
  // The vendor pays the credit notes as it sends them; the centre's
  // cost_returns is lower by those that arrived.
  CHECK(a.kpis.get("node", "wh", "cost_returns") == doctest::Approx(9 * 3.0));
  CHECK(a.kpis.get("node", "hub", "cost_returns") == doctest::Approx(9 * 1.0 - 7 * 3.0));
  CHECK(a.run.net->unit_totals().disposed == 9);
  CHECK(a.run.at("wh", "item", 9).on_hand == 50);  // the units leave the network: no stock takes them
  ScenarioSpec bad = s;
  bad.nodes[0].recovery[0].routes[0].to = "store";
  bad.products.push_back(product("other"));
  bad.nodes[1].stocks[0].product = "other";
  CHECK(problems(bad).find("nodes.0.recovery.0.routes.0.to: node 'store' neither supplies nor holds 'item'") !=
        std::string::npos);
  bad = s;
  bad.nodes[0].recovery[0].routes[0].to.clear();
  CHECK(problems(bad).find("nodes.0.recovery.0.routes.0.to: required: the vendor the units go back to") !=
        std::string::npos);
}

TEST_CASE("recovered units re-enter stock as the grade their route names, valued as that product") {
  // The refurbished units go to the hub's stock of `item_refurb` (unit cost
  // 2.5), not back to `item`: 1 a period graded from t = 1, through a line
  // with a yield of 1, back 2 later: 7 by t = 9, worth 2.5 each.
  ScenarioSpec s = returns_network({route(RecoveryRoute::kRefurbish, 1.0, "hub", 2.0)});
  s.products.push_back(product("item_refurb", 2.5, 7.0));
  s.nodes[0].stocks.push_back(stock("item_refurb", 0, no_orders()));
  s.nodes[0].recovery[0].routes[0].product = "item_refurb";
  CHECK(problems(s).empty());
  const Audited a = run_audited(s);
  CHECK(a.run.at("hub", "item_refurb", 9).on_hand == 7);
  CHECK(a.run.at("hub", "item", 9).on_hand == 0);
  CHECK(net_kpi(a, "restocked_recovered") == 7);
  CHECK(net_kpi(a, "value_recovered") == doctest::Approx(7 * 2.5));
  CHECK(a.kpis.get("stock", "hub/item_refurb", "on_hand_mean") > 0);
  // The grade must exist, be held at `to`, and not be perishable.
  ScenarioSpec bad = s;
  bad.nodes[0].recovery[0].routes[0].product = "open_box";
  CHECK(problems(bad).find("nodes.0.recovery.0.routes.0.product: no product with id 'open_box'") != std::string::npos);
  bad = s;
  bad.nodes[0].stocks.pop_back();
  CHECK(problems(bad).find("nodes.0.recovery.0.routes.0.to: node 'hub' has no stock of 'item_refurb'") !=
        std::string::npos);
  bad = s;
  bad.products[1].shelf_life = Distribution::constant(5.0);
  CHECK(problems(bad).find("nodes.0.recovery.0.routes.0.product: product 'item_refurb' is perishable") !=
        std::string::npos);
}

TEST_CASE("credit notes between firms are counted in each firm's money audit") {
  // The vendor test above with the wh a firm of its own: 9 credit notes of 3
  // sent, 7 arrived by t = 9; the per-firm audit runs after every period.
  ScenarioSpec s = returns_network({route(RecoveryRoute::kVendor, 1.0, "wh")});
  s.nodes.push_back(node("wh", NodeKind::kWarehouse, {stock("item", 50, no_orders())}));
  s.nodes[0].recovery[0].routes[0].credit = 3;
  s.nodes[0].recovery[0].routes[0].credit_delay = 2;
  s.ownership = Ownership::kIndependent;
  const Audited a = run_audited(s);
  const std::vector<FirmMoney>& firms = a.run.net->firm_money_totals();
  REQUIRE(firms.size() == 4);  // hub, store, wh, and none outside
  CHECK(firms[2].credits_sent == doctest::Approx(9 * 3.0));
  CHECK(firms[0].credits_received == doctest::Approx(7 * 3.0));
  CHECK(firms[1].credits_sent + firms[1].credits_received == 0);
}

// Customer segments (models/chain/customers.h): who ordered, how each order
// ended, the transitions and their bookkeeping, worked out from the records
// of small runs. Every run() also runs the customer audit.
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>

#include "models/chain/customers.h"
#include "sim/distributions.h"
#include "tests/models/chain_helpers.h"

using namespace chainsim::models;
using namespace chainsim::models::testing;
using chainsim::sim::Distribution;

namespace {

SegmentSpec segment(std::string id, double size, double rate, std::vector<ChannelSpec> channels) {
  SegmentSpec g;
  g.id = std::move(id);
  g.size = size;
  g.orders.rate = rate;
  g.channels = std::move(channels);
  return g;
}

ChannelSpec at(std::string node, std::optional<double> share = std::nullopt) { return {std::move(node), "", share}; }

// A store holding `initial` of an item (price 5, cost 2), replenished by
// `policy` from a supplier 1 period away.
ScenarioSpec store(double initial, PolicySpec policy, int horizon) {
  ScenarioSpec s;
  s.horizon = horizon;
  s.products = {product("item", 2.0, 5.0)};
  s.nodes = {node("supplier", NodeKind::kSupplier),
             node("store", NodeKind::kRetailer, {stock("item", initial, policy, {from("supplier")})})};
  s.lanes = {lane("supplier", "store", 1)};
  return s;
}

struct Totals {
  double units = 0, orders = 0, at_once = 0, late = 0, on_time = 0, wait = 0, stockout = 0, outage = 0,
         patience = 0, revenue = 0, cogs = 0, serve = 0;
};
Totals totals(const Run& r, std::uint32_t segment = 0) {
  Totals t;
  for (const SegmentPeriod& g : r.rec.segments) {
    if (g.segment != segment) continue;
    t.units += g.units;
    t.orders += g.orders;
    t.at_once += g.met_at_once;
    t.late += g.met_late;
    t.on_time += g.on_time;
    t.wait += g.wait_units;
    t.stockout += g.lost_stockout;
    t.outage += g.lost_outage;
    t.patience += g.lost_patience;
    t.revenue += g.revenue;
    t.cogs += g.cogs;
    t.serve += g.cost_to_serve;
  }
  return t;
}

}  // namespace

TEST_CASE("a segment's orders join its channel's backlog and are met at once while stock lasts") {
  ScenarioSpec s = store(1e6, no_orders(), 20);
  SegmentSpec g = segment("regulars", 100, 0.3, {at("store")});
  g.price_factor = 1.2;
  s.customers = {g};
  const Run r = run(s);
  const Totals t = totals(r);
  CHECK(t.units > 400);  // about 100 x 0.3 x 20 = 600
  CHECK(t.units == t.orders);  // unit orders
  CHECK(t.at_once == t.units);
  CHECK(t.on_time == t.units);
  CHECK(t.revenue == doctest::Approx(t.units * 5 * 1.2));
  CHECK(t.cogs == doctest::Approx(t.units * 2));
  // The store's customer demand is the segment's, period by period.
  for (std::int64_t k = 0; k < s.horizon; ++k) {
    CHECK(r.at("store", "item", k).customer_demand == r.rec.segments[static_cast<std::size_t>(k)].units);
  }
}

TEST_CASE("each order ends once: met at once, met after a wait, or lost for a stock-out, an outage or patience") {
  SUBCASE("lost for want of stock: nothing on hand, customers who do not wait") {
    ScenarioSpec s = store(0, no_orders(), 10);
    SegmentSpec g = segment("regulars", 50, 0.4, {at("store")});
    g.unmet = CustomerUnmet::kLost;
    s.customers = {g};
    const Totals t = totals(run(s));
    CHECK(t.units > 0);
    CHECK(t.stockout == t.units);
    CHECK(t.at_once + t.late + t.outage + t.patience == 0);
    CHECK(t.revenue == 0);
  }
  SUBCASE("lost in an outage: the store is down") {
    ScenarioSpec s = store(1e6, no_orders(), 10);
    SegmentSpec g = segment("regulars", 50, 0.4, {at("store")});
    g.unmet = CustomerUnmet::kLost;
    s.customers = {g};
    EventSpec down;
    down.at = 0;
    down.action = ActionKind::kNodeDown;
    down.node = "store";
    s.events = {down};
    const Totals t = totals(run(s));
    CHECK(t.units > 0);
    CHECK(t.outage == t.units);
  }
  SUBCASE("met after a wait: backordered until a scripted delivery arrives at period 4") {
    // Ordered 10 at period 3, transit 1: on hand from period 4, enough for all.
    ScenarioSpec s = store(0, plan_orders({0, 0, 0, 1000}), 8);
    SegmentSpec g = segment("regulars", 50, 0.4, {at("store")});
    g.unmet = CustomerUnmet::kBackorder;
    g.promised_lead_time = 2;
    s.customers = {g};
    const Run r = run(s);
    const Totals t = totals(r);
    double late = 0, wait = 0, on_time = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const double u = r.rec.segments[k].units;
      late += u;
      wait += u * static_cast<double>(4 - k);
      if (4 - k <= 2) on_time += u;
    }
    for (std::size_t k = 4; k < 8; ++k) on_time += r.rec.segments[k].units;
    CHECK(t.late == late);
    CHECK(t.wait == wait);
    CHECK(t.on_time == on_time);
    CHECK(t.at_once == t.units - late);
    CHECK(r.rec.segments[4].met_late == late);  // all of them at period 4
  }
  SUBCASE("lost after waiting as long as its patience") {
    ScenarioSpec s = store(0, no_orders(), 10);
    SegmentSpec g = segment("regulars", 50, 0.4, {at("store")});
    g.unmet = CustomerUnmet::kPatience;
    g.patience = 2;
    s.customers = {g};
    const Run r = run(s);
    // The orders of period k leave at period k + 2; the last two periods' are still waiting.
    for (std::size_t k = 2; k < 10; ++k) CHECK(r.rec.segments[k].lost_patience == r.rec.segments[k - 2].units);
    CHECK(r.at("store", "item", 9).backlog == r.rec.segments[8].units + r.rec.segments[9].units);
  }
}

TEST_CASE("priority allocation serves the segment with the higher priority first") {
  // 20 on hand, never replenished: the first period's orders of both
  // segments (about 15 each) compete for it.
  ScenarioSpec s = store(20, no_orders(), 1);
  s.nodes[1].allocation = AllocationKind::kPriority;
  SegmentSpec vip = segment("vip", 50, 0.3, {at("store")});
  vip.priority = 1;
  vip.unmet = CustomerUnmet::kLost;
  SegmentSpec rest = segment("rest", 50, 0.3, {at("store")});
  rest.unmet = CustomerUnmet::kLost;
  s.customers = {rest, vip};  // listed first, served second
  const Run r = run(s);
  const SegmentPeriod& lo = r.rec.segments[0];
  const SegmentPeriod& hi = r.rec.segments[1];
  REQUIRE(hi.units + lo.units > 20);
  CHECK(hi.met_at_once == std::min(20.0, hi.units));
  CHECK(lo.met_at_once == std::max(0.0, 20.0 - hi.units));
}

TEST_CASE("channel shares split a segment's orders and each channel's costs are booked at its node") {
  ScenarioSpec s = store(1e6, no_orders(), 200);
  s.nodes.push_back(node("online", NodeKind::kRetailer, {stock("item", 1e6, no_orders())}));
  SegmentSpec g = segment("regulars", 100, 0.5, {at("store", 0.8), at("online", 0.2)});
  g.cost_to_serve = {1.0, 0.5, 0.1};
  g.acquisition = {2.0, 0.0, 7.0};
  g.churn.intrinsic = 0.02;
  s.customers = {g};
  const Run r = run(s);
  double store_units = 0, online_units = 0, units = 0, active = 0, acquired = 0;
  for (std::int64_t k = 0; k < s.horizon; ++k) {
    store_units += r.at("store", "item", k).customer_demand;
    online_units += r.at("online", "item", k).customer_demand;
    const SegmentPeriod& p = r.rec.segments[static_cast<std::size_t>(k)];
    units += p.units;
    active += p.active;
    acquired += p.acquired;
  }
  // The online share is Binomial-like around 0.2: 4 sd of the share of ~10,000 units is 0.016.
  CAPTURE(online_units);
  CHECK(std::abs(online_units / (store_units + online_units) - 0.2) < 0.016);
  // Per-customer and acquisition costs at the home node (the first
  // channel's), per-order and per-unit costs at the node that sold.
  double store_cost = 0, online_cost = 0;
  for (std::int64_t k = 0; k < s.horizon; ++k) {
    store_cost += r.node_at("store", k).costs[static_cast<std::size_t>(CostKind::kCustomers)];
    online_cost += r.node_at("online", k).costs[static_cast<std::size_t>(CostKind::kCustomers)];
  }
  CHECK(online_cost == doctest::Approx(online_units * (1.0 + 0.5)));
  CHECK(store_cost == doctest::Approx(store_units * (1.0 + 0.5) + active * 0.1 + acquired * 7.0));
  CHECK(totals(r).serve == doctest::Approx(units * 1.5 + active * 0.1));
}

TEST_CASE("transitions at the period boundary: the customer audit holds and each count is where it belongs") {
  ScenarioSpec s = store(15, base_stock(15), 300);
  s.nodes[1].stocks[0].unmet_demand = UnmetDemand::kLost;
  SegmentSpec g = segment("regulars", 100, 0.1, {at("store")});
  g.churn.intrinsic = 0.01;
  g.churn.q = 0.5;
  g.win_back = 0.05;
  g.acquisition.per_period = 1;
  s.customers = {g};
  const Run r = run(s);
  double active = 100, pool = 0;
  double cohort = 100;
  for (std::size_t k = 0; k < r.rec.segments.size(); ++k) {
    const SegmentPeriod& p = r.rec.segments[k];
    CAPTURE(k);
    if (k == 0) {
      CHECK(p.acquired + p.won_back + p.churned_service + p.churned_intrinsic == 0);
    }
    active += p.acquired + p.won_back - p.churned_service - p.churned_intrinsic;
    pool += p.churned_service - p.won_back;
    CHECK(p.active == active);
    CHECK(p.churned_pool == pool);
    CHECK(p.cohort <= cohort);
    CHECK(p.cohort <= p.active);
    cohort = p.cohort;
    // Service defections come from the orders that ended short in the period before.
    if (k > 0) CHECK(p.churned_service <= r.rec.segments[k - 1].lost_stockout);
  }
  double service = 0, won = 0;
  for (const SegmentPeriod& p : r.rec.segments) {
    service += p.churned_service;
    won += p.won_back;
  }
  CHECK(service > 0);
  CHECK(won > 0);
}

TEST_CASE("the customer audit names the figures that do not balance") {
  Segment s;
  s.name = "regulars";
  s.initial = 100;
  s.active = 103;
  s.acquired_total = 5;
  s.churned_total = 3;
  s.churned_service_total = 1;
  CHECK(audit_segment(s) == "segment regulars: 103 active, but initial 100 + acquired 5 - churned 3 + won back 0 = 102");
  s.active = 102;
  CHECK(audit_segment(s) == "segment regulars: 0 customers to win back, but churned for the service 1 - won back 0 = 1");
  s.churned_pool = 1;
  s.cohort = 150;
  CHECK(audit_segment(s) == "segment regulars: a count out of range (active 102, churned 1, initial cohort 150)");
  s.cohort = 90;
  CHECK(audit_segment(s).empty());
}

TEST_CASE("satisfaction smooths the experienced fill rate and goodwill moves the order rate by its rule") {
  ScenarioSpec s = store(12, base_stock(12), 120);
  s.nodes[1].stocks[0].unmet_demand = UnmetDemand::kLost;
  SegmentSpec sat = segment("sat", 100, 0.1, {at("store")});
  sat.churn.model = ChurnModel::kSatisfaction;
  sat.churn.smoothing = 0.4;
  SegmentSpec good = segment("good", 100, 0.1, {at("store")});
  good.churn.model = ChurnModel::kGoodwill;
  good.churn.down = 0.2;
  good.churn.up = 0.1;
  good.churn.floor = 0.5;
  s.customers = {sat, good};
  const Run r = run(s);
  const std::size_t G = 2;
  int short_periods = 0;
  for (std::size_t k = 0; k + 1 < r.rec.segments.size() / G; ++k) {
    CAPTURE(k);
    const SegmentPeriod& a = r.rec.segments[k * G], &a1 = r.rec.segments[(k + 1) * G];
    // Unit orders: the period's experienced fill rate is its units met at once over its units.
    const double expected = a.units > 0 ? a.satisfaction + 0.4 * (a.met_at_once / a.units - a.satisfaction)
                                        : a.satisfaction;
    CHECK(a1.satisfaction == doctest::Approx(expected));
    const SegmentPeriod& b = r.rec.segments[k * G + 1], &b1 = r.rec.segments[(k + 1) * G + 1];
    const bool short_period = b.met_at_once < b.units;
    short_periods += short_period ? 1 : 0;
    CHECK(b1.goodwill == doctest::Approx(short_period ? std::max(0.5, b.goodwill * 0.8) : std::min(1.0, b.goodwill * 1.1)));
    CHECK(b1.churned_service == 0);  // goodwill churns no one for the service
  }
  CHECK(short_periods > 5);
}

TEST_CASE("a segment's draws do not move when another segment or its own churn changes (common random numbers)") {
  ScenarioSpec s = store(30, base_stock(30), 100);
  SegmentSpec a = segment("a", 100, 0.1, {at("store")});
  a.churn.intrinsic = 0.01;
  a.acquisition.per_period = 1;
  SegmentSpec b = segment("b", 100, 0.1, {at("store")});
  b.churn.q = 0.1;
  s.customers = {a, b};
  ScenarioSpec v = s;
  v.customers[1].churn.q = 0.9;
  v.customers[1].size = 300;
  const Run x = run(s, 4), y = run(v, 4);
  for (std::size_t k = 0; k < 100; ++k) {
    // Segment a's transitions come from its own streams: the same in both.
    CHECK(x.rec.segments[2 * k].acquired == y.rec.segments[2 * k].acquired);
    CHECK(x.rec.segments[2 * k].churned_intrinsic == y.rec.segments[2 * k].churned_intrinsic);
  }
}

TEST_CASE("binomial_draw inverts the binomial distribution exactly, as sim::binomial_quantile does") {
  for (double n : {0.0, 1.0, 7.0, 40.0, 250.0, 5000.0}) {
    for (double p : {0.0, 0.001, 0.03, 0.3, 0.97, 1.0}) {
      for (double u : {1e-9, 0.01, 0.2, 0.5, 0.77, 0.999, 1 - 1e-12}) {
        CAPTURE(n);
        CAPTURE(p);
        CAPTURE(u);
        CHECK(binomial_draw(u, n, p) == chainsim::sim::binomial_quantile(u, n, p));
      }
    }
  }
}

TEST_CASE("customers with patience leave when it runs out, between boundaries too, and are never served after") {
  // Nothing on hand; the daily order up to 1000 arrives half a period later.
  ScenarioSpec s = store(0, base_stock(1000), 6);
  s.lanes[0].transport_time = Distribution::constant(0.5);
  SegmentSpec g = segment("regulars", 50, 0.4, {at("store")});
  g.unmet = CustomerUnmet::kPatience;
  g.patience = 0.2;
  s.customers = {g};
  const Run r = run(s);
  const SegmentPeriod& first = r.rec.segments[0];
  REQUIRE(first.units > 0);
  CHECK(first.lost_patience == first.units);  // gone at 0.2, before the delivery at 0.5
  CHECK(first.met_late == 0);
  for (std::size_t k = 1; k < 6; ++k) CHECK(r.rec.segments[k].met_at_once == r.rec.segments[k].units);
}

TEST_CASE("a segment's returns are refunded at the price it paid and come off its revenue") {
  ScenarioSpec s = store(1e6, no_orders(), 10);
  ReturnsSpec back;
  back.fraction = 1.0;
  back.delay = Distribution::constant(0.0);
  back.restock_fraction = 1.0;
  s.nodes[1].stocks[0].returns = back;
  SegmentSpec g = segment("regulars", 50, 0.4, {at("store")});
  g.price_factor = 0.5;
  s.customers = {g};
  const Run r = run(s);
  double refunds = 0, units = 0;
  for (std::int64_t k = 0; k < s.horizon; ++k) {
    refunds += r.cost("store", CostKind::kReturns, k);
    units += r.rec.segments[static_cast<std::size_t>(k)].met_at_once;
  }
  REQUIRE(units > 0);
  CHECK(refunds == doctest::Approx(units * 5 * 0.5));  // not at the list price of 5
  const Totals t = totals(r);
  CHECK(t.revenue == doctest::Approx(0).epsilon(1e-9));  // all of it refunded
  CHECK(t.cogs == doctest::Approx(0).epsilon(1e-9));     // all of it back on the shelf
}

// What-if events (models/chain/what_if.h): each action on its own, applied at a
// period boundary after the previous period is recorded and before phase 1,
// and reverted after its duration; then the random and chained triggers.
#include <doctest/doctest.h>

#include <cmath>

#include "tests/models/chain_helpers.h"

using namespace chainsim::models;
using namespace chainsim::models::testing;
using chainsim::sim::Distribution;

namespace {

// An event at time t doing the action named `action` in the scenario format.
EventSpec at(double t, const std::string& action, double duration = -1.0) {
  EventSpec e;
  e.at = t;
  e.action = parse_enum<ActionKind>(action).value();
  if (duration >= 0) e.duration = duration;
  return e;
}

// wh (1000 on hand) -> shop, the shop ordering 5 every period; order delay 0
// and the given transport time.
ScenarioSpec steady_orders(double transport = 1.0, int horizon = 10) {
  ScenarioSpec s;
  s.horizon = horizon;
  s.products = {product("item")};
  s.nodes = {node("wh", NodeKind::kWarehouse, {stock("item", 1000, no_orders())}),
             node("shop", NodeKind::kRetailer, {stock("item", 0, plan_orders({5}, AfterPlan::kRepeat), {from("wh")})})};
  s.lanes = {lane("wh", "shop", transport)};
  return s;
}

// A retailer with plenty on hand and constant demand, alone.
ScenarioSpec selling(double demand, int horizon) {
  ScenarioSpec s;
  s.horizon = horizon;
  s.products = {product("item")};
  StockSpec st = stock("item", 1e9, no_orders());
  st.demand = {constant_demand(demand)};
  s.nodes = {node("shop", NodeKind::kRetailer, {st})};
  return s;
}

}  // namespace

SCENARIO("a node that goes down ships nothing, keeps taking orders and resumes when it is back up") {
  GIVEN("wh down from 2 for 3 periods while the shop orders 5 every period") {
    ScenarioSpec s = steady_orders();
    EventSpec e = at(2, "node_down", 3);
    e.node = "wh";
    s.events = {e};
    Run r = run(s);
    THEN("orders join the backlog while it is down and all ship at 5") {
      const double shipped[] = {5, 5, 0, 0, 0, 20, 5, 5, 5, 5};
      const double backlog[] = {0, 0, 5, 10, 15, 0, 0, 0, 0, 0};
      for (int t = 0; t < 10; ++t) {
        CAPTURE(t);
        CHECK(r.at("wh", "item", t).demand == 5);
        CHECK(r.at("wh", "item", t).shipped == shipped[t]);
        CHECK(r.at("wh", "item", t).backlog == backlog[t]);
        CHECK(r.node_at("wh", t).down == (t >= 2 && t < 5));
        CHECK(r.at("shop", "item", t).received == (t >= 1 ? shipped[t - 1] : 0));
      }
    }
  }
}

TEST_CASE("shipments to a node that is down arrive or are held at the gate until it is up") {
  ScenarioSpec s = steady_orders();
  s.horizon = 6;
  EventSpec e = at(1, "node_down", 2);  // the shop is down over periods 1 and 2
  e.node = "shop";
  std::vector<double> received;
  SUBCASE("in_transit arrive") {
    e.in_transit = InTransit::kArrive;
    received = {0, 5, 5, 5, 5, 5};
  }
  SUBCASE("in_transit hold") {
    e.in_transit = InTransit::kHold;
    received = {0, 0, 0, 15, 5, 5};
  }
  s.events = {e};
  Run r = run(s);
  for (int t = 0; t < 6; ++t) {
    CAPTURE(t);
    CHECK(r.at("shop", "item", t).received == received[static_cast<std::size_t>(t)]);
    CHECK(r.at("shop", "item", t).ordered == 5);  // a node that is down still reviews
  }
  CHECK(r.at("shop", "item", 5).on_hand == 25);
}

TEST_CASE("a lane lead-time multiplier stretches the transit of shipments dispatched while it holds") {
  // Transport 2, doubled from 3 for 2 periods: the shipments of 3 and 4
  // take 4 and land at 7 and 8, with those of 5 and 6.
  ScenarioSpec s = steady_orders(2.0);
  EventSpec e = at(3, "lane_lead_time", 2);
  e.lane = "wh->shop";
  e.value = 2.0;
  s.events = {e};
  Run r = run(s);
  const double received[] = {0, 0, 5, 5, 5, 0, 0, 10, 10, 5};
  for (int t = 0; t < 10; ++t) {
    CAPTURE(t);
    CHECK(r.at("shop", "item", t).received == received[t]);
    CHECK(r.lane_at("wh->shop", t).shipped == 5);
  }
}

TEST_CASE("nothing ships on a closed lane and its backlog ships when it reopens") {
  ScenarioSpec s = steady_orders();
  EventSpec e = at(2, "lane_closed", 2);
  e.lane = "wh->shop";
  s.events = {e};
  Run r = run(s);
  const double shipped[] = {5, 5, 0, 0, 15, 5, 5, 5, 5, 5};
  for (int t = 0; t < 10; ++t) {
    CAPTURE(t);
    CHECK(r.lane_at("wh->shop", t).shipped == shipped[t]);
    CHECK(r.at("wh", "item", t).demand == 5);
    CHECK(r.at("wh", "item", t).backlog == (t == 2 ? 5 : t == 3 ? 10 : 0));
  }
}

TEST_CASE("a demand multiplier scales end demand at the named node, or at every retailer") {
  ScenarioSpec s = selling(4, 8);
  s.nodes.push_back(s.nodes[0]);
  s.nodes[1].id = "shop2";
  EventSpec e = at(3, "demand_multiplier", 2);
  e.value = 1.5;
  SUBCASE("node named: only that retailer") {
    e.node = "shop";
    s.events = {e};
    Run r = run(s);
    for (int t = 0; t < 8; ++t) {
      CAPTURE(t);
      CHECK(r.at("shop", "item", t).customer_demand == (t == 3 || t == 4 ? 6 : 4));
      CHECK(r.at("shop2", "item", t).customer_demand == 4);
    }
  }
  SUBCASE("no node: every retailer") {
    s.events = {e};
    Run r = run(s);
    for (int t = 0; t < 8; ++t) {
      CAPTURE(t);
      CHECK(r.at("shop", "item", t).customer_demand == (t == 3 || t == 4 ? 6 : 4));
      CHECK(r.at("shop2", "item", t).customer_demand == (t == 3 || t == 4 ? 6 : 4));
    }
  }
}

TEST_CASE("a capacity event changes a supplier's capacity for its duration and restores it") {
  // The supplier dispatches at most 10 a period, 3 over periods 2 and 3; the
  // shop orders 8 a period.
  ScenarioSpec s;
  s.horizon = 10;
  s.products = {product("item")};
  NodeSpec sup = node("sup", NodeKind::kSupplier);
  sup.capacity = 10;
  s.nodes = {sup, node("shop", NodeKind::kRetailer, {stock("item", 0, plan_orders({8}, AfterPlan::kRepeat), {from("sup")})})};
  s.lanes = {lane("sup", "shop", 1)};
  EventSpec e = at(2, "capacity", 2);
  e.node = "sup";
  e.value = 3;
  s.events = {e};
  Run r = run(s);
  // Backlog after 3: 10. Back at 10 a period from 4: 18 -> 10 (8 left),
  // 16 -> 10, 14 -> 10, 12 -> 10, 10 -> 10, then 8.
  const double shipped[] = {8, 8, 3, 3, 10, 10, 10, 10, 10, 8};
  for (int t = 0; t < 10; ++t) {
    CAPTURE(t);
    CHECK(r.at("sup", "item", t).shipped == shipped[t]);
  }
}

TEST_CASE("a capacity event changes a lane's capacity per period for its duration and restores it") {
  // wh ships at most 10 a period on the lane, 3 over periods 2 and 3; the
  // shop orders 8 a period.
  ScenarioSpec s = steady_orders();
  s.nodes[1].stocks[0].policy = plan_orders({8}, AfterPlan::kRepeat);
  s.lanes[0].capacity_per_period = 10;
  EventSpec e = at(2, "capacity", 2);
  e.lane = "wh->shop";
  e.value = 3;
  s.events = {e};
  Run r = run(s);
  const double shipped[] = {8, 8, 3, 3, 10, 10, 10, 10, 10, 8};
  for (int t = 0; t < 10; ++t) {
    CAPTURE(t);
    CHECK(r.lane_at("wh->shop", t).shipped == shipped[t]);
  }
}

TEST_CASE("a capacity event changes a production line's capacity for its duration and restores it") {
  // A plant makes to order from nothing, lead time 1; the shop orders 8 a
  // period with no order delay; the line's capacity drops from 10 to 3 over
  // periods 2 and 3.
  ScenarioSpec s;
  s.horizon = 10;
  s.products = {product("item")};
  StockSpec made = stock("item", 0, make_to_order());
  ProductionSpec line;
  line.capacity = 10;
  line.lead_time = Distribution::constant(1.0);
  made.production = line;
  s.nodes = {node("plant", NodeKind::kFactory, {made}),
             node("shop", NodeKind::kRetailer, {stock("item", 0, plan_orders({8}, AfterPlan::kRepeat), {from("plant")})})};
  s.lanes = {lane("plant", "shop", 1, 1)};
  EventSpec e = at(2, "capacity", 2);
  e.node = "plant";
  e.product = "item";
  e.value = 3;
  s.events = {e};
  Run r = run(s);
  // Requests of 8 from period 1 on (orders take 1 to arrive): started 8 at 1,
  // 3 at 2 and 3, then 10 a period until the queue is clear.
  const double started[] = {0, 8, 3, 3, 10, 10, 10, 10, 10, 8};
  for (int t = 1; t < 10; ++t) {
    CAPTURE(t);
    CHECK(r.at("plant", "item", t).produced == started[t - 1]);
  }
}

TEST_CASE("a price event changes a lane's price, and a product's retail price, for its duration") {
  SUBCASE("lane price") {
    ScenarioSpec s = steady_orders(1.0, 6);
    s.lanes[0].price = 3;
    EventSpec e = at(2, "price", 2);
    e.lane = "wh->shop";
    e.value = 5;
    s.events = {e};
    Run r = run(s);
    for (int t = 0; t < 6; ++t) {
      CAPTURE(t);
      CHECK(r.node_at("wh", t).revenue == doctest::Approx(t == 2 || t == 3 ? 25 : 15));
    }
  }
  SUBCASE("retail price") {
    ScenarioSpec s = selling(4, 6);
    s.products[0].price = 2;
    EventSpec e = at(2, "price", 2);
    e.product = "item";
    e.value = 3;
    s.events = {e};
    Run r = run(s);
    for (int t = 0; t < 6; ++t) {
      CAPTURE(t);
      CHECK(r.node_at("shop", t).revenue == doctest::Approx(t == 2 || t == 3 ? 12 : 8));
    }
  }
}

TEST_CASE("a policy parameter event changes the parameter and reverts it after its duration") {
  // base-stock 10, demand 2, an unlimited source; S = 20 over periods 3, 4, 5.
  ScenarioSpec s;
  s.horizon = 12;
  s.products = {product("item")};
  StockSpec st = stock("item", 10, base_stock(10), {from("sup")});
  st.demand = {constant_demand(2)};
  s.nodes = {node("sup", NodeKind::kSupplier), node("shop", NodeKind::kRetailer, {st})};
  s.lanes = {lane("sup", "shop", 1)};
  EventSpec e = at(3, "policy_parameter", 3);
  e.node = "shop";
  e.product = "item";
  e.parameter = "S";
  e.value = 20;
  s.events = {e};
  Run r = run(s);
  // At 3 the position is 8: order 12 up to 20. Back to S = 10 at 6 with the
  // position at 18: no order until it falls below 10 again at 11.
  const double ordered[] = {2, 2, 2, 12, 2, 2, 0, 0, 0, 0, 0, 2};
  const double position[] = {10, 10, 10, 20, 20, 20, 18, 16, 14, 12, 10, 10};
  for (int t = 0; t < 12; ++t) {
    CAPTURE(t);
    CHECK(r.at("shop", "item", t).ordered == ordered[t]);
    CHECK(r.at("shop", "item", t).position == position[t]);
  }
}

TEST_CASE("two overlapping outages of one node keep it down until the later one ends, then bring it back up") {
  // Down from 2 to 5 and from 4 to 7 (the second starts before the first
  // ends): down over periods 2 to 6, up again from 7.
  ScenarioSpec s = steady_orders();
  EventSpec first = at(2, "node_down", 3);
  first.node = "wh";
  EventSpec second = at(4, "node_down", 3);
  second.node = "wh";
  s.events = {first, second};
  Run r = run(s);
  const double shipped[] = {5, 5, 0, 0, 0, 0, 0, 30, 5, 5};
  for (int t = 0; t < 10; ++t) {
    CAPTURE(t);
    CHECK(r.node_at("wh", t).down == (t >= 2 && t < 7));
    CHECK(r.at("wh", "item", t).shipped == shipped[t]);
  }
}

TEST_CASE("overlapping parameter changes hold the latest value while it lasts and restore the original when all end") {
  // base-stock 10, demand 2: S = 20 from 3 to 6 and S = 30 from 4 to 8.
  ScenarioSpec s;
  s.horizon = 20;
  s.products = {product("item")};
  StockSpec st = stock("item", 10, base_stock(10), {from("sup")});
  st.demand = {constant_demand(2)};
  s.nodes = {node("sup", NodeKind::kSupplier), node("shop", NodeKind::kRetailer, {st})};
  s.lanes = {lane("sup", "shop", 1)};
  EventSpec a = at(3, "policy_parameter", 3);
  a.node = "shop";
  a.product = "item";
  a.parameter = "S";
  a.value = 20;
  EventSpec b = a;
  b.at = 4;
  b.duration = 4.0;
  b.value = 30;
  s.events = {a, b};
  Run r = run(s);
  // Up to 30 at 4 and held there until 8; then S = 10 again and the
  // position drains by 2 a period back to 10.
  const double position[] = {10, 10, 10, 20, 30, 30, 30, 30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 10, 10};
  for (int t = 0; t < 20; ++t) {
    CAPTURE(t);
    CHECK(r.at("shop", "item", t).position == position[t]);
  }
}

TEST_CASE("a probability trigger fires on about p of the periods") {
  // Demand 1, doubled for one period whenever the event fires (p = 0.3).
  const int n = 1000;
  const double p = 0.3;
  ScenarioSpec s = selling(1, n);
  EventSpec e;
  e.id = "surge";
  e.probability = p;
  e.duration = 1.0;
  e.action = ActionKind::kDemandMultiplier;
  e.value = 2;
  s.events = {e};
  Run r = run(s);
  int fired = 0;
  for (int t = 0; t < n; ++t) {
    const double d = r.at("shop", "item", t).customer_demand;
    CHECK((d == 1 || d == 2));
    fired += d == 2 ? 1 : 0;
  }
  // Binomial(1000, 0.3): sd = sqrt(1000 * 0.3 * 0.7) = 14.5; four sd either side.
  const double sd = std::sqrt(n * p * (1 - p));
  CAPTURE(fired);
  CHECK(std::abs(fired - n * p) < 4 * sd);
}

TEST_CASE("an up-down process keeps a node down about mean_down over mean_up plus mean_down of the time") {
  // Exponential up times of mean 8 and down times of mean 2: down 20% of the
  // time. The time-average of an alternating renewal process over T has
  // variance about 2 a^2 b^2 / ((a + b)^3 T) = 2.6e-4 for T = 2000, so sd
  // 0.016; four sd either side.
  const int n = 2000;
  ScenarioSpec s = steady_orders(1.0, n);
  s.nodes[0].stocks[0].initial = 1e6;
  EventSpec e;
  e.id = "breakdowns";
  e.mean_up = 8;
  e.mean_down = 2;
  e.action = ActionKind::kNodeDown;
  e.node = "wh";
  s.events = {e};
  Run r = run(s);
  int down = 0, changes = 0;
  bool was = false;
  double shipped = 0;
  for (int t = 0; t < n; ++t) {
    const bool is = r.node_at("wh", t).down;
    down += is ? 1 : 0;
    changes += is != was ? 1 : 0;
    was = is;
    shipped += r.at("wh", "item", t).shipped;
  }
  const double fraction = static_cast<double>(down) / n;
  CAPTURE(fraction);
  CAPTURE(changes);
  CHECK(std::abs(fraction - 0.2) < 4 * 0.016);
  CHECK(changes > 100);  // about 2 T / (a + b) = 400 changes of state, some within a period
  CHECK(shipped <= 5.0 * n);
  CHECK(shipped >= 5.0 * n - 5.0 * 30);  // every backlog ships once the node is up
}

TEST_CASE("an event triggered after another fires its delay later") {
  // wh goes down at 2 for one period; 3 periods after that the lane closes
  // for one period.
  ScenarioSpec s = steady_orders();
  EventSpec down = at(2, "node_down", 1);
  down.id = "strike";
  down.node = "wh";
  EventSpec closed;
  closed.id = "blockade";
  closed.after = "strike";
  closed.delay = 3;
  closed.duration = 1.0;
  closed.action = ActionKind::kLaneClosed;
  closed.lane = "wh->shop";
  s.events = {down, closed};
  Run r = run(s);
  const double shipped[] = {5, 5, 0, 10, 5, 0, 10, 5, 5, 5};
  for (int t = 0; t < 10; ++t) {
    CAPTURE(t);
    CHECK(r.at("wh", "item", t).shipped == shipped[t]);
  }
}

TEST_CASE("a when trigger fires at the first boundary where its stock condition held, and holds while it does") {
  // A shop of base-stock 20 buying from a supplier two periods away, Poisson
  // demand of mean 6; while its stock on hand ends a period below 8 the lane
  // is expedited (transit x 0.5).
  ScenarioSpec s = serial_chain(1, 20, 2, 0, poisson_demand(6), 60);
  EventSpec e;
  e.id = "expedite";
  e.action = ActionKind::kLaneLeadTime;
  e.lane = "supplier->retailer";
  e.value = 0.5;
  WhenSpec w;
  w.measure = WhenMeasure::kOnHand;
  w.node = "retailer";
  w.below = 8;
  e.when = w;
  s.events = {e};
  REQUIRE(check_spec(s).empty());
  Run r = run(s, 5);
  const Lane* lane = nullptr;
  for (const Lane& l : r.net->lanes()) lane = l.name == "supplier->retailer" ? &l : lane;
  REQUIRE(lane != nullptr);
  // Replay the condition from the records: active in period k exactly when
  // period k - 1 ended below 8; shipments sent in period k take 1 or 2.
  int fired = 0;
  for (int k = 1; k < 60; ++k) {
    CAPTURE(k);
    const bool active = r.at("retailer", "item", k - 1).on_hand < 8;
    const bool before = k >= 2 && r.at("retailer", "item", k - 2).on_hand < 8;
    fired += active && !before ? 1 : 0;
    if (r.at("retailer", "item", k).ordered > 0 && k + 2 < 60) {
      // What it ordered at k arrives at k + 1 when expedited, k + 2 otherwise.
      const double q = r.at("retailer", "item", k).ordered;
      CHECK((active ? r.at("retailer", "item", k + 1).received : r.at("retailer", "item", k + 2).received) >= q);
    }
  }
  CHECK(fired >= 2);  // it comes and goes
}

TEST_CASE("a when trigger on the fill rate over a window, with a duration, fires again once it has ended") {
  // selling(): constant demand the shop meets in full, so a fill rate below 1
  // never holds; above 0.5 holds at every boundary from the first with two
  // periods to judge (2): with a duration of 3 it fires at 2, 5, 8, ... (as it
  // ends, the same boundary fires it again).
  ScenarioSpec s = selling(5, 12);
  EventSpec e;
  e.id = "bonus";
  e.action = ActionKind::kDemandMultiplier;
  e.node = "shop";
  e.value = 2;
  e.duration = 3;
  WhenSpec w;
  w.measure = WhenMeasure::kFillRate;
  w.node = "shop";
  w.above = 0.5;
  w.over = 2;
  e.when = w;
  s.events = {e};
  REQUIRE(check_spec(s).empty());
  Run r = run(s);
  for (int k = 0; k < 12; ++k) {
    CAPTURE(k);
    CHECK(r.at("shop", "item", k).demand == (k >= 2 ? 10 : 5));
  }
  s.events[0].when->above.reset();
  s.events[0].when->below = 1.0;
  Run never = run(s);
  for (int k = 0; k < 12; ++k) CHECK(never.at("shop", "item", k).demand == 5);
}

TEST_CASE("a when trigger is checked: one of below and above, a stock to watch, a fill rate from 0 to 1") {
  ScenarioSpec s = selling(5, 12);
  EventSpec e;
  e.action = ActionKind::kDemandMultiplier;
  e.node = "shop";
  e.value = 2;
  WhenSpec w;
  w.measure = WhenMeasure::kFillRate;
  w.node = "shop";
  w.below = 1.5;
  w.above = 0.5;
  e.when = w;
  e.at = 3;
  s.events = {e};
  std::vector<std::string> got;
  for (const SpecIssue& i : check_spec(s)) got.push_back(i.path + ": " + i.message);
  CHECK(got == std::vector<std::string>{
                   "events.0: needs exactly one trigger: at, probability, mean_up with mean_down, after, or when",
                   "events.0.when: needs exactly one of below and above",
                   "events.0.when.below: a fill rate is in [0, 1] (got 1.5)"});
  s.events[0].at.reset();
  s.events[0].when->above.reset();
  s.events[0].when->below = 0.5;
  s.events[0].when->node = "nowhere";
  got.clear();
  for (const SpecIssue& i : check_spec(s)) got.push_back(i.path + ": " + i.message);
  CHECK(got == std::vector<std::string>{"events.0.when.node: no node with id 'nowhere'"});
}

// Each test pins one row of docs/timing.md.
#include <doctest/doctest.h>

#include <bit>
#include <cstdint>
#include <memory>
#include <string>
#include <tuple>

#include "tests/models/chain_helpers.h"

using namespace chainsim::models;
using namespace chainsim::models::testing;
using chainsim::sim::Distribution;

namespace {

PolicySpec scripted(std::vector<double> plan) {
  PolicySpec p;
  p.type = PolicyType::kScripted;
  p.plan = std::move(plan);
  return p;
}

// warehouse (100 on hand) -> retailer, the retailer following `policy`.
ScenarioSpec two_nodes(double order_delay, double transport, PolicySpec policy, double retailer_initial = 0,
                       int horizon = 10) {
  ScenarioSpec s;
  s.horizon = horizon;
  s.products = {product("item")};
  s.nodes = {node("warehouse", NodeKind::kWarehouse, {stock("item", 100, no_orders())}),
             node("retailer", NodeKind::kRetailer, {stock("item", retailer_initial, policy, {from("warehouse")})})};
  s.lanes = {lane("warehouse", "retailer", transport, order_delay)};
  return s;
}

}  // namespace

TEST_CASE("an order placed at the review of t reaches the seller at t+l and the buyer at t+l+L") {
  Run r = run(two_nodes(2, 3, scripted({5})));
  for (int t = 0; t < 10; ++t) {
    CAPTURE(t);
    CHECK(r.at("warehouse", "item", t).demand == (t == 2 ? 5 : 0));
    CHECK(r.at("warehouse", "item", t).shipped == (t == 2 ? 5 : 0));
    CHECK(r.at("retailer", "item", t).received == (t == 5 ? 5 : 0));
    CHECK(r.at("retailer", "item", t).on_order == (t < 5 ? 5 : 0));
  }
  CHECK(r.at("retailer", "item", 0).ordered == 5);
  CHECK(r.net->max_passes() == 1);
}

TEST_CASE("zero order delay and zero transport put the goods on the shelf in the same period") {
  Run r = run(two_nodes(0, 0, scripted({5})));
  const StockPeriod& w = r.at("warehouse", "item", 0);
  const StockPeriod& p = r.at("retailer", "item", 0);
  CHECK(w.demand == 5);
  CHECK(w.shipped == 5);
  CHECK(p.ordered == 5);
  CHECK(p.received == 5);
  CHECK(p.on_hand == 5);
  CHECK(p.on_order == 0);
  // review -> orders in again at the warehouse -> fulfil -> receive at the retailer
  CHECK(r.net->max_passes() > 1);
}

TEST_CASE("demand served in a later pass of the same instant counts as met immediately") {
  ScenarioSpec s = two_nodes(0, 0, base_stock(5));
  s.nodes[1].stocks[0].demand = {constant_demand(3)};
  Run r = run(s);
  // Period 0: nothing on hand, demand 3 backordered at the first fulfil; the
  // review orders 8, which arrives at once and serves the 3 in the next pass.
  const StockPeriod& p = r.at("retailer", "item", 0);
  CHECK(p.demand == 3);
  CHECK(p.met_immediately == 3);
  CHECK(p.backlog == 0);
  CHECK(p.on_hand == 5);
  CHECK(p.stockout);  // short at the first fulfil of the instant
  for (int t = 1; t < 10; ++t) {
    CAPTURE(t);
    CHECK(r.at("retailer", "item", t).on_hand == 5);
    CHECK_FALSE(r.at("retailer", "item", t).stockout);
  }
}

TEST_CASE("receive runs before orders-in, and backorders are filled oldest first") {
  ScenarioSpec s = two_nodes(0, 0, no_orders());
  s.nodes[1].stocks[0].demand = {constant_demand(5)};
  s.lanes[0].initial_shipments = {{"item", {0, 5}}};  // 5 units arriving at period 1
  s.horizon = 3;
  Run r = run(s);
  CHECK(r.at("retailer", "item", 0).backlog == 5);
  CHECK(r.at("retailer", "item", 0).stockout);
  // Period 1: the 5 arrive before demand; they go to the older line.
  const StockPeriod& p1 = r.at("retailer", "item", 1);
  CHECK(p1.received == 5);
  CHECK(p1.shipped == 5);
  CHECK(p1.met_immediately == 0);
  CHECK(p1.backlog == 5);
}

TEST_CASE("the review sees the position after the period's shipments") {
  ScenarioSpec s = two_nodes(1, 1, base_stock(20), 20);
  s.nodes[1].stocks[0].demand = {constant_demand(4)};
  Run r = run(s);
  CHECK(r.at("retailer", "item", 0).ordered == 4);
  CHECK(r.at("retailer", "item", 0).position == 20);
}

TEST_CASE("a fractional transit time arrives between boundaries and is recorded in its period") {
  ScenarioSpec s = two_nodes(0, 2.5, scripted({5}));
  Run r = run(s);
  CHECK(r.at("retailer", "item", 1).received == 0);
  CHECK(r.at("retailer", "item", 2).received == 5);
  CHECK(r.at("retailer", "item", 2).on_hand == 5);
  // Arrived at 2.5: half of period 2 on the shelf.
  CHECK(r.at("retailer", "item", 2).on_hand_avg == doctest::Approx(2.5));
}

TEST_CASE("customers arriving between boundaries are served by a mid-period delivery") {
  ScenarioSpec s = two_nodes(0, 2.5, scripted({5}));
  DemandSpec arrivals;
  arrivals.type = DemandType::kArrivals;
  arrivals.interarrival = Distribution::constant(1.0);
  arrivals.size = Distribution::constant(1.0);
  arrivals.start = 0.25;  // the first arrival one inter-arrival time later: 1.25, 2.25, ...
  s.nodes[1].stocks[0].demand = {arrivals};
  s.horizon = 5;
  Run r = run(s);
  // 1.25 and 2.25 wait for the delivery at 2.5; 3.25 and 4.25 are served at once.
  CHECK(r.at("retailer", "item", 0).demand == 0);
  CHECK(r.at("retailer", "item", 1).demand == 1);
  CHECK(r.at("retailer", "item", 1).stockout);
  CHECK(r.at("retailer", "item", 2).met_immediately == 0);
  CHECK(r.at("retailer", "item", 2).shipped == 2);
  CHECK(r.at("retailer", "item", 3).met_immediately == 1);
  CHECK(r.at("retailer", "item", 4).met_immediately == 1);
  double wait = 0.0;
  for (const Delivery& d : r.rec.deliveries) {
    if (d.customer) wait += (d.delivered - d.placed) * d.qty;
  }
  CHECK(wait == doctest::Approx(1.25 + 0.25));
}

TEST_CASE("arrivals and wake-ups whose driver skips the queue give the run they give through it") {
  // factory -> warehouse -> retailer, transit times drawn (wake-ups between
  // boundaries), customers arriving at random times and every half period
  // (on boundaries too), base-stock at both stocks.
  ScenarioSpec s;
  s.horizon = 60;
  s.products = {product("item")};
  s.nodes = {node("factory", NodeKind::kSupplier),
             node("warehouse", NodeKind::kWarehouse, {stock("item", 30, base_stock(40), {from("factory")})}),
             node("retailer", NodeKind::kRetailer, {stock("item", 10, base_stock(15), {from("warehouse")})})};
  s.lanes = {lane("factory", "warehouse", 1.0), lane("warehouse", "retailer", 1.0)};
  for (LaneSpec& l : s.lanes) l.transport_time = Distribution::exponential(1.5);
  DemandSpec random_arrivals;
  random_arrivals.type = DemandType::kArrivals;
  random_arrivals.interarrival = Distribution::exponential(0.3);
  random_arrivals.size = Distribution::constant(1.0);
  DemandSpec every_half = random_arrivals;
  every_half.interarrival = Distribution::constant(0.5);
  s.nodes[2].stocks[0].demand = {random_arrivals, every_half};
  const auto play = [&](bool skip) {
    KpiCollector kpi;
    std::unique_ptr<Network> net = build_network(s, 3, 0);
    net->simulator().set_queue_skipping(skip);
    net->add_sink(&kpi);
    net->run();
    net->audit();
    return std::make_tuple(kpi.finish(), net->simulator().events_run(), net->simulator().events_run_next());
  };
  const auto [direct, direct_events, direct_next] = play(true);
  const auto [queued, queued_events, queued_next] = play(false);
  CHECK(direct.get("stock", "retailer/item", "demand_mean") > 4);  // 1 / 0.3 + 2 a period
  REQUIRE(direct.values.size() == queued.values.size());
  for (std::size_t i = 0; i < direct.values.size(); ++i) {
    const KpiValue& a = direct.values[i];
    const KpiValue& b = queued.values[i];
    CAPTURE(std::string(a.name) + "/" + std::string(a.kpi));
    CHECK(std::string(a.kpi) == std::string(b.kpi));
    CHECK(std::bit_cast<std::uint64_t>(a.value) == std::bit_cast<std::uint64_t>(b.value));
  }
  CHECK(direct_events == queued_events);
  CHECK(direct_next > 100);
  CHECK(queued_next == 0);
}

TEST_CASE("a periodic review every R periods from an offset reviews at offset + kR only") {
  PolicySpec p = base_stock(10);
  p.review_period = 3;
  p.review_offset = 1;
  ScenarioSpec s = two_nodes(0, 1, p, 10);
  s.nodes[1].stocks[0].demand = {constant_demand(1)};
  Run r = run(s);
  for (int t = 0; t < 10; ++t) {
    CAPTURE(t);
    CHECK(r.at("retailer", "item", t).reviewed == (t % 3 == 1));
  }
  CHECK(r.at("retailer", "item", 1).ordered == 2);
  CHECK(r.at("retailer", "item", 4).ordered == 3);
}

TEST_CASE("period boundaries are k times the period, not repeated sums") {
  ScenarioSpec s = two_nodes(0, 0, base_stock(5));
  s.period = 0.1;
  s.horizon = 1000;
  s.nodes[1].stocks[0].demand = {constant_demand(1)};
  Run r = run(s);
  CHECK(r.rec.stocks.size() == 2 * 1000);
  CHECK(r.net->simulator().now() == 1000 * 0.1);
  CHECK(r.at("retailer", "item", 999).demand == 1);
}

TEST_CASE("random transit times may reorder shipments unless the lane prevents overtaking") {
  for (const bool prevent : {false, true}) {
    CAPTURE(prevent);
    ScenarioSpec s = two_nodes(0, 1, scripted(std::vector<double>(40, 1.0)));
    s.lanes[0].transport_time = Distribution::uniform(0.0, 6.0);
    s.lanes[0].prevent_overtaking = prevent;
    s.horizon = 60;
    Run r = run(s);
    // Orders are placed one per period; deliveries complete them in order
    // exactly when overtaking is prevented.
    std::vector<double> placed;
    for (const Delivery& d : r.rec.deliveries) {
      if (!d.customer) placed.push_back(d.placed);
    }
    REQUIRE(placed.size() == 40);
    const bool in_order = std::is_sorted(placed.begin(), placed.end());
    CHECK(in_order == prevent);
  }
}

TEST_CASE("a periodic review sees the orders placed at the same instant over zero-delay lanes, however deep the chain") {
  // Base-stock at every stage orders exactly what it was asked for in the
  // period, so with order delay 0 every stage's order of period k is the
  // end demand of period k. (A top stage once reviewed before the order of
  // the stage below it had reached it, and lagged a period behind.)
  for (int stages : {2, 3, 4}) {
    CAPTURE(stages);
    ScenarioSpec s = serial_chain(stages, 50, 1, 0, constant_demand(0), 8);
    DemandSpec d;
    d.type = DemandType::kTrace;
    d.values = {3, 5, 2, 7, 1, 4, 6, 2};
    s.nodes.back().stocks[0].demand = {d};
    Run r = run(s);
    for (int k = 0; k < 8; ++k) {
      CAPTURE(k);
      for (int i = 1; i < stages; ++i) {
        CAPTURE(i);
        CHECK(r.at("stage" + std::to_string(i), "item", k).ordered == d.values[static_cast<std::size_t>(k)]);
      }
      CHECK(r.at("retailer", "item", k).ordered == d.values[static_cast<std::size_t>(k)]);
    }
  }
}

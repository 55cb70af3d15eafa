// One test (at least) per KPI of docs/kpis.md, on chains small enough to work
// out by hand from docs/timing.md; then warm-up exclusion on a network running
// every flow, the summary across replications against a hand computation
// with Student-t quantiles, the outputs, and the drift checks between the KPI
// table, the page and what a run reports.
#include <algorithm>
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/test_util.h"
#include "tests/models/chain_helpers.h"
#include "models/experiment/experiment.h"
#include "models/measure/kpi.h"
#include "models/report/outputs.h"
#include "models/scenario/loader.h"

using namespace chainsim::models;
using namespace chainsim::models::testing;
using chainsim::sim::Distribution;

namespace {

// A run with its records and its KPIs.
struct Measured {
  std::unique_ptr<Network> net;
  SeriesRecorder rec;
  KpiSet kpis;
  double stock(const std::string& name, const std::string& kpi) const { return kpis.get("stock", name, kpi); }
  double node(const std::string& name, const std::string& kpi) const { return kpis.get("node", name, kpi); }
  double lane(const std::string& name, const std::string& kpi) const { return kpis.get("lane", name, kpi); }
  double network(const std::string& kpi) const { return kpis.get("network", "", kpi); }
};

Measured measure(const ScenarioSpec& spec, std::uint64_t seed = 1) {
  Measured m;
  m.net = build_network(spec, seed, 0);
  KpiCollector kpi;
  m.net->add_sink(&kpi);
  m.net->add_sink(&m.rec);
  m.net->run();
  m.net->audit();
  m.kpis = kpi.finish();
  return m;
}

DemandSpec trace(std::vector<double> values) {
  DemandSpec d;
  d.type = DemandType::kTrace;
  d.values = std::move(values);
  d.after_trace = AfterTrace::kZero;
  return d;
}

// supplier -> shop (transport L, order delay 0), the shop holding `initial`,
// following `policy`, with end demand `demand`.
ScenarioSpec shop(double initial, PolicySpec policy, DemandSpec demand, int horizon, double L = 1) {
  ScenarioSpec s;
  s.horizon = horizon;
  s.products = {product("item")};
  StockSpec st = stock("item", initial, std::move(policy), {from("supplier")});
  st.demand = {std::move(demand)};
  s.nodes = {node("supplier", NodeKind::kSupplier), node("shop", NodeKind::kRetailer, {st})};
  s.lanes = {lane("supplier", "shop", L)};
  return s;
}

double sample_variance(const std::vector<double>& x) {
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return ss / static_cast<double>(x.size() - 1);
}

std::string read(const std::string& path) { return chainsim::testing::read_file(path); }

// The shop orders 1 a period for 10 periods from a warehouse holding 9; the
// warehouse's one unit more is shipped to it in period 11, so the shop's
// order 9 (placed at 9) arrives at 12.
ScenarioSpec late_last_order(int horizon) {
  ScenarioSpec s;
  s.horizon = horizon;
  s.products = {product("item")};
  s.nodes = {node("supplier", NodeKind::kSupplier),
             node("wh", NodeKind::kWarehouse, {stock("item", 9, no_orders(), {from("supplier")})}),
             node("shop", NodeKind::kRetailer,
                  {stock("item", 0, plan_orders({1, 1, 1, 1, 1, 1, 1, 1, 1, 1}), {from("wh")})})};
  s.lanes = {lane("supplier", "wh", 1), lane("wh", "shop", 1)};
  s.lanes[0].initial_shipments = {{"item", {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}};
  return s;
}

}  // namespace

// --- service: fill rate, ready rate, cycle service level -------------------

TEST_CASE("fill rate is units met at the instant they were demanded over units demanded") {
  // 6 on hand, no replenishment, demand 3 a period: period 0 meets 3, period 1
  // meets 3 (ending with nothing left), period 2 meets none.
  const Measured m = measure(shop(6, no_orders(), trace({3, 3, 3}), 3));
  CHECK(m.stock("shop/item", "fill_rate") == doctest::Approx(6.0 / 9.0));
  CHECK(m.network("fill_rate") == doctest::Approx(6.0 / 9.0));
}

TEST_CASE("fill rate does not count demand served later") {
  // Nothing on hand; 4 units arrive at period 1 for the 4 demanded at period 0.
  ScenarioSpec s = shop(0, no_orders(), trace({4, 0, 0}), 3);
  s.lanes[0].initial_shipments = {{"item", {0, 4}}};
  const Measured m = measure(s);
  const std::size_t shop_id = m.net->find_stock("shop", "item"), S = m.net->stocks().size();
  CHECK(m.rec.stocks[1 * S + shop_id].shipped == 4);  // served at period 1
  CHECK(m.stock("shop/item", "fill_rate") == 0);
}

TEST_CASE("ready rate is the share of periods that end with stock on hand") {
  // Ends on hand 3, 0, 0: period 1 met all its demand but ended with nothing
  // on hand, a stock-out period for the ready rate (fill rate 2/3 above).
  const Measured m = measure(shop(6, no_orders(), trace({3, 3, 3}), 3));
  CHECK(m.stock("shop/item", "ready_rate") == doctest::Approx(1.0 / 3.0));
}

TEST_CASE("cycle service level is the share of replenishment cycles without a stock-out") {
  // Receipts at periods 1 (4 units), 3 (2) and 6 (5); demand 0,2,2,1,1,1,0,0.
  // On hand at the ends: 0,2,0,1,0,0(backlog 1),4,4. Cycle [1,2] ends
  // without backlog; cycle [3,5] ends period 5 with one unit owed; the cycle
  // from 6 is not complete at the horizon. So 2 cycles, 1 short.
  ScenarioSpec s = shop(0, no_orders(), trace({0, 2, 2, 1, 1, 1, 0, 0}), 8);
  s.lanes[0].initial_shipments = {{"item", {0, 4, 0, 2, 0, 0, 5}}};
  const Measured m = measure(s);
  const std::string sp = "shop/item";
  CHECK(m.stock(sp, "cycle_service_level") == doctest::Approx(0.5));
  CHECK(m.stock(sp, "ready_rate") == doctest::Approx(4.0 / 8.0));
  CHECK(m.stock(sp, "fill_rate") == doctest::Approx(6.0 / 7.0));
  CHECK(m.stock(sp, "backorders_max") == 1);
  CHECK(m.stock(sp, "backorders_mean") == doctest::Approx(1.0 / 8.0));
  CHECK(m.stock(sp, "on_hand_mean") == doctest::Approx(11.0 / 8.0));
}

TEST_CASE("cycle service level counts a lost sale as a stock-out and is undefined without two receipts") {
  SUBCASE("lost sales") {
    ScenarioSpec s = shop(0, no_orders(), trace({0, 3, 0, 0}), 4);
    s.nodes[1].unmet_demand = UnmetDemand::kLost;
    s.lanes[0].initial_shipments = {{"item", {0, 2, 0, 1}}};
    const Measured m = measure(s);
    CHECK(m.stock("shop/item", "lost_sales") == 1);
    CHECK(m.stock("shop/item", "cycle_service_level") == 0);
  }
  SUBCASE("one receipt") {
    ScenarioSpec s = shop(0, no_orders(), trace({0, 1, 0}), 3);
    s.lanes[0].initial_shipments = {{"item", {0, 2}}};
    CHECK(std::isnan(measure(s).stock("shop/item", "cycle_service_level")));
  }
}

// --- backorders, lost sales, on hand, position, pipeline ------------------

TEST_CASE("backorders mean is the time average of the backlog and max the largest end-of-period backlog") {
  // 4 demanded at period 0 with nothing on hand; the review orders 4, which
  // arrive at t = 1.5. Backlog: 4 over period 0, 4 for half of period 1.
  ScenarioSpec s = shop(0, plan_orders({4}), trace({4}), 3, 1.5);
  const Measured m = measure(s);
  const std::string sp = "shop/item";
  CHECK(m.stock(sp, "backorders_mean") == doctest::Approx((4.0 + 2.0 + 0.0) / 3.0));
  CHECK(m.stock(sp, "backorders_max") == 4);
  CHECK(m.network("backorders_mean") == doctest::Approx(2.0));
  // The 4 units waited 1.5 each; Little's law on the sample path:
  // backlog integral 6 = 4 units x 1.5.
  CHECK(m.stock(sp, "customer_wait_mean") == doctest::Approx(1.5));
  CHECK(m.stock(sp, "customer_wait_p95") == doctest::Approx(1.5));
  CHECK(m.stock(sp, "on_hand_mean") == 0);
}

TEST_CASE("lost sales are end-customer demand not met at once by customers who do not wait") {
  ScenarioSpec s = shop(5, no_orders(), trace({3, 3, 3}), 3);
  s.nodes[1].unmet_demand = UnmetDemand::kLost;
  s.nodes[1].lost_sale_cost = 2;
  const Measured m = measure(s);
  CHECK(m.stock("shop/item", "lost_sales") == 4);
  CHECK(m.network("lost_sales") == 4);
  CHECK(m.stock("shop/item", "backorders_mean") == 0);
  CHECK(m.stock("shop/item", "fill_rate") == doctest::Approx(5.0 / 9.0));
  CHECK(m.node("shop", "cost_lost_sale") == doctest::Approx(8));
}

TEST_CASE("on hand, position, pipeline and order lead time of base-stock with constant demand") {
  // Base-stock 10, demand 3, order delay 1 and transport 2 (tau = 3): after
  // the first three periods the supply line holds the last three orders (9),
  // on hand is 10 - 9 = 1, the position after the review is 10, and every
  // order takes 3 periods. Warm-up 3: periods 3..7 are measured, and the
  // orders placed at 0..4 complete in them.
  ScenarioSpec s = serial_chain(1, 10, 2, 1, constant_demand(3), 8);
  s.warmup = 3;
  const Measured m = measure(s);
  const std::string sp = "retailer/item";
  CHECK(m.stock(sp, "on_hand_mean") == doctest::Approx(1));
  CHECK(m.stock(sp, "position_mean") == doctest::Approx(10));
  CHECK(m.stock(sp, "pipeline_mean") == doctest::Approx(9));
  CHECK(m.stock(sp, "demand_mean") == doctest::Approx(3));
  CHECK(m.stock(sp, "orders_mean") == doctest::Approx(3));
  CHECK(m.stock(sp, "order_lead_time_mean") == doctest::Approx(3));
  CHECK(m.stock(sp, "order_lead_time_p95") == doctest::Approx(3));
  // Little's law on the pipeline: orders_mean x lead time.
  CHECK(m.stock(sp, "pipeline_mean") == doctest::Approx(3 * 3));
  CHECK(m.network("on_hand_mean") == doctest::Approx(1));
}

// --- inventory velocity ----------------------------------------------------

TEST_CASE("inventory turns and days of supply are shipments over average stock and its inverse in time") {
  // As above with periods of 2 days (delays in days: transport 4, order
  // delay 2): 15 units shipped over T = 5 periods = 10 days from an average
  // of 1 on hand: 15 turns over the span; 1 / (15 / 10) = 2/3 days of supply.
  ScenarioSpec s = serial_chain(1, 10, 4, 2, constant_demand(3), 8);
  s.warmup = 3;
  s.period = 2;
  const Measured m = measure(s);
  const double turns = m.stock("retailer/item", "inventory_turns");
  const double dos = m.stock("retailer/item", "days_of_supply");
  CHECK(turns == doctest::Approx(15));
  CHECK(dos == doctest::Approx(2.0 / 3.0));
  CHECK(turns * dos == doctest::Approx(5 * 2));  // turns x days of supply = T
}

// --- order-to-delivery time --------------------------------------------------

TEST_CASE("order lead time is per completed order and its p95 the smallest time 95% of orders took no longer than") {
  // Orders 0..8 arrive a period later, order 9 at 12 (3 periods). Mean 1.2;
  // 9 of 10 orders took 1, short of 95%, so the p95 is 3.
  const Measured m = measure(late_last_order(14));
  CHECK(m.stock("shop/item", "order_lead_time_mean") == doctest::Approx(1.2));
  CHECK(m.stock("shop/item", "order_lead_time_p95") == doctest::Approx(3));
  CHECK(std::isnan(m.stock("wh/item", "order_lead_time_mean")));  // it never ordered
}

TEST_CASE("orders still open at the horizon are counted apart, with the age of the oldest") {
  // As above, but the run ends at period 11: order 9 (placed at 9) is still
  // open, 2 periods old; the lead-time KPIs count the 9 completed orders.
  const Measured m = measure(late_last_order(11));
  CHECK(m.stock("shop/item", "order_lead_time_mean") == doctest::Approx(1.0));
  CHECK(m.stock("shop/item", "open_orders_end") == 1);
  CHECK(m.stock("shop/item", "open_order_age_max") == doctest::Approx(2));
  CHECK(m.stock("wh/item", "open_orders_end") == 0);
  CHECK(std::isnan(m.stock("wh/item", "open_order_age_max")));
}

TEST_CASE("customer wait is weighted by units, its p95 the smallest wait 95% of units waited no longer than") {
  // Demand d at period 0 with d - 1 on hand; the last unit arrives at 1.
  double d = 0, p95 = 0;
  SUBCASE("9 of 10 units served at once: short of 95%, p95 is the late unit's wait") {
    d = 10;
    p95 = 1;
  }
  SUBCASE("19 of 20 units served at once: exactly 95%, p95 is 0") {
    d = 20;
    p95 = 0;
  }
  CAPTURE(d);
  ScenarioSpec s = shop(d - 1, no_orders(), trace({d}), 3);
  s.lanes[0].initial_shipments = {{"item", {0, 1}}};
  const Measured m = measure(s);
  CHECK(m.stock("shop/item", "customer_wait_mean") == doctest::Approx(1.0 / d));
  CHECK(m.stock("shop/item", "customer_wait_p95") == doctest::Approx(p95));
}

// --- bullwhip ----------------------------------------------------------------

TEST_CASE("bullwhip ratio is the variance of orders over the variance of demand per period") {
  // Demand 2,4,2,4,2,4; orders 0,6,0,6,0,6 (a scripted plan, one per review).
  const Measured m = measure(shop(100, plan_orders({0, 6, 0, 6, 0, 6}), trace({2, 4, 2, 4, 2, 4}), 6));
  CHECK(m.stock("shop/item", "bullwhip_ratio") ==
        doctest::Approx(sample_variance({0, 6, 0, 6, 0, 6}) / sample_variance({2, 4, 2, 4, 2, 4})));
  CHECK(m.stock("shop/item", "bullwhip_ratio") == doctest::Approx(9.0));
}

TEST_CASE("bullwhip ratio buckets demand and orders by the review period and counts a bucket without an order as 0") {
  // Review every 2 periods: demand per bucket (1+3, 2+2, 5+1) = 4, 4, 6; the
  // plan orders 6, 0, 4 at the three reviews, whichever period of the bucket
  // they fall in.
  for (int offset : {0, 1}) {
    CAPTURE(offset);
    PolicySpec p = plan_orders({6, 0, 4});
    p.review_period = 2;
    p.review_offset = offset;
    const Measured m = measure(shop(100, p, trace({1, 3, 2, 2, 5, 1}), 6));
    CHECK(m.stock("shop/item", "bullwhip_ratio") ==
          doctest::Approx(sample_variance({6, 0, 4}) / sample_variance({4, 4, 6})));
    CHECK(m.stock("shop/item", "bullwhip_ratio") == doctest::Approx(7.0));
  }
}

TEST_CASE("bullwhip ratio drops a trailing part-bucket and is undefined when demand does not vary") {
  PolicySpec p = plan_orders({6, 0, 4, 9});
  p.review_period = 2;
  // Seven periods: the last, alone in its bucket, is dropped.
  const Measured m = measure(shop(100, p, trace({1, 3, 2, 2, 5, 1, 50}), 7));
  CHECK(m.stock("shop/item", "bullwhip_ratio") == doctest::Approx(7.0));
  const Measured flat = measure(shop(100, plan_orders({1, 2}), constant_demand(3), 4));
  CHECK(std::isnan(flat.stock("shop/item", "bullwhip_ratio")));
}

TEST_CASE("customers arriving in continuous time count in the period they arrive in") {
  // One customer a time unit from t = 1.25 (periods 1..9 get one each, period
  // 0 none); continuous review orders at each arrival.
  DemandSpec arrivals;
  arrivals.type = DemandType::kArrivals;
  arrivals.interarrival = Distribution::constant(1.0);
  arrivals.size = Distribution::constant(1.0);
  arrivals.start = 0.25;
  PolicySpec p = base_stock(5);
  p.review = ReviewMode::kContinuous;
  const Measured m = measure(shop(5, p, arrivals, 10));
  CHECK(m.stock("shop/item", "demand_mean") == doctest::Approx(0.9));
  std::vector<double> demand;
  for (int k = 0; k < 10; ++k) demand.push_back(k == 0 ? 0 : 1);
  CHECK(sample_variance(demand) == doctest::Approx(0.1));
  CHECK(m.stock("shop/item", "bullwhip_ratio") == doctest::Approx(1.0));
}

TEST_CASE("the network's amplification compares the top stocks' orders with end-customer demand") {
  // supplier -> wh -> shop: the shop orders what it sells, the wh (the top)
  // follows a plan; amplification = Var(wh's orders) / Var(end demand).
  ScenarioSpec s;
  s.horizon = 6;
  s.products = {product("item")};
  StockSpec st = stock("item", 100, base_stock(100), {from("wh")});
  st.demand = {trace({2, 4, 2, 4, 2, 4})};
  s.nodes = {node("supplier", NodeKind::kSupplier),
             node("wh", NodeKind::kWarehouse, {stock("item", 100, plan_orders({1, 9, 1, 9, 1, 9}), {from("supplier")})}),
             node("shop", NodeKind::kRetailer, {st})};
  s.lanes = {lane("supplier", "wh", 1), lane("wh", "shop", 1)};
  SUBCASE("per period") {
    const Measured m = measure(s);
    CHECK(m.network("bullwhip_amplification") ==
          doctest::Approx(sample_variance({1, 9, 1, 9, 1, 9}) / sample_variance({2, 4, 2, 4, 2, 4})));
  }
  SUBCASE("per bucket of the top's review period") {
    // Buckets of 2 periods: end demand 6, 4, 8; the wh's orders 1, 9, 4.
    s.nodes[1].stocks[0].policy.review_period = 2;
    s.nodes[1].stocks[0].policy.plan = {1, 9, 4};
    s.nodes[2].stocks[0].demand = {trace({2, 4, 2, 2, 4, 4})};
    const Measured m = measure(s);
    CHECK(m.network("bullwhip_amplification") ==
          doctest::Approx(sample_variance({1, 9, 4}) / sample_variance({6, 4, 8})));
  }
}

TEST_CASE("the cumulative bullwhip ratio compares a stock's orders with all the end demand it serves") {
  // supplier -> wh -> shops a and b: the wh's orders against a's plus b's
  // customer demand, whose records come after the wh's in each period; each
  // shop's against its own end demand, which is also the demand it receives.
  ScenarioSpec s;
  s.horizon = 6;
  s.products = {product("item")};
  StockSpec a = stock("item", 100, plan_orders({2, 4, 2, 4, 2, 4}), {from("wh")});
  a.demand = {trace({2, 4, 2, 4, 2, 4})};
  StockSpec b = stock("item", 100, plan_orders({0, 0, 6, 0, 0, 6}), {from("wh")});
  b.demand = {trace({1, 1, 3, 1, 1, 3})};
  s.nodes = {node("supplier", NodeKind::kSupplier),
             node("wh", NodeKind::kWarehouse, {stock("item", 100, plan_orders({1, 9, 1, 9, 1, 9}), {from("supplier")})}),
             node("shop_a", NodeKind::kRetailer, {a}), node("shop_b", NodeKind::kRetailer, {b})};
  s.lanes = {lane("supplier", "wh", 1), lane("wh", "shop_a", 1), lane("wh", "shop_b", 1)};
  SUBCASE("per period") {
    const Measured m = measure(s);
    CHECK(m.stock("wh/item", "bullwhip_cumulative") ==
          doctest::Approx(sample_variance({1, 9, 1, 9, 1, 9}) / sample_variance({3, 5, 5, 5, 3, 7})));
    // The wh's own ratio is against the shops' orders.
    CHECK(m.stock("wh/item", "bullwhip_ratio") ==
          doctest::Approx(sample_variance({1, 9, 1, 9, 1, 9}) / sample_variance({2, 4, 8, 4, 2, 10})));
    CHECK(m.stock("shop_a/item", "bullwhip_cumulative") == doctest::Approx(1.0));
    CHECK(m.stock("shop_b/item", "bullwhip_cumulative") == m.stock("shop_b/item", "bullwhip_ratio"));
    CHECK(m.stock("shop_b/item", "bullwhip_cumulative") ==
          doctest::Approx(sample_variance({0, 0, 6, 0, 0, 6}) / sample_variance({1, 1, 3, 1, 1, 3})));
  }
  SUBCASE("per bucket of the stock's review period") {
    // Buckets of 2 periods: end demand 2+4+1+1, 2+4+3+1, 2+4+1+3; the wh's orders 1, 9, 4.
    s.nodes[1].stocks[0].policy.review_period = 2;
    s.nodes[1].stocks[0].policy.plan = {1, 9, 4};
    const Measured m = measure(s);
    CHECK(m.stock("wh/item", "bullwhip_cumulative") ==
          doctest::Approx(sample_variance({1, 9, 4}) / sample_variance({8, 10, 10})));
  }
  SUBCASE("a stock serving no end customer has none") {
    s.nodes[2].stocks[0].demand.clear();
    s.nodes[3].stocks[0].demand.clear();
    const Measured m = measure(s);
    CHECK(std::isnan(m.stock("wh/item", "bullwhip_cumulative")));
    CHECK(std::isnan(m.stock("shop_a/item", "bullwhip_cumulative")));
  }
}

TEST_CASE("in the beer game the cumulative bullwhip ratio grows upstream while the stage ratios fall") {
  const Measured m = measure(load_scenario("scenarios/beer_game.yaml").spec);
  const char* stages[] = {"retailer/beer", "wholesaler/beer", "distributor/beer", "factory/beer"};
  for (int i = 1; i < 4; ++i) {
    CAPTURE(stages[i]);
    CHECK(m.stock(stages[i], "bullwhip_cumulative") > m.stock(stages[i - 1], "bullwhip_cumulative"));
  }
  CHECK(m.stock("retailer/beer", "bullwhip_cumulative") == m.stock("retailer/beer", "bullwhip_ratio"));
  CHECK(m.stock("factory/beer", "bullwhip_ratio") < m.stock("retailer/beer", "bullwhip_ratio"));
  // The factory's is the network's amplification (it is the top of the chain).
  CHECK(m.stock("factory/beer", "bullwhip_cumulative") == doctest::Approx(m.network("bullwhip_amplification")));
  // From the recorded series: Var(factory's orders) / Var(customer demand).
  std::vector<double> orders, demand;
  for (const StockPeriod& row : m.rec.stocks) {
    if (row.stock == 3) orders.push_back(row.ordered);
    if (row.stock == 0) demand.push_back(row.customer_demand);
  }
  REQUIRE(orders.size() == 36);
  CHECK(m.stock("factory/beer", "bullwhip_cumulative") ==
        doctest::Approx(sample_variance(orders) / sample_variance(demand)));
}

TEST_CASE("time out of stock and the share of periods ending without backorders, by hand") {
  // 3 on hand, no orders, one unit demanded at the start of each of 4
  // periods: empty from t = 2 (the third sale), short from period 3.
  const Measured m = measure(shop(3, no_orders(), trace({1, 1, 1, 1}), 4));
  CHECK(m.stock("shop/item", "out_of_stock_share") == doctest::Approx(0.5));
  CHECK(m.stock("shop/item", "backorder_free_share") == doctest::Approx(0.75));
  CHECK(m.stock("shop/item", "ready_rate") == doctest::Approx(0.5));
}

// --- money -------------------------------------------------------------------

namespace {

// wh (100 on hand, no orders) -> shop at lane price 3, transport 1, the shop
// holding 4, ordering 2 a period, selling 2 a period at retail price 6;
// holding 0.5 a unit per period at the shop, 1 per order line; invoices on
// shipping, paid net 0 at the next boundary.
ScenarioSpec priced_shop(int horizon) {
  ScenarioSpec s;
  s.horizon = horizon;
  s.products = {product("item", 1.0, 6.0)};
  StockSpec st = stock("item", 4, plan_orders({2}, AfterPlan::kRepeat), {from("wh")});
  st.demand = {constant_demand(2)};
  NodeSpec sh = node("shop", NodeKind::kRetailer, {st});
  sh.holding_cost = 0.5;
  sh.ordering_cost = 1;
  s.nodes = {node("wh", NodeKind::kWarehouse, {stock("item", 100, no_orders())}), sh};
  s.lanes = {lane("wh", "shop", 1)};
  s.lanes[0].price = 3;
  return s;
}

}  // namespace

TEST_CASE("revenue, costs by kind, profit and cash of a node, worked out by hand") {
  // Four periods: the shop sells 8 at 6 (48), buys 8 at 3 (24), holds 2 a
  // period (4 at 0.5) and places 4 order lines (4); it pays each invoice as
  // it arrives (net 0: with the goods), so all 4 (24) are paid by the horizon.
  const Measured m = measure(priced_shop(4));
  CHECK(m.node("shop", "revenue") == doctest::Approx(48));
  CHECK(m.node("shop", "cost_purchase") == doctest::Approx(24));
  CHECK(m.node("shop", "cost_holding") == doctest::Approx(4));
  CHECK(m.node("shop", "cost_ordering") == doctest::Approx(4));
  for (const char* k : {"cost_backorder", "cost_lost_sale", "cost_transport", "cost_production", "cost_material",
                        "cost_returns"}) {
    CAPTURE(k);
    CHECK(m.node("shop", k) == 0);
  }
  CHECK(m.node("shop", "total_cost") == doctest::Approx(32));
  CHECK(m.node("shop", "profit") == doctest::Approx(16));
  CHECK(m.node("shop", "cash_end") == doctest::Approx(48 - 4 - 4 - 24));
  CHECK(m.node("shop", "cash_change") == doctest::Approx(16));
  CHECK(m.node("wh", "revenue") == doctest::Approx(24));
  CHECK(m.node("wh", "profit") == doctest::Approx(24));
  CHECK(m.node("wh", "cash_end") == doctest::Approx(24));
}

TEST_CASE("penalties count in total cost but not in profit") {
  ScenarioSpec s = shop(5, no_orders(), trace({3, 3, 3}), 3);
  s.products[0].price = 10;
  s.nodes[1].backorder_cost = 1;
  const Measured m = measure(s);
  // Backlog 1 over period 1 and 4 over period 2.
  CHECK(m.node("shop", "cost_backorder") == doctest::Approx(5));
  CHECK(m.node("shop", "total_cost") == doctest::Approx(5));
  CHECK(m.node("shop", "profit") == doctest::Approx(50));
  CHECK(m.node("shop", "cash_end") == doctest::Approx(50));
  CHECK(m.network("cost_backorder") == doctest::Approx(5));
  CHECK(m.network("profit") == doctest::Approx(50));
}

TEST_CASE("ending inventory is valued at unit cost at the horizon, per node and for the network") {
  // Two shops of a product at unit cost 2.5 draw on a warehouse holding 30
  // that never reorders: shop a holds 10 and sells 3, 3 (4 left); shop b
  // holds 6, orders nothing and sells nothing. The warehouse ships nothing.
  ScenarioSpec s;
  s.horizon = 2;
  s.products = {product("item", 2.5, 6.0)};
  StockSpec a = stock("item", 10, no_orders(), {from("wh")});
  a.demand = {trace({3, 3})};
  s.nodes = {node("wh", NodeKind::kWarehouse, {stock("item", 30, no_orders())}),
             node("a", NodeKind::kRetailer, {a}),
             node("b", NodeKind::kRetailer, {stock("item", 6, no_orders(), {from("wh")})})};
  s.lanes = {lane("wh", "a", 1), lane("wh", "b", 1)};
  const Measured m = measure(s);
  CHECK(m.node("a", "inventory_value_end") == doctest::Approx(4 * 2.5));
  CHECK(m.node("b", "inventory_value_end") == doctest::Approx(6 * 2.5));
  CHECK(m.node("wh", "inventory_value_end") == doctest::Approx(30 * 2.5));
  CHECK(m.network("inventory_value_end") == doctest::Approx(40 * 2.5));
  SUBCASE("a salvage value replaces the unit cost") {
    s.products[0].salvage_value = 0.5;
    const Measured v = measure(s);
    CHECK(v.node("a", "inventory_value_end") == doctest::Approx(4 * 0.5));
    CHECK(v.network("inventory_value_end") == doctest::Approx(40 * 0.5));
    CHECK(v.node("a", "cost_holding") == doctest::Approx(m.node("a", "cost_holding")));  // still at unit cost
  }
}

TEST_CASE("the network's money is consolidated: sales between its nodes are internal") {
  const Measured m = measure(priced_shop(4));
  CHECK(m.network("revenue") == doctest::Approx(48));  // end customers only, not the wh's 24
  CHECK(m.network("cost_holding") == doctest::Approx(4));
  CHECK(m.network("cost_ordering") == doctest::Approx(4));
  CHECK(m.network("total_cost") == doctest::Approx(8));  // the shop's purchases are the wh's sales
  CHECK(m.network("profit") == doctest::Approx(40));
  CHECK(m.network("profit") == doctest::Approx(m.node("shop", "profit") + m.node("wh", "profit")));
  CHECK(m.network("cash_end") == doctest::Approx(16 + 24));
  CHECK(m.network("cost_purchase") == 0);  // bought from its own warehouse
}

TEST_CASE("a supplier is outside the network's books unless owned: buying from it is a cost of the network") {
  // priced_shop with the warehouse a supplier that pays 1 a unit for its
  // material: the shop buys 8 at 3 (24) and sells 8 at 6 (48), holding 4,
  // ordering 4; it pays with the goods.
  ScenarioSpec s = priced_shop(4);
  s.nodes[0] = node("wh", NodeKind::kSupplier);
  s.nodes[0].material_cost = 1;
  SUBCASE("outside (the default): its price is the network's cost, its own costs and cash are its own") {
    const Measured m = measure(s);
    CHECK(m.node("wh", "revenue") == doctest::Approx(24));
    CHECK(m.node("wh", "cost_material") == doctest::Approx(8));
    CHECK(m.network("revenue") == doctest::Approx(48));
    CHECK(m.network("cost_purchase") == doctest::Approx(24));
    CHECK(m.network("cost_material") == 0);
    CHECK(m.network("total_cost") == doctest::Approx(24 + 4 + 4));
    CHECK(m.network("profit") == doctest::Approx(48 - 24 - 4 - 4));
    CHECK(m.network("profit") == doctest::Approx(m.node("shop", "profit")));
    CHECK(m.network("cash_end") == doctest::Approx(m.node("shop", "cash_end")));
    CHECK(m.network("cash_end") == doctest::Approx(48 - 24 - 4 - 4));
  }
  SUBCASE("owned (an own plant): the purchase is internal and its material cost is the network's") {
    s.nodes[0].owned = true;
    const Measured m = measure(s);
    CHECK(m.network("cost_purchase") == 0);
    CHECK(m.network("cost_material") == doctest::Approx(8));
    CHECK(m.network("profit") == doctest::Approx(48 - 8 - 4 - 4));
    CHECK(m.network("profit") == doctest::Approx(m.node("shop", "profit") + m.node("wh", "profit")));
    CHECK(m.network("cash_end") == doctest::Approx(48 - 8 - 4 - 4));
  }
  SUBCASE("an early-payment discount taken lowers what the network pays outside") {
    s.nodes[1].payment_terms.net = 2;
    s.nodes[1].payment_terms.discount = 0.1;
    s.nodes[1].payment_terms.discount_within = 1;
    const Measured m = measure(s);
    CHECK(m.network("cost_purchase") == doctest::Approx(m.node("shop", "cost_purchase")));
    CHECK(m.network("cost_purchase") < 24);
  }
}

TEST_CASE("the network's velocity: turns, days of supply and flow time by Little's law") {
  // priced_shop: the shop sells 8 units at unit cost 1 over T = 4.
  const Measured m = measure(priced_shop(4));
  const double on_hand = m.stock("shop/item", "on_hand_mean") + m.stock("wh/item", "on_hand_mean");
  CHECK(m.network("on_hand_mean") == doctest::Approx(on_hand));
  CHECK(m.network("inventory_turns") == doctest::Approx(8.0 / on_hand));
  CHECK(m.network("inventory_turns_units") == doctest::Approx(8.0 / on_hand));
  CHECK(m.network("inventory_turns") * m.network("days_of_supply") == doctest::Approx(4.0));
  CHECK(m.network("flow_time") == doctest::Approx((on_hand + m.lane("wh->shop", "in_transit_mean")) / (8.0 / 4)));
  // No supplier outside: nothing payable outside, the cycle is the days of supply.
  CHECK(m.network("cash_to_cash") == doctest::Approx(m.network("days_of_supply")));
  SUBCASE("at twice the unit cost turns are the same; in units they do not depend on it") {
    ScenarioSpec s = priced_shop(4);
    s.products[0].unit_cost = 2;
    const Measured d = measure(s);
    CHECK(d.network("inventory_turns") == doctest::Approx(m.network("inventory_turns")));
    CHECK(d.network("inventory_turns_units") == doctest::Approx(m.network("inventory_turns_units")));
  }
  SUBCASE("buying on net 1 from a supplier outside shortens the cycle by its days payable") {
    ScenarioSpec s = priced_shop(4);
    s.nodes[0] = node("wh", NodeKind::kSupplier);
    s.nodes[1].payment_terms.net = 1;
    const Measured d = measure(s);
    // An invoice of 6 open at every period end against purchases of 24 over 4.
    CHECK(d.node("shop", "dpo") == doctest::Approx(1));
    CHECK(d.network("cash_to_cash") == doctest::Approx(d.network("days_of_supply") - 1));
  }
}

TEST_CASE("a lane's holding cost charges the buyer for its pipeline") {
  ScenarioSpec s = priced_shop(4);
  const Measured before = measure(s);
  s.lanes[0].holding_cost = 0.25;
  const Measured m = measure(s);
  const double pipeline = m.lane("wh->shop", "in_transit_mean") * 4;  // unit-periods in transit
  CHECK(pipeline > 0);
  CHECK(m.node("shop", "cost_holding") == doctest::Approx(before.node("shop", "cost_holding") + 0.25 * pipeline));
  CHECK(m.node("wh", "cost_holding") == doctest::Approx(before.node("wh", "cost_holding")));
}

TEST_CASE("DIO, DSO, DPO and the cash-to-cash cycle of the priced chain") {
  // The shop pays net 1. Shop: 2 on hand at unit cost 1 at every period end,
  // shipping 2 a period (DIO 1); no receivables (DSO 0); an invoice of 6 open
  // at every period end against purchases of 6 a period (DPO 1). Wh: stock
  // 98, 96, 94, 92 (mean 95) against 2 a period shipped (DIO 47.5);
  // receivables 6 against sales of 6 a period (DSO 1); no purchases (DPO
  // undefined, 0 in cash-to-cash).
  ScenarioSpec s = priced_shop(4);
  s.nodes[1].payment_terms.net = 1;
  const Measured m = measure(s);
  CHECK(m.node("shop", "dio") == doctest::Approx(1));
  CHECK(m.node("shop", "dso") == doctest::Approx(0));
  CHECK(m.node("shop", "dpo") == doctest::Approx(1));
  CHECK(m.node("shop", "cash_to_cash") == doctest::Approx(0));
  CHECK(m.node("wh", "dio") == doctest::Approx(47.5));
  CHECK(m.node("wh", "dso") == doctest::Approx(1));
  CHECK(std::isnan(m.node("wh", "dpo")));
  CHECK(m.node("wh", "cash_to_cash") == doctest::Approx(48.5));
}

TEST_CASE("transport, production, material and returns costs are booked to the node that pays them") {
  // supplier (material 0.25 a unit) -> plant (makes good from 2 part, cost
  // 0.5 a unit) -> shop, transport 0.1 a unit on the plant's lane; the shop
  // sells 4.4 a period and refunds returns of half of them, scrapped at 1.
  ScenarioSpec s;
  s.horizon = 6;
  s.products = {product("part"), product("good", 1.0, 5.0)};
  NodeSpec sup = node("sup", NodeKind::kSupplier);
  sup.material_cost = 0.25;
  StockSpec good = stock("good", 100, no_orders());
  ProductionSpec line;
  line.inputs = {{"part", 2.0}};
  line.cost = 0.5;
  line.initial_requests = {3};
  good.production = line;
  NodeSpec plant = node("plant", NodeKind::kFactory,
                        {stock("part", 0, plan_orders({6}), {from("sup")}), good});
  StockSpec st = stock("good", 40, no_orders(), {from("plant")});
  st.demand = {constant_demand(4.4)};  // fractional, so returns are exactly half
  ReturnsSpec ret;
  ret.fraction = 0.5;
  ret.restock_fraction = 0.0;
  ret.refund = 1.0;
  ret.scrap_cost = 1.0;
  st.returns = ret;
  s.nodes = {sup, plant, node("shop", NodeKind::kRetailer, {st})};
  s.lanes = {lane("sup", "plant", 1), lane("plant", "shop", 1)};
  s.lanes[1].cost_per_unit = 0.1;
  s.lanes[1].initial_orders = {{"good", {10}}};
  const Measured m = measure(s);
  // The supplier ships the 6 parts at 0: material 1.5. The plant starts 3
  // goods at 1 (6 parts arrived at 1): 1.5; ships 10 to the shop at 0: 1.0.
  CHECK(m.node("sup", "cost_material") == doctest::Approx(1.5));
  CHECK(m.node("plant", "cost_production") == doctest::Approx(1.5));
  CHECK(m.node("plant", "cost_transport") == doctest::Approx(1.0));
  // Returns: half of each sale of 4.4 comes back a period later, refunded at
  // 5 and scrapped at 1: 2.2 x 6 = 13.2 for each of the 5 returns in the horizon.
  CHECK(m.node("shop", "cost_returns") == doctest::Approx(5 * 13.2));
  double booked = 0;
  for (const NodePeriod& n : m.rec.nodes) booked += n.costs[static_cast<std::size_t>(CostKind::kReturns)];
  CHECK(m.network("cost_returns") == doctest::Approx(booked));
}

// --- lanes -------------------------------------------------------------------

TEST_CASE("a lane's shipped, time-average in transit and transit time") {
  // The wh ships 2 a period to the shop, each a period in transit: 8 shipped,
  // 2 in transit on average (Little: 2 a period x 1), 6 delivered by the
  // horizon after 1 period each.
  const Measured m = measure(priced_shop(4));
  CHECK(m.lane("wh->shop", "shipped") == doctest::Approx(8));
  CHECK(m.lane("wh->shop", "in_transit_mean") == doctest::Approx(2));
  CHECK(m.lane("wh->shop", "transit_time_mean") == doctest::Approx(1));
}

// --- warm-up -------------------------------------------------------------------

TEST_CASE("the warm-up is excluded from flows and cash is measured from its level at the end of the warm-up") {
  // The priced chain with warm-up 1: the measured periods are 1..3.
  ScenarioSpec s = priced_shop(4);
  s.warmup = 1;
  const Measured m = measure(s);
  CHECK(m.node("shop", "revenue") == doctest::Approx(36));
  CHECK(m.node("shop", "cost_purchase") == doctest::Approx(18));
  CHECK(m.node("shop", "cost_holding") == doctest::Approx(3));
  // Cash at the end of period 0: 12 of sales - 1 holding - 1 ordering - 6
  // paid for the goods = 4; at the horizon 16.
  CHECK(m.node("shop", "cash_end") == doctest::Approx(16));
  CHECK(m.node("shop", "cash_change") == doctest::Approx(12));
  CHECK(m.node("wh", "cash_change") == doctest::Approx(18));  // paid at 1, 2 and 3 (at 0 in the warm-up)
  CHECK(m.network("cash_change") == doctest::Approx(30));
  CHECK(m.lane("wh->shop", "shipped") == doctest::Approx(6));
}

TEST_CASE("every flow KPI of a random network counts only the periods after the warm-up") {
  // A network with random demand and lead times, production, returns and
  // finance: each KPI recomputed here from the records of periods >= w.
  ScenarioSpec s;
  s.horizon = 60;
  s.warmup = 17;
  s.products = {product("part", 2.0), product("good", 5.0, 12.0)};
  NodeSpec sup = node("sup", NodeKind::kSupplier);
  sup.lead_time = Distribution::uniform(0.0, 2.0);
  sup.material_cost = 1.0;
  StockSpec good = stock("good", 40, base_stock(60));
  ProductionSpec line;
  line.inputs = {{"part", 2.0}};
  line.cost = 0.5;
  good.production = line;
  NodeSpec plant = node("plant", NodeKind::kFactory, {stock("part", 80, base_stock(120), {from("sup")}), good});
  plant.holding_cost = 0.05;
  plant.payment_terms.net = 3;
  StockSpec st = stock("good", 20, base_stock(30), {from("plant")});
  st.demand = {poisson_demand(8)};
  ReturnsSpec ret;
  ret.fraction = 0.1;
  st.returns = ret;
  NodeSpec sh = node("shop", NodeKind::kRetailer, {st});
  sh.backorder_cost = 1;
  sh.holding_cost = 0.1;
  sh.ordering_cost = 2;
  sh.payment_terms.net = 2;
  s.nodes = {sup, plant, sh};
  s.lanes = {lane("sup", "plant", 1), lane("plant", "shop", 1, 1)};
  s.lanes[0].price = 2.5;
  s.lanes[1].price = 8;
  s.lanes[1].transport_time = Distribution::uniform(0.5, 2.5);
  s.lanes[1].cost_per_shipment = 5;
  SegmentSpec seg;
  seg.id = "regulars";
  seg.size = 50;
  seg.channels = {{"shop", "", std::nullopt}};
  seg.orders.rate = 0.1;
  seg.unmet = CustomerUnmet::kPatience;
  seg.patience = 1;
  seg.churn.intrinsic = 0.02;
  seg.churn.q = 0.5;
  seg.win_back = 0.1;
  seg.acquisition = {1.0, 0.0, 3.0};
  seg.cost_to_serve = {0.5, 0.1, 0.02};
  s.customers = {seg};
  const Measured m = measure(s, 7);
  const Network& net = *m.net;
  const std::size_t S = net.stocks().size(), N = net.nodes().size();
  const int w = s.warmup, n = s.horizon - s.warmup;
  for (const StockPoint& sp : net.stocks()) {
    if (sp.infinite) continue;
    CAPTURE(sp.name);
    double demand = 0, met = 0, shipped = 0, ordered = 0, on_hand = 0, backlog = 0, position = 0;
    for (int k = w; k < s.horizon; ++k) {
      const StockPeriod& r = m.rec.stocks[static_cast<std::size_t>(k) * S + sp.id];
      demand += r.demand;
      met += r.met_immediately;
      shipped += r.shipped;
      ordered += r.ordered;
      on_hand += r.on_hand_avg;
      backlog += r.backlog_avg;
      position += r.position;
    }
    CHECK(m.stock(sp.name, "demand_mean") == doctest::Approx(demand / n));
    CHECK(m.stock(sp.name, "orders_mean") == doctest::Approx(ordered / n));
    CHECK(m.stock(sp.name, "fill_rate") == doctest::Approx(met / demand));
    CHECK(m.stock(sp.name, "on_hand_mean") == doctest::Approx(on_hand / n));
    CHECK(m.stock(sp.name, "backorders_mean") == doctest::Approx(backlog / n));
    CHECK(m.stock(sp.name, "position_mean") == doctest::Approx(position / n));
    CHECK(m.stock(sp.name, "inventory_turns") == doctest::Approx(shipped / (on_hand / n)));
  }
  for (const Node& nd : net.nodes()) {
    CAPTURE(nd.name);
    double revenue = 0;
    std::array<double, kCostKinds> costs{};
    for (int k = w; k < s.horizon; ++k) {
      const NodePeriod& r = m.rec.nodes[static_cast<std::size_t>(k) * N + nd.id];
      revenue += r.revenue;
      for (std::size_t c = 0; c < costs.size(); ++c) costs[c] += r.costs[c];
    }
    CHECK(m.node(nd.name, "revenue") == doctest::Approx(revenue));
    for (int c = 0; c < kCostKinds; ++c) {
      const std::string kind = std::string("cost_") + cost_kind_name(static_cast<CostKind>(c));
      CAPTURE(kind);
      if (static_cast<CostKind>(c) == CostKind::kWaste) {
        CHECK(std::isnan(m.node(nd.name, kind)));  // no perishable product: not reported
        continue;
      }
      CHECK(m.node(nd.name, kind) == doctest::Approx(costs[static_cast<std::size_t>(c)]));
    }
    const double cash_w = m.rec.nodes[static_cast<std::size_t>(w - 1) * N + nd.id].cash;
    CHECK(m.node(nd.name, "cash_change") == doctest::Approx(nd.account.cash() - cash_w));
  }
  {
    double active = 0, acquired = 0, churned = 0, exposed = 0, units = 0, met = 0, at_once = 0, lost = 0;
    double revenue = 0, serve = 0, acquisition = 0;
    for (int k = w; k < s.horizon; ++k) {
      const SegmentPeriod& r = m.rec.segments[static_cast<std::size_t>(k)];
      active += r.active;
      acquired += r.acquired;
      churned += r.churned_service + r.churned_intrinsic;
      exposed += m.rec.segments[static_cast<std::size_t>(k - 1)].active;
      units += r.units;
      met += r.met_at_once + r.met_late;
      at_once += r.met_at_once;
      lost += r.lost_stockout + r.lost_outage + r.lost_patience;
      revenue += r.revenue;
      serve += r.cost_to_serve;
      acquisition += r.acquisition_cost;
    }
    const auto seg_kpi = [&](const char* kpi) { return m.kpis.get("segment", "regulars", kpi); };
    CHECK(seg_kpi("active_mean") == doctest::Approx(active / n));
    CHECK(seg_kpi("acquired") == doctest::Approx(acquired));
    CHECK(seg_kpi("churn_rate") == doctest::Approx(churned / exposed));
    CHECK(seg_kpi("demand") == doctest::Approx(units));
    CHECK(seg_kpi("fill_rate") == doctest::Approx(at_once / (met + lost)));
    CHECK(seg_kpi("revenue") == doctest::Approx(revenue));
    CHECK(seg_kpi("cost_to_serve") == doctest::Approx(serve));
    CHECK(seg_kpi("acquisition_cost") == doctest::Approx(acquisition));
    CHECK(m.node("shop", "cost_customers") == doctest::Approx(serve + acquisition));
    CHECK(lost > 0);
    CHECK(churned > 0);
  }
  // Some of every kind of flow happened in the warm-up, so the checks bite.
  double warmup_revenue = 0;
  for (int k = 0; k < w; ++k) warmup_revenue += m.rec.nodes[static_cast<std::size_t>(k) * N + 2].revenue;
  CHECK(warmup_revenue > 0);
}

// --- replications --------------------------------------------------------------

TEST_CASE("the summary across replications is the mean, sd and Student-t half-width of the defined values") {
  // Three replications with values 1, 2, 4: mean 7/3, sd sqrt(7/3), and
  // t(0.975, 2) = 4.302652729911275 (tables): half-width 4.3027 sqrt(7/3) / sqrt(3).
  // A second KPI undefined in one replication: values 10, 14, so n = 2,
  // mean 12, sd 2 sqrt(2), t(0.975, 1) = 12.706204736174698.
  auto set = [](double a, double b) {
    KpiSet k;
    k.values = {{"stock", "s/p", "fill_rate", a}, {"network", "", "revenue", b}};
    return k;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto summary = summarize({set(1, 10), set(2, nan), set(4, 14)});
  REQUIRE(summary.size() == 2);
  CHECK(summary[0].scope == "stock");
  CHECK(summary[0].name == "s/p");
  CHECK(summary[0].kpi == "fill_rate");
  CHECK(summary[0].interval.n == 3);
  CHECK(summary[0].interval.mean == doctest::Approx(7.0 / 3.0));
  CHECK(summary[0].interval.stddev == doctest::Approx(std::sqrt(7.0 / 3.0)));
  CHECK(summary[0].interval.half_width == doctest::Approx(4.302652729911275 * std::sqrt(7.0 / 3.0) / std::sqrt(3.0)));
  CHECK(summary[1].interval.n == 2);
  CHECK(summary[1].interval.mean == doctest::Approx(12));
  CHECK(summary[1].interval.stddev == doctest::Approx(2 * std::sqrt(2.0)));
  CHECK(summary[1].interval.half_width == doctest::Approx(12.706204736174698 * 2 * std::sqrt(2.0) / std::sqrt(2.0)));
  const auto none = summarize({set(nan, 1)});
  CHECK(std::isnan(none[0].interval.mean));
  CHECK(none[0].interval.n == 0);
}

TEST_CASE("run_experiment summarises each KPI over the replications it ran") {
  ScenarioSpec s = serial_chain(1, 8, 1, 0, poisson_demand(5), 30);
  ExperimentOptions o;
  o.seed = 11;
  o.replications = 4;
  o.series = SeriesMode::kNone;
  const ExperimentResult r = run_experiment(s, o);
  REQUIRE(r.kpis.size() == 4);
  std::vector<double> fill;
  for (const KpiSet& k : r.kpis) fill.push_back(k.get("stock", "retailer/item", "fill_rate"));
  double mean = 0;
  for (double x : fill) mean += x / 4;
  const double sd = std::sqrt(sample_variance(fill));
  for (const KpiSummary& k : r.summary) {
    if (k.scope != "stock" || k.name != "retailer/item" || k.kpi != "fill_rate") continue;
    CHECK(k.interval.n == 4);
    CHECK(k.interval.mean == doctest::Approx(mean));
    CHECK(k.interval.stddev == doctest::Approx(sd));
    CHECK(k.interval.half_width == doctest::Approx(3.182446305284263 * sd / 2));  // t(0.975, 3)
    CHECK(sd > 0);
  }
}

TEST_CASE("replication k gives the same KPIs whatever the number of replications") {
  ScenarioSpec s = serial_chain(2, 12, 1, 1, poisson_demand(5), 40);
  ExperimentOptions o;
  o.seed = 3;
  o.series = SeriesMode::kNone;
  o.replications = 2;
  const ExperimentResult two = run_experiment(s, o);
  o.replications = 5;
  o.jobs = 2;
  const ExperimentResult five = run_experiment(s, o);
  for (std::size_t k = 0; k < 2; ++k) {
    CAPTURE(k);
    REQUIRE(two.kpis[k].values.size() == five.kpis[k].values.size());
    for (std::size_t i = 0; i < two.kpis[k].values.size(); ++i) {
      const double a = two.kpis[k].values[i].value, b = five.kpis[k].values[i].value;
      CAPTURE(two.kpis[k].values[i].kpi);
      CHECK(((std::isnan(a) && std::isnan(b)) || a == b));
    }
  }
  // Different replications are different draws.
  CHECK(five.kpis[0].get("stock", "retailer/item", "backorders_mean") !=
        five.kpis[1].get("stock", "retailer/item", "backorders_mean"));
}

TEST_CASE("summary.json carries the mean, sd, half-width and n of every KPI, and the table mean +- half-width") {
  ScenarioSpec s = serial_chain(1, 8, 1, 0, poisson_demand(5), 30);
  ExperimentOptions o;
  o.replications = 3;
  o.series = SeriesMode::kNone;
  const ExperimentResult r = run_experiment(s, o);
  RunMetadata meta;
  meta.replications = 3;
  const auto j = nlohmann::json::parse(summary_json(r, meta));
  std::size_t seen = 0;
  for (const KpiSummary& k : r.summary) {
    CAPTURE(k.kpi);
    const auto& v = k.scope == "network" ? j["kpis"]["network"][k.kpi]
                    : k.scope == "stock" ? j["kpis"]["stocks"][k.name][k.kpi]
                    : k.scope == "node"  ? j["kpis"]["nodes"][k.name][k.kpi]
                                         : j["kpis"]["lanes"][k.name][k.kpi];
    REQUIRE(v.is_object());
    CHECK(v["n"] == k.interval.n);
    if (std::isfinite(k.interval.mean)) {
      CHECK(v["mean"].get<double>() == k.interval.mean);
      CHECK(v["sd"].get<double>() == k.interval.stddev);
    } else {
      CHECK(v["mean"].is_null());
    }
    if (std::isfinite(k.interval.half_width)) CHECK(v["half_width"].get<double>() == k.interval.half_width);
    ++seen;
  }
  CHECK(seen > 40);
  const std::string table = summary_table(r);
  CHECK(table.find("3 replications") != std::string::npos);
  CHECK(table.find(" ±") != std::string::npos);
  o.replications = 1;
  CHECK(summary_table(run_experiment(s, o)).find("±") == std::string::npos);
}

// --- the definitions, the page and the run agree ---------------------------------

TEST_CASE("every KPI a run reports has exactly one definition and every definition is reported") {
  ScenarioSpec s = priced_shop(4);
  SegmentSpec seg;  // the segment scope and cost_customers are reported only with segments
  seg.id = "regulars";
  seg.size = 10;
  seg.channels = {{"shop", "item", std::nullopt}};
  s.customers = {seg};
  // The waste KPIs and cost_waste are reported only with perishable products,
  // the firm scope only when the nodes name their firms.
  s.products[0].shelf_life = Distribution::constant(3.0);
  s.nodes[0].firm = "maker";
  s.nodes[1].firm = "store";
  // The reverse flow's KPIs are reported only with a returns centre, and
  // consigned_mean only for stocks bought on consignment (from the depot).
  s.products.push_back(product("gadget", 1.0, 6.0));
  StockSpec gadgets = stock("gadget", 4, base_stock(4), {from("depot")});
  gadgets.demand = {constant_demand(1)};
  ReturnsSpec back;
  back.fraction = 0.5;
  back.to = "wh";
  gadgets.returns = back;
  s.nodes[1].stocks.push_back(gadgets);
  RecoverySpec grading;
  grading.product = "gadget";
  RecoveryRouteSpec scrap;
  scrap.route = RecoveryRoute::kScrap;
  scrap.share = 1.0;
  grading.routes = {scrap};
  s.nodes[0].recovery = {grading};
  NodeSpec depot = node("depot", NodeKind::kWarehouse, {stock("gadget", 100, no_orders())});
  depot.firm = "maker";
  s.nodes.push_back(depot);
  s.lanes.push_back(lane("depot", "shop", 1));
  s.lanes.back().consignment = true;
  const Measured m = measure(s);
  std::set<std::pair<std::string, std::string>> reported;
  for (const KpiValue& v : m.kpis.values) reported.insert({v.scope, v.kpi});
  for (const auto& scope_kpi : reported) {
    const std::string& scope = scope_kpi.first;  // not a structured binding: CAPTURE takes them by reference
    const std::string& kpi = scope_kpi.second;
    CAPTURE(scope);
    CAPTURE(kpi);
    CHECK(find_kpi_definition(scope, kpi) != nullptr);
  }
  std::set<std::pair<std::string, std::string>> defined;
  for (const KpiDefinition& d : kpi_definitions()) {
    CAPTURE(d.scope);
    CAPTURE(d.kpi);
    CHECK(defined.insert({d.scope, d.kpi}).second);  // no duplicates
    CHECK(reported.count({d.scope, d.kpi}) == 1);
    for (const std::string* field : {&d.unit, &d.formula, &d.definition}) {
      CHECK_FALSE(field->empty());
      CHECK(field->find('|') == std::string::npos);  // a Markdown table cell
    }
  }
}

TEST_CASE("docs/kpis.md's reference table is what the KPI definitions generate") {
  const std::string doc = read(std::string(CHAINSIM_SOURCE_DIR) + "/docs/kpis.md");
  const std::string begin = "<!-- BEGIN GENERATED: chainsim kpis --markdown -->\n";
  const std::string end = "<!-- END GENERATED -->";
  const auto i = doc.find(begin), j = doc.find(end);
  REQUIRE(i != std::string::npos);
  REQUIRE(j != std::string::npos);
  // A mismatch means: run scripts/update_generated.sh and commit the result.
  CHECK(doc.substr(i + begin.size(), j - i - begin.size()) == kpi_reference_markdown());
}

TEST_CASE("the lead-time log keeps a histogram that is the sorted times, merged across its buffer, with their sum") {
  LeadTimeLog log;
  std::vector<double> all;
  double sum = 0.0;
  // 10,000 times over three buffers: whole periods, and a few odd ones.
  for (int i = 0; i < 10000; ++i) {
    const double t = (i % 7 == 0) ? 2.5 + 0.001 * (i % 13) : static_cast<double>((i * 31) % 5);
    log.add(t);
    all.push_back(t);
    sum += t;
  }
  CHECK(log.count() == 10000);
  CHECK(log.sum() == sum);  // the same additions in the same order
  const auto h = log.histogram();
  std::sort(all.begin(), all.end());
  std::vector<std::pair<double, double>> expected;
  for (const double t : all) {
    if (!expected.empty() && expected.back().first == t) {
      expected.back().second += 1.0;
    } else {
      expected.emplace_back(t, 1.0);
    }
  }
  CHECK(h == expected);
  CHECK(h.size() == 5 + 13);  // distinct times, not orders
  CHECK(log.histogram() == h);  // reading it changes nothing
}

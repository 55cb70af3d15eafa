// The three flows besides the forward product flow: returns (product
// upstream), point-of-sale sharing and vendor-managed inventory
// (information), and the finance flow (invoices, payments, cash, costs).
// Expected values are worked out by hand from docs/timing.md and the booking
// conventions of models/chain/finance.h; run() audits unit and money conservation.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <numeric>

#include "tests/models/chain_helpers.h"

using namespace chainsim::models;
using namespace chainsim::models::testing;
using chainsim::sim::Distribution;

namespace {

double variance(const std::vector<double>& x) {
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  double ss = 0.0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return ss / static_cast<double>(x.size() - 1);
}

PolicySpec forecast_up_to(int p, double lead_time, double z) {
  PolicySpec f;
  f.type = PolicyType::kForecastOrderUpTo;
  f.forecast = ForecastMethod::kMovingAverage;
  f.p = p;
  f.lead_time = lead_time;
  f.z = z;
  return f;
}

// A retailer with plenty on hand selling 10 a period at price 5, returns on.
ScenarioSpec returns_shop(ReturnsSpec returns, int horizon = 5, double initial = 100) {
  ScenarioSpec s;
  s.horizon = horizon;
  s.products = {product("item", 1.0, 5.0)};
  StockSpec st = stock("item", initial, no_orders());
  st.demand = {constant_demand(10)};
  st.returns = returns;
  s.nodes = {node("shop", NodeKind::kRetailer, {st})};
  return s;
}

// wh (100 on hand) -> shop at lane price 3, transport 1, the shop ordering
// `plan` and selling 2 a period from 4 on hand at retail price 6.
ScenarioSpec priced_pair(std::vector<double> plan, int horizon = 6) {
  ScenarioSpec s;
  s.horizon = horizon;
  s.products = {product("item", 1.0, 6.0)};
  StockSpec st = stock("item", 4, plan_orders(std::move(plan)), {from("wh")});
  st.demand = {constant_demand(2)};
  s.nodes = {node("wh", NodeKind::kWarehouse, {stock("item", 100, no_orders())}),
             node("shop", NodeKind::kRetailer, {st})};
  s.lanes = {lane("wh", "shop", 1)};
  s.lanes[0].price = 3;
  return s;
}

}  // namespace

// --- returns -----------------------------------------------------------------

SCENARIO("customers return part of what they bought after a delay, restocked or scrapped") {
  GIVEN("every unit sold comes back two periods later") {
    ReturnsSpec ret;
    ret.fraction = 1.0;
    ret.delay = Distribution::constant(2.0);
    WHEN("returns are restocked with a full refund") {
      ret.restock_fraction = 1.0;
      ret.refund = 1.0;
      Run r = run(returns_shop(ret));
      THEN("the shelf gets the units back and the price is refunded in cash") {
        const double on_hand[] = {90, 80, 80, 80, 80};
        const double cash[] = {50, 100, 100, 100, 100};
        for (int t = 0; t < 5; ++t) {
          CAPTURE(t);
          const StockPeriod& p = r.at("shop", "item", t);
          CHECK(p.shipped == 10);
          CHECK(p.returned == (t >= 2 ? 10 : 0));
          CHECK(p.restocked == (t >= 2 ? 10 : 0));
          CHECK(p.scrapped == 0);
          CHECK(p.on_hand == on_hand[t]);
          CHECK(r.node_at("shop", t).revenue == doctest::Approx(50));
          CHECK(r.cost("shop", CostKind::kReturns, t) == doctest::Approx(t >= 2 ? 50 : 0));
          CHECK(r.node_at("shop", t).cash == doctest::Approx(cash[t]));
        }
      }
    }
    WHEN("returns are scrapped at 2 a unit with half the price refunded") {
      ret.restock_fraction = 0.0;
      ret.refund = 0.5;
      ret.scrap_cost = 2.0;
      Run r = run(returns_shop(ret));
      THEN("nothing goes back on the shelf and refund plus scrap cost 45 a period") {
        const double cash[] = {50, 100, 105, 110, 115};
        for (int t = 0; t < 5; ++t) {
          CAPTURE(t);
          const StockPeriod& p = r.at("shop", "item", t);
          CHECK(p.returned == (t >= 2 ? 10 : 0));
          CHECK(p.restocked == 0);
          CHECK(p.scrapped == (t >= 2 ? 10 : 0));
          CHECK(p.on_hand == 90 - 10 * t);
          CHECK(r.cost("shop", CostKind::kReturns, t) == doctest::Approx(t >= 2 ? 45 : 0));
          CHECK(r.node_at("shop", t).cash == doctest::Approx(cash[t]));
        }
      }
    }
  }
}

TEST_CASE("about the return fraction of the units sold come back and the restock fraction of them is restocked") {
  ReturnsSpec ret;
  ret.fraction = 0.3;
  ret.delay = Distribution::constant(0.0);
  ret.restock_fraction = 0.5;
  const int n = 300;
  Run r = run(returns_shop(ret, n, 10000));
  double sold = 0, returned = 0, restocked = 0, scrapped = 0;
  for (int t = 0; t < n; ++t) {
    const StockPeriod& p = r.at("shop", "item", t);
    sold += p.shipped;
    returned += p.returned;
    restocked += p.restocked;
    scrapped += p.scrapped;
  }
  CAPTURE(returned);
  CAPTURE(restocked);
  CHECK(sold == 10.0 * n);
  CHECK(restocked + scrapped == returned);
  // Binomial counts: four standard deviations either side.
  CHECK(std::abs(returned - 0.3 * sold) < 4 * std::sqrt(sold * 0.3 * 0.7));
  CHECK(std::abs(restocked - 0.5 * returned) < 4 * std::sqrt(returned * 0.25));
}

// --- point-of-sale sharing -----------------------------------------------------

TEST_CASE("with point-of-sale sharing the upstream forecast follows end demand, not the retailer's orders") {
  // sup -> wh -> shop. The shop sells 5 a period from a large stock but
  // places a single order of 30 at period 0, which reaches wh at 1 (order
  // delay 1). wh forecasts with a one-period moving average and orders up to
  // 1 x forecast.
  ScenarioSpec s;
  s.horizon = 5;
  s.products = {product("item")};
  StockSpec shop = stock("item", 1000, plan_orders({30}), {from("wh")});
  shop.demand = {constant_demand(5)};
  s.nodes = {node("sup", NodeKind::kSupplier),
             node("wh", NodeKind::kWarehouse, {stock("item", 30, forecast_up_to(1, 1, 0), {from("sup")})}),
             node("shop", NodeKind::kRetailer, {shop})};
  s.lanes = {lane("sup", "wh", 1), lane("wh", "shop", 1, 1)};
  std::vector<double> expected;
  // At 0 wh's position is 30, above any forecast: no order. At 1 it ships
  // the 30 and its position is 0: it orders up to its forecast.
  SUBCASE("no sharing: wh forecasts from the order of 30 and orders 30 at period 1") {
    expected = {0, 30, 0, 0, 0};
  }
  SUBCASE("use_shared_demand: wh forecasts 5 a period and orders only 5") {
    s.nodes[1].stocks[0].use_shared_demand = true;
    expected = {0, 5, 0, 0, 0};
  }
  SUBCASE("sharing.pos turns it on for every upstream stock") {
    s.sharing.pos = true;
    expected = {0, 5, 0, 0, 0};
  }
  Run r = run(s);
  for (int t = 0; t < 5; ++t) {
    CAPTURE(t);
    CHECK(r.at("wh", "item", t).ordered == expected[static_cast<std::size_t>(t)]);
    CHECK(r.at("wh", "item", t).demand == (t == 1 ? 30 : 0));  // the orders themselves are unchanged
  }
}

TEST_CASE("shared point-of-sale data arrives after the sharing delay") {
  ScenarioSpec s;
  s.horizon = 4;
  s.products = {product("item")};
  StockSpec shop = stock("item", 1000, plan_orders({30}), {from("wh")});
  shop.demand = {constant_demand(5)};
  s.nodes = {node("sup", NodeKind::kSupplier),
             node("wh", NodeKind::kWarehouse, {stock("item", 30, forecast_up_to(1, 1, 0), {from("sup")})}),
             node("shop", NodeKind::kRetailer, {shop})};
  s.lanes = {lane("sup", "wh", 1), lane("wh", "shop", 1, 1)};
  s.sharing.pos = true;
  s.sharing.delay = 2;
  Run r = run(s);
  // Periods 0 and 1: no data yet, forecast 0. Period 2: the sales of
  // period 0 (5) arrive; the position is 0 since wh shipped the 30 at 1:
  // wh orders 5.
  CHECK(r.at("wh", "item", 0).ordered == 0);
  CHECK(r.at("wh", "item", 1).ordered == 0);
  CHECK(r.at("wh", "item", 2).ordered == 5);
  CHECK(r.at("wh", "item", 3).ordered == 0);
}

TEST_CASE("sharing point-of-sale data lowers the variance of upstream orders under the same demand") {
  // Chen, Drezner, Ryan & Simchi-Levi (2000): with a moving-average
  // order-up-to policy at each stage, the upstream order variance grows
  // multiplicatively without sharing and additively with it. Same seed, so
  // both runs see the same end demand and the retailer orders the same.
  auto spec = [](bool share) {
    ScenarioSpec s;
    s.horizon = 600;
    s.products = {product("item")};
    StockSpec shop = stock("item", 60, forecast_up_to(5, 2, 1), {from("wh")});
    shop.demand = {poisson_demand(20)};
    s.nodes = {node("sup", NodeKind::kSupplier),
               node("wh", NodeKind::kWarehouse, {stock("item", 60, forecast_up_to(5, 2, 1), {from("sup")})}),
               node("shop", NodeKind::kRetailer, {shop})};
    s.lanes = {lane("sup", "wh", 2), lane("wh", "shop", 2)};
    s.sharing.pos = share;
    return s;
  };
  Run plain = run(spec(false), 7);
  Run shared = run(spec(true), 7);
  std::vector<double> demand, shop_plain, shop_shared, wh_plain, wh_shared;
  for (int t = 50; t < 600; ++t) {
    demand.push_back(plain.at("shop", "item", t).customer_demand);
    shop_plain.push_back(plain.at("shop", "item", t).ordered);
    shop_shared.push_back(shared.at("shop", "item", t).ordered);
    wh_plain.push_back(plain.at("wh", "item", t).ordered);
    wh_shared.push_back(shared.at("wh", "item", t).ordered);
  }
  // The retailer's orders do not depend on sharing (equal up to round-off).
  for (std::size_t i = 0; i < shop_plain.size(); ++i) {
    CAPTURE(i);
    CHECK(shop_shared[i] == doctest::Approx(shop_plain[i]));
  }
  const double vd = variance(demand), vp = variance(wh_plain), vs = variance(wh_shared);
  CAPTURE(vd);
  CAPTURE(vp);
  CAPTURE(vs);
  CHECK(variance(shop_plain) > vd);  // the retailer amplifies either way
  // Seeds 1, 2, 3, 7 and 11 give vs / vp between 0.41 and 0.44.
  CHECK(vs < 0.75 * vp);
}

// --- vendor-managed inventory ----------------------------------------------------

namespace {

// shop: base-stock 20 managed by wh, 20 on hand, demand 4; the lane has
// order delay 2 (reports travel on it) and transport 1.
ScenarioSpec vmi_pair(bool customer_first) {
  ScenarioSpec s;
  s.horizon = 10;
  s.products = {product("item")};
  StockSpec managed = stock("item", 20, base_stock(20), {from("wh")});
  managed.vmi = true;
  managed.demand = {constant_demand(4)};
  const NodeSpec wh = node("wh", NodeKind::kWarehouse, {stock("item", 100, no_orders())});
  const NodeSpec shop = node("shop", NodeKind::kRetailer, {managed});
  s.nodes = customer_first ? std::vector<NodeSpec>{shop, wh} : std::vector<NodeSpec>{wh, shop};
  s.lanes = {lane("wh", "shop", 1, 2)};
  return s;
}

void check_vmi_trace(const Run& r) {
  for (int t = 0; t < 10; ++t) {
    CAPTURE(t);
    // The first report (16 at period 0) reaches wh at 2: no order before.
    // From then on wh orders S - (reported + its own orders since) = 4.
    CHECK(r.at("wh", "item", t).demand == (t >= 2 ? 4 : 0));
    CHECK(r.at("shop", "item", t).ordered == (t >= 2 ? 4 : 0));
    CHECK(r.at("shop", "item", t).received == (t >= 3 ? 4 : 0));
    // S minus the demand of l + L = 3 periods, as for a base-stock buyer.
    CHECK(r.at("shop", "item", t).on_hand == std::max(8, 16 - 4 * t));
  }
}

}  // namespace

TEST_CASE("a vendor-managed stock is replenished by its supplier from the position it reports over the order delay") {
  // The report of t reaches wh at t+2; wh orders at its review, ships at
  // once, and the goods land at t+3.
  Run r = run(vmi_pair(false));
  check_vmi_trace(r);
  // The shop itself never orders: nothing is on order before wh decides.
  CHECK(r.at("shop", "item", 0).on_order == 0);
  CHECK(r.at("shop", "item", 1).on_order == 0);
  CHECK(r.at("shop", "item", 2).on_order == 4);
  CHECK(r.at("shop", "item", 0).order_lines == 0);
}

TEST_CASE("vendor-managed orders do not depend on whether the customer or the supplier is declared first") {
  // With the customer first, its report at t is sent before the supplier's
  // order of t is created, so that order is not in the report and must
  // still count as "ordered since" when the report arrives.
  Run r = run(vmi_pair(true));
  check_vmi_trace(r);
}

TEST_CASE("with no order delay a vendor-managed stock's supplier decides on its report in the same period") {
  ScenarioSpec s = vmi_pair(false);
  s.lanes[0].order_delay = 0;
  Run r = run(s);
  for (int t = 0; t < 10; ++t) {
    CAPTURE(t);
    CHECK(r.at("wh", "item", t).demand == 4);
    CHECK(r.at("shop", "item", t).received == (t >= 1 ? 4 : 0));
    CHECK(r.at("shop", "item", t).on_hand == 16);  // S minus one period of demand
  }
}

// --- finance ---------------------------------------------------------------------

SCENARIO("invoices, payables and payments between a warehouse and a retailer, period by period") {
  GIVEN("wh sells to the shop at 3 a unit, invoice delay 1, payment delay 1, net 2") {
    // The shop orders 10 at period 0 and sells 2 a period at 6 in cash.
    ScenarioSpec s = priced_pair({10});
    s.lanes[0].invoice_delay = 1;
    s.lanes[0].payment_delay = 1;
    s.nodes[1].payment_terms.net = 2;
    WHEN("the run is recorded") {
      Run r = run(s);
      THEN("wh books revenue and a receivable of 30 when it ships at 0 and gets paid at 3") {
        const double cash[] = {0, 0, 0, 30, 30, 30};
        const double receivables[] = {30, 30, 30, 0, 0, 0};
        for (int t = 0; t < 6; ++t) {
          CAPTURE(t);
          const NodePeriod& n = r.node_at("wh", t);
          CHECK(n.revenue == doctest::Approx(t == 0 ? 30 : 0));
          CHECK(n.cash == doctest::Approx(cash[t]));
          CHECK(n.receivables == doctest::Approx(receivables[t]));
          CHECK(n.payables == 0);
          CHECK(n.paid_in == doctest::Approx(t == 3 ? 30 : 0));
        }
      }
      THEN("the shop books the purchase and a payable when the invoice arrives at 1 and pays at 2") {
        // Cash: +12 of sales each period, -30 paid at the boundary of 2.
        const double cash[] = {12, 24, 6, 18, 30, 42};
        const double payables[] = {0, 30, 0, 0, 0, 0};
        for (int t = 0; t < 6; ++t) {
          CAPTURE(t);
          const NodePeriod& n = r.node_at("shop", t);
          CHECK(n.revenue == doctest::Approx(12));
          CHECK(n.costs[static_cast<std::size_t>(CostKind::kPurchase)] == doctest::Approx(t == 1 ? 30 : 0));
          CHECK(n.payables == doctest::Approx(payables[t]));
          CHECK(n.paid_out == doctest::Approx(t == 2 ? 30 : 0));
          CHECK(n.cash == doctest::Approx(cash[t]));
          CHECK(n.receivables == 0);
        }
      }
    }
  }
}

TEST_CASE("each partial shipment of an order is invoiced when it ships") {
  // The lane carries at most 4 a period: the order of 10 ships as 4, 4, 2,
  // each invoiced at 3 a unit; the shop's terms (net 100) keep them open.
  ScenarioSpec s = priced_pair({10}, 4);
  s.lanes[0].capacity_per_period = 4;
  s.nodes[1].payment_terms.net = 100;
  Run r = run(s);
  const double invoiced[] = {12, 12, 6, 0};
  double open = 0;
  for (int t = 0; t < 4; ++t) {
    CAPTURE(t);
    open += invoiced[t];
    CHECK(r.node_at("wh", t).revenue == doctest::Approx(invoiced[t]));
    CHECK(r.node_at("wh", t).receivables == doctest::Approx(open));
    CHECK(r.node_at("shop", t).payables == doctest::Approx(open));
    CHECK(r.cost("shop", CostKind::kPurchase, t) == doctest::Approx(invoiced[t]));
  }
  CHECK(r.net->nodes()[1].account.open_payables() == 3);
}

TEST_CASE("a payment is made when the invoice arrives due, else at the first period boundary at or after it is due") {
  ScenarioSpec s = priced_pair({10}, 5);
  double net = 0.0, invoice_delay = 0.0;
  int paid_at = -1;
  SUBCASE("net 1.5 from issue at 0: paid at 2") {
    net = 1.5;
    paid_at = 2;
  }
  SUBCASE("net 0 with the invoice arriving at 0: paid as it arrives, at 0") {
    net = 0;
    paid_at = 0;
  }
  SUBCASE("net 1 with the invoice arriving at 0.5: paid at 1") {
    net = 1;
    invoice_delay = 0.5;
    paid_at = 1;
  }
  s.nodes[1].payment_terms.net = net;
  s.lanes[0].invoice_delay = invoice_delay;
  CAPTURE(net);
  CAPTURE(invoice_delay);
  Run r = run(s);
  for (int t = 0; t < 5; ++t) {
    CAPTURE(t);
    CHECK(r.node_at("shop", t).paid_out == doctest::Approx(t == paid_at ? 30 : 0));
    CHECK(r.node_at("wh", t).paid_in == doctest::Approx(t == paid_at ? 30 : 0));
  }
}

TEST_CASE("an invoice that arrives after it fell due is paid at the boundary where it arrives") {
  // Net 1 from issue at 0, but the invoice takes 2 to arrive. Phase 1 books
  // arriving invoices and pays those due (docs/timing.md): paid at 2.
  ScenarioSpec s = priced_pair({10}, 5);
  s.nodes[1].payment_terms.net = 1;
  s.lanes[0].invoice_delay = 2;
  Run r = run(s);
  CHECK(r.node_at("shop", 1).payables == 0);
  for (int t = 0; t < 5; ++t) {
    CAPTURE(t);
    CHECK(r.node_at("shop", t).paid_out == doctest::Approx(t == 2 ? 30 : 0));
    CHECK(r.node_at("shop", t).payables == 0);  // booked and paid in the same phase
    CHECK(r.node_at("wh", t).paid_in == doctest::Approx(t == 2 ? 30 : 0));
  }
}

TEST_CASE("an early-payment discount is taken by the buyer and given by the seller") {
  // Net 30, 2% off within 1: the shop pays 29.40 at the boundary of 1.
  ScenarioSpec s = priced_pair({10}, 4);
  s.nodes[1].payment_terms = {30.0, 0.02, 1.0};
  Run r = run(s);
  const NodePeriod& shop0 = r.node_at("shop", 0);
  const NodePeriod& shop1 = r.node_at("shop", 1);
  const NodePeriod& wh0 = r.node_at("wh", 0);
  const NodePeriod& wh1 = r.node_at("wh", 1);
  CHECK(shop0.payables == doctest::Approx(30));
  CHECK(shop0.costs[static_cast<std::size_t>(CostKind::kPurchase)] == doctest::Approx(30));
  CHECK(shop1.payables == doctest::Approx(0));
  CHECK(shop1.paid_out == doctest::Approx(29.4));
  CHECK(shop1.costs[static_cast<std::size_t>(CostKind::kPurchase)] == doctest::Approx(-0.6));
  CHECK(shop1.cash == doctest::Approx(24 - 29.4));
  CHECK(wh0.revenue == doctest::Approx(30));
  CHECK(wh0.receivables == doctest::Approx(30));
  CHECK(wh1.paid_in == doctest::Approx(29.4));
  CHECK(wh1.cash == doctest::Approx(29.4));
  CHECK(wh1.receivables == doctest::Approx(0));
  CHECK(wh1.revenue == doctest::Approx(-0.6));
}

TEST_CASE("end customers pay the product price in cash when served, including backorders served later") {
  // 1 on hand, demand 2 a period at price 6; 5 more land at period 1.
  ScenarioSpec s = priced_pair({5}, 3);
  s.nodes[1].stocks[0].initial = 1;
  s.nodes[1].initial_cash = 100;
  s.lanes[0].price = 0;  // no invoices: the shop's cash is its sales
  Run r = run(s);
  CHECK(r.at("shop", "item", 0).backlog == 1);
  CHECK(r.node_at("shop", 0).revenue == doctest::Approx(6));
  CHECK(r.node_at("shop", 0).cash == doctest::Approx(106));
  CHECK(r.at("shop", "item", 1).shipped == 3);  // the backorder and this period's 2
  CHECK(r.node_at("shop", 1).revenue == doctest::Approx(18));
  CHECK(r.node_at("shop", 1).cash == doctest::Approx(124));
  CHECK(r.node_at("shop", 1).receivables == 0);
  CHECK(r.node_at("wh", 1).revenue == 0);
}

TEST_CASE("holding cost is paid on the time integral of on hand and backorder cost is booked on the backlog integral") {
  // The shop has nothing at 0 and demand 3 a period; its order of 10 at 0
  // lands at 0.5. Period 0: backlog 3 for half a period, then 7 on hand for
  // the other half.
  ScenarioSpec s;
  s.horizon = 4;
  s.products = {product("item")};
  StockSpec st = stock("item", 0, plan_orders({10}), {from("wh")});
  st.demand = {constant_demand(3)};
  s.nodes = {node("wh", NodeKind::kWarehouse, {stock("item", 100, no_orders())}),
             node("shop", NodeKind::kRetailer, {st})};
  s.nodes[1].holding_cost = 2;
  s.nodes[1].backorder_cost = 4;
  s.lanes = {lane("wh", "shop", 0.5)};
  Run r = run(s);
  const double on_hand_integral[] = {3.5, 4, 1, 0};
  const double backlog_integral[] = {1.5, 0, 0, 2};
  double cash = 0.0;
  for (int t = 0; t < 4; ++t) {
    CAPTURE(t);
    CHECK(r.at("shop", "item", t).on_hand_avg == doctest::Approx(on_hand_integral[t]));
    CHECK(r.at("shop", "item", t).backlog_avg == doctest::Approx(backlog_integral[t]));
    CHECK(r.cost("shop", CostKind::kHolding, t) == doctest::Approx(2 * on_hand_integral[t]));
    CHECK(r.cost("shop", CostKind::kBackorder, t) == doctest::Approx(4 * backlog_integral[t]));
    cash -= 2 * on_hand_integral[t];  // holding is paid, backorder cost is not
    CHECK(r.node_at("shop", t).cash == doctest::Approx(cash));
  }
  CHECK(r.cost("wh", CostKind::kHolding, 0) == 0);
}

TEST_CASE("holding cost defaults to the node's holding rate times the unit value, and a stock may override it") {
  ScenarioSpec s;
  s.horizon = 2;
  s.products = {product("item", 5.0)};
  s.nodes = {node("shop", NodeKind::kRetailer, {stock("item", 10, no_orders())})};
  s.nodes[0].holding_rate = 0.1;
  SUBCASE("rate 0.1 of unit value 5") {
    Run r = run(s);
    CHECK(r.cost("shop", CostKind::kHolding, 0) == doctest::Approx(5));
    CHECK(r.at("shop", "item", 0).stock_value == doctest::Approx(50));
  }
  SUBCASE("stock holding_cost 1") {
    s.nodes[0].stocks[0].holding_cost = 1.0;
    Run r = run(s);
    CHECK(r.cost("shop", CostKind::kHolding, 0) == doctest::Approx(10));
  }
}

TEST_CASE("the ordering cost is paid per order line") {
  // Two suppliers on equal shares: an order of 6 is two lines, one of 3 too.
  ScenarioSpec s;
  s.horizon = 4;
  s.products = {product("item")};
  s.nodes = {node("sup1", NodeKind::kSupplier), node("sup2", NodeKind::kSupplier),
             node("shop", NodeKind::kRetailer,
                  {stock("item", 0, plan_orders({6, 0, 3}), {from("sup1"), from("sup2")})})};
  s.nodes[2].ordering_cost = 7;
  s.lanes = {lane("sup1", "shop", 1), lane("sup2", "shop", 1)};
  Run r = run(s);
  const double lines[] = {2, 0, 2, 0};
  const double cash[] = {-14, -14, -28, -28};
  for (int t = 0; t < 4; ++t) {
    CAPTURE(t);
    CHECK(r.at("shop", "item", t).order_lines == lines[t]);
    CHECK(r.cost("shop", CostKind::kOrdering, t) == doctest::Approx(7 * lines[t]));
    CHECK(r.node_at("shop", t).cash == doctest::Approx(cash[t]));
  }
}

TEST_CASE("units and money balance in a network running every flow at once") {
  // Random demand, lead times, yields and reliability; production from a
  // bill of materials; returns; VMI; sharing; discounts and delays on every
  // finance message; costs of every kind. The audit runs as each period
  // closes (between instants, so every message is either sent or booked) and
  // again at the end.
  ScenarioSpec s;
  s.horizon = 150;
  s.products = {product("part", 2.0), product("good", 5.0, 12.0)};
  // Parts perish (expiry, disposal, batches issued to production).
  s.products[0].shelf_life = Distribution::uniform(1.5, 4.0);
  s.products[0].disposal_cost = 0.2;
  NodeSpec sup = node("sup", NodeKind::kSupplier);
  sup.lead_time = Distribution::uniform(0.0, 2.0);
  sup.reliability = 0.9;
  sup.shortfall = 0.5;
  sup.yield = Distribution::uniform(0.9, 1.0);
  sup.material_cost = 1.0;
  sup.capacity = 80;
  StockSpec good = stock("good", 40, base_stock(60));
  ProductionSpec line;
  line.inputs = {{"part", 2.0}};
  line.lead_time = Distribution::constant(1.0);
  line.capacity = 40;
  line.cost = 0.5;
  good.production = line;
  NodeSpec plant = node("plant", NodeKind::kFactory, {stock("part", 80, base_stock(120), {from("sup")}), good});
  plant.holding_cost = 0.05;
  plant.payment_terms = {10.0, 0.01, 2.0};
  NodeSpec wh = node("wh", NodeKind::kWarehouse, {stock("good", 40, base_stock(60), {from("plant")})});
  wh.holding_cost = 0.1;
  wh.ordering_cost = 3;
  wh.payment_terms.net = 4;
  StockSpec s1 = stock("good", 20, base_stock(12), {from("wh")});
  s1.demand = {poisson_demand(8)};
  ReturnsSpec ret;
  ret.fraction = 0.1;
  ret.delay = Distribution::uniform(0.0, 3.0);
  ret.restock_fraction = 0.6;
  ret.refund = 0.9;
  ret.scrap_cost = 1.0;
  s1.returns = ret;
  StockSpec s2 = stock("good", 20, base_stock(14), {from("wh")});
  s2.demand = {poisson_demand(6)};
  s2.vmi = true;
  NodeSpec shop1 = node("shop1", NodeKind::kRetailer, {s1});
  shop1.unmet_demand = UnmetDemand::kLost;
  shop1.lost_sale_cost = 4;
  shop1.payment_terms.net = 3;
  NodeSpec shop2 = node("shop2", NodeKind::kRetailer, {s2});
  shop2.backorder_cost = 1;
  shop2.initial_cash = 500;
  s.nodes = {sup, plant, wh, shop1, shop2};
  s.lanes = {lane("sup", "plant", 1), lane("plant", "wh", 1, 1), lane("wh", "shop1", 1), lane("wh", "shop2", 1, 1)};
  s.lanes[0].price = 2.5;
  s.lanes[0].invoice_delay = 0.5;
  s.lanes[0].payment_delay = 1;
  s.lanes[1].price = 8;
  s.lanes[1].transport_time = Distribution::uniform(0.5, 2.5);
  s.lanes[1].cost_per_shipment = 5;
  s.lanes[1].capacity_per_shipment = 15;
  s.lanes[2].price = 10;
  s.lanes[2].invoice_delay = 1;
  s.lanes[2].payment_delay = 0.25;
  s.lanes[2].cost_per_unit = 0.2;
  s.lanes[3].price = 10;
  s.sharing.pos = true;
  // A segment buying at both shops, churning, won back and acquired, with
  // every cost to serve (the customer audit runs with the others).
  SegmentSpec seg;
  seg.id = "regulars";
  seg.size = 40;
  seg.channels = {{"shop1", "", 0.5}, {"shop2", "good", 0.5}};
  seg.orders.rate = 0.1;
  seg.orders.size = Distribution::uniform(1.0, 3.0);
  seg.price_factor = 0.9;
  seg.unmet = CustomerUnmet::kPatience;
  seg.patience = 1.5;
  seg.churn.intrinsic = 0.02;
  seg.churn.q = 0.3;
  seg.win_back = 0.05;
  seg.acquisition = {1.0, 0.01, 5.0};
  seg.cost_to_serve = {0.5, 0.1, 0.05};
  s.customers = {seg};
  struct AuditEachPeriod final : ObservationSink {
    const Network* net = nullptr;
    int audits = 0;
    void on_node_period(const NodePeriod& n) override {
      if (n.node != 0) return;
      net->audit();  // throws ModelError with the figures when they do not balance
      ++audits;
    }
  } auditor;
  Run r;
  r.net = build_network(s, 3, 0);
  auditor.net = r.net.get();
  r.net->add_sink(&r.rec);
  r.net->add_sink(&auditor);
  CHECK_NOTHROW(r.net->run());
  CHECK(auditor.audits == s.horizon);
  CHECK_NOTHROW(r.net->audit());
  double sales = 0.0;
  for (const NodePeriod& n : r.rec.nodes) sales += n.revenue;
  CHECK(sales > 0);
  CHECK(r.net->unit_totals().sold > 0);
  CHECK(r.net->unit_totals().started > 0);
  CHECK(r.net->unit_totals().restocked > 0);
  CHECK(r.net->unit_totals().expired > 0);
  CHECK(r.net->money_totals().customer_cash > 0);
  for (int k = 0; k < kCostKinds; ++k) {
    double total = 0.0;
    for (const NodePeriod& n : r.rec.nodes) total += n.costs[static_cast<std::size_t>(k)];
    const std::string kind = cost_kind_name(static_cast<CostKind>(k));
    CAPTURE(kind);
    CHECK(total > 0);  // every kind of cost was booked somewhere
  }
}

TEST_CASE("sinks are told the run's shape before the first record and what is open after the last, and a series recorder never reallocates") {
  const ScenarioSpec s = serial_chain(3, 30, 2, 1, poisson_demand(8), 25);
  struct Shape final : ObservationSink {
    RunShape shape;
    RunEnd end;
    int starts = 0, ends = 0;
    bool early = true;  // on_start came before every record
    bool late = true;   // on_end came after every record
    void on_start(const RunShape& r) override {
      shape = r;
      ++starts;
    }
    void on_stock_period(const StockPeriod&) override {
      early = early && starts == 1;
      late = late && ends == 0;
    }
    void on_end(const RunEnd& e) override {
      end = e;
      ++ends;
    }
  } probe;
  Run r;
  r.net = build_network(s, 1, 0);
  r.net->add_sink(&probe);
  r.net->add_sink(&r.rec);
  r.net->run();
  CHECK(probe.starts == 1);
  CHECK(probe.early);
  CHECK(probe.ends == 1);
  CHECK(probe.late);
  CHECK(probe.shape.periods == 25);
  REQUIRE(probe.shape.stocks.size() == r.net->stocks().size());
  CHECK(probe.shape.nodes.size() == r.net->nodes().size());
  CHECK(probe.shape.lanes.size() == r.net->lanes().size());
  for (const StockPoint& sp : r.net->stocks()) {
    CAPTURE(sp.name);
    const StockShape& shape = probe.shape.stocks[sp.id];
    CHECK(shape.name == sp.name);
    CHECK(shape.infinite == sp.infinite);
    CHECK(shape.end_demand == (sp.name == "retailer/item"));
    CHECK(shape.replenished == !sp.infinite);
    // What the network still has open at the horizon, as the end observation says.
    CHECK(probe.end.stocks[sp.id].open_orders == sp.open_orders.size());
  }
  CHECK(probe.end.time == 25);
  // Reserved once for the whole run: the capacity is exactly what was used.
  CHECK(r.rec.stocks.size() == 25 * r.net->stocks().size());
  CHECK(r.rec.stocks.capacity() == r.rec.stocks.size());
  CHECK(r.rec.nodes.capacity() == r.rec.nodes.size());
  CHECK(r.rec.lanes.capacity() == r.rec.lanes.size());
}

namespace {

// Keeps every logged event.
struct EventRecorder final : EventLog {
  std::vector<LoggedEvent> events;
  std::vector<std::string> what_ifs;
  void on_event(const LoggedEvent& e) override {
    events.push_back(e);
    if (e.what_if != nullptr) what_ifs.push_back(*e.what_if);
  }
  double total(LogEvent kind, double LoggedEvent::*field) const {
    double sum = 0;
    for (const LoggedEvent& e : events) sum += e.event == kind ? e.*field : 0.0;
    return sum;
  }
};

}  // namespace

TEST_CASE("the event log reports every order, shipment, receipt, sale, invoice, payment and what-if, in time order") {
  // A two-stage chain with Poisson demand, prices on both lanes, the
  // warehouse down from t = 5 for 3 periods.
  ScenarioSpec s = serial_chain(2, 12, 1, 0, poisson_demand(4), 20);
  for (LaneSpec& l : s.lanes) l.price = 2;
  EventSpec down;
  down.id = "wh_down";
  down.at = 5;
  down.duration = 3;
  down.action = ActionKind::kNodeDown;
  down.node = s.nodes[1].id;
  s.events = {down};
  auto net = build_network(s, 7, 0);
  SeriesRecorder rec;
  EventRecorder log;
  net->add_sink(&rec);
  net->set_event_log(&log);
  net->run();
  net->audit();
  REQUIRE_FALSE(log.events.empty());
  for (std::size_t i = 1; i < log.events.size(); ++i) CHECK(log.events[i - 1].time <= log.events[i].time);
  double ordered = 0, received = 0, sold = 0;
  for (const StockPeriod& p : rec.stocks) {
    ordered += p.ordered;
    received += p.received;
  }
  sold = net->unit_totals().sold;
  CHECK(log.total(LogEvent::kOrder, &LoggedEvent::qty) == doctest::Approx(ordered));
  CHECK(log.total(LogEvent::kReceipt, &LoggedEvent::qty) == doctest::Approx(received));
  CHECK(log.total(LogEvent::kSale, &LoggedEvent::qty) == doctest::Approx(sold));
  // Every shipment is invoiced at the lane's price, and every invoice paid (net 0).
  CHECK(log.total(LogEvent::kInvoice, &LoggedEvent::amount) ==
        doctest::Approx(2 * log.total(LogEvent::kShipment, &LoggedEvent::qty)));
  CHECK(log.total(LogEvent::kPayment, &LoggedEvent::amount) ==
        doctest::Approx(log.total(LogEvent::kInvoice, &LoggedEvent::amount)));
  // An order's shipments carry its id and add up to at most what was ordered.
  std::map<std::uint64_t, double> order_qty, shipped_qty;
  for (const LoggedEvent& e : log.events) {
    if (e.event == LogEvent::kOrder) order_qty[e.order] += e.qty;
    if (e.event == LogEvent::kShipment) shipped_qty[e.order] += e.qty;
  }
  for (const auto& shipped : shipped_qty) {
    const std::uint64_t id = shipped.first;  // not a structured binding: CAPTURE's lambda takes it
    CAPTURE(id);
    REQUIRE(order_qty.count(id) == 1);
    CHECK(shipped.second <= order_qty[id] + 1e-9);
  }
  CHECK(log.what_ifs == std::vector<std::string>{"wh_down", "wh_down"});
  // Without a log the run is the same, bit for bit.
  auto quiet = build_network(s, 7, 0);
  SeriesRecorder rec2;
  quiet->add_sink(&rec2);
  quiet->run();
  REQUIRE(rec2.stocks.size() == rec.stocks.size());
  for (std::size_t i = 0; i < rec.stocks.size(); ++i) CHECK(rec2.stocks[i].on_hand == rec.stocks[i].on_hand);
}

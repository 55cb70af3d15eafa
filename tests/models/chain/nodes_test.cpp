// Each node kind and feature on its own, in a network of two to four nodes,
// with every expected value worked out by hand from docs/timing.md: an order
// placed at the review of t with order delay l reaches the seller at t+l
// (phase 2), ships then, and lands at the buyer at t+l+L (phase 1).
#include <doctest/doctest.h>

#include <cmath>

#include "tests/models/chain_helpers.h"

using namespace chainsim::models;
using namespace chainsim::models::testing;
using chainsim::sim::Distribution;

namespace {

// sup (a supplier) -> shop, the shop ordering `plan` (one entry per period).
ScenarioSpec supplier_to_shop(NodeSpec sup, std::vector<double> plan, double transport = 1.0,
                              int horizon = 6) {
  ScenarioSpec s;
  s.horizon = horizon;
  s.products = {product("item")};
  sup.id = "sup";
  sup.kind = NodeKind::kSupplier;
  s.nodes = {sup, node("shop", NodeKind::kRetailer, {stock("item", 0, plan_orders(std::move(plan)), {from("sup")})})};
  s.lanes = {lane("sup", "shop", transport)};
  return s;
}

NodeSpec supplier() { return node("sup", NodeKind::kSupplier); }

// sup -> plant -> shop. The plant assembles a kit from one a and two b,
// make-to-order, lead time 2; a and b are held at the plant on base-stock
// policies fed by sup (transport 1). The shop orders `plan`; order delay 1
// on plant -> shop, transport 1.
ScenarioSpec kit_factory(std::vector<double> plan, int horizon = 8) {
  ScenarioSpec s;
  s.horizon = horizon;
  s.products = {product("a"), product("b"), product("kit")};
  StockSpec kit = stock("kit", 0, make_to_order());
  ProductionSpec pr;
  pr.inputs = {{"a", 1.0}, {"b", 2.0}};
  pr.lead_time = Distribution::constant(2.0);
  kit.production = pr;
  s.nodes = {supplier(),
             node("plant", NodeKind::kFactory,
                  {stock("a", 10, base_stock(10), {from("sup")}), stock("b", 20, base_stock(20), {from("sup")}), kit}),
             node("shop", NodeKind::kRetailer, {stock("kit", 0, plan_orders(std::move(plan)), {from("plant")})})};
  s.lanes = {lane("sup", "plant", 1), lane("plant", "shop", 1, 1)};
  return s;
}

ProductionSpec& kit_line(ScenarioSpec& s) { return *s.nodes[1].stocks[2].production; }

}  // namespace

// --- suppliers -------------------------------------------------------------

TEST_CASE("a supplier dispatches after its lead time and the shipment then travels the lane") {
  NodeSpec sup = supplier();
  sup.lead_time = Distribution::constant(2.0);
  Run r = run(supplier_to_shop(sup, {5}));
  // Ordered at 0, received by sup at 0, dispatched with lead time 2 and
  // transport 1: on the shop's shelf at 0 + 2 + 1 = 3.
  CHECK(r.at("sup", "item", 0).demand == 5);
  CHECK(r.at("sup", "item", 0).shipped == 5);
  CHECK(r.lane_at("sup->shop", 0).shipped == 5);
  for (int t = 0; t < 6; ++t) {
    CAPTURE(t);
    CHECK(r.at("shop", "item", t).received == (t == 3 ? 5 : 0));
    CHECK(r.at("shop", "item", t).on_order == (t < 3 ? 5 : 0));
    CHECK(r.at("shop", "item", t).on_hand == (t < 3 ? 0 : 5));
    CHECK(r.lane_at("sup->shop", t).in_transit == (t < 3 ? 5 : 0));
    CHECK(r.lane_at("sup->shop", t).delivered == (t == 3 ? 5 : 0));
  }
}

TEST_CASE("a supplier's capacity caps the units dispatched per period and the rest waits in its backlog") {
  SUBCASE("one product") {
    NodeSpec sup = supplier();
    sup.capacity = 4;
    Run r = run(supplier_to_shop(sup, {10}));
    const double shipped[] = {4, 4, 2, 0, 0, 0};
    const double backlog[] = {6, 2, 0, 0, 0, 0};
    for (int t = 0; t < 6; ++t) {
      CAPTURE(t);
      CHECK(r.at("sup", "item", t).shipped == shipped[t]);
      CHECK(r.at("sup", "item", t).backlog == backlog[t]);
      CHECK(r.at("shop", "item", t).received == (t >= 1 ? shipped[t - 1] : 0));
    }
  }
  SUBCASE("the capacity is shared by every product the supplier sells") {
    ScenarioSpec s;
    s.horizon = 3;
    s.products = {product("a"), product("b")};
    NodeSpec sup = supplier();
    sup.capacity = 4;
    s.nodes = {sup, node("shop", NodeKind::kRetailer,
                         {stock("a", 0, plan_orders({3}), {from("sup")}), stock("b", 0, plan_orders({3}), {from("sup")})})};
    s.lanes = {lane("sup", "shop", 1)};
    Run r = run(s);
    CHECK(r.at("sup", "a", 0).shipped + r.at("sup", "b", 0).shipped == 4);
    CHECK(r.at("sup", "a", 1).shipped + r.at("sup", "b", 1).shipped == 2);
    CHECK(r.at("shop", "a", 2).on_hand == 3);
    CHECK(r.at("shop", "b", 2).on_hand == 3);
  }
}

TEST_CASE("an unreliable supplier ships the shortfall share of a line and the rest is never delivered") {
  SUBCASE("reliability 0 with shortfall 0.5 ships half of every line") {
    NodeSpec sup = supplier();
    sup.reliability = 0.0;
    sup.shortfall = 0.5;
    Run r = run(supplier_to_shop(sup, {10}));
    CHECK(r.at("sup", "item", 0).shipped == 5);
    CHECK(r.at("sup", "item", 0).backlog == 0);  // the short part is not backordered
    CHECK(r.at("shop", "item", 0).on_order == 10);
    CHECK(r.at("shop", "item", 1).received == 5);
    CHECK(r.at("shop", "item", 1).on_hand == 5);
    CHECK(r.at("shop", "item", 1).on_order == 0);  // the shipment closes the whole line
    CHECK(r.at("shop", "item", 1).position == 5);
  }
  SUBCASE("reliability 1 ships every line complete") {
    NodeSpec sup = supplier();
    sup.shortfall = 0.5;
    Run r = run(supplier_to_shop(sup, {10}));
    CHECK(r.at("shop", "item", 1).received == 10);
  }
  SUBCASE("reliability p ships about p of the lines complete") {
    NodeSpec sup = supplier();
    sup.reliability = 0.7;
    sup.shortfall = 0.0;
    const int n = 400;
    ScenarioSpec s = supplier_to_shop(sup, {10}, 1.0, n + 1);
    s.nodes[1].stocks[0].policy = plan_orders({10}, AfterPlan::kRepeat);  // one line a period
    Run r = run(s);
    int complete = 0;
    for (int t = 1; t <= n; ++t) {
      const double got = r.at("shop", "item", t).received;
      CHECK((got == 0 || got == 10));
      complete += got == 10 ? 1 : 0;
    }
    // Binomial(400, 0.7): sd = sqrt(400 * 0.7 * 0.3) = 9.2; four sd either side.
    const double sd = std::sqrt(n * 0.7 * 0.3);
    CAPTURE(complete);
    CHECK(std::abs(complete - 0.7 * n) < 4 * sd);
  }
}

TEST_CASE("a supplier's draws for one customer do not depend on another customer's orders") {
  // One unreliable supplier (reliability 0.5, random dispatch lead time)
  // serves shops a and b. Shop b orders every period in one variant and
  // every other period in the other: shop a's receipts must be the same in
  // both (each lane and product draws from its own stream).
  auto chain = [](std::vector<double> b_plan) {
    ScenarioSpec s;
    s.horizon = 60;
    s.products = {product("item")};
    NodeSpec sup = supplier();
    sup.reliability = 0.5;
    sup.shortfall = 0.0;
    sup.lead_time = Distribution::uniform_int(0, 3);
    PolicySpec a_plan = plan_orders({10}, AfterPlan::kRepeat);
    PolicySpec b = plan_orders(std::move(b_plan), AfterPlan::kRepeat);
    s.nodes = {sup, node("a", NodeKind::kRetailer, {stock("item", 0, a_plan, {from("sup")})}),
               node("b", NodeKind::kRetailer, {stock("item", 0, b, {from("sup")})})};
    s.lanes = {lane("sup", "a", 1), lane("sup", "b", 1)};
    return s;
  };
  Run r1 = run(chain({10}));
  Run r2 = run(chain({10, 0}));
  int complete = 0, differ_b = 0;
  for (int t = 0; t < 60; ++t) {
    CAPTURE(t);
    CHECK(r1.at("a", "item", t).received == r2.at("a", "item", t).received);
    complete += r1.at("a", "item", t).received > 0 ? 1 : 0;
    differ_b += r1.at("b", "item", t).received != r2.at("b", "item", t).received ? 1 : 0;
  }
  CHECK(complete > 0);   // the draws are random: some lines complete ...
  CHECK(complete < 60);  // ... and some not
  CHECK(differ_b > 0);   // and shop b's variants do differ
}

TEST_CASE("a supplier's yield keeps the good share of each shipment, rounded down to whole units") {
  NodeSpec sup = supplier();
  sup.yield = Distribution::constant(0.85);
  SUBCASE("yield alone") {
    Run r = run(supplier_to_shop(sup, {10}));
    CHECK(r.at("sup", "item", 0).shipped == 8);  // floor(8.5)
    CHECK(r.at("shop", "item", 1).received == 8);
    CHECK(r.at("shop", "item", 1).on_order == 0);
  }
  SUBCASE("yield on top of a shortfall") {
    sup.reliability = 0.0;
    sup.shortfall = 0.5;
    Run r = run(supplier_to_shop(sup, {10}));
    CHECK(r.at("shop", "item", 1).received == 4);  // floor(10 * 0.5 * 0.85)
  }
}

TEST_CASE("a supplier pays its material cost in cash on the good units it ships") {
  NodeSpec sup = supplier();
  sup.yield = Distribution::constant(0.8);
  sup.material_cost = 2.0;
  Run r = run(supplier_to_shop(sup, {10, 5}));
  CHECK(r.cost("sup", CostKind::kMaterial, 0) == doctest::Approx(16));  // 8 good units
  CHECK(r.cost("sup", CostKind::kMaterial, 1) == doctest::Approx(8));   // 4 good units
  CHECK(r.node_at("sup", 0).cash == doctest::Approx(-16));
  CHECK(r.node_at("sup", 1).cash == doctest::Approx(-24));
  CHECK(r.cost("shop", CostKind::kMaterial, 0) == 0);
}

// --- factories -------------------------------------------------------------

SCENARIO("a make-to-order factory assembles a kit from two components held at the factory") {
  GIVEN("a kit of one a and two b, production lead time 2, the shop ordering 3 kits at period 0") {
    ScenarioSpec s = kit_factory({3});
    WHEN("there is no request delay and no capacity limit") {
      Run r = run(s);
      THEN("the order reaches the plant at 1, production starts at 1 and the kits ship at 3") {
        for (int t = 0; t < 8; ++t) {
          CAPTURE(t);
          const StockPeriod& kit = r.at("plant", "kit", t);
          CHECK(kit.demand == (t == 1 ? 3 : 0));
          CHECK(kit.ordered == (t == 1 ? 3 : 0));
          CHECK(kit.on_order == (t == 1 || t == 2 ? 3 : 0));
          CHECK(kit.produced == (t == 3 ? 3 : 0));
          CHECK(kit.shipped == (t == 3 ? 3 : 0));
          CHECK(kit.on_hand == 0);
          CHECK(r.at("shop", "kit", t).received == (t == 4 ? 3 : 0));
        }
      }
      THEN("each kit consumes one a and two b when production starts") {
        CHECK(r.at("plant", "a", 1).consumed == 3);
        CHECK(r.at("plant", "b", 1).consumed == 6);
        CHECK(r.at("plant", "a", 1).on_hand == 7);
        CHECK(r.at("plant", "b", 1).on_hand == 14);
      }
      THEN("the components are reordered by their own base-stock policies the period they are consumed") {
        // The kit's review requests production; the line starts it at once
        // and only then do a and b review (docs/timing.md), so their
        // positions count the consumption: ordered at 1, back at 2.
        for (int t = 0; t < 8; ++t) {
          CAPTURE(t);
          CHECK(r.at("plant", "a", t).ordered == (t == 1 ? 3 : 0));
          CHECK(r.at("plant", "b", t).ordered == (t == 1 ? 6 : 0));
          CHECK(r.at("plant", "a", t).position == 10);  // base-stock: S at the end of every period
          CHECK(r.at("plant", "b", t).position == 20);
        }
        CHECK(r.at("plant", "a", 2).on_hand == 10);
        CHECK(r.at("plant", "b", 2).on_hand == 20);
      }
    }
    WHEN("the production order takes one period to reach the line") {
      kit_line(s).request_delay = 1;
      Run r = run(s);
      THEN("production starts at 2, finishes at 4 and the kits reach the shop at 5") {
        CHECK(r.at("plant", "kit", 1).ordered == 3);
        CHECK(r.at("plant", "a", 1).consumed == 0);
        CHECK(r.at("plant", "a", 2).consumed == 3);
        CHECK(r.at("plant", "kit", 3).produced == 0);
        CHECK(r.at("plant", "kit", 4).produced == 3);
        CHECK(r.at("plant", "kit", 3).on_order == 3);
        CHECK(r.at("shop", "kit", 5).received == 3);
      }
    }
    WHEN("the line starts at most 2 units per period") {
      kit_line(s).capacity = 2;
      Run r = run(s);
      THEN("2 kits start at 1 and the third at 2") {
        CHECK(r.at("plant", "a", 1).consumed == 2);
        CHECK(r.at("plant", "a", 2).consumed == 1);
        CHECK(r.at("plant", "kit", 3).produced == 2);
        CHECK(r.at("plant", "kit", 4).produced == 1);
        CHECK(r.at("shop", "kit", 4).received == 2);
        CHECK(r.at("shop", "kit", 5).received == 1);
      }
    }
  }
}

TEST_CASE("production runs in whole batches within the line's capacity") {
  ScenarioSpec s = kit_factory({4});
  kit_line(s).capacity = 3;
  SUBCASE("batch 2: two runs of 2") {
    kit_line(s).batch = 2;
    Run r = run(s);
    CHECK(r.at("plant", "kit", 3).produced == 2);
    CHECK(r.at("plant", "kit", 4).produced == 2);
  }
  SUBCASE("no batch: 3 then 1") {
    Run r = run(s);
    CHECK(r.at("plant", "kit", 3).produced == 3);
    CHECK(r.at("plant", "kit", 4).produced == 1);
  }
}

TEST_CASE("production starts only what the scarcest component allows and resumes when it arrives") {
  ScenarioSpec s = kit_factory({3});
  s.nodes[1].stocks[1] = stock("b", 4, no_orders());
  s.lanes[0].initial_shipments = {{"b", {0, 0, 0, 2}}};  // 2 b land at period 3
  Run r = run(s);
  CHECK(r.at("plant", "b", 1).consumed == 4);  // 2 kits
  CHECK(r.at("plant", "a", 1).consumed == 2);
  CHECK(r.at("plant", "b", 3).consumed == 2);  // the third kit
  CHECK(r.at("plant", "kit", 3).produced == 2);
  CHECK(r.at("plant", "kit", 5).produced == 1);
  CHECK(r.at("shop", "kit", 4).received == 2);
  CHECK(r.at("shop", "kit", 6).received == 1);
}

TEST_CASE("a make-to-order factory produces each order as it arrives while each component follows its own policy") {
  ScenarioSpec s = kit_factory({3, 0, 5, 2}, 8);
  PolicySpec ss;
  ss.type = PolicyType::kMinMax;
  ss.s = 10;
  ss.S = 20;
  s.nodes[1].stocks[1].policy = ss;  // b on (s=10, S=20)
  Run r = run(s);
  // Orders reach the plant one period later and production is requested and
  // started the same period; a (base-stock) reorders each period's use that
  // period; b (s, S) waits until its position falls to 10 or below.
  const double requested[] = {0, 3, 0, 5, 2, 0, 0, 0};
  const double a_ordered[] = {0, 3, 0, 5, 2, 0, 0, 0};
  // b: 20 - 6 = 14 at 1 (no order); 14 - 10 = 4 at 3, so at 3 it orders 16.
  const double b_ordered[] = {0, 0, 0, 16, 0, 0, 0, 0};
  for (int t = 0; t < 8; ++t) {
    CAPTURE(t);
    CHECK(r.at("plant", "kit", t).ordered == requested[t]);
    CHECK(r.at("plant", "kit", t).produced == (t >= 2 ? requested[t - 2] : 0));
    CHECK(r.at("plant", "a", t).ordered == a_ordered[t]);
    CHECK(r.at("plant", "b", t).ordered == b_ordered[t]);
  }
}

SCENARIO("variants are finished at the distribution centre from a generic product only when ordered") {
  GIVEN("a DC holding a generic product and making red and blue from it to order in one period") {
    ScenarioSpec s;
    s.horizon = 7;
    s.products = {product("generic"), product("red"), product("blue")};
    ProductionSpec finish;
    finish.inputs = {{"generic", 1.0}};
    finish.lead_time = Distribution::constant(1.0);
    StockSpec red = stock("red", 0, make_to_order());
    red.production = finish;
    StockSpec blue = stock("blue", 0, make_to_order());
    blue.production = finish;
    s.nodes = {supplier(),
               node("dc", NodeKind::kWarehouse, {stock("generic", 10, base_stock(10), {from("sup")}), red, blue}),
               node("shop", NodeKind::kRetailer,
                    {stock("red", 0, plan_orders({2, 0, 1}), {from("dc")}),
                     stock("blue", 0, plan_orders({0, 3}), {from("dc")})})};
    s.lanes = {lane("sup", "dc", 1), lane("dc", "shop", 1, 1)};
    WHEN("the shop orders 2 red at 0, 3 blue at 1 and 1 red at 2") {
      Run r = run(s);
      THEN("each variant is made the period its order arrives and ships when finished") {
        const double red_made[] = {0, 0, 2, 0, 1, 0, 0};
        const double blue_made[] = {0, 0, 0, 3, 0, 0, 0};
        for (int t = 0; t < 7; ++t) {
          CAPTURE(t);
          CHECK(r.at("dc", "red", t).produced == red_made[t]);
          CHECK(r.at("dc", "blue", t).produced == blue_made[t]);
          CHECK(r.at("dc", "red", t).on_hand == 0);  // no finished variant is stocked
          CHECK(r.at("dc", "blue", t).on_hand == 0);
          CHECK(r.at("shop", "red", t).received == (t >= 1 ? red_made[t - 1] : 0));
          CHECK(r.at("shop", "blue", t).received == (t >= 1 ? blue_made[t - 1] : 0));
        }
      }
      THEN("the generic stock is consumed by both variants and replenished on its own policy") {
        const double consumed[] = {0, 2, 3, 1, 0, 0, 0};
        const double ordered[] = {0, 2, 3, 1, 0, 0, 0};  // the period it is consumed
        for (int t = 0; t < 7; ++t) {
          CAPTURE(t);
          CHECK(r.at("dc", "generic", t).consumed == consumed[t]);
          CHECK(r.at("dc", "generic", t).ordered == ordered[t]);
        }
      }
    }
  }
}

// --- warehouses --------------------------------------------------------------

TEST_CASE("a warehouse short of stock allocates it among several retailers by its allocation rule") {
  // wh has 10; r1, r2 and r3 each order 6 at period 0 (lane priorities 0, 1,
  // 2); 8 more land at wh at period 2 and settle every line.
  ScenarioSpec s;
  s.horizon = 5;
  s.products = {product("item")};
  s.nodes = {supplier(), node("wh", NodeKind::kWarehouse, {stock("item", 10, no_orders())})};
  s.lanes = {lane("sup", "wh", 1)};
  s.lanes[0].initial_shipments = {{"item", {0, 0, 8}}};
  for (int i = 1; i <= 3; ++i) {
    const std::string id = "r" + std::to_string(i);
    s.nodes.push_back(node(id, NodeKind::kRetailer, {stock("item", 0, plan_orders({6}), {from("wh")})}));
    s.lanes.push_back(lane("wh", id, 1));
    s.lanes.back().priority = i - 1;
  }
  std::vector<double> first;
  SUBCASE("fifo serves the lines in arrival order") {
    s.nodes[1].allocation = AllocationKind::kFifo;
    first = {6, 4, 0};
  }
  SUBCASE("priority serves the highest lane priority first") {
    s.nodes[1].allocation = AllocationKind::kPriority;
    first = {0, 4, 6};
  }
  SUBCASE("proportional shares the stock in whole units, the remainder to the oldest line") {
    s.nodes[1].allocation = AllocationKind::kProportional;
    first = {4, 3, 3};  // 10/18 of 6 = 3.33 each
  }
  Run r = run(s);
  CHECK(r.at("wh", "item", 0).demand == 18);
  CHECK(r.at("wh", "item", 0).shipped == 10);
  CHECK(r.at("wh", "item", 0).backlog == 8);
  CHECK(r.at("wh", "item", 2).shipped == 8);
  CHECK(r.at("wh", "item", 2).backlog == 0);
  for (int i = 0; i < 3; ++i) {
    const std::string id = "r" + std::to_string(i + 1);
    CAPTURE(id);
    CHECK(r.at(id, "item", 1).received == first[static_cast<std::size_t>(i)]);
    CHECK(r.at(id, "item", 3).received == 6 - first[static_cast<std::size_t>(i)]);
    CHECK(r.at(id, "item", 4).on_hand == 6);
  }
}

TEST_CASE("each customer demand stream keeps its own allocation priority") {
  // wh has 10 and two streams of 5 end customers a period, priorities 0 and
  // 10; a shop (lane priority 5) orders 5 at period 0. Priority allocation:
  // the priority-10 customers, then the shop, then nothing for priority 0.
  ScenarioSpec s;
  s.horizon = 1;
  s.products = {product("item")};
  StockSpec st = stock("item", 10, no_orders());
  DemandSpec low = constant_demand(5), high = constant_demand(5);
  high.priority = 10;
  st.demand = {low, high};
  s.nodes = {node("wh", NodeKind::kWarehouse, {st}),
             node("shop", NodeKind::kRetailer, {stock("item", 0, no_orders(), {from("wh")})})};
  s.nodes[0].allocation = AllocationKind::kPriority;
  s.nodes[0].unmet_demand = UnmetDemand::kLost;
  s.lanes = {lane("wh", "shop", 1)};
  s.lanes[0].priority = 5;
  s.lanes[0].initial_orders = {{"item", {5}}};
  Run r = run(s);
  const StockPeriod& wh = r.at("wh", "item", 0);
  CHECK(wh.demand == 15);
  CHECK(wh.customer_demand == 10);
  CHECK(wh.shipped == 10);
  CHECK(wh.lost == 5);  // the priority-0 stream
  CHECK(r.lane_at("wh->shop", 0).shipped == 5);
}

TEST_CASE("a component's position counts the production waiting for it, so it orders what production wants") {
  // A make-to-order product from component c (base-stock 10, continuous
  // review, none on hand, transport 2): an order of 5 at period 0 asks the
  // line for 5 units of c. Production waiting for c is owed like a backlog
  // line, so c orders it at once (10 + 5 at period 0), and its consumption
  // at the arrival in period 2 leaves the position at 10: nothing to reorder.
  ScenarioSpec s;
  s.horizon = 10;
  s.products = {product("c"), product("p")};
  PolicySpec cont = base_stock(10);
  cont.review = ReviewMode::kContinuous;
  StockSpec p = stock("p", 0, make_to_order());
  ProductionSpec line;
  line.inputs = {{"c", 1.0}};
  line.lead_time = Distribution::constant(1.0);
  p.production = line;
  p.demand = {trace_demand({5})};
  s.nodes = {supplier(), node("plant", NodeKind::kRetailer, {stock("c", 0, cont, {from("sup")}), p})};
  s.lanes = {lane("sup", "plant", 2)};
  Run r = run(s);
  for (int t = 0; t < 10; ++t) {
    CAPTURE(t);
    CHECK(r.at("plant", "c", t).position == 10);
  }
  CHECK(r.at("plant", "c", 0).ordered == 15);
  CHECK(r.at("plant", "c", 2).received == 15);
  CHECK(r.at("plant", "c", 2).consumed == 5);
  CHECK(r.at("plant", "c", 2).on_hand == 10);
  CHECK(r.at("plant", "c", 2).ordered == 0);
  CHECK(r.at("plant", "p", 3).shipped == 5);  // produced in period 2, lead time 1
}

TEST_CASE("make-to-order components with zero lead times keep an assembly line up with demand") {
  // kit = 2 parts; every delay zero; demand 2 kits a period. The part is
  // make-to-order: it must order the 4 parts production waits for in the
  // same period (it did not while production's need was not in its
  // position, and the kit backlog grew by 2 a period).
  ScenarioSpec s;
  s.horizon = 20;
  s.products = {product("part"), product("kit")};
  StockSpec kit = stock("kit", 0, make_to_order());
  ProductionSpec line;
  line.inputs = {{"part", 2.0}};
  line.lead_time = Distribution::constant(0.0);
  kit.production = line;
  kit.demand = {constant_demand(2)};
  s.nodes = {supplier(), node("plant", NodeKind::kRetailer, {stock("part", 0, make_to_order(), {from("sup")}), kit})};
  s.lanes = {lane("sup", "plant", 0)};
  Run r = run(s);
  for (int t = 0; t < 20; ++t) {
    CAPTURE(t);
    CHECK(r.at("plant", "kit", t).shipped == 2);
    CHECK(r.at("plant", "kit", t).backlog == 0);
    CHECK(r.at("plant", "part", t).ordered == 4);
    CHECK(r.at("plant", "part", t).on_hand == 0);
  }
}

// --- retailers ---------------------------------------------------------------

TEST_CASE("a retailer backorders unmet demand or loses it") {
  // 5 on hand, demand 3 a period, no replenishment.
  ScenarioSpec s;
  s.horizon = 4;
  s.products = {product("item", 1.0, 2.0)};
  NodeSpec shop = node("shop", NodeKind::kRetailer, {stock("item", 5, no_orders())});
  shop.stocks[0].demand = {constant_demand(3)};
  shop.lost_sale_cost = 10;
  SUBCASE("backorder: the shortfall waits in the backlog and is not lost") {
    s.nodes = {shop};
    Run r = run(s);
    const double shipped[] = {3, 2, 0, 0};
    const double backlog[] = {0, 1, 4, 7};
    for (int t = 0; t < 4; ++t) {
      CAPTURE(t);
      CHECK(r.at("shop", "item", t).shipped == shipped[t]);
      CHECK(r.at("shop", "item", t).backlog == backlog[t]);
      CHECK(r.at("shop", "item", t).lost == 0);
      CHECK(r.at("shop", "item", t).position == 2 - 3 * t);
      CHECK(r.cost("shop", CostKind::kLostSale, t) == 0);
    }
  }
  SUBCASE("lost: the shortfall is counted as lost sales and costs lost_sale_cost a unit") {
    shop.unmet_demand = UnmetDemand::kLost;
    s.nodes = {shop};
    Run r = run(s);
    const double shipped[] = {3, 2, 0, 0};
    const double lost[] = {0, 1, 3, 3};
    for (int t = 0; t < 4; ++t) {
      CAPTURE(t);
      CHECK(r.at("shop", "item", t).customer_demand == 3);
      CHECK(r.at("shop", "item", t).shipped == shipped[t]);
      CHECK(r.at("shop", "item", t).lost == lost[t]);
      CHECK(r.at("shop", "item", t).backlog == 0);
      CHECK(r.at("shop", "item", t).stockout == (t >= 1));
      CHECK(r.cost("shop", CostKind::kLostSale, t) == doctest::Approx(10 * lost[t]));
    }
    // Lost-sale penalties never move cash: cash is the 5 units sold at 2.
    CHECK(r.node_at("shop", 3).cash == doctest::Approx(10));
  }
  SUBCASE("a stock's unmet_demand overrides its node's") {
    shop.unmet_demand = UnmetDemand::kLost;
    shop.stocks[0].unmet_demand = UnmetDemand::kBackorder;
    s.nodes = {shop};
    Run r = run(s);
    CHECK(r.at("shop", "item", 3).backlog == 7);
    CHECK(r.at("shop", "item", 3).lost == 0);
  }
}

TEST_CASE("a retailer starts with its initial backlog owed to end customers") {
  ScenarioSpec s;
  s.horizon = 3;
  s.products = {product("item")};
  SUBCASE("stock on hand serves the initial backlog at period 0") {
    StockSpec st = stock("item", 10, no_orders());
    st.initial_backlog = 4;
    s.nodes = {node("shop", NodeKind::kRetailer, {st})};
    Run r = run(s);
    const StockPeriod& p = r.at("shop", "item", 0);
    CHECK(p.shipped == 4);
    CHECK(p.demand == 0);  // owed from before the start, not this period's demand
    CHECK(p.met_immediately == 0);
    CHECK_FALSE(p.stockout);
    CHECK(p.on_hand == 6);
    CHECK(p.backlog == 0);
  }
  SUBCASE("without stock the policy sees the backlog in the position and orders it") {
    StockSpec st = stock("item", 0, base_stock(5), {from("sup")});
    st.initial_backlog = 4;
    s.nodes = {supplier(), node("shop", NodeKind::kRetailer, {st})};
    s.lanes = {lane("sup", "shop", 1)};
    Run r = run(s);
    CHECK(r.at("shop", "item", 0).backlog == 4);
    CHECK(r.at("shop", "item", 0).ordered == 9);  // 5 - (0 + 0 - 4)
    CHECK(r.at("shop", "item", 1).shipped == 4);
    CHECK(r.at("shop", "item", 1).on_hand == 5);
    CHECK(r.at("shop", "item", 1).backlog == 0);
  }
}

// --- sourcing ----------------------------------------------------------------

TEST_CASE("orders split by shares go to every source, never duplicated, and keep cumulative shares in whole units") {
  ScenarioSpec s;
  s.horizon = 6;
  s.products = {product("item")};
  s.nodes = {node("sup1", NodeKind::kSupplier), node("sup2", NodeKind::kSupplier),
             node("shop", NodeKind::kRetailer,
                  {stock("item", 0, plan_orders({5, 5, 5, 1}), {from("sup1", 2.0 / 3), from("sup2", 1.0 / 3)})})};
  s.lanes = {lane("sup1", "shop", 1), lane("sup2", "shop", 1)};
  Run r = run(s);
  // Cumulative targets 2/3 and 1/3 of the running total, whole units, the
  // spare unit to the largest deficit: 5 -> (3, 2), 10 -> (7, 3),
  // 15 -> (10, 5), 16 -> (11, 5).
  const double to1[] = {3, 4, 3, 1};
  const double to2[] = {2, 1, 2, 0};
  double cum1 = 0, cum2 = 0, total = 0;
  for (int t = 0; t < 4; ++t) {
    CAPTURE(t);
    const StockPeriod& shop = r.at("shop", "item", t);
    CHECK(r.at("sup1", "item", t).demand == to1[t]);
    CHECK(r.at("sup2", "item", t).demand == to2[t]);
    CHECK(shop.ordered == r.at("sup1", "item", t).demand + r.at("sup2", "item", t).demand);
    CHECK(shop.order_lines == (to2[t] > 0 ? 2 : 1));
    cum1 += to1[t];
    cum2 += to2[t];
    total += shop.ordered;
    CHECK(std::abs(cum1 - total * 2.0 / 3.0) < 1.0);
    CHECK(std::abs(cum2 - total / 3.0) < 1.0);
  }
  CHECK(r.at("shop", "item", 5).on_hand == 16);
}

TEST_CASE("split cheapest fills an order from the cheapest sources with room, the rest waiting at the cheapest") {
  // w1 sells at 5 with 6 on hand, w2 at 8 with 4; the shop orders 4 a
  // period and lists the dearer source first. A warehouse's room is its
  // stock on hand less what it owes.
  ScenarioSpec s;
  s.horizon = 4;
  s.products = {product("item")};
  StockSpec st = stock("item", 0, plan_orders({4, 4, 4}), {from("w2"), from("w1")});
  st.split = SplitRule::kCheapest;
  s.nodes = {node("w1", NodeKind::kWarehouse, {stock("item", 6, no_orders())}),
             node("w2", NodeKind::kWarehouse, {stock("item", 4, no_orders())}),
             node("shop", NodeKind::kRetailer, {st})};
  s.lanes = {lane("w1", "shop", 1), lane("w2", "shop", 1)};
  s.lanes[0].price = 5;
  s.lanes[1].price = 8;
  Run r = run(s);
  // 0: w1 has 6: all 4. 1: w1 has 2 left, w2 the other 2. 2: w1 has none,
  // w2 has 2; the last 2 wait at the cheapest, w1.
  const double w1[] = {4, 2, 2};
  const double w2[] = {0, 2, 2};
  const int lines[] = {1, 2, 2};
  for (int t = 0; t < 3; ++t) {
    CAPTURE(t);
    CHECK(r.at("w1", "item", t).demand == w1[t]);
    CHECK(r.at("w2", "item", t).demand == w2[t]);
    CHECK(r.at("shop", "item", t).order_lines == lines[t]);
  }
  CHECK(r.at("w1", "item", 2).shipped == 0);
  CHECK(r.at("w1", "item", 2).backlog == 2);
  CHECK(r.node_at("w1", 0).revenue == doctest::Approx(20));
  CHECK(r.node_at("w2", 1).revenue == doctest::Approx(16));
}

namespace {

// A plant ordering 74 a period from a cheap main supplier (price 8, no
// capacity limit), a backup (11, 50 a period) and a third (12, 40 a period),
// listed third, backup, main; the main supplier is down from period 2 to 5.
ScenarioSpec three_suppliers(SplitRule split) {
  ScenarioSpec s;
  s.horizon = 8;
  s.products = {product("part")};
  StockSpec st = stock("part", 0, plan_orders({74}, AfterPlan::kRepeat), {from("third"), from("backup"), from("main")});
  st.split = split;
  NodeSpec backup = node("backup", NodeKind::kSupplier), third = node("third", NodeKind::kSupplier);
  backup.capacity = 50;
  third.capacity = 40;
  s.nodes = {node("main", NodeKind::kSupplier), backup, third, node("plant", NodeKind::kFactory, {st})};
  s.lanes = {lane("main", "plant", 1), lane("backup", "plant", 1), lane("third", "plant", 1)};
  s.lanes[0].price = 8;
  s.lanes[1].price = 11;
  s.lanes[2].price = 12;
  EventSpec down;
  down.id = "outage";
  down.at = 2;
  down.duration = 3;
  down.action = ActionKind::kNodeDown;
  down.node = "main";
  s.events = {down};
  return s;
}

}  // namespace

TEST_CASE("split cheapest honours a supplier's capacity: the backup's shortfall goes to the next source") {
  Run r = run(three_suppliers(SplitRule::kCheapest));
  for (int t = 0; t < 8; ++t) {
    CAPTURE(t);
    const bool outage = t >= 2 && t < 5;
    // The main supplier takes everything while up; while it is down the
    // backup takes its 50 a period and the third the other 24.
    CHECK(r.at("main", "part", t).demand == (outage ? 0 : 74));
    CHECK(r.at("backup", "part", t).demand == (outage ? 50 : 0));
    CHECK(r.at("third", "part", t).demand == (outage ? 24 : 0));
  }
  CHECK(r.at("third", "part", 3).shipped == 24);
}

TEST_CASE("a lane's room is its capacity per period less what already waits to ship on it") {
  // The shop prefers w1 (listed first, split fallback) over a lane carrying
  // 4 a period; it orders 6 a period, so w1's lane keeps 4 a period and the
  // rest goes to w2, instead of a queue growing on the lane. Then with an
  // order of 10 already on the lane at time 0: w1 ships 4 of it in period 0
  // and 4 in period 1, so the shop sends w1 nothing, then 2, then 4.
  ScenarioSpec s;
  s.horizon = 6;
  s.products = {product("item")};
  StockSpec st = stock("item", 0, plan_orders({6}, AfterPlan::kRepeat), {from("w1"), from("w2")});
  st.split = SplitRule::kFallback;
  s.nodes = {node("w1", NodeKind::kWarehouse, {stock("item", 1000, no_orders())}),
             node("w2", NodeKind::kWarehouse, {stock("item", 1000, no_orders())}),
             node("shop", NodeKind::kRetailer, {st})};
  s.lanes = {lane("w1", "shop", 1), lane("w2", "shop", 1)};
  s.lanes[0].capacity_per_period = 4;
  Run r = run(s);
  for (int t = 0; t < 6; ++t) {
    CAPTURE(t);
    CHECK(r.at("w1", "item", t).demand == 4);
    CHECK(r.at("w2", "item", t).demand == 2);
    CHECK(r.at("w1", "item", t).backlog == 0);
  }
  s.lanes[0].initial_orders = {{"item", {10}}};
  Run queued = run(s);
  const double to_w2[] = {6, 4, 2, 2, 2, 2};
  for (int t = 0; t < 6; ++t) {
    CAPTURE(t);
    CHECK(queued.at("w2", "item", t).demand == to_w2[t]);
  }
}

TEST_CASE("split fallback takes the sources in the order listed, each up to its room") {
  Run r = run(three_suppliers(SplitRule::kFallback));
  // Listed third (40 a period), backup (50), main (no limit): 40, then 34,
  // whether the main supplier is up or not.
  for (int t = 0; t < 8; ++t) {
    CAPTURE(t);
    CHECK(r.at("third", "part", t).demand == 40);
    CHECK(r.at("backup", "part", t).demand == 34);
    CHECK(r.at("main", "part", t).demand == 0);
  }
}

TEST_CASE("split shares leaves out a source that is down, re-normalising the others, and takes it back without a burst") {
  ScenarioSpec s = three_suppliers(SplitRule::kShares);
  s.nodes[3].stocks[0].sources = {from("main", 0.5), from("backup", 0.25), from("third", 0.25)};
  s.nodes[1].capacity = kInfinity;
  s.nodes[2].capacity = kInfinity;
  s.nodes[3].stocks[0].policy = plan_orders({8}, AfterPlan::kRepeat);
  Run r = run(s);
  for (int t = 0; t < 8; ++t) {
    CAPTURE(t);
    const bool outage = t >= 2 && t < 5;
    CHECK(r.at("main", "part", t).demand == (outage ? 0 : 4));
    CHECK(r.at("backup", "part", t).demand == (outage ? 4 : 2));
    CHECK(r.at("third", "part", t).demand == (outage ? 4 : 2));
  }
}

// --- order adjustments ---------------------------------------------------------

TEST_CASE("storage capacity caps the position an order may reach") {
  // base-stock 50, storage 20, demand 3, transport 1 from an unlimited source.
  ScenarioSpec s;
  s.horizon = 6;
  s.products = {product("item")};
  StockSpec st = stock("item", 5, base_stock(50), {from("sup")});
  st.storage_capacity = 20;
  st.demand = {constant_demand(3)};
  s.nodes = {supplier(), node("shop", NodeKind::kRetailer, {st})};
  s.lanes = {lane("sup", "shop", 1)};
  Run r = run(s);
  for (int t = 0; t < 6; ++t) {
    CAPTURE(t);
    CHECK(r.at("shop", "item", t).ordered == (t == 0 ? 18 : 3));  // 20 - 2, then the demand
    CHECK(r.at("shop", "item", t).position == 20);
    CHECK(r.at("shop", "item", t).on_hand <= 20);
  }
  CHECK(r.at("shop", "item", 1).on_hand == 17);
}

TEST_CASE("orders are rounded up to the lot size, raised to the minimum and capped at the maximum, in that order") {
  std::vector<double> plan;
  std::vector<double> expected;
  PolicySpec p;
  SUBCASE("lot size 5") {
    plan = {3, 0, 7, 12};
    p = plan_orders(plan);
    p.lot_size = 5;
    expected = {5, 0, 10, 15};
  }
  SUBCASE("minimum order 4: an order of zero stays zero") {
    plan = {1, 0, 6};
    p = plan_orders(plan);
    p.min_order = 4;
    expected = {4, 0, 6};
  }
  SUBCASE("maximum order 8") {
    plan = {10, 3};
    p = plan_orders(plan);
    p.max_order = 8;
    expected = {8, 3};
  }
  SUBCASE("lot 5, minimum 7, maximum 12 together") {
    plan = {1, 11, 14};
    p = plan_orders(plan);
    p.lot_size = 5;
    p.min_order = 7;
    p.max_order = 12;
    expected = {7, 12, 12};  // 1 -> 5 -> 7; 11 -> 15 -> 12; 14 -> 15 -> 12
  }
  ScenarioSpec s = supplier_to_shop(supplier(), {}, 1.0, 5);
  s.nodes[1].stocks[0].policy = p;
  Run r = run(s);
  for (std::size_t t = 0; t < expected.size(); ++t) {
    CAPTURE(t);
    CHECK(r.at("shop", "item", static_cast<std::int64_t>(t)).ordered == expected[t]);
  }
}

// --- lanes -------------------------------------------------------------------

TEST_CASE("a shipment above the lane's capacity per shipment goes as several, each paying the cost per shipment") {
  ScenarioSpec s;
  s.horizon = 3;
  s.products = {product("item")};
  s.nodes = {node("wh", NodeKind::kWarehouse, {stock("item", 20, no_orders())}),
             node("shop", NodeKind::kRetailer, {stock("item", 0, plan_orders({10}), {from("wh")})})};
  s.lanes = {lane("wh", "shop", 1)};
  s.lanes[0].capacity_per_shipment = 4;
  s.lanes[0].cost_per_shipment = 10;
  s.lanes[0].cost_per_unit = 1;
  Run r = run(s);
  CHECK(r.lane_at("wh->shop", 0).shipped == 10);
  CHECK(r.lane_at("wh->shop", 0).shipments == 3);  // 4 + 4 + 2
  CHECK(r.lane_at("wh->shop", 1).delivered == 10);
  CHECK(r.at("shop", "item", 1).received == 10);
  // Transport costs are the seller's, paid in cash: 3 * 10 + 10 * 1.
  CHECK(r.cost("wh", CostKind::kTransport, 0) == doctest::Approx(40));
  CHECK(r.node_at("wh", 0).cash == doctest::Approx(-40));
  CHECK(r.cost("shop", CostKind::kTransport, 0) == 0);
  CHECK(r.node_at("shop", 0).cash == 0);
}

TEST_CASE("a lane's capacity per period caps what ships on it and the rest waits at the seller") {
  ScenarioSpec s;
  s.horizon = 5;
  s.products = {product("item")};
  s.nodes = {node("wh", NodeKind::kWarehouse, {stock("item", 20, no_orders())}),
             node("shop", NodeKind::kRetailer, {stock("item", 0, plan_orders({10}), {from("wh")})})};
  s.lanes = {lane("wh", "shop", 1)};
  s.lanes[0].capacity_per_period = 4;
  s.lanes[0].cost_per_shipment = 3;
  Run r = run(s);
  const double shipped[] = {4, 4, 2, 0, 0};
  const double backlog[] = {6, 2, 0, 0, 0};
  for (int t = 0; t < 5; ++t) {
    CAPTURE(t);
    CHECK(r.lane_at("wh->shop", t).shipped == shipped[t]);
    CHECK(r.at("wh", "item", t).shipped == shipped[t]);
    CHECK(r.at("wh", "item", t).backlog == backlog[t]);
    CHECK(r.at("shop", "item", t).received == (t >= 1 ? shipped[t - 1] : 0));
    CHECK(r.cost("wh", CostKind::kTransport, t) == (shipped[t] > 0 ? 3 : 0));
  }
}

TEST_CASE("a lane's capacity per period also caps a supplier's dispatches") {
  ScenarioSpec s = supplier_to_shop(supplier(), {10}, 1.0, 4);
  s.lanes[0].capacity_per_period = 6;
  Run r = run(s);
  CHECK(r.at("sup", "item", 0).shipped == 6);
  CHECK(r.at("sup", "item", 1).shipped == 4);
  CHECK(r.at("shop", "item", 2).on_hand == 10);
}

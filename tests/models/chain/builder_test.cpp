// check_spec and build_network: every kind of mistake in a scenario is a
// SpecIssue with the dotted key path and a message. Error messages are API
// (docs/scenario-format.md quotes them; users grep for them), so each is
// checked word for word, and so is the set of issues a spec produces: one
// mistake, one issue, unless the mistake really breaks two things.
#include <doctest/doctest.h>
#include <fmt/core.h>

#include <string>
#include <utility>
#include <vector>

#include "models/chain/spec_index.h"
#include "tests/models/chain_helpers.h"

using namespace chainsim::models;
using namespace chainsim::models::testing;

namespace {

// The issues as "path: message" lines, so a failure prints them all.
std::string text(const std::vector<SpecIssue>& issues) {
  std::string s;
  for (const SpecIssue& i : issues) s += i.path + ": " + i.message + "\n";
  return s;
}

std::string lines(const std::vector<std::pair<std::string, std::string>>& expected) {
  std::string s;
  for (const auto& [path, message] : expected) s += path + ": " + message + "\n";
  return s;
}

std::string issues_of(const ScenarioSpec& spec) { return text(check_spec(spec)); }

// sup -> wh -> shop, one product: nodes.0 = sup, nodes.1 = wh, nodes.2 =
// shop; lanes.0 = sup->wh, lanes.1 = wh->shop.
ScenarioSpec valid() {
  ScenarioSpec s;
  s.horizon = 10;
  s.products = {product("item")};
  StockSpec shop = stock("item", 5, base_stock(5), {from("wh")});
  shop.demand = {constant_demand(1)};
  s.nodes = {node("sup", NodeKind::kSupplier),
             node("wh", NodeKind::kWarehouse, {stock("item", 10, base_stock(10), {from("sup")})}),
             node("shop", NodeKind::kRetailer, {shop})};
  s.lanes = {lane("sup", "wh", 1), lane("wh", "shop", 1)};
  return s;
}

EventSpec wh_down_at(double t) {
  EventSpec e;
  e.at = t;
  e.action = ActionKind::kNodeDown;
  e.node = "wh";
  return e;
}

// A factory making each product from the next one in `inputs`.
ScenarioSpec factory(const std::vector<std::pair<std::string, std::string>>& made_from) {
  ScenarioSpec s;
  NodeSpec plant = node("plant", NodeKind::kFactory);
  for (const auto& [product_id, input] : made_from) {
    s.products.push_back(product(product_id));
    StockSpec st = stock(product_id, 0, make_to_order());
    ProductionSpec p;
    p.inputs = {{input, 1.0}};
    st.production = p;
    plant.stocks.push_back(st);
  }
  s.nodes = {plant};
  return s;
}

}  // namespace

TEST_CASE("a sound spec has no issues and builds") {
  CHECK(issues_of(valid()) == "");
  CHECK_NOTHROW(build_network(valid(), 1, 0));
}

TEST_CASE("a reference to a node, product or lane that does not exist is reported at its key") {
  ScenarioSpec s = valid();
  std::string expected;
  SUBCASE("a source from an unknown node") {
    s.nodes[2].stocks[0].sources[0].from = "ghost";
    expected = lines({{"nodes.2.stocks.0.sources.0.from", "no node with id 'ghost'"}});
  }
  SUBCASE("a stock of an unknown product") {
    s.nodes[2].stocks[0].product = "ghost";
    expected = lines({{"nodes.2.stocks.0.product", "no product with id 'ghost'"}});
  }
  SUBCASE("a source through an unknown lane") {
    s.nodes[2].stocks[0].sources[0].lane = "ghost";
    expected = lines({{"nodes.2.stocks.0.sources.0.lane", "no lane with id 'ghost'"}});
  }
  SUBCASE("a source through a lane between other nodes") {
    s.nodes[2].stocks[0].sources[0].lane = "sup->wh";
    expected = lines({{"nodes.2.stocks.0.sources.0.lane",
                       "lane 'sup->wh' runs from 'sup' to 'wh', not from 'wh' to 'shop'"}});
  }
  SUBCASE("a lane from an unknown node, which also leaves a source without its lane") {
    s.lanes[1].from = "ghost";
    expected = lines({{"nodes.2.stocks.0.sources.0.from", "no lane from 'wh' to 'shop'"},
                      {"lanes.1.from", "no node with id 'ghost'"}});
  }
  SUBCASE("a lane to an unknown node") {
    s.lanes[1].to = "ghost";
    expected = lines({{"nodes.2.stocks.0.sources.0.from", "no lane from 'wh' to 'shop'"},
                      {"lanes.1.to", "no node with id 'ghost'"}});
  }
  SUBCASE("a source node that does not hold the product") {
    s.products.push_back(product("other"));
    s.nodes[2].stocks.push_back(stock("other", 0, base_stock(1), {from("wh")}));
    expected = lines({{"nodes.2.stocks.1.sources.0.from", "node 'wh' has no stock of 'other'"}});
  }
  SUBCASE("a production input of an unknown product") {
    s.nodes[1].stocks[0].sources.clear();
    ProductionSpec p;
    p.inputs = {{"ghost", 1.0}};
    s.nodes[1].stocks[0].production = p;
    expected = lines({{"nodes.1.stocks.0.production.inputs.0.product", "no product with id 'ghost'"}});
  }
  SUBCASE("a production input not held at the node") {
    s.products.push_back(product("part"));
    s.nodes[1].stocks[0].sources.clear();
    ProductionSpec p;
    p.inputs = {{"part", 2.0}};
    s.nodes[1].stocks[0].production = p;
    expected = lines({{"nodes.1.stocks.0.production.inputs.0.product",
                       "node 'wh' has no stock of component 'part'"}});
  }
  SUBCASE("an initial pipeline of an unknown product") {
    s.lanes[0].initial_shipments = {{"ghost", {1, 2}}};
    expected = lines({{"lanes.0.initial_shipments.ghost", "no product with id 'ghost'"}});
  }
  SUBCASE("an event on an unknown node") {
    EventSpec e = wh_down_at(1);
    e.node = "ghost";
    s.events = {e};
    expected = lines({{"events.0.node", "no node with id 'ghost'"}});
  }
  SUBCASE("an event on an unknown lane") {
    EventSpec e;
    e.at = 1;
    e.action = ActionKind::kLaneClosed;
    e.lane = "ghost";
    s.events = {e};
    expected = lines({{"events.0.lane", "no lane with id 'ghost'"}});
  }
  SUBCASE("an event on an unknown product") {
    EventSpec e;
    e.at = 1;
    e.action = ActionKind::kDemandMultiplier;
    e.product = "ghost";
    e.value = 2;
    s.events = {e};
    expected = lines({{"events.0.product", "no product with id 'ghost'"}});
  }
  CHECK(issues_of(s) == expected);
}

TEST_CASE("duplicate ids are reported at the later one") {
  ScenarioSpec s = valid();
  std::string expected;
  SUBCASE("products") {
    s.products.push_back(product("item"));
    expected = lines({{"products.1.id", "duplicate product id 'item'"}});
  }
  SUBCASE("nodes") {
    s.nodes.push_back(node("shop", NodeKind::kRetailer));
    expected = lines({{"nodes.3.id", "duplicate node id 'shop'"}});
  }
  SUBCASE("a node id three times: each later one") {
    s.nodes.push_back(node("shop", NodeKind::kRetailer));
    s.nodes.push_back(node("shop", NodeKind::kRetailer));
    expected = lines({{"nodes.3.id", "duplicate node id 'shop'"}, {"nodes.4.id", "duplicate node id 'shop'"}});
  }
  SUBCASE("lanes, which also makes the source's lane ambiguous") {
    s.lanes.push_back(lane("wh", "shop", 2));
    expected = lines({{"lanes.2.id", "duplicate lane id 'wh->shop'"},
                      {"nodes.2.stocks.0.sources.0.from",
                       "several lanes run from 'wh' to 'shop'; name one with lane:"}});
  }
  SUBCASE("two stocks of one product at a node") {
    s.nodes[1].stocks.push_back(stock("item", 0, base_stock(10), {from("sup")}));
    expected = lines({{"nodes.1.stocks.1.product", "node 'wh' already has a stock of 'item'"}});
  }
  SUBCASE("two sources naming the same node") {
    s.nodes[2].stocks[0].sources.push_back(from("wh"));
    expected = lines({{"nodes.2.stocks.0.sources.1", "duplicate source"}});
  }
  SUBCASE("events") {
    EventSpec e = wh_down_at(1);
    e.id = "strike";
    s.events = {e, e};
    expected = lines({{"events.1.id", "duplicate event id 'strike'"}});
  }
  CHECK(issues_of(s) == expected);
}

TEST_CASE("the spec index finds every lane and event by its id, given or made, and the lanes between two nodes") {
  // Many lanes and events without an id, with short made ids (kept inside
  // their strings) and long ones: the index's keys view them, so they must
  // stay where they are while the index grows.
  ScenarioSpec s;
  for (int i = 0; i < 300; ++i) {
    s.lanes.push_back(lane(i % 2 == 0 ? fmt::format("a{}", i) : fmt::format("a_node_with_a_long_name_{}", i), "b", 1));
  }
  s.lanes.push_back(lane("a0", "b", 2));  // a second lane a0 -> b, later
  s.lanes.back().id = "second";
  for (int i = 0; i < 40; ++i) s.events.push_back(EventSpec{});
  s.events[7].id = "named";
  const SpecIndex index(s);
  for (int i = 0; i < 300; ++i) {
    const std::size_t at = index.lanes.at(lane_id(s.lanes[static_cast<std::size_t>(i)]));
    CHECK(at == static_cast<std::size_t>(i));
  }
  CHECK(index.lanes.at("a_node_with_a_long_name_299->b") == 299);
  CHECK(index.lanes.at("second") == 300);
  CHECK(index.between.at({"a0", "b"}) == std::vector<std::size_t>{0, 300});
  CHECK(index.between.count({"a1", "b"}) == 0);  // lane 1 runs from a_node_with_a_long_name_1
  CHECK(index.between.at({"a_node_with_a_long_name_1", "b"}) == std::vector<std::size_t>{1});
  CHECK(index.events.at("event0") == 0);
  CHECK(index.events.at("event39") == 39);
  CHECK(index.events.at("named") == 7);
  CHECK(index.events.count("event7") == 0);
}

TEST_CASE("a lane into a supplier is rejected") {
  ScenarioSpec s = valid();
  s.lanes.push_back(lane("wh", "sup", 1));
  CHECK(issues_of(s) ==
        lines({{"lanes.2.to", "a supplier buys nothing: lanes run from suppliers, not to them"}}));
}

TEST_CASE("supplier-only settings on another kind of node and a policy on a supplier are rejected") {
  ScenarioSpec s = valid();
  std::string expected;
  SUBCASE("capacity on a warehouse") {
    s.nodes[1].capacity = 5;
    expected = lines({{"nodes.1.kind", "capacity, lead_time, reliability, shortfall, yield, material_cost and owned belong to suppliers (kind: supplier)"}});
  }
  SUBCASE("a lead time on a warehouse") {
    s.nodes[1].lead_time = Distribution::constant(5);
    expected = lines({{"nodes.1.kind", "capacity, lead_time, reliability, shortfall, yield, material_cost and owned "
                                       "belong to suppliers (kind: supplier)"}});
  }
  SUBCASE("a shortfall on a warehouse") {
    s.nodes[1].shortfall = 0.5;
    expected = lines({{"nodes.1.kind", "capacity, lead_time, reliability, shortfall, yield, material_cost and owned "
                                       "belong to suppliers (kind: supplier)"}});
  }
  SUBCASE("owned on a warehouse: every node but a supplier is the network's own") {
    s.nodes[1].owned = true;
    expected = lines({{"nodes.1.kind", "capacity, lead_time, reliability, shortfall, yield, material_cost and owned "
                                       "belong to suppliers (kind: supplier)"}});
  }
  SUBCASE("a replenishment policy on a supplier's stock") {
    PolicySpec p;
    p.type = PolicyType::kMinMax;
    p.s = 1;
    p.S = 2;
    s.nodes[0].stocks = {stock("item", 0, p)};
    expected = lines({{"nodes.0.stocks.0.policy", "a supplier is an unlimited source and has no replenishment policy"}});
  }
  CHECK(issues_of(s) == expected);
}

TEST_CASE("a stock whose policy orders with no sources and no production is rejected") {
  ScenarioSpec s = valid();
  s.nodes[1].stocks[0].sources.clear();
  SUBCASE("a base-stock policy orders") {
    CHECK(issues_of(s) ==
          lines({{"nodes.1.stocks.0.sources", "the stock's policy orders, but it has no sources and no production"}}));
  }
  SUBCASE("policy none needs no source") {
    s.nodes[1].stocks[0].policy = no_orders();
    CHECK(issues_of(s) == "");
  }
}

TEST_CASE("a stock that is both produced and bought is rejected") {
  ScenarioSpec s = valid();
  s.nodes[1].stocks[0].production = ProductionSpec{};
  CHECK(issues_of(s) ==
        lines({{"nodes.1.stocks.0.sources",
                "a stock is either produced here (production) or bought (sources), not both"}}));
}

TEST_CASE("a bill of materials with a cycle is rejected, naming the products on the cycle") {
  SUBCASE("two products made from each other") {
    CHECK(issues_of(factory({{"a", "b"}, {"b", "a"}})) ==
          lines({{"nodes", "the bill of materials has a cycle: a -> b -> a"}}));
  }
  SUBCASE("three products in a ring") {
    CHECK(issues_of(factory({{"a", "c"}, {"b", "a"}, {"c", "b"}})) ==
          lines({{"nodes", "the bill of materials has a cycle: a -> b -> c -> a"}}));
  }
  SUBCASE("a product made from itself") {
    CHECK(issues_of(factory({{"a", "a"}})) == lines({{"nodes", "the bill of materials has a cycle: a -> a"}}));
  }
}

TEST_CASE("continuous review with a policy that reviews periodically only is rejected") {
  ScenarioSpec s = valid();
  PolicySpec& p = s.nodes[1].stocks[0].policy;
  p.review = ReviewMode::kContinuous;
  SUBCASE("forecast_order_up_to") {
    p.type = PolicyType::kForecastOrderUpTo;
    CHECK(issues_of(s) ==
          lines({{"nodes.1.stocks.0.policy.review",
                  "policy forecast_order_up_to reviews periodically only (continuous review: base_stock, s_S, "
                  "r_Q, make_to_order)"}}));
  }
  SUBCASE("beer_game") {
    p.type = PolicyType::kBeerGame;
    CHECK(issues_of(s) ==
          lines({{"nodes.1.stocks.0.policy.review",
                  "policy beer_game reviews periodically only (continuous review: base_stock, s_S, r_Q, "
                  "make_to_order)"}}));
  }
  SUBCASE("base_stock reviews continuously") { CHECK(issues_of(s) == ""); }
}

TEST_CASE("a vendor-managed stock needs exactly one source and periodic review") {
  ScenarioSpec s = valid();
  StockSpec& st = s.nodes[1].stocks[0];
  st.vmi = true;
  SUBCASE("two sources") {
    s.nodes.push_back(node("sup2", NodeKind::kSupplier));
    s.lanes.push_back(lane("sup2", "wh", 1));
    st.sources.push_back(from("sup2"));
    CHECK(issues_of(s) == lines({{"nodes.1.stocks.0.vmi", "a vendor-managed stock needs exactly one source"}}));
  }
  SUBCASE("continuous review") {
    st.policy.review = ReviewMode::kContinuous;
    CHECK(issues_of(s) == lines({{"nodes.1.stocks.0.vmi", "a vendor-managed stock reviews periodically"}}));
  }
}

TEST_CASE("an event needs exactly one valid trigger") {
  ScenarioSpec s = valid();
  EventSpec e = wh_down_at(1);
  std::string expected;
  SUBCASE("no trigger") {
    e.at.reset();
    s.events = {e};
    expected = lines({{"events.0", "needs exactly one trigger: at, probability, mean_up with mean_down, after, or when"}});
  }
  SUBCASE("two triggers") {
    e.probability = 0.1;
    s.events = {e};
    expected = lines({{"events.0", "needs exactly one trigger: at, probability, mean_up with mean_down, after, or when"}});
  }
  SUBCASE("mean_up without mean_down") {
    e.at.reset();
    e.mean_up = 10;
    s.events = {e};
    expected = lines({{"events.0", "an up/down process needs both mean_up and mean_down"}});
  }
  SUBCASE("a negative mean_down") {
    e.at.reset();
    e.mean_up = 10;
    e.mean_down = -2;
    s.events = {e};
    expected = lines({{"events.0.mean_down", "must be > 0 (got -2)"}});
  }
  SUBCASE("a probability above 1") {
    e.at.reset();
    e.probability = 1.5;
    s.events = {e};
    expected = lines({{"events.0.probability", "must be in [0, 1] (got 1.5)"}});
  }
  SUBCASE("a negative time") {
    e.at = -1;
    s.events = {e};
    expected = lines({{"events.0.at", "must be a finite number >= 0 (got -1)"}});
  }
  SUBCASE("after an unknown event") {
    e.at.reset();
    e.after = "ghost";
    s.events = {e};
    expected = lines({{"events.0.after", "no event with id 'ghost'"}});
  }
  SUBCASE("events that trigger each other in a cycle") {
    e.at.reset();
    EventSpec a = e, b = e;
    a.id = "a";
    a.after = "b";
    b.id = "b";
    b.after = "a";
    s.events = {a, b};
    expected = lines({{"events.0.after", "events trigger each other in a cycle"},
                      {"events.1.after", "events trigger each other in a cycle"}});
  }
  CHECK(issues_of(s) == expected);
}

TEST_CASE("an event's action must exist and have what it acts on") {
  ScenarioSpec s = valid();
  EventSpec e = wh_down_at(1);
  std::string expected;
  SUBCASE("no action") {
    e.action.reset();
    expected = lines({{"events.0.action",
                       "must be one of node_down, lane_lead_time, lane_closed, demand_multiplier, capacity, "
                       "price, policy_parameter, campaign (got )"}});
  }
  SUBCASE("node_down without a node") {
    e.node.clear();
    expected = lines({{"events.0.node", "action node_down needs a node"}});
  }
  SUBCASE("lane_lead_time without a lane") {
    e.action = ActionKind::kLaneLeadTime;
    e.node.clear();
    e.value = 2;
    expected = lines({{"events.0.lane", "action lane_lead_time needs a lane"}});
  }
  SUBCASE("a policy parameter the policy does not have") {
    e.action = ActionKind::kPolicyParameter;
    e.product = "item";
    e.parameter = "Q";
    e.value = 3;
    expected = lines({{"events.0.parameter", "policy base_stock has no parameter 'Q'"}});
  }
  SUBCASE("a capacity of a product the node does not produce") {
    e.action = ActionKind::kCapacity;
    e.product = "item";
    e.value = 3;
    expected = lines({{"events.0.product", "node 'wh' does not produce 'item'"}});
  }
  s.events = {e};
  CHECK(issues_of(s) == expected);
}

TEST_CASE("every problem of a spec is reported in one pass") {
  ScenarioSpec s = valid();
  s.horizon = 0;
  s.products.push_back(product("item"));
  s.nodes[2].stocks[0].sources[0].from = "ghost";
  s.lanes[0].order_delay = -1;
  EventSpec e = wh_down_at(1);
  e.at.reset();
  s.events = {e};
  const std::string expected =
      lines({{"horizon", "must be >= 1 (got 0)"},
             {"products.1.id", "duplicate product id 'item'"},
             {"nodes.2.stocks.0.sources.0.from", "no node with id 'ghost'"},
             {"lanes.0.order_delay", "must be a finite number >= 0 (got -1)"},
             {"events.0", "needs exactly one trigger: at, probability, mean_up with mean_down, after, or when"}});
  CHECK(issues_of(s) == expected);
  SUBCASE("build_network throws them all in one SpecError") {
    try {
      (void)build_network(s, 1, 0);
      FAIL("build_network accepted a broken spec");
    } catch (const SpecError& err) {
      CHECK(text(err.issues()) == expected);
      CHECK(std::string(err.what()) + "\n" == expected);
    }
  }
}

TEST_CASE("a production batch larger than the line's capacity is rejected: it could never start") {
  ScenarioSpec s;
  s.horizon = 3;
  s.products = {product("p")};
  StockSpec st = stock("p", 0, base_stock(10));
  ProductionSpec line;
  line.capacity = 5;
  line.batch = 10;
  st.production = line;
  s.nodes = {node("plant", NodeKind::kFactory, {st})};
  CHECK(issues_of(s) == lines({{"nodes.0.stocks.0.production.batch",
                                "a batch of 10 can never start within a capacity of 5 a period (batch must be <= "
                                "capacity)"}}));
  s.nodes[0].stocks[0].production->batch = 5;
  CHECK(issues_of(s).empty());
}

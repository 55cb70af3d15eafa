// Node groups (models/chain/spec_groups.h): members, their sources and the
// lanes between groups, and what cannot be grouped.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "models/chain/builder.h"
#include "models/chain/network.h"
#include "models/chain/spec_groups.h"
#include "models/measure/kpi.h"

using namespace chainsim::models;

namespace {

// `sellers` warehouses (a group when > 1) selling to `buyers` retailers (a
// group), every lane template given once.
ScenarioSpec tiers(int sellers, int buyers, GroupSources members, LanePairs pairs) {
  ScenarioSpec s;
  s.horizon = 4;
  s.products.push_back({"item", 1.0, 2.0, std::nullopt, std::nullopt, 0.0});
  NodeSpec sup;
  sup.id = "sup";
  sup.kind = NodeKind::kSupplier;
  s.nodes.push_back(sup);
  NodeSpec dc;
  dc.id = "dc";
  dc.count = sellers;
  dc.stocks.emplace_back().product = "item";
  dc.stocks[0].sources.push_back({"sup", "", std::nullopt});
  s.nodes.push_back(dc);
  NodeSpec store;
  store.id = "store";
  store.kind = NodeKind::kRetailer;
  store.count = buyers;
  StockSpec& st = store.stocks.emplace_back();
  st.product = "item";
  st.sources.push_back({"dc", "", std::nullopt});
  st.from_members = members;
  s.nodes.push_back(store);
  LaneSpec up;
  up.from = "sup";
  up.to = "dc";
  s.lanes.push_back(up);
  LaneSpec down;
  down.from = "dc";
  down.to = "store";
  down.pairs = pairs;
  s.lanes.push_back(down);
  return s;
}

std::vector<std::string> sources_of(const NodeSpec& n) {
  std::vector<std::string> out;
  for (const SourceSpec& src : n.stocks[0].sources) out.push_back(src.from);
  return out;
}

std::vector<std::string> lane_ends(const ScenarioSpec& s) {
  std::vector<std::string> out;
  for (const LaneSpec& l : s.lanes) out.push_back(l.from + ">" + l.to);
  return out;
}

}  // namespace

TEST_CASE("a group's members are named <id>_1 to <id>_N, and a block of buyers shares each seller") {
  ScenarioSpec s = tiers(2, 5, GroupSources::kBlock, LanePairs::kSourced);
  GroupOrigins o;
  CHECK(expand_groups(s, &o).empty());
  REQUIRE(s.nodes.size() == 1 + 2 + 5);
  CHECK(s.nodes[1].id == "dc_1");
  CHECK(s.nodes[2].id == "dc_2");
  CHECK(s.nodes[7].id == "store_5");
  for (const NodeSpec& n : s.nodes) CHECK(n.count == 1);
  // Member k of 5 buys from member floor(2k / 5) of 2: three, then two.
  const std::vector<std::string> want = {"dc_1", "dc_1", "dc_1", "dc_2", "dc_2"};
  for (std::size_t k = 0; k < 5; ++k) CHECK(sources_of(s.nodes[3 + k]) == std::vector<std::string>{want[k]});
  // Lanes: sup to each DC, then each store's one.
  CHECK(lane_ends(s) == std::vector<std::string>{"sup>dc_1", "sup>dc_2", "dc_1>store_1", "dc_1>store_2",
                                                 "dc_1>store_3", "dc_2>store_4", "dc_2>store_5"});
  CHECK(o.nodes == std::vector<std::size_t>{0, 1, 1, 2, 2, 2, 2, 2});
  CHECK(o.lanes == std::vector<std::size_t>{0, 0, 1, 1, 1, 1, 1});
  CHECK(check_spec(s).empty());
  // It builds and runs: the members are nodes like any other.
  CHECK(build_network(s, 1, 0)->stocks().size() == 1 + 2 + 5);
}

TEST_CASE("buying from all of a group splits a stock's share equally, and lanes join only the pairs sources use") {
  ScenarioSpec s = tiers(3, 2, GroupSources::kAll, LanePairs::kSourced);
  s.nodes[2].stocks[0].sources[0].share = 0.6;
  s.nodes[2].stocks[0].sources.push_back({"sup", "", 0.4});
  s.lanes.push_back({});
  s.lanes.back().from = "sup";
  s.lanes.back().to = "store";
  CHECK(expand_groups(s).empty());
  const NodeSpec& first = s.nodes[4];
  REQUIRE(first.id == "store_1");
  CHECK(sources_of(first) == std::vector<std::string>{"dc_1", "dc_2", "dc_3", "sup"});
  for (std::size_t q = 0; q < 3; ++q) CHECK(*first.stocks[0].sources[q].share == doctest::Approx(0.2));
  CHECK(*first.stocks[0].sources[3].share == 0.4);
  CHECK(lane_ends(s) == std::vector<std::string>{"sup>dc_1", "sup>dc_2", "sup>dc_3", "dc_1>store_1", "dc_2>store_1",
                                                 "dc_3>store_1", "dc_1>store_2", "dc_2>store_2", "dc_3>store_2",
                                                 "sup>store_1", "sup>store_2"});
  CHECK(check_spec(s).empty());
}

TEST_CASE("pairs: all declares a lane for every pair, the idle ones too") {
  ScenarioSpec s = tiers(2, 3, GroupSources::kBlock, LanePairs::kAll);
  s.nodes[2].stocks[0].sources[0].from = "dc_1";  // a member, by its name: every store buys there
  CHECK(expand_groups(s).empty());
  CHECK(lane_ends(s) == std::vector<std::string>{"sup>dc_1", "sup>dc_2", "dc_1>store_1", "dc_2>store_1",
                                                 "dc_1>store_2", "dc_2>store_2", "dc_1>store_3", "dc_2>store_3"});
  for (std::size_t k = 3; k < 6; ++k) CHECK(sources_of(s.nodes[k]) == std::vector<std::string>{"dc_1"});
  CHECK(check_spec(s).empty());
}

TEST_CASE("a lane no source uses is never recorded, and reports that it carried nothing") {
  ScenarioSpec s = tiers(2, 3, GroupSources::kBlock, LanePairs::kAll);
  s.nodes[2].stocks[0].sources[0].from = "dc_1";
  DemandSpec d;
  d.type = DemandType::kConstant;
  d.value = 2;
  s.nodes[2].stocks[0].demand.push_back(d);
  s.nodes[2].stocks[0].policy.S = 4;
  s.nodes[1].stocks[0].policy.S = 20;
  s.horizon = 12;
  REQUIRE(expand_groups(s).empty());
  auto net = build_network(s, 1, 0);
  SeriesRecorder rec;
  KpiCollector kpi;
  net->add_sink(&rec);
  net->add_sink(&kpi);
  net->run();
  net->audit();
  // 8 lanes: sup to 2 DCs, then 2 x 3 DC-store pairs of which the 3 from dc_1 are used.
  REQUIRE(net->lanes().size() == 8);
  CHECK(rec.lanes.size() == 12 * (2 + 3));
  for (const LanePeriod& l : rec.lanes) CHECK(net->lanes()[l.lane].name.rfind("dc_2->", 0) != 0);
  std::map<std::string, double> shipped, in_transit;
  for (const KpiValue& v : kpi.finish().values) {
    if (v.scope != "lane") continue;
    if (v.kpi == "shipped") shipped[v.name] = v.value;
    if (v.kpi == "in_transit_mean") in_transit[v.name] = v.value;
  }
  CHECK(shipped.size() == 8);
  CHECK(shipped["dc_2->store_1"] == 0.0);
  CHECK(in_transit["dc_2->store_3"] == 0.0);
  CHECK(shipped["dc_1->store_1"] > 0.0);
  CHECK(in_transit["dc_1->store_1"] > 0.0);
}

TEST_CASE("a group lane with an id, and a group source naming a lane, are refused at the item written") {
  ScenarioSpec s = tiers(2, 2, GroupSources::kBlock, LanePairs::kSourced);
  s.lanes[1].id = "down";
  s.nodes[2].stocks[0].sources[0].lane = "down";
  const std::vector<SpecIssue> issues = expand_groups(s);
  REQUIRE(issues.size() == 2);
  CHECK(issues[0].path == "nodes.2.stocks.0.sources.0.lane");
  CHECK(issues[0].message == "a source naming a node group uses the lanes between members: give no lane");
  CHECK(issues[1].path == "lanes.1.id");
  CHECK(issues[1].message ==
        "a lane from or to a node group has one lane per member pair, each with the default id from->to: give no id");
}

TEST_CASE("a spec without groups comes back as it was, and one not expanded is refused by the checks") {
  ScenarioSpec s = tiers(1, 1, GroupSources::kBlock, LanePairs::kSourced);
  const ScenarioSpec before = s;
  GroupOrigins o;
  CHECK(expand_groups(s, &o).empty());
  CHECK(lane_ends(s) == lane_ends(before));
  CHECK(s.nodes[2].id == "store");
  CHECK(o.nodes == std::vector<std::size_t>{0, 1, 2});
  ScenarioSpec grouped = tiers(1, 3, GroupSources::kBlock, LanePairs::kSourced);
  bool found = false;
  for (const SpecIssue& i : check_spec(grouped)) found = found || i.path == "nodes.2.count";
  CHECK(found);
}

TEST_CASE("a group's id taken by another node, a group lane that makes no lane, and self pairs") {
  ScenarioSpec s = tiers(2, 2, GroupSources::kBlock, LanePairs::kSourced);
  NodeSpec twin;
  twin.id = "dc";
  s.nodes.push_back(twin);
  LaneSpec idle;
  idle.from = "store";
  idle.to = "dc";  // no source buys along it
  s.lanes.push_back(idle);
  LaneSpec self;
  self.from = "dc";
  self.to = "dc";
  self.pairs = LanePairs::kAll;
  s.lanes.push_back(self);
  const std::vector<SpecIssue> issues = expand_groups(s);
  for (const SpecIssue& i : issues) MESSAGE((i.path + ": " + i.message));
  REQUIRE(issues.size() == 2);
  CHECK(issues[0].path == "nodes.3.id");
  CHECK(issues[0].message == "duplicate node id 'dc': a node group has it");
  CHECK(issues[1].path == "lanes.2");
  CHECK(issues[1].message == "no stock's sources join a member of 'store' to a member of 'dc', so this lane makes "
                             "none (pairs: all makes every pair)");
  // Buyer by buyer: dc_2 -> dc_1 and dc_1 -> dc_2, never a member to itself.
  CHECK(lane_ends(s)[lane_ends(s).size() - 2] == "dc_2>dc_1");
  CHECK(lane_ends(s).back() == "dc_1>dc_2");
}

TEST_CASE("a group lane whose other end is unknown is reported for that end alone") {
  ScenarioSpec s = tiers(2, 2, GroupSources::kBlock, LanePairs::kSourced);
  s.lanes[1].to = "shop";
  CHECK(expand_groups(s).empty());
  std::vector<std::string> paths;
  for (const SpecIssue& i : check_spec(s)) paths.push_back(i.path + ": " + i.message);
  CHECK(std::find(paths.begin(), paths.end(), "lanes.2.to: no node with id 'shop'") != paths.end());
  for (const std::string& p : paths) CHECK(p.find("id 'dc'") == std::string::npos);
}

#include "models/experiment/game.h"

#include <cmath>
#include <fmt/core.h>
#include <limits>
#include <stdexcept>

#include "models/chain/builder.h"
#include "models/experiment/experiment.h"
#include "models/measure/series.h"

namespace chainsim::models {

namespace {

// The item of the document's nodes with id `id`, or -1.
long document_node(const YAML::Node& doc, const std::string& id) {
  const YAML::Node nodes = doc["nodes"];
  if (!nodes || !nodes.IsSequence()) return -1;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const YAML::Node n = nodes[i];
    if (n.IsMap() && n["id"] && n["id"].IsScalar() && n["id"].Scalar() == id) return static_cast<long>(i);
  }
  return -1;
}

// The default role: the first node with end-customer demand.
std::string default_role(const ScenarioSpec& spec) {
  for (const NodeSpec& n : spec.nodes) {
    for (const StockSpec& s : n.stocks) {
      if (!s.demand.empty()) return n.id;
    }
  }
  for (const NodeSpec& n : spec.nodes) {
    if (n.kind == NodeKind::kRetailer) return n.id;
  }
  throw std::invalid_argument("--role: the scenario has no retailer to play; name a node with --role");
}

// The columns a week's view reads.
const std::vector<std::string>& view_columns() {
  static const std::vector<std::string> columns = {"received", "demand",  "on_hand",        "backlog",
                                                   "on_order", "cost",    "customer_demand"};
  return columns;
}

}  // namespace

Game::Game(const LoadedScenario& scenario, const std::string& role)
    : scenario_(scenario), role_(role.empty() ? default_role(scenario.spec) : role), horizon_(scenario.spec.horizon) {
  const ScenarioSpec& spec = scenario_.spec;
  const NodeSpec* node = nullptr;
  for (const NodeSpec& n : spec.nodes) {
    if (n.id == role_) node = &n;
  }
  if (node == nullptr) {
    std::string ids;
    for (const NodeSpec& n : spec.nodes) ids += (ids.empty() ? "" : ", ") + n.id;
    throw std::invalid_argument(fmt::format("--role: no node '{}' (the nodes: {})", role_, ids));
  }
  if (node_kind_info(node->kind).unlimited_source ||
      (node->stocks.size() == 1 && node->stocks[0].policy.type == PolicyType::kNone)) {
    throw std::invalid_argument(fmt::format("--role: node '{}' orders nothing (no policy): there is nothing to play",
                                            role_));
  }
  if (node->stocks.size() != 1) {
    throw std::invalid_argument(fmt::format("--role: node '{}' holds {} stocks; a player runs a node of one stock",
                                            role_, node->stocks.size()));
  }
  const long item = document_node(scenario_.document, role_);
  if (item < 0) {
    throw std::invalid_argument(fmt::format("--role: node '{}' is a member of a node group; play a node of its own",
                                            role_));
  }
  node_index_ = static_cast<std::size_t>(item);
  const auto net = build_network(spec, spec.seed, 0, true);
  const NetworkInfo info = describe_network(*net, spec.time_unit);
  bool found = false;
  for (std::size_t s = 0; s < info.stocks.size(); ++s) {
    if (info.stocks[s].node == role_) stock_ = s, found = true;
  }
  for (std::size_t s = info.stocks.size(); s-- > 0;) {
    if (info.stocks[s].has_demand) retail_stock_ = s;
  }
  if (!found) throw std::invalid_argument(fmt::format("--role: node '{}' has no stock to play", role_));
  scenario_.spec.replications = 1;
}

YAML::Node Game::played_document(int weeks) const {
  YAML::Node doc = YAML::Clone(scenario_.document);
  YAML::Node node = doc["nodes"][node_index_];
  YAML::Node policy(YAML::NodeType::Map);
  policy["type"] = "scripted";
  YAML::Node plan(YAML::NodeType::Sequence);
  plan.SetStyle(YAML::EmitterStyle::Flow);
  for (double q : orders_) plan.push_back(static_cast<long long>(q));
  policy["plan"] = plan;
  policy["after_plan"] = "zero";
  policy.SetStyle(YAML::EmitterStyle::Flow);
  if (node["stocks"] && node["stocks"].IsSequence()) {
    node["stocks"][0]["policy"] = policy;
  } else {
    node["policy"] = policy;
  }
  doc["replications"] = 1;
  if (weeks < horizon_) {
    doc["horizon"] = weeks;
    if (scenario_.spec.warmup >= weeks) doc["warmup"] = 0;
  }
  return doc;
}

ScenarioSpec Game::played_spec(int weeks) const {
  // Through the loader, as `chainsim run` of the written scenario reads it.
  const LoadOptions no_overrides;
  return load_scenario_text(to_yaml(played_document(weeks)), scenario_.file, scenario_.base_dir, no_overrides).spec;
}

GameWeek Game::view() const {
  const int k = week();
  const ScenarioSpec spec = played_spec(horizon_);
  ReplicationOptions o;
  o.keep_series = true;
  o.columns = view_columns();
  o.spec_checked = true;
  const ReplicationOutput rep = run_replication(spec, spec.seed, 0, o);
  const SeriesValues& v = rep.series;
  auto at = [&](std::size_t period, std::size_t stock, const char* column) {
    return v.at(period, stock, v.slot(series_column_indices({column}).front()));
  };
  const std::size_t cost = v.slot(series_column_indices({"cost"}).front());
  GameWeek w;
  w.week = k;
  const auto p = static_cast<std::size_t>(k);
  w.shipment_in = at(p, stock_, "received");
  w.order_in = at(p, stock_, "demand");
  w.on_hand = at(p, stock_, "on_hand");
  w.backlog = at(p, stock_, "backlog");
  w.on_order = at(p, stock_, "on_order");
  for (std::size_t q = 0; q <= p; ++q) w.cost_so_far += v.at(q, stock_, cost);
  w.customer_demand = scenario_.spec.sharing.pos ? at(p, retail_stock_, "customer_demand")
                                                 : std::numeric_limits<double>::quiet_NaN();
  return w;
}

void Game::order(double quantity) {
  if (over()) throw std::logic_error("the game is over");
  if (!(quantity >= 0 && quantity <= kMaxOrder && std::floor(quantity) == quantity)) {
    throw std::invalid_argument(fmt::format("an order is a whole number of units from 0 to {:.0f}", kMaxOrder));
  }
  orders_.push_back(quantity);
}

std::string Game::played_yaml() const { return to_yaml(played_document(week())); }

std::vector<GameStage> Game::debrief() const {
  const ScenarioSpec played = played_spec(week());
  ScenarioSpec benchmark = scenario_.spec;
  benchmark.horizon = played.horizon;
  benchmark.warmup = played.warmup;
  const ReplicationOutput as_played = run_replication(played, played.seed, 0, ReplicationOptions::checked());
  const ReplicationOutput by_rule = run_replication(benchmark, benchmark.seed, 0, ReplicationOptions::checked());
  const auto net = build_network(played, played.seed, 0, true);
  const NetworkInfo info = describe_network(*net, played.time_unit);
  std::vector<GameStage> out;
  for (const NetworkInfo::StockInfo& s : info.stocks) {
    if (s.infinite) continue;
    GameStage g;
    g.node = s.node;
    g.player = s.node == role_;
    g.bullwhip = as_played.kpis.get("stock", s.name, "bullwhip_cumulative");
    g.cost = as_played.kpis.get("node", s.node, "total_cost");
    g.cost_benchmark = by_rule.kpis.get("node", s.node, "total_cost");
    out.push_back(g);
  }
  return out;
}

std::vector<double> Game::customer_demand() const {
  const ScenarioSpec spec = played_spec(week());
  ReplicationOptions o;
  o.keep_series = true;
  o.columns = {"customer_demand"};
  o.spec_checked = true;
  const ReplicationOutput rep = run_replication(spec, spec.seed, 0, o);
  std::vector<double> out;
  const std::size_t slot = rep.series.slot(series_column_indices({"customer_demand"}).front());
  for (std::size_t p = 0; p < rep.series.periods; ++p) {
    double sum = 0.0;
    for (std::size_t s = 0; s < rep.series.stocks; ++s) sum += rep.series.at(p, s, slot);
    out.push_back(sum);
  }
  return out;
}

}  // namespace chainsim::models

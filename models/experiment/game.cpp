#include "models/experiment/game.h"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>
#include <limits>
#include <stdexcept>

#include "models/chain/builder.h"
#include "models/chain/observations.h"
#include "models/chain/policy.h"
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

// The columns a week's view reads, and their places in that list.
enum ViewColumn : std::size_t { kReceived, kDemand, kOnHand, kBacklog, kOnOrder, kCost, kCustomerDemand };
const std::vector<std::string>& view_columns() {
  static const std::vector<std::string> columns = {"received", "demand",  "on_hand",        "backlog",
                                                   "on_order", "cost",    "customer_demand"};
  return columns;
}

}  // namespace

namespace {

// Why `node` cannot be played ("" when it can), as "node 'x' ...".
std::string unplayable(const NodeSpec& node, const YAML::Node& doc) {
  if (node_kind_info(node.kind).unlimited_source ||
      (node.stocks.size() == 1 && node.stocks[0].policy.type == PolicyType::kNone)) {
    return fmt::format("node '{}' orders nothing (no policy): there is nothing to play", node.id);
  }
  if (node.stocks.size() != 1) {
    return fmt::format("node '{}' holds {} stocks; a player runs a node of one stock", node.id, node.stocks.size());
  }
  if (document_node(doc, node.id) < 0) {
    return fmt::format("node '{}' is a member of a node group; play a node of its own", node.id);
  }
  return "";
}

// The orders given so far, then the node's own policy: the policy sees every
// review (a forecasting rule keeps its state) and decides once the plan ends.
class PlanThenPolicy final : public ReplenishmentPolicy {
 public:
  PlanThenPolicy(std::vector<double> plan, std::unique_ptr<ReplenishmentPolicy> policy)
      : plan_(std::move(plan)), policy_(std::move(policy)) {}
  Qty order(const PolicyView& v) override {
    const Qty wanted = policy_->order(v);
    const auto k = static_cast<std::size_t>(v.review);
    return k < plan_.size() ? plan_[k] : wanted;
  }
  bool set_parameter(std::string_view name, double value, double* old) override {
    return policy_->set_parameter(name, value, old);
  }
  bool needs_echelon_position() const override { return policy_->needs_echelon_position(); }
  std::string describe() const override { return "the orders given, then " + policy_->describe(); }

 private:
  std::vector<double> plan_;
  std::unique_ptr<ReplenishmentPolicy> policy_;
};

// What stocks ordered in one period.
class OrderedAt final : public ObservationSink {
 public:
  OrderedAt(std::int64_t period, std::size_t stocks) : period_(period), ordered_(stocks, 0.0) {}
  void on_stock_period(const StockPeriod& s) override {
    if (s.period == period_ && s.stock < ordered_.size()) ordered_[s.stock] = s.ordered;
  }
  double at(std::size_t stock) const { return ordered_.at(stock); }

 private:
  std::int64_t period_;
  std::vector<double> ordered_;
};

}  // namespace

Game::Game(const LoadedScenario& scenario, const std::string& role)
    : Game(scenario, std::vector<std::string>{role.empty() ? default_role(scenario.spec) : role}) {}

Game::Game(const LoadedScenario& scenario, const std::vector<std::string>& roles)
    : scenario_(scenario), horizon_(scenario.spec.horizon) {
  const ScenarioSpec& spec = scenario_.spec;
  const auto net = build_network(spec, spec.seed, 0, true);
  const NetworkInfo info = describe_network(*net, spec.time_unit);
  for (const std::string& name : roles) {
    const NodeSpec* node = nullptr;
    for (const NodeSpec& n : spec.nodes) {
      if (n.id == name) node = &n;
    }
    if (node == nullptr) {
      std::string ids;
      for (const NodeSpec& n : spec.nodes) ids += (ids.empty() ? "" : ", ") + n.id;
      throw std::invalid_argument(fmt::format("--role: no node '{}' (the nodes: {})", name, ids));
    }
    if (const std::string why = unplayable(*node, scenario_.document); !why.empty()) {
      throw std::invalid_argument("--role: " + why);
    }
    for (const Role& r : roles_) {
      if (r.node == name) throw std::invalid_argument(fmt::format("--role: node '{}' is named twice", name));
    }
    Role r;
    r.node = name;
    r.policy = node->stocks[0].policy;
    r.node_index = static_cast<std::size_t>(document_node(scenario_.document, name));
    bool found = false;
    for (std::size_t s = 0; s < info.stocks.size(); ++s) {
      if (info.stocks[s].node == name) r.stock = s, found = true;
    }
    if (!found) throw std::invalid_argument(fmt::format("--role: node '{}' has no stock to play", name));
    roles_.push_back(r);
  }
  for (std::size_t s = info.stocks.size(); s-- > 0;) {
    if (info.stocks[s].has_demand) retail_stock_ = s;
  }
  orders_.resize(roles_.size());
  scenario_.spec.replications = 1;
}

std::vector<std::string> Game::playable_roles(const LoadedScenario& scenario) {
  std::vector<std::string> out;
  for (const NodeSpec& n : scenario.spec.nodes) {
    if (unplayable(n, scenario.document).empty()) out.push_back(n.id);
  }
  return out;
}

YAML::Node Game::played_document(int weeks) const {
  YAML::Node doc = YAML::Clone(scenario_.document);
  for (std::size_t r = 0; r < roles_.size(); ++r) {
    YAML::Node node = doc["nodes"][roles_[r].node_index];
    YAML::Node policy(YAML::NodeType::Map);
    policy["type"] = "scripted";
    YAML::Node plan(YAML::NodeType::Sequence);
    plan.SetStyle(YAML::EmitterStyle::Flow);
    for (double q : orders_[r]) plan.push_back(static_cast<long long>(q));
    policy["plan"] = plan;
    policy["after_plan"] = "zero";
    policy.SetStyle(YAML::EmitterStyle::Flow);
    if (node["stocks"] && node["stocks"].IsSequence()) {
      node["stocks"][0]["policy"] = policy;
    } else {
      node["policy"] = policy;
    }
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
  const LoadOptions options({}, "--set", scenario_.allowed_dirs);
  return load_scenario_text(to_yaml(played_document(weeks)), scenario_.file, scenario_.base_dir, options).spec;
}

GameWeek Game::view() const { return views().front(); }

std::vector<GameWeek> Game::views() const {
  const int k = week();
  const ScenarioSpec spec = played_spec(horizon_);
  ReplicationOptions o;
  o.keep_series = true;
  o.columns = view_columns();
  o.spec_checked = true;
  const ReplicationOutput rep = run_replication(spec, spec.seed, 0, o);
  const SeriesValues& v = rep.series;
  // The slot of each column of view_columns(), in that order (series_column_indices
  // gives the series' own order).
  std::vector<std::size_t> slot;
  for (const std::string& c : view_columns()) slot.push_back(v.slot(series_column_indices({c}).front()));
  auto at = [&](std::size_t period, std::size_t stock, std::size_t column) { return v.at(period, stock, slot[column]); };
  const auto p = static_cast<std::size_t>(k);
  std::vector<GameWeek> out;
  for (const Role& r : roles_) {
    GameWeek w;
    w.week = k;
    w.shipment_in = at(p, r.stock, kReceived);
    w.order_in = at(p, r.stock, kDemand);
    w.on_hand = at(p, r.stock, kOnHand);
    w.backlog = at(p, r.stock, kBacklog);
    w.on_order = at(p, r.stock, kOnOrder);
    for (std::size_t q = 0; q <= p; ++q) w.cost_so_far += at(q, r.stock, kCost);
    w.customer_demand = scenario_.spec.sharing.pos ? at(p, retail_stock_, kCustomerDemand)
                                                   : std::numeric_limits<double>::quiet_NaN();
    out.push_back(w);
  }
  return out;
}

std::vector<double> Game::policy_orders() const {
  if (over()) throw std::logic_error("the game is over");
  const ScenarioSpec spec = played_spec(horizon_);
  auto net = build_network(spec, spec.seed, 0, true);
  for (std::size_t r = 0; r < roles_.size(); ++r) {
    net->stock_mut(static_cast<StockId>(roles_[r].stock)).policy =
        std::make_unique<PlanThenPolicy>(orders_[r], make_policy(roles_[r].policy));
  }
  OrderedAt ordered(week(), net->stocks().size());
  net->add_sink(&ordered);
  net->run();
  std::vector<double> out;
  for (const Role& r : roles_) out.push_back(std::clamp(std::round(ordered.at(r.stock)), 0.0, kMaxOrder));
  return out;
}

void Game::order(double quantity) {
  if (roles_.size() != 1) throw std::logic_error("Game::order: the game has not one player");
  order_week({quantity});
}

void Game::check_order(double quantity) {
  if (!(quantity >= 0 && quantity <= kMaxOrder && std::floor(quantity) == quantity)) {
    throw std::invalid_argument(fmt::format("an order is a whole number of units from 0 to {:.0f}", kMaxOrder));
  }
}

void Game::order_week(const std::vector<double>& quantities) {
  if (over()) throw std::logic_error("the game is over");
  if (quantities.size() != roles_.size()) throw std::logic_error("Game::order_week: one order per player");
  for (double q : quantities) check_order(q);
  for (std::size_t r = 0; r < roles_.size(); ++r) orders_[r].push_back(quantities[r]);
  ++weeks_;
}

std::string Game::played_yaml() const { return to_yaml(played_document(week())); }

std::vector<GameStage> Game::debrief() const {
  const ScenarioSpec played = played_spec(week());
  ScenarioSpec benchmark = scenario_.spec;
  benchmark.horizon = played.horizon;
  benchmark.warmup = played.warmup;
  ReplicationOptions o = ReplicationOptions::checked();
  o.keep_series = true;
  o.columns = {"ordered"};
  const ReplicationOutput as_played = run_replication(played, played.seed, 0, o);
  const ReplicationOutput by_rule = run_replication(benchmark, benchmark.seed, 0, ReplicationOptions::checked());
  const auto net = build_network(played, played.seed, 0, true);
  const NetworkInfo info = describe_network(*net, played.time_unit);
  const std::size_t ordered = as_played.series.slot(series_column_indices({"ordered"}).front());
  std::vector<GameStage> out;
  for (std::size_t s = 0; s < info.stocks.size(); ++s) {
    const NetworkInfo::StockInfo& stock = info.stocks[s];
    if (stock.infinite) continue;
    GameStage g;
    g.node = stock.node;
    for (const Role& r : roles_) g.player = g.player || r.node == stock.node;
    g.bullwhip = as_played.kpis.get("stock", stock.name, "bullwhip_cumulative");
    g.cost = as_played.kpis.get("node", stock.node, "total_cost");
    g.cost_benchmark = by_rule.kpis.get("node", stock.node, "total_cost");
    for (std::size_t p = 0; p < as_played.series.periods; ++p) g.orders.push_back(as_played.series.at(p, s, ordered));
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

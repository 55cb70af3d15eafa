#include "models/chain/builder.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/core.h>
#include <map>
#include <set>

#include "models/chain/spec_index.h"
#include "models/chain/what_if.h"

namespace chainsim::models {

namespace {

std::string join_issues(const std::vector<SpecIssue>& issues) {
  std::string s;
  for (const auto& i : issues) s += (s.empty() ? "" : "\n") + i.path + ": " + i.message;
  return s;
}

struct Checker {
  std::vector<SpecIssue> issues;
  void add(const std::string& path, const std::string& message) { issues.push_back({path, message}); }
  void nonneg(const std::string& path, double x) {
    if (!std::isfinite(x) || x < 0) add(path, fmt::format("must be a finite number >= 0 (got {})", x));
  }
  void positive(const std::string& path, double x) {
    if (!(x > 0) || std::isnan(x)) add(path, fmt::format("must be > 0 (got {})", x));
  }
  void unit_interval(const std::string& path, double x) {
    if (!(x >= 0 && x <= 1)) add(path, fmt::format("must be in [0, 1] (got {})", x));
  }
  void finite(const std::string& path, double x) {
    if (!std::isfinite(x)) add(path, fmt::format("must be finite (got {})", x));
  }
  void nonneg_distribution(const std::string& path, const Distribution& d) {
    if (!d.is_nonnegative()) add(path, "must not produce negative values (got " + d.describe() + ")");
  }
};

// "base_stock, s_S, r_Q, make_to_order": the policies that order and may review continuously.
std::string continuous_policies() {
  std::string out;
  for (std::size_t i = 0; i < enum_names<PolicyType>().size(); ++i) {
    const auto t = static_cast<PolicyType>(i);
    if (policy_behaviour(t).continuous && policy_behaviour(t).orders) {
      out += (out.empty() ? "" : ", ") + std::string(name_of(t));
    }
  }
  return out;
}

// The lane a source uses: by id, or the only lane from -> to. Returns -1 and
// a reason when there is none or several.
int resolve_lane(const ScenarioSpec& spec, const SourceSpec& src, const std::string& to,
                 std::string& why) {
  int found = -1;
  for (std::size_t i = 0; i < spec.lanes.size(); ++i) {
    const LaneSpec& l = spec.lanes[i];
    if (!src.lane.empty()) {
      if (lane_id(l) != src.lane) continue;
      if (l.from != src.from || l.to != to) {
        why = fmt::format("lane '{}' runs from '{}' to '{}', not from '{}' to '{}'", src.lane, l.from,
                          l.to, src.from, to);
        return -1;
      }
      return static_cast<int>(i);
    }
    if (l.from == src.from && l.to == to) {
      if (found >= 0) {
        why = fmt::format("several lanes run from '{}' to '{}'; name one with lane:", src.from, to);
        return -1;
      }
      found = static_cast<int>(i);
    }
  }
  if (found < 0) {
    why = src.lane.empty() ? fmt::format("no lane from '{}' to '{}'", src.from, to)
                           : fmt::format("no lane with id '{}'", src.lane);
  }
  return found;
}

// Finds a cycle in the bill of materials (edges component -> product); returns
// the products on it, or an empty vector.
std::vector<std::string> bom_cycle(const ScenarioSpec& spec) {
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  std::map<std::string, int> index;
  std::vector<std::string> names;
  for (const auto& p : spec.products) {
    if (index.emplace(p.id, static_cast<int>(names.size())).second) names.push_back(p.id);
  }
  Graph g(names.size());
  for (const auto& n : spec.nodes) {
    for (const auto& s : n.stocks) {
      if (!s.production || !index.count(s.product)) continue;
      for (const auto& in : s.production->inputs) {
        if (index.count(in.product)) boost::add_edge(static_cast<std::size_t>(index[in.product]), static_cast<std::size_t>(index[s.product]), g);
      }
    }
  }
  struct BackEdge : boost::dfs_visitor<> {
    std::vector<int>* parent;
    std::vector<int>* cycle;
    void tree_edge(Graph::edge_descriptor e, const Graph& g) const {
      (*parent)[boost::target(e, g)] = static_cast<int>(boost::source(e, g));
    }
    void back_edge(Graph::edge_descriptor e, const Graph& g) const {
      if (!cycle->empty()) return;
      const int from = static_cast<int>(boost::source(e, g));
      const int to = static_cast<int>(boost::target(e, g));
      cycle->push_back(to);
      for (int v = from; v != to && v >= 0; v = (*parent)[static_cast<std::size_t>(v)]) cycle->insert(cycle->begin() + 1, v);
      cycle->push_back(to);
    }
  };
  std::vector<int> parent(names.size(), -1), cycle;
  BackEdge vis;
  vis.parent = &parent;
  vis.cycle = &cycle;
  boost::depth_first_search(g, boost::visitor(vis));
  std::vector<std::string> out;
  for (int v : cycle) out.push_back(names[static_cast<std::size_t>(v)]);
  return out;
}

std::unique_ptr<ReplenishmentPolicy> no_policy() {
  PolicySpec s;
  s.type = PolicyType::kNone;
  return make_policy(s);
}

}  // namespace

SpecError::SpecError(std::vector<SpecIssue> issues)
    : std::runtime_error(join_issues(issues)), issues_(std::move(issues)) {}

std::vector<SpecIssue> check_spec(const ScenarioSpec& spec, const std::string& base_dir) {
  Checker c;
  c.positive("period", spec.period);
  if (!std::isfinite(spec.period)) c.add("period", "must be finite");
  if (spec.horizon < 1) c.add("horizon", fmt::format("must be >= 1 (got {})", spec.horizon));
  if (spec.warmup < 0 || (spec.horizon >= 1 && spec.warmup >= spec.horizon)) {
    c.add("warmup", fmt::format("must be in [0, horizon) = [0, {}) (got {})", spec.horizon, spec.warmup));
  }
  if (spec.replications < 1) c.add("replications", fmt::format("must be >= 1 (got {})", spec.replications));
  c.nonneg("sharing.delay", spec.sharing.delay);

  std::map<std::string, std::size_t> products, nodes, lanes, events;
  if (spec.products.empty()) c.add("products", "at least one product is needed");
  for (std::size_t i = 0; i < spec.products.size(); ++i) {
    const ProductSpec& p = spec.products[i];
    const std::string path = fmt::format("products.{}", i);
    if (p.id.empty()) c.add(path + ".id", "must not be empty");
    if (!products.emplace(p.id, i).second) c.add(path + ".id", "duplicate product id '" + p.id + "'");
    c.nonneg(path + ".unit_cost", p.unit_cost);
    if (p.salvage_value) c.nonneg(path + ".salvage_value", *p.salvage_value);
    c.nonneg(path + ".price", p.price);
  }
  if (spec.nodes.empty()) c.add("nodes", "at least one node is needed");
  for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
    const std::string& id = spec.nodes[i].id;
    if (id.empty()) c.add(fmt::format("nodes.{}.id", i), "must not be empty");
    if (!nodes.emplace(id, i).second) c.add(fmt::format("nodes.{}.id", i), "duplicate node id '" + id + "'");
  }
  for (std::size_t i = 0; i < spec.lanes.size(); ++i) {
    const LaneSpec& l = spec.lanes[i];
    const std::string path = fmt::format("lanes.{}", i);
    if (!lanes.emplace(lane_id(l), i).second) c.add(path + ".id", "duplicate lane id '" + lane_id(l) + "'");
  }
  auto has_stock = [&](const std::string& node, const std::string& product) {
    const auto it = nodes.find(node);
    if (it == nodes.end()) return false;
    const NodeSpec& n = spec.nodes[it->second];
    if (n.kind == NodeKind::kSupplier) return true;  // an unlimited source of anything
    for (const auto& s : n.stocks) {
      if (s.product == product) return true;
    }
    return false;
  };

  for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
    const NodeSpec& n = spec.nodes[i];
    const std::string np = fmt::format("nodes.{}", i);
    const bool supplier = n.kind == NodeKind::kSupplier;
    c.nonneg(np + ".holding_cost", n.holding_cost);
    c.nonneg(np + ".holding_rate", n.holding_rate);
    c.nonneg(np + ".backorder_cost", n.backorder_cost);
    c.nonneg(np + ".lost_sale_cost", n.lost_sale_cost);
    c.nonneg(np + ".ordering_cost", n.ordering_cost);
    c.finite(np + ".initial_cash", n.initial_cash);
    c.nonneg(np + ".payment_terms.net", n.payment_terms.net);
    if (!(n.payment_terms.discount >= 0 && n.payment_terms.discount < 1)) {
      c.add(np + ".payment_terms.discount", fmt::format("must be in [0, 1) (got {})", n.payment_terms.discount));
    }
    c.nonneg(np + ".payment_terms.discount_within", n.payment_terms.discount_within);
    c.nonneg_distribution(np + ".lead_time", n.lead_time);
    c.nonneg(np + ".capacity", n.capacity == kInfinity ? 0.0 : n.capacity);
    c.unit_interval(np + ".reliability", n.reliability);
    if (!(n.shortfall >= 0 && n.shortfall < 1)) {
      c.add(np + ".shortfall", fmt::format("must be in [0, 1) (got {})", n.shortfall));
    }
    if (n.yield) c.nonneg_distribution(np + ".yield", *n.yield);
    c.nonneg(np + ".material_cost", n.material_cost);
    if (!supplier && (n.reliability != 1.0 || n.yield || n.capacity != kInfinity || n.material_cost != 0.0 ||
                      n.shortfall != 0.0 ||
                      !(n.lead_time.kind() == Distribution::Kind::kConstant && n.lead_time.mean() == 0.0))) {
      c.add(np + ".kind",
            "capacity, lead_time, reliability, shortfall, yield and material_cost belong to suppliers (kind: "
            "supplier)");
    }

    std::set<std::string> stock_products;
    for (std::size_t j = 0; j < n.stocks.size(); ++j) {
      const StockSpec& s = n.stocks[j];
      const std::string sp = fmt::format("{}.stocks.{}", np, j);
      if (!products.count(s.product)) {
        c.add(sp + ".product", "no product with id '" + s.product + "'");
      } else if (!stock_products.insert(s.product).second) {
        c.add(sp + ".product", "node '" + n.id + "' already has a stock of '" + s.product + "'");
      }
      c.nonneg(sp + ".initial", s.initial);
      c.nonneg(sp + ".initial_backlog", s.initial_backlog);
      c.positive(sp + ".storage_capacity", s.storage_capacity);
      if (s.holding_cost) c.nonneg(sp + ".holding_cost", *s.holding_cost);
      if (s.backorder_cost) c.nonneg(sp + ".backorder_cost", *s.backorder_cost);
      if (s.lost_sale_cost) c.nonneg(sp + ".lost_sale_cost", *s.lost_sale_cost);
      if (supplier) {
        if (s.policy.type != PolicyType::kNone && s.policy.type != PolicyType::kBaseStock) {
          c.add(sp + ".policy", "a supplier is an unlimited source and has no replenishment policy");
        }
        if (!s.sources.empty() || s.production || !s.demand.empty()) {
          c.add(sp, "a supplier's stock takes no sources, production or demand");
        }
        continue;
      }
      for (const std::string& problem : check_policy(s.policy)) c.add(sp + ".policy", problem);
      if (s.policy.review == ReviewMode::kContinuous && !policy_behaviour(s.policy.type).continuous) {
        c.add(sp + ".policy.review", "policy " + std::string(name_of(s.policy.type)) +
                                         " reviews periodically only (continuous review: " + continuous_policies() + ")");
      }
      if (s.production && !s.sources.empty()) {
        c.add(sp + ".sources", "a stock is either produced here (production) or bought (sources), not both");
      }
      if (policy_behaviour(s.policy.type).orders && !s.production && s.sources.empty()) {
        c.add(sp + ".sources", "the stock's policy orders, but it has no sources and no production");
      }
      double share_sum = 0.0;
      std::size_t with_share = 0;
      std::set<std::string> seen_sources;
      for (std::size_t k = 0; k < s.sources.size(); ++k) {
        const SourceSpec& src = s.sources[k];
        const std::string path = fmt::format("{}.sources.{}", sp, k);
        if (!nodes.count(src.from)) {
          c.add(path + ".from", "no node with id '" + src.from + "'");
          continue;
        }
        std::string why;
        const int lane = resolve_lane(spec, src, n.id, why);
        if (lane < 0) c.add(path + (src.lane.empty() ? ".from" : ".lane"), why);
        if (!seen_sources.insert(src.from + "/" + src.lane).second) c.add(path, "duplicate source");
        if (src.share) {
          if (!(*src.share > 0 && *src.share <= 1)) {
            c.add(path + ".share", fmt::format("must be in (0, 1] (got {})", *src.share));
          }
          share_sum += *src.share;
          ++with_share;
        }
        if (products.count(s.product) && !has_stock(src.from, s.product)) {
          c.add(path + ".from", "node '" + src.from + "' has no stock of '" + s.product + "'");
        }
      }
      if (with_share > 0 && with_share < s.sources.size()) {
        c.add(sp + ".sources", "give every source a share, or none (equal shares)");
      } else if (with_share > 0 && s.split == SplitRule::kShares && std::abs(share_sum - 1.0) > 1e-9) {
        c.add(sp + ".sources", fmt::format("the shares must sum to 1 (got {})", share_sum));
      }
      if (s.vmi) {
        if (s.sources.size() != 1) c.add(sp + ".vmi", "a vendor-managed stock needs exactly one source");
        if (s.policy.review != ReviewMode::kPeriodic) c.add(sp + ".vmi", "a vendor-managed stock reviews periodically");
      }
      if (s.production) {
        const ProductionSpec& p = *s.production;
        const std::string pp = sp + ".production";
        for (std::size_t k = 0; k < p.inputs.size(); ++k) {
          const InputSpec& in = p.inputs[k];
          const std::string ip = fmt::format("{}.inputs.{}", pp, k);
          bool here = false;
          for (const auto& other : n.stocks) here = here || other.product == in.product;
          if (!products.count(in.product)) {
            c.add(ip + ".product", "no product with id '" + in.product + "'");
          } else if (!here) {
            c.add(ip + ".product", "node '" + n.id + "' has no stock of component '" + in.product + "'");
          }
          c.positive(ip + ".quantity", in.quantity);
        }
        c.nonneg(pp + ".capacity", p.capacity == kInfinity ? 0.0 : p.capacity);
        c.nonneg_distribution(pp + ".lead_time", p.lead_time);
        c.nonneg(pp + ".request_delay", p.request_delay);
        c.nonneg(pp + ".batch", p.batch);
        if (p.batch > 0 && p.capacity != kInfinity && p.batch > p.capacity) {
          c.add(pp + ".batch",
                fmt::format("a batch of {} can never start within a capacity of {} a period (batch must be <= "
                            "capacity)",
                            p.batch, p.capacity));
        }
        c.nonneg(pp + ".cost", p.cost);
        for (double q : p.initial_wip) c.nonneg(pp + ".initial_wip", q);
        for (double q : p.initial_requests) c.nonneg(pp + ".initial_requests", q);
      }
      for (std::size_t k = 0; k < s.demand.size(); ++k) {
        const DemandSpec& d = s.demand[k];
        const std::string dp = fmt::format("{}.demand.{}", sp, k);
        for (const Problem& p : check_demand(d, base_dir)) c.add(p.key.empty() ? dp : dp + "." + p.key, p.message);
      }
      if (s.returns) {
        const ReturnsSpec& r = *s.returns;
        c.unit_interval(sp + ".returns.fraction", r.fraction);
        c.unit_interval(sp + ".returns.restock_fraction", r.restock_fraction);
        c.unit_interval(sp + ".returns.refund", r.refund);
        c.nonneg(sp + ".returns.scrap_cost", r.scrap_cost);
        c.nonneg_distribution(sp + ".returns.delay", r.delay);
      }
    }
  }
  const auto cycle = bom_cycle(spec);
  if (!cycle.empty()) {
    std::string path;
    for (const auto& p : cycle) path += (path.empty() ? "" : " -> ") + p;
    c.add("nodes", "the bill of materials has a cycle: " + path);
  }

  for (std::size_t i = 0; i < spec.lanes.size(); ++i) {
    const LaneSpec& l = spec.lanes[i];
    const std::string lp = fmt::format("lanes.{}", i);
    const bool from_ok = nodes.count(l.from) > 0, to_ok = nodes.count(l.to) > 0;
    if (!from_ok) c.add(lp + ".from", "no node with id '" + l.from + "'");
    if (!to_ok) c.add(lp + ".to", "no node with id '" + l.to + "'");
    if (from_ok && to_ok && l.from == l.to) c.add(lp + ".to", "a lane must join two different nodes");
    if (to_ok && spec.nodes[nodes[l.to]].kind == NodeKind::kSupplier) {
      c.add(lp + ".to", "a supplier buys nothing: lanes run from suppliers, not to them");
    }
    c.nonneg_distribution(lp + ".transport_time", l.transport_time);
    for (const auto& [p, d] : l.transport_time_by_product) {
      if (!products.count(p)) c.add(lp + ".transport_time_by_product." + p, "no product with id '" + p + "'");
      c.nonneg_distribution(lp + ".transport_time_by_product." + p, d);
    }
    c.nonneg(lp + ".order_delay", l.order_delay);
    c.nonneg(lp + ".invoice_delay", l.invoice_delay);
    c.nonneg(lp + ".payment_delay", l.payment_delay);
    c.positive(lp + ".capacity_per_shipment", l.capacity_per_shipment);
    c.positive(lp + ".capacity_per_period", l.capacity_per_period);
    c.nonneg(lp + ".cost_per_unit", l.cost_per_unit);
    c.nonneg(lp + ".cost_per_shipment", l.cost_per_shipment);
    c.nonneg(lp + ".price", l.price);
    c.finite(lp + ".priority", l.priority);
    for (const auto& [p, v] : l.price_by_product) {
      if (!products.count(p)) c.add(lp + ".price_by_product." + p, "no product with id '" + p + "'");
      c.nonneg(lp + ".price_by_product." + p, v);
    }
    for (const auto* pipeline : {&l.initial_shipments, &l.initial_orders}) {
      const std::string key = pipeline == &l.initial_shipments ? ".initial_shipments." : ".initial_orders.";
      for (const auto& [p, qs] : *pipeline) {
        const std::string pp = lp + key + p;
        if (!products.count(p)) {
          c.add(pp, "no product with id '" + p + "'");
          continue;
        }
        if (to_ok && !has_stock(l.to, p)) c.add(pp, "node '" + l.to + "' has no stock of '" + p + "'");
        if (from_ok && !has_stock(l.from, p)) c.add(pp, "node '" + l.from + "' has no stock of '" + p + "'");
        for (double q : qs) c.nonneg(pp, q);
      }
    }
  }

  for (std::size_t i = 0; i < spec.events.size(); ++i) {
    if (!events.emplace(event_id(spec.events[i], i), i).second) {
      c.add(fmt::format("events.{}.id", i), "duplicate event id '" + event_id(spec.events[i], i) + "'");
    }
  }
  const SpecIndex index(spec);
  for (std::size_t i = 0; i < spec.events.size(); ++i) {
    const EventSpec& e = spec.events[i];
    const std::string ep = fmt::format("events.{}", i);
    const int triggers = (e.at ? 1 : 0) + (e.probability ? 1 : 0) + (e.mean_up || e.mean_down ? 1 : 0) +
                         (e.after ? 1 : 0);
    if (triggers != 1) c.add(ep, "needs exactly one trigger: at, probability, mean_up with mean_down, or after");
    if (e.at) c.nonneg(ep + ".at", *e.at);
    if (e.probability) c.unit_interval(ep + ".probability", *e.probability);
    if (e.mean_up || e.mean_down) {
      if (!e.mean_up || !e.mean_down) c.add(ep, "an up/down process needs both mean_up and mean_down");
      if (e.mean_up) c.positive(ep + ".mean_up", *e.mean_up);
      if (e.mean_down) c.positive(ep + ".mean_down", *e.mean_down);
    }
    if (e.after) {
      if (!events.count(*e.after)) {
        c.add(ep + ".after", "no event with id '" + *e.after + "'");
      } else {
        // A chain of `after` must end at an event with its own trigger.
        std::set<std::string> seen = {event_id(e, i)};
        for (std::string cur = *e.after;;) {
          if (!seen.insert(cur).second) {
            c.add(ep + ".after", "events trigger each other in a cycle");
            break;
          }
          const EventSpec& next = spec.events[events[cur]];
          if (!next.after || !events.count(*next.after)) break;
          cur = *next.after;
        }
      }
    }
    c.nonneg(ep + ".delay", e.delay);
    if (e.duration) c.nonneg(ep + ".duration", *e.duration);
    if (!e.action) {
      std::string all;
      for (std::string_view n : enum_names<ActionKind>()) all += (all.empty() ? "" : ", ") + std::string(n);
      c.add(ep + ".action", "must be one of " + all + " (got )");
      continue;
    }
    for (const Problem& p : check_action(spec, index, e)) c.add(p.key.empty() ? ep : ep + "." + p.key, p.message);
  }
  return c.issues;
}

class NetworkBuilder {
 public:
  static std::unique_ptr<Network> build(const ScenarioSpec& spec, std::uint64_t seed, int replication,
                                        const std::string& base_dir);
};

std::unique_ptr<Network> NetworkBuilder::build(const ScenarioSpec& spec, std::uint64_t seed,
                                               int replication, const std::string& base_dir) {
  auto issues = check_spec(spec, base_dir);
  if (!issues.empty()) throw SpecError(std::move(issues));
  const auto rep = static_cast<std::uint64_t>(replication);
  auto stream = [&](const std::string& name) { return sim::RandomStream(seed, rep, name); };

  auto net = std::make_unique<Network>();
  Network& N = *net;
  N.name_ = spec.name;
  N.period_ = spec.period;
  N.horizon_ = spec.horizon;
  N.warmup_ = spec.warmup;
  N.sharing_delay_ = spec.sharing.delay;
  N.sim_.reset(N.start_);

  std::map<std::string, ProductId> product_id;
  for (const ProductSpec& p : spec.products) {
    product_id[p.id] = static_cast<ProductId>(N.products_.size());
    N.products_.push_back({p.id, p.unit_cost, p.price, p.salvage_value.value_or(p.unit_cost)});
  }
  const std::size_t P = N.products_.size();
  std::map<std::string, NodeId> node_id;
  for (const NodeSpec& ns : spec.nodes) {
    Node n;
    n.id = static_cast<NodeId>(N.nodes_.size());
    n.name = ns.id;
    n.kind = ns.kind;
    n.allocation = make_allocation_rule(ns.allocation);
    n.terms = {ns.payment_terms.net, ns.payment_terms.discount, ns.payment_terms.discount_within};
    n.ordering_cost = ns.ordering_cost;
    n.account.start(ns.initial_cash);
    N.money_.initial_cash += ns.initial_cash;
    n.lead_time = ns.lead_time;
    n.capacity = ns.capacity;
    n.reliability = ns.reliability;
    n.shortfall = ns.shortfall;
    n.yield = ns.yield;
    n.material_cost = ns.material_cost;
    node_id[ns.id] = n.id;
    N.nodes_.push_back(std::move(n));
  }
  N.stock_index_.assign(N.nodes_.size(), std::vector<StockId>(P, kNone));

  auto add_stock = [&](NodeId node, ProductId product) -> StockPoint& {
    StockPoint sp;
    sp.id = static_cast<StockId>(N.stocks_.size());
    sp.node = node;
    sp.product = product;
    sp.name = N.nodes_[node].name + "/" + N.products_[product].name;
    sp.unit_value = N.products_[product].unit_cost;
    sp.price = N.products_[product].price;
    N.stock_index_[node][product] = sp.id;
    N.nodes_[node].stocks.push_back(sp.id);
    N.stocks_.push_back(std::move(sp));
    return N.stocks_.back();
  };

  // Stock points, in declaration order; suppliers get one for every product
  // anybody orders from them.
  for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
    const NodeSpec& ns = spec.nodes[i];
    const NodeId nid = static_cast<NodeId>(i);
    for (const StockSpec& ss : ns.stocks) {
      StockPoint& sp = add_stock(nid, product_id[ss.product]);
      const std::string tag = ns.id + "/" + ss.product;
      sp.infinite = ns.kind == NodeKind::kSupplier;
      if (sp.infinite) {
        sp.policy = no_policy();
        continue;
      }
      sp.on_hand = ss.initial;
      N.units_.initial += ss.initial;
      sp.policy = make_policy(ss.policy);
      sp.continuous = ss.policy.review == ReviewMode::kContinuous;
      sp.review_period = ss.policy.review_period;
      sp.review_offset = ss.policy.review_offset;
      sp.lot_size = ss.policy.lot_size;
      sp.min_order = ss.policy.min_order;
      sp.max_order = ss.policy.max_order;
      sp.storage_capacity = ss.storage_capacity;
      sp.split_cheapest = ss.split == SplitRule::kCheapest;
      sp.holding_cost = ss.holding_cost ? *ss.holding_cost : ns.holding_cost + ns.holding_rate * sp.unit_value;
      sp.backorder_cost = ss.backorder_cost ? *ss.backorder_cost : ns.backorder_cost;
      sp.lost_sale_cost = ss.lost_sale_cost ? *ss.lost_sale_cost : ns.lost_sale_cost;
      sp.lose_unmet = ss.unmet_demand.value_or(ns.unmet_demand) == UnmetDemand::kLost;
      sp.vmi = ss.vmi;
      sp.use_shared_demand = ss.use_shared_demand;
      for (std::size_t k = 0; k < ss.demand.size(); ++k) {
        const DemandSpec& d = ss.demand[k];
        if (!demand_behaviour(d.type).per_period) {
          ArrivalStream a;
          a.interarrival = d.interarrival;
          a.size = d.size;
          a.priority = d.priority;
          a.start = d.start;
          a.rng = stream(fmt::format("arrivals/{}/{}", tag, k));
          sp.arrivals.push_back(std::move(a));
        } else {
          sp.period_demand.push_back(make_period_demand(d, base_dir));
          sp.demand_rng.push_back(stream(fmt::format("demand/{}/{}", tag, k)));
          sp.demand_priority.push_back(d.priority);
        }
      }
      if (ss.returns) {
        sp.returns = *ss.returns;
        sp.returns_rng = stream("returns/" + tag);
      }
      if (ss.initial_backlog > 0) {
        BacklogEntry e;
        e.qty = ss.initial_backlog;
        e.arrived = e.placed = N.start_ - N.period_;  // owed from before the start
        sp.backlog.push_back(e);
        sp.backlog_qty = ss.initial_backlog;
      }
    }
  }
  for (const NodeSpec& ns : spec.nodes) {
    for (const StockSpec& ss : ns.stocks) {
      for (const SourceSpec& src : ss.sources) {
        const NodeId from = node_id[src.from];
        const ProductId p = product_id[ss.product];
        if (N.nodes_[from].kind == NodeKind::kSupplier && N.stock_index_[from][p] == kNone) {
          StockPoint& sp = add_stock(from, p);
          sp.infinite = true;
          sp.policy = no_policy();
        }
      }
    }
  }
  for (const LaneSpec& ls : spec.lanes) {
    for (const auto* pipeline : {&ls.initial_shipments, &ls.initial_orders}) {
      for (const auto& entry : *pipeline) {
        const NodeId from = node_id[ls.from];
        const ProductId p = product_id[entry.first];
        if (N.nodes_[from].kind == NodeKind::kSupplier && N.stock_index_[from][p] == kNone) {
          StockPoint& sp = add_stock(from, p);
          sp.infinite = true;
          sp.policy = no_policy();
        }
      }
    }
  }

  std::map<std::string, LaneId> lane_index;
  for (const LaneSpec& ls : spec.lanes) {
    Lane l;
    l.id = static_cast<LaneId>(N.lanes_.size());
    l.name = lane_id(ls);
    l.from = node_id[ls.from];
    l.to = node_id[ls.to];
    l.transport.assign(P, ls.transport_time);
    for (const auto& [p, d] : ls.transport_time_by_product) l.transport[product_id[p]] = d;
    l.price.assign(P, ls.price);
    for (const auto& [p, v] : ls.price_by_product) l.price[product_id[p]] = v;
    l.rng = stream("lane/" + l.name);
    if (N.nodes_[l.from].kind == NodeKind::kSupplier) {
      for (std::size_t p = 0; p < P; ++p) {
        l.dispatch_rng.push_back(stream(fmt::format("source/{}/{}", l.name, N.products_[p].name)));
      }
    }
    l.order_delay = ls.order_delay;
    l.invoice_delay = ls.invoice_delay;
    l.payment_delay = ls.payment_delay;
    l.capacity_per_shipment = ls.capacity_per_shipment;
    l.capacity_per_period = ls.capacity_per_period;
    l.cost_per_unit = ls.cost_per_unit;
    l.cost_per_shipment = ls.cost_per_shipment;
    l.prevent_overtaking = ls.prevent_overtaking;
    l.priority = ls.priority;
    l.orders_in_transit.assign(P, 0.0);
    lane_index[l.name] = l.id;
    N.lanes_.push_back(std::move(l));
  }

  // Sources, production lines, echelon links, VMI.
  for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
    const NodeSpec& ns = spec.nodes[i];
    if (ns.kind == NodeKind::kSupplier) continue;
    for (const StockSpec& ss : ns.stocks) {
      StockPoint& sp = N.stocks_[N.stock_index_[i][product_id[ss.product]]];
      for (const SourceSpec& src : ss.sources) {
        std::string why;
        const int lane = resolve_lane(spec, src, ns.id, why);
        const LaneId lid = lane_index[lane_id(spec.lanes[static_cast<std::size_t>(lane)])];
        sp.sources.push_back({lid, src.share.value_or(1.0), 0.0});  // none given: equal weights
        StockPoint& seller = N.stocks_[N.stock_index_[N.lanes_[lid].from][sp.product]];
        seller.downstream.push_back(sp.id);
        seller.downstream_lanes.push_back(lid);
        if (ss.vmi) N.nodes_[N.lanes_[lid].from].vmi_customers.push_back(sp.id);
      }
      if (ss.production) {
        const ProductionSpec& ps = *ss.production;
        ProductionLine pl;
        for (const InputSpec& in : ps.inputs) {
          pl.inputs.emplace_back(N.stock_index_[i][product_id[in.product]], in.quantity);
        }
        pl.capacity = ps.capacity;
        pl.lead_time = ps.lead_time;
        pl.rng = stream("production/" + ns.id + "/" + ss.product);
        pl.request_delay = ps.request_delay;
        pl.batch = ps.batch;
        pl.cost = ps.cost;
        sp.production = std::move(pl);
        for (std::size_t k = 0; k < ps.initial_wip.size(); ++k) {
          const Qty q = ps.initial_wip[k];
          if (q <= 0) continue;
          Message m;
          m.arrival = N.period_start(static_cast<std::int64_t>(k));
          m.kind = MessageKind::kProductionDone;
          m.stock = sp.id;
          m.qty = q;
          m.sent = N.start_;
          N.nodes_[i].inbox_receive.push(m);
          sp.on_order += q;
          N.units_.initial += q;
          N.units_.in_production += q;
        }
        for (std::size_t k = 0; k < ps.initial_requests.size(); ++k) {
          const Qty q = ps.initial_requests[k];
          if (q <= 0) continue;
          Message m;
          m.arrival = N.period_start(static_cast<std::int64_t>(k));
          m.kind = MessageKind::kProductionOrder;
          m.stock = sp.id;
          m.qty = q;
          m.sent = N.start_;
          N.nodes_[i].inbox_orders.push(m);
          sp.on_order += q;
        }
      }
    }
  }

  // Initial pipelines on lanes: element k arrives at period k.
  for (const LaneSpec& ls : spec.lanes) {
    Lane& l = N.lanes_[lane_index[lane_id(ls)]];
    for (const auto& [product, qs] : ls.initial_shipments) {
      const ProductId p = product_id[product];
      StockPoint& buyer = N.stocks_[N.stock_index_[l.to][p]];
      for (std::size_t k = 0; k < qs.size(); ++k) {
        if (qs[k] <= 0) continue;
        Message m;
        m.arrival = N.period_start(static_cast<std::int64_t>(k));
        m.kind = MessageKind::kShipment;
        m.stock = buyer.id;
        m.origin = N.stock_index_[l.from][p];
        m.lane = l.id;
        m.qty = m.closes = qs[k];
        // As if sent one mean transit time before it arrives.
        m.sent = m.arrival - l.transport[p].mean();
        N.nodes_[l.to].inbox_receive.push(m);
        buyer.on_order += qs[k];
        l.in_transit += qs[k];
        N.units_.initial += qs[k];
        N.units_.in_transit += qs[k];
      }
    }
    for (const auto& [product, qs] : ls.initial_orders) {
      const ProductId p = product_id[product];
      StockPoint& buyer = N.stocks_[N.stock_index_[l.to][p]];
      for (std::size_t k = 0; k < qs.size(); ++k) {
        if (qs[k] <= 0) continue;
        Message m;
        m.arrival = N.period_start(static_cast<std::int64_t>(k));
        m.kind = MessageKind::kOrder;
        m.stock = N.stock_index_[l.from][p];
        m.origin = buyer.id;
        m.lane = l.id;
        m.qty = qs[k];
        m.ref = ++N.next_order_id_;
        m.placed = m.sent = m.arrival - l.order_delay;
        m.extra = l.priority;
        N.nodes_[l.from].inbox_orders.push(m);
        buyer.on_order += qs[k];
        buyer.open_orders.push_back({m.ref, m.placed, qs[k], qs[k]});
        l.orders_in_transit[p] += qs[k];
      }
    }
  }

  // Review order within each node: products before their components (a
  // stock's rank is the longest chain of lines above it at this node).
  for (Node& n : N.nodes_) {
    std::map<StockId, int> rank;
    for (const StockId id : n.stocks) rank[id] = 0;
    for (std::size_t pass = 0; pass < n.stocks.size(); ++pass) {  // bills of materials are acyclic
      for (const StockId id : n.stocks) {
        const StockPoint& sp = N.stocks_[id];
        if (!sp.production) continue;
        for (const auto& [component, per] : sp.production->inputs) {
          if (rank.count(component)) rank[component] = std::max(rank[component], rank[id] + 1);
        }
      }
    }
    n.review_order = n.stocks;
    std::stable_sort(n.review_order.begin(), n.review_order.end(),
                     [&](StockId a, StockId b) { return rank[a] < rank[b]; });
  }

  // Point-of-sale sharing: every stock that forecasts from shared data hears
  // from the retailer stocks (stocks with end demand) downstream of it.
  N.pos_subscribers_.assign(N.stocks_.size(), {});
  N.pos_pending_.assign(N.stocks_.size(), 0.0);
  for (const StockPoint& sp : N.stocks_) {
    if (!sp.use_shared_demand && !(spec.sharing.pos && !sp.infinite && !sp.downstream.empty())) continue;
    std::vector<StockId> todo = sp.downstream;
    std::set<StockId> seen;
    while (!todo.empty()) {
      const StockId s = todo.back();
      todo.pop_back();
      if (!seen.insert(s).second) continue;
      const StockPoint& d = N.stocks_[s];
      if (!d.period_demand.empty() || !d.arrivals.empty()) N.pos_subscribers_[s].push_back(sp.id);
      todo.insert(todo.end(), d.downstream.begin(), d.downstream.end());
    }
  }
  if (spec.sharing.pos) {
    for (StockPoint& sp : N.stocks_) {
      if (!sp.infinite && !sp.downstream.empty()) sp.use_shared_demand = true;
    }
  }

  // Phase orders: depth = longest chain of lanes from a node without inbound
  // lanes (relaxed at most N times, so a cycle of lanes cannot loop).
  {
    const std::size_t n = N.nodes_.size();
    std::vector<int> depth(n, 0);
    for (std::size_t round = 0; round < n; ++round) {
      bool changed = false;
      for (const Lane& l : N.lanes_) {
        if (depth[l.to] < depth[l.from] + 1 && depth[l.from] + 1 <= static_cast<int>(n)) {
          depth[l.to] = depth[l.from] + 1;
          changed = true;
        }
      }
      if (!changed) break;
    }
    N.up_order_.resize(n);
    for (std::size_t i = 0; i < n; ++i) N.up_order_[i] = static_cast<NodeId>(i);
    N.down_order_ = N.up_order_;
    std::stable_sort(N.up_order_.begin(), N.up_order_.end(), [&](NodeId a, NodeId b) { return depth[a] < depth[b]; });
    std::stable_sort(N.down_order_.begin(), N.down_order_.end(), [&](NodeId a, NodeId b) { return depth[a] > depth[b]; });
    N.up_rank_.assign(n, 0);
    N.down_rank_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      N.up_rank_[N.up_order_[i]] = static_cast<int>(i);
      N.down_rank_[N.down_order_[i]] = static_cast<int>(i);
    }
  }

  // What-if events.
  std::vector<WhatIfEvent> evs;
  std::map<std::string, int> event_index;
  for (std::size_t i = 0; i < spec.events.size(); ++i) event_index[event_id(spec.events[i], i)] = static_cast<int>(i);
  for (std::size_t i = 0; i < spec.events.size(); ++i) {
    const EventSpec& es = spec.events[i];
    WhatIfEvent e;
    e.id = event_id(es, i);
    if (es.at) {
      e.trigger = WhatIfEvent::Trigger::kAt;
      e.at = *es.at;
    } else if (es.probability) {
      e.trigger = WhatIfEvent::Trigger::kProbability;
      e.probability = *es.probability;
    } else if (es.mean_up) {
      e.trigger = WhatIfEvent::Trigger::kUpDown;
      e.mean_up = *es.mean_up;
      e.mean_down = *es.mean_down;
    } else {
      e.trigger = WhatIfEvent::Trigger::kAfter;
      e.after = event_index[*es.after];
    }
    e.delay = es.delay;
    e.duration = es.duration ? *es.duration : -1.0;
    e.action = *es.action;
    e.node = es.node.empty() ? kNone : node_id[es.node];
    e.lane = es.lane.empty() ? kNone : lane_index[es.lane];
    e.product = es.product.empty() ? kNone : product_id[es.product];
    e.parameter = es.parameter;
    e.value = es.value;
    e.hold = es.in_transit == InTransit::kHold;
    e.rng = stream("event/" + e.id);
    evs.push_back(std::move(e));
  }
  if (!evs.empty()) N.what_if_ = std::make_unique<WhatIfEngine>(std::move(evs));
  return net;
}

std::unique_ptr<Network> build_network(const ScenarioSpec& spec, std::uint64_t seed, int replication,
                                       const std::string& base_dir) {
  return NetworkBuilder::build(spec, seed, replication, base_dir);
}

}  // namespace chainsim::models

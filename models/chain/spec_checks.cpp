// check_spec: small checkers, each appending the problems of one part of the
// spec (see the header for the order).
#include "models/chain/spec_checks.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <cmath>
#include <fmt/core.h>
#include <map>
#include <optional>
#include <set>

#include "models/chain/customers.h"
#include "models/chain/demand.h"
#include "models/chain/policy.h"
#include "models/chain/spec_index.h"
#include "models/chain/spec_keys.h"
#include "models/chain/what_if.h"

namespace chainsim::models {

namespace {

std::string join_issues(const std::vector<SpecIssue>& issues) {
  std::string s;
  for (const auto& i : issues) s += (s.empty() ? "" : "\n") + i.path + ": " + i.message;
  return s;
}

// What the checkers share: the spec, its ids looked up, and the issues found.
struct Check {
  const ScenarioSpec& spec;
  const SpecIndex& index;
  std::vector<SpecIssue> issues;

  void add(std::string path, std::string message) { issues.push_back({std::move(path), std::move(message)}); }
  // A problem found below `path` (its key appended).
  void add(const std::string& path, const Problem& p) { add(p.key.empty() ? path : path + "." + p.key, p.message); }
  // The declared ranges of `object`, a struct of spec section `section`.
  void ranges(std::string_view section, const void* object, const std::string& path) {
    std::vector<Problem> found;
    check_declared_ranges(spec_section(section), object, path, found);
    for (Problem& p : found) add(std::move(p.key), std::move(p.message));
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

void check_scenario(Check& c) {
  const ScenarioSpec& s = c.spec;
  c.ranges("scenario", &s, "");
  if (s.warmup < 0 || (s.horizon >= 1 && s.warmup >= s.horizon)) {
    c.add("warmup", fmt::format("must be in [0, horizon) = [0, {}) (got {})", s.horizon, s.warmup));
  }
  c.ranges("sharing", &s.sharing, "sharing");
  // A run keeps a record of every period of every stock and lane: past this
  // many, the records of one replication outgrow any memory (bad_alloc at
  // run time after a clean validate).
  std::size_t stocks = 0;
  for (const NodeSpec& n : s.nodes) stocks += n.stocks.size();
  const double cells = static_cast<double>(s.horizon) * static_cast<double>(stocks + s.lanes.size());
  if (s.horizon >= 1 && cells > kMaxRunCells) {
    c.add("horizon", fmt::format("a run records every period of every stock and lane, and horizon x (stocks + lanes) "
                                 "must be at most {:.0e} to fit in memory (got {} x {} = {:.3g})",
                                 kMaxRunCells, s.horizon, stocks + s.lanes.size(), cells));
  }
}

void check_products(Check& c) {
  if (c.spec.products.empty()) c.add("products", "at least one product is needed");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < c.spec.products.size(); ++i) {
    const ProductSpec& p = c.spec.products[i];
    const std::string path = fmt::format("products.{}", i);
    if (p.id.empty()) c.add(path + ".id", "must not be empty");
    if (!seen.insert(p.id).second) c.add(path + ".id", "duplicate product id '" + p.id + "'");
    c.ranges("product", &p, path);
    if (p.shelf_life && !(p.shelf_life->mean() > 0.0)) {
      c.add(path + ".shelf_life", fmt::format("must have a mean above 0: a unit that lasts no time is never sold "
                                              "(got mean {})", p.shelf_life->mean()));
    }
    if (!p.shelf_life && p.disposal_cost != 0.0) {
      c.add(path + ".disposal_cost", "applies to a perishable product: give it a shelf_life");
    }
  }
}

// Node and lane ids: present and unique. The index holds each id's first
// node and lane: any other with that id is a duplicate.
void check_ids(Check& c) {
  if (c.spec.nodes.empty()) c.add("nodes", "at least one node is needed");
  for (std::size_t i = 0; i < c.spec.nodes.size(); ++i) {
    const std::string& id = c.spec.nodes[i].id;
    if (id.empty()) c.add(fmt::format("nodes.{}.id", i), "must not be empty");
    if (c.index.nodes.at(id) != i) c.add(fmt::format("nodes.{}.id", i), "duplicate node id '" + id + "'");
    if (c.spec.nodes[i].count > 1) {
      c.add(fmt::format("nodes.{}.count", i), "a node group: expand_groups (models/chain/spec_groups.h) makes its "
                                              "members before the spec is checked or built");
    }
  }
  for (std::size_t i = 0; i < c.spec.lanes.size(); ++i) {
    const std::string id = lane_id(c.spec.lanes[i]);
    if (c.index.lanes.at(id) != i) c.add(fmt::format("lanes.{}.id", i), "duplicate lane id '" + id + "'");
  }
}

// Firms: none, or one for every node of the network (suppliers outside it excepted).
void check_firms(Check& c) {
  if (c.spec.ownership != Ownership::kFirms) return;  // the firm keys are ignored
  bool any = false;
  for (const NodeSpec& n : c.spec.nodes) any = any || n.firm.has_value();
  if (!any) return;
  for (std::size_t i = 0; i < c.spec.nodes.size(); ++i) {
    const NodeSpec& n = c.spec.nodes[i];
    const bool outside = node_kind_info(n.kind).unlimited_source && !n.owned;
    const std::string path = fmt::format("nodes.{}.firm", i);
    if (outside && n.firm) {
      c.add(path, "a supplier outside the network belongs to no firm (give it owned: true to put it in one)");
    } else if (!outside && !n.firm) {
      c.add(path, "missing: once a node names its firm, every node of the network must (node '" + n.id + "')");
    } else if (n.firm && n.firm->empty()) {
      c.add(path, "must not be empty");
    }
  }
}

void check_node(Check& c, const NodeSpec& n, const std::string& np) {
  c.ranges("node", &n, np);
  c.ranges("payment_terms", &n.payment_terms, np + ".payment_terms");
  const double discount = n.payment_terms.discount;
  if (!(discount >= 0 && discount < 1)) {
    c.add(np + ".payment_terms.discount", fmt::format("must be in [0, 1) (got {})", discount));
  }
  if (!(n.shortfall >= 0 && n.shortfall < 1)) c.add(np + ".shortfall", fmt::format("must be in [0, 1) (got {})", n.shortfall));
  const bool supplier_keys = n.reliability != 1.0 || n.yield || n.capacity != kInfinity || n.material_cost != 0.0 ||
                             n.shortfall != 0.0 || n.owned ||
                             !(n.lead_time.kind() == Distribution::Kind::kConstant && n.lead_time.mean() == 0.0);
  if (!node_kind_info(n.kind).unlimited_source && supplier_keys) {
    c.add(np + ".kind",
          "capacity, lead_time, reliability, shortfall, yield, material_cost and owned belong to suppliers (kind: "
          "supplier)");
  }
}

// A supplier's stock: an unlimited source, with nothing to decide.
void check_supplier_stock(Check& c, const StockSpec& s, const std::string& sp) {
  if (s.policy.type != PolicyType::kNone && s.policy.type != PolicyType::kBaseStock) {
    c.add(sp + ".policy", "a supplier is an unlimited source and has no replenishment policy");
  }
  if (!s.sources.empty() || s.production || !s.demand.empty()) {
    c.add(sp, "a supplier's stock takes no sources, production or demand");
  }
}

void check_policy_of(Check& c, const StockSpec& s, const std::string& sp) {
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
}

// The shares of a list of `count` items (sources of a stock, channels of a
// segment), `with` of which give one, summing to `sum`: all of them or none,
// and (`must_sum`) summing to 1.
void check_shares(Check& c, const std::string& path, const char* noun, std::size_t with, std::size_t count,
                  double sum, bool must_sum) {
  if (with > 0 && with < count) {
    c.add(path, fmt::format("give every {} a share, or none (equal shares)", noun));
  } else if (with > 0 && must_sum && std::abs(sum - 1.0) > 1e-9) {
    c.add(path, fmt::format("the shares must sum to 1 (got {})", sum));
  }
}

void check_sources(Check& c, const NodeSpec& n, const StockSpec& s, const std::string& sp) {
  double share_sum = 0.0;
  std::size_t with_share = 0;
  std::set<std::string> seen;
  for (std::size_t k = 0; k < s.sources.size(); ++k) {
    const SourceSpec& src = s.sources[k];
    const std::string path = fmt::format("{}.sources.{}", sp, k);
    if (!c.index.nodes.count(src.from)) {
      c.add(path + ".from", "no node with id '" + src.from + "'");
      continue;
    }
    std::string why;
    const int lane = resolve_lane(c.spec, c.index, src, n.id, why);
    if (lane < 0) c.add(path + (src.lane.empty() ? ".from" : ".lane"), why);
    const auto product = c.index.products.find(s.product);
    if (lane >= 0 && c.spec.lanes[static_cast<std::size_t>(lane)].consignment && product != c.index.products.end() &&
        c.spec.products[product->second].shelf_life) {
      c.add(path, "consignment stock of a perishable product (product '" + s.product +
                      "' has a shelf_life) is not modelled: who bears what expires on consignment is not decided");
    }
    if (!seen.insert(src.from + "/" + src.lane).second) c.add(path, "duplicate source");
    c.ranges("source", &src, path);
    if (src.share) {
      share_sum += *src.share;
      ++with_share;
    }
    if (c.index.products.count(s.product) && !c.index.has_stock(c.spec, src.from, s.product)) {
      c.add(path + ".from", "node '" + src.from + "' has no stock of '" + s.product + "'");
    }
  }
  check_shares(c, sp + ".sources", "source", with_share, s.sources.size(), share_sum, s.split == SplitRule::kShares);
  if (s.vmi) {
    if (s.sources.size() != 1) c.add(sp + ".vmi", "a vendor-managed stock needs exactly one source");
    if (s.policy.review != ReviewMode::kPeriodic) c.add(sp + ".vmi", "a vendor-managed stock reviews periodically");
  }
}

void check_production(Check& c, const NodeSpec& n, const ProductionSpec& p, const std::string& pp) {
  for (std::size_t k = 0; k < p.inputs.size(); ++k) {
    const InputSpec& in = p.inputs[k];
    const std::string ip = fmt::format("{}.inputs.{}", pp, k);
    bool here = false;
    for (const StockSpec& other : n.stocks) here = here || other.product == in.product;
    bool again = false;  // listed before: its stock would be consumed twice and go below zero
    for (std::size_t e = 0; e < k; ++e) again = again || p.inputs[e].product == in.product;
    if (!c.index.products.count(in.product)) {
      c.add(ip + ".product", "no product with id '" + in.product + "'");
    } else if (again) {
      c.add(ip + ".product", "'" + in.product + "' is already an input of this bill of materials: list each "
                             "component once, with the total quantity");
    } else if (!here) {
      c.add(ip + ".product", "node '" + n.id + "' has no stock of component '" + in.product + "'");
    }
    c.ranges("input", &in, ip);
  }
  c.ranges("production", &p, pp);
  if (p.batch > 0 && p.capacity != kInfinity && p.batch > p.capacity) {
    c.add(pp + ".batch",
          fmt::format("a batch of {} can never start within a capacity of {} a period (batch must be <= capacity)",
                      p.batch, p.capacity));
  }
}

// A stock of a perishable product, or an issuing rule on a stock that keeps.
void check_perishable_stock(Check& c, const StockSpec& s, const std::string& sp) {
  const auto p = c.index.products.find(s.product);
  if (p == c.index.products.end()) return;
  const bool perishable = c.spec.products[p->second].shelf_life.has_value();
  if (s.issuing && !perishable) {
    c.add(sp + ".issuing", "applies to a perishable product: product '" + s.product + "' has no shelf_life");
  }
  if (perishable && s.returns) {
    c.add(sp + ".returns", "returns of a perishable product (product '" + s.product +
                               "' has a shelf_life) are not modelled: the age of a returned unit is unknown");
  }
}

// A stock's returns sent to a returns centre (`to`).
void check_returns_to(Check& c, const StockSpec& s, const std::string& rp) {
  const ReturnsSpec& r = *s.returns;
  if (r.to.empty()) return;
  const NodeSpec* centre = c.index.node(c.spec, r.to);
  if (centre == nullptr) {
    c.add(rp + ".to", "no node with id '" + r.to + "'");
    return;
  }
  const bool grades = std::any_of(centre->recovery.begin(), centre->recovery.end(),
                                  [&](const RecoverySpec& g) { return g.product == s.product; });
  if (!grades) {
    c.add(rp + ".to", "node '" + r.to + "' has no recovery for product '" + s.product +
                          "' (a returns centre lists what it does with each product under recovery)");
  }
  if (r.restock_fraction != 1.0 || r.scrap_cost != 0.0) {
    c.add(rp + ".to", "restock_fraction and scrap_cost apply to returns kept at the stock; the returns centre '" +
                          r.to + "' grades these (its recovery routes and scrap_cost)");
  }
}

// One route out of a returns centre.
void check_route(Check& c, const std::string& product, const RecoveryRouteSpec& r, const std::string& rp) {
  c.ranges("route", &r, rp);
  if (!r.route) return;
  if (*r.route == RecoveryRoute::kVendor) {
    if (r.to.empty()) {
      c.add(rp + ".to", "required: the vendor the units go back to");
    } else if (!c.index.nodes.count(r.to)) {
      c.add(rp + ".to", "no node with id '" + r.to + "'");
    } else if (c.index.products.count(product) && !c.index.has_stock(c.spec, r.to, product)) {
      c.add(rp + ".to", "node '" + r.to + "' neither supplies nor holds '" + product + "': it is not its vendor");
    }
    return;
  }
  if (!restocks(*r.route)) return;
  if (r.to.empty()) {
    c.add(rp + ".to", fmt::format("required: the node whose stock the {} units go back to", name_of(*r.route)));
    return;
  }
  // The grade the units re-enter stock as: their own product unless named.
  const std::string& grade = r.product ? *r.product : product;
  if (r.product) {
    if (!c.index.products.count(grade)) {
      c.add(rp + ".product", "no product with id '" + grade + "'");
      return;
    }
    if (c.spec.products[c.index.products.at(grade)].shelf_life) {
      c.add(rp + ".product", "product '" + grade + "' is perishable: recovered units have no age to start from");
    }
  }
  const NodeSpec* to = c.index.node(c.spec, r.to);
  if (to == nullptr) {
    c.add(rp + ".to", "no node with id '" + r.to + "'");
  } else if (node_kind_info(to->kind).unlimited_source) {
    c.add(rp + ".to", "a supplier is an unlimited source: recovered units cannot go back to it ('" + r.to + "')");
  } else if (c.index.products.count(grade) && !c.index.has_stock(c.spec, r.to, grade)) {
    c.add(rp + ".to", "node '" + r.to + "' has no stock of '" + grade + "'");
  }
}

// A returns centre's recovery of each product.
void check_recovery(Check& c, const NodeSpec& n, const std::string& np) {
  if (n.recovery.empty()) return;
  if (node_kind_info(n.kind).unlimited_source) {
    c.add(np + ".recovery", "a supplier is not a returns centre (give the recovery to a warehouse or a factory)");
    return;
  }
  std::set<std::string> products;
  for (std::size_t i = 0; i < n.recovery.size(); ++i) {
    const RecoverySpec& g = n.recovery[i];
    const std::string gp = fmt::format("{}.recovery.{}", np, i);
    c.ranges("recovery", &g, gp);
    if (!c.index.products.count(g.product)) {
      c.add(gp + ".product", "no product with id '" + g.product + "'");
    } else if (!products.insert(g.product).second) {
      c.add(gp + ".product", "node '" + n.id + "' already grades '" + g.product + "': list each product once");
    } else if (c.spec.products[c.index.products.at(g.product)].shelf_life) {
      c.add(gp + ".product", "product '" + g.product +
                                 "' is perishable: returns of it are not modelled (a returned unit's age is unknown)");
    }
    if (g.routes.empty()) c.add(gp + ".routes", "at least one route is needed (scrap, if nothing is recovered)");
    double sum = 0.0;
    for (std::size_t k = 0; k < g.routes.size(); ++k) {
      sum += g.routes[k].share;
      check_route(c, g.product, g.routes[k], fmt::format("{}.routes.{}", gp, k));
    }
    if (!g.routes.empty() && std::abs(sum - 1.0) > 1e-9) {
      c.add(gp + ".routes", fmt::format("the shares must sum to 1 (got {})", sum));
    }
  }
}

void check_stock(Check& c, const NodeSpec& n, std::size_t j, const std::string& np, std::set<std::string>& held) {
  const StockSpec& s = n.stocks[j];
  const std::string sp = fmt::format("{}.stocks.{}", np, j);
  if (!c.index.products.count(s.product)) {
    c.add(sp + ".product", "no product with id '" + s.product + "'");
  } else if (!held.insert(s.product).second) {
    c.add(sp + ".product", "node '" + n.id + "' already has a stock of '" + s.product + "'");
  }
  c.ranges("stock", &s, sp);
  if (node_kind_info(n.kind).unlimited_source) return check_supplier_stock(c, s, sp);
  check_policy_of(c, s, sp);
  check_sources(c, n, s, sp);
  if (s.production) check_production(c, n, *s.production, sp + ".production");
  for (std::size_t k = 0; k < s.demand.size(); ++k) {
    for (const Problem& p : check_demand(s.demand[k])) c.add(fmt::format("{}.demand.{}", sp, k), p);
  }
  if (s.returns) {
    c.ranges("returns", &*s.returns, sp + ".returns");
    check_returns_to(c, s, sp + ".returns");
  }
  check_perishable_stock(c, s, sp);
}

// A cycle in the bill of materials (edges component -> product): the
// products on it, or none.
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
        if (index.count(in.product)) {
          boost::add_edge(static_cast<std::size_t>(index[in.product]), static_cast<std::size_t>(index[s.product]), g);
        }
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
      for (int v = from; v != to && v >= 0; v = (*parent)[static_cast<std::size_t>(v)]) {
        cycle->insert(cycle->begin() + 1, v);
      }
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

void check_bom(Check& c) {
  const auto cycle = bom_cycle(c.spec);
  if (cycle.empty()) return;
  std::string path;
  for (const auto& p : cycle) path += (path.empty() ? "" : " -> ") + p;
  c.add("nodes", "the bill of materials has a cycle: " + path);
}

// A lane's initial shipments and orders: of products both ends hold.
void check_pipelines(Check& c, const LaneSpec& l, const std::string& lp, bool from_ok, bool to_ok) {
  for (const auto* pipeline : {&l.initial_shipments, &l.initial_orders}) {
    const std::string key = pipeline == &l.initial_shipments ? ".initial_shipments." : ".initial_orders.";
    for (const auto& [p, qs] : *pipeline) {
      const std::string pp = lp + key + p;
      if (!c.index.products.count(p)) {
        c.add(pp, "no product with id '" + p + "'");
        continue;
      }
      if (to_ok && !c.index.has_stock(c.spec, l.to, p)) c.add(pp, "node '" + l.to + "' has no stock of '" + p + "'");
      if (from_ok && !c.index.has_stock(c.spec, l.from, p)) {
        c.add(pp, "node '" + l.from + "' has no stock of '" + p + "'");
      }
      for (double q : qs) {
        if (!std::isfinite(q) || q < 0) c.add(pp, fmt::format("must be a finite number >= 0 (got {})", q));
      }
    }
  }
}

void check_lane(Check& c, const LaneSpec& l, const std::string& lp) {
  const NodeSpec* from = c.index.node(c.spec, l.from);
  const NodeSpec* to = c.index.node(c.spec, l.to);
  if (from == nullptr) c.add(lp + ".from", "no node with id '" + l.from + "'");
  if (to == nullptr) c.add(lp + ".to", "no node with id '" + l.to + "'");
  if (from != nullptr && to != nullptr && l.from == l.to) c.add(lp + ".to", "a lane must join two different nodes");
  if (to != nullptr && node_kind_info(to->kind).unlimited_source) {
    c.add(lp + ".to", "a supplier buys nothing: lanes run from suppliers, not to them");
  }
  for (const auto& [p, d] : l.transport_time_by_product) {
    if (!c.index.products.count(p)) c.add(lp + ".transport_time_by_product." + p, "no product with id '" + p + "'");
  }
  for (const auto& [p, v] : l.price_by_product) {
    if (!c.index.products.count(p)) c.add(lp + ".price_by_product." + p, "no product with id '" + p + "'");
  }
  c.ranges("lane", &l, lp);
  check_pipelines(c, l, lp, from != nullptr, to != nullptr);
  if (l.consignment) {
    // Its starting pipeline too (a source on it is checked with the stock).
    for (const auto& [p, qs] : l.initial_shipments) {
      const std::string& id = p.empty() && to != nullptr && to->stocks.size() == 1 ? to->stocks[0].product : p;
      const auto it = c.index.products.find(id);
      if (it != c.index.products.end() && c.spec.products[it->second].shelf_life) {
        c.add(lp + ".consignment", "consignment stock of a perishable product (product '" + id +
                                       "' has a shelf_life) is not modelled: who bears what expires on consignment "
                                       "is not decided");
      }
    }
  }
}

void check_event_ids(Check& c) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < c.spec.events.size(); ++i) {
    const std::string id = event_id(c.spec.events[i], i);
    if (!seen.insert(id).second) c.add(fmt::format("events.{}.id", i), "duplicate event id '" + id + "'");
  }
}

// A chain of `after` must lead to an event with a trigger of its own.
void check_after(Check& c, const EventSpec& e, std::size_t i, const std::string& ep) {
  if (!c.index.events.count(*e.after)) {
    c.add(ep + ".after", "no event with id '" + *e.after + "'");
    return;
  }
  std::set<std::string> seen = {event_id(e, i)};
  for (std::string cur = *e.after;;) {
    if (!seen.insert(cur).second) {
      c.add(ep + ".after", "events trigger each other in a cycle");
      return;
    }
    const EventSpec& next = c.spec.events[c.index.events.at(cur)];
    if (!next.after || !c.index.events.count(*next.after)) return;
    cur = *next.after;
  }
}

// A reference to a stock point at `path`: its `node` (not a supplier, which
// `supplier_why` explains) and `product` (optional for a node's single
// stock). Appends what is wrong.
void check_stock_ref(Check& c, const std::string& node, const std::string& product, const std::string& path,
                     const std::string& supplier_why) {
  const NodeSpec* n = c.index.node(c.spec, node);
  if (n == nullptr) {
    c.add(path + ".node", "no node with id '" + node + "'");
    return;
  }
  if (node_kind_info(n->kind).unlimited_source) {
    c.add(path + ".node", supplier_why + " ('" + node + "')");
    return;
  }
  if (product.empty()) {
    if (n->stocks.size() != 1) {
      c.add(path + ".product", fmt::format("required: node '{}' holds {} stocks", node, n->stocks.size()));
    }
    return;
  }
  if (!c.index.products.count(product)) {
    c.add(path + ".product", "no product with id '" + product + "'");
  } else if (!c.index.has_stock(c.spec, node, product)) {
    c.add(path + ".product", "node '" + node + "' has no stock of '" + product + "'");
  }
}

void check_when(Check& c, const WhenSpec& w, const std::string& wp) {
  c.ranges("when", &w, wp);
  if (w.below.has_value() == w.above.has_value()) c.add(wp, "needs exactly one of below and above");
  check_stock_ref(c, w.node, w.product, wp, "a supplier is an unlimited source: it has no stock to watch");
  const double level = w.below ? *w.below : w.above ? *w.above : 0.0;
  if (w.measure == WhenMeasure::kFillRate && !(level >= 0 && level <= 1)) {
    c.add(wp + (w.below ? ".below" : ".above"), fmt::format("a fill rate is in [0, 1] (got {})", level));
  }
}

void check_event(Check& c, const EventSpec& e, std::size_t i) {
  const std::string ep = fmt::format("events.{}", i);
  const int triggers = (e.at ? 1 : 0) + (e.probability ? 1 : 0) + (e.mean_up || e.mean_down ? 1 : 0) +
                       (e.after ? 1 : 0) + (e.when ? 1 : 0);
  if (triggers != 1) c.add(ep, "needs exactly one trigger: at, probability, mean_up with mean_down, after, or when");
  if (e.when) check_when(c, *e.when, ep + ".when");
  if ((e.mean_up || e.mean_down) && !(e.mean_up && e.mean_down)) {
    c.add(ep, "an up/down process needs both mean_up and mean_down");
  }
  c.ranges("event", &e, ep);
  if (e.after) check_after(c, e, i, ep);
  if (!e.action) {
    std::string all;
    for (std::string_view n : enum_names<ActionKind>()) all += (all.empty() ? "" : ", ") + std::string(n);
    c.add(ep + ".action", "must be one of " + all + " (got )");
    return;
  }
  for (const Problem& p : check_action(c.spec, c.index, e)) c.add(ep, p);
}

void check_channel(Check& c, const ChannelSpec& ch, const std::string& path) {
  c.ranges("channel", &ch, path);
  check_stock_ref(c, ch.node, ch.product, path, "customers buy from a stock point, not from a supplier");
}

// The keys only individual mode reads, and their consistency.
void check_individual(Check& c, const SegmentSpec& g, const std::string& gp) {
  const HeterogeneitySpec& h = g.heterogeneity;
  const LoyaltySpec& l = g.loyalty;
  // Given at all (a default is in range, so only a section given is checked:
  // a segment's check runs every replication).
  const bool heterogeneous = h.rate_shape != 0.0 || h.dropout_a != 0.0 || h.dropout_b != 0.0;
  const bool loyal = l.after_purchases != 0.0 || l.discount != 0.0 || l.churn_factor != 1.0 || l.cost_per_member != 0.0;
  if (heterogeneous) c.ranges("heterogeneity", &h, gp + ".heterogeneity");
  if (loyal) c.ranges("loyalty", &l, gp + ".loyalty");
  if (g.mode != CustomerMode::kIndividual) {
    if (heterogeneous) {
      c.add(gp + ".heterogeneity", "needs mode: individual (a population segment's customers are all alike)");
    }
    if (loyal) c.add(gp + ".loyalty", "needs mode: individual (a population segment does not know who bought what)");
    return;
  }
  if (!(g.size <= kMaxIndividuals)) {
    c.add(gp + ".size", fmt::format("must be at most 1e8 in individual mode, one record per customer (got {})", g.size));
  }
  if ((h.dropout_a > 0.0) != (h.dropout_b > 0.0)) {
    c.add(gp + ".heterogeneity", "dropout_a and dropout_b go together: give both above 0, or neither");
  }
  if (loyal && !(l.after_purchases >= 1.0)) {
    c.add(gp + ".loyalty.after_purchases", "must be given, a whole number of purchases of at least 1, for a programme");
  } else if (loyal && !(l.after_purchases == std::floor(l.after_purchases) && l.after_purchases <= 1e9)) {
    c.add(gp + ".loyalty.after_purchases",
          fmt::format("must be a whole number of purchases in [1, 1e9] (got {})", l.after_purchases));
  }
}

void check_segment(Check& c, const SegmentSpec& g, const std::string& gp) {
  c.ranges("segment", &g, gp);
  if (!(g.size >= 0.0 && g.size == std::floor(g.size) && g.size <= 1e12)) {
    c.add(gp + ".size", fmt::format("must be a whole number of customers in [0, 1e12] (got {})", g.size));
  }
  if (g.channels.empty()) c.add(gp + ".channels", "at least one channel is needed");
  double share_sum = 0.0;
  std::size_t with_share = 0;
  std::set<std::string> seen;
  for (std::size_t k = 0; k < g.channels.size(); ++k) {
    const ChannelSpec& ch = g.channels[k];
    const std::string path = fmt::format("{}.channels.{}", gp, k);
    check_channel(c, ch, path);
    // The stock it names: the node's only one when no product is given.
    const NodeSpec* n = c.index.node(c.spec, ch.node);
    const std::string product =
        ch.product.empty() && n != nullptr && n->stocks.size() == 1 ? n->stocks[0].product : ch.product;
    if (!seen.insert(ch.node + "/" + product).second) c.add(path, "duplicate channel");
    if (ch.share) {
      share_sum += *ch.share;
      ++with_share;
    }
  }
  check_shares(c, gp + ".channels", "channel", with_share, g.channels.size(), share_sum, true);
  c.ranges("customer_orders", &g.orders, gp + ".orders");
  if (!(g.orders.size.mean() >= 1e-6)) {
    c.add(gp + ".orders.size", fmt::format("must have a mean of at least 1e-6 units (got {})", g.orders.size.mean()));
  }
  c.ranges("churn", &g.churn, gp + ".churn");
  for (const Problem& p : check_churn(g.churn)) c.add(gp + ".churn", p);
  c.ranges("acquisition", &g.acquisition, gp + ".acquisition");
  c.ranges("cost_to_serve", &g.cost_to_serve, gp + ".cost_to_serve");
  check_individual(c, g, gp);
}

void check_customers(Check& c) {
  if (c.spec.sharing.customers && c.spec.customers.empty()) {
    c.add("sharing.customers", "there is no customer state to share: the scenario has no customer segments");
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < c.spec.customers.size(); ++i) {
    const SegmentSpec& g = c.spec.customers[i];
    const std::string gp = fmt::format("customers.{}", i);
    if (g.id.empty()) c.add(gp + ".id", "must not be empty");
    if (!ids.insert(g.id).second) c.add(gp + ".id", "duplicate segment id '" + g.id + "'");
    check_segment(c, g, gp);
  }
}

}  // namespace

SpecError::SpecError(std::vector<SpecIssue> issues)
    : std::runtime_error(join_issues(issues)), issues_(std::move(issues)) {}

std::vector<SpecIssue> check_spec(const ScenarioSpec& spec) {
  const SpecIndex index(spec);
  Check c{spec, index, {}};
  check_scenario(c);
  check_products(c);
  check_ids(c);
  check_firms(c);
  for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
    const std::string np = fmt::format("nodes.{}", i);
    check_node(c, spec.nodes[i], np);
    std::set<std::string> held;
    for (std::size_t j = 0; j < spec.nodes[i].stocks.size(); ++j) check_stock(c, spec.nodes[i], j, np, held);
    check_recovery(c, spec.nodes[i], np);
  }
  check_bom(c);
  for (std::size_t i = 0; i < spec.lanes.size(); ++i) check_lane(c, spec.lanes[i], fmt::format("lanes.{}", i));
  check_event_ids(c);
  for (std::size_t i = 0; i < spec.events.size(); ++i) check_event(c, spec.events[i], i);
  check_customers(c);
  return std::move(c.issues);
}

namespace {

// Whether a source always has room (split_in_order gives it everything):
// an unlimited supplier (no capacity) on a lane without a capacity.
bool always_has_room(const NodeSpec& seller, const LaneSpec& lane) {
  return node_kind_info(seller.kind).unlimited_source && seller.capacity == kInfinity &&
         lane.capacity_per_period == kInfinity;
}

double price_of(const LaneSpec& l, const std::string& product) {
  const auto it = l.price_by_product.find(product);
  return it != l.price_by_product.end() ? it->second : l.price;
}

}  // namespace

std::vector<SpecIssue> spec_warnings(const ScenarioSpec& spec) {
  std::vector<SpecIssue> out;
  std::optional<SpecIndex> built;  // built at the first stock with sources to rank: most specs have none
  for (std::size_t n = 0; n < spec.nodes.size(); ++n) {
    const NodeSpec& node = spec.nodes[n];
    for (std::size_t k = 0; k < node.stocks.size(); ++k) {
      const StockSpec& st = node.stocks[k];
      if (st.split == SplitRule::kShares || st.sources.size() < 2) continue;
      if (!built) built.emplace(spec);
      const SpecIndex& index = *built;
      // The sources in the order the split takes them.
      std::vector<std::pair<double, std::size_t>> order;
      std::vector<int> lanes(st.sources.size(), -1);
      for (std::size_t i = 0; i < st.sources.size(); ++i) {
        std::string why;
        lanes[i] = resolve_lane(spec, index, st.sources[i], node.id, why);
        if (lanes[i] < 0) return out;  // check_spec reports it
        const double price = st.split == SplitRule::kCheapest
                                 ? price_of(spec.lanes[static_cast<std::size_t>(lanes[i])], st.product)
                                 : 0.0;
        order.emplace_back(price, i);
      }
      // A what-if event on any of its sellers or lanes (an outage, a price)
      // can change which source comes first: no warning then.
      const bool eventful = std::any_of(spec.events.begin(), spec.events.end(), [&](const EventSpec& e) {
        for (std::size_t i = 0; i < st.sources.size(); ++i) {
          if (e.node == st.sources[i].from || e.lane == lane_id(spec.lanes[static_cast<std::size_t>(lanes[i])])) {
            return true;
          }
        }
        return false;
      });
      if (eventful) continue;
      std::stable_sort(order.begin(), order.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (std::size_t j = 0; j + 1 < order.size(); ++j) {
        const std::size_t i = order[j].second;
        const LaneSpec& l = spec.lanes[static_cast<std::size_t>(lanes[i])];
        const NodeSpec* seller = index.node(spec, st.sources[i].from);
        if (seller == nullptr || !always_has_room(*seller, l)) continue;
        for (std::size_t later = j + 1; later < order.size(); ++later) {
          const std::size_t m = order[later].second;
          out.push_back({fmt::format("nodes.{}.stocks.{}.sources.{}", n, k, m),
                         fmt::format("never receives an order: under split {}, {} comes before it with no capacity "
                                     "limit and no event on the sources that could change that, so it takes every "
                                     "order",
                                     name_of(st.split), seller->id)});
        }
        break;
      }
    }
  }
  return out;
}

}  // namespace chainsim::models

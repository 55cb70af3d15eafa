#include "models/chain/builder.h"

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

std::unique_ptr<ReplenishmentPolicy> no_policy() {
  PolicySpec s;
  s.type = PolicyType::kNone;
  return make_policy(s);
}

}  // namespace

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

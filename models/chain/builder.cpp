#include "models/chain/builder.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/core.h>
#include <map>
#include <set>
#include <unordered_map>

#include "models/chain/spec_index.h"
#include "models/chain/what_if.h"

namespace chainsim::models {


// Builds a Network from a checked spec in stages, each a method below: the
// products and nodes, the stock points (then the unlimited sources' stocks
// their customers need), the lanes, each stock's sources and production
// line, the pipelines at time 0, and the orders the phases visit stocks and
// nodes in, the point-of-sale links and the what-if events.
class NetworkBuilder {
 public:
  NetworkBuilder(const ScenarioSpec& spec, std::uint64_t seed, int replication)
      : spec_(spec), lanes_between_(spec), seed_(seed), replication_(static_cast<std::uint64_t>(replication)) {}

  std::unique_ptr<Network> build() {
    auto net = std::make_unique<Network>();
    N_ = net.get();
    N_->name_ = spec_.name;
    N_->period_ = spec_.period;
    N_->horizon_ = spec_.horizon;
    N_->warmup_ = spec_.warmup;
    N_->sharing_delay_ = spec_.sharing.delay;
    N_->sim_.reset(N_->start_);
    add_products();
    add_nodes();
    add_stocks();
    add_source_stocks();
    add_recoveries();
    add_lanes();
    for (std::size_t i = 0; i < spec_.nodes.size(); ++i) link_stocks(i);
    for (std::size_t i = 0; i < spec_.lanes.size(); ++i) add_pipelines(spec_.lanes[i], static_cast<LaneId>(i));
    find_active_lanes();
    order_reviews();
    add_customers();
    link_point_of_sale();
    link_customer_state();
    order_phases();
    add_events();
    describe_shape();
    return net;
  }

 private:
  sim::RandomStream stream(const std::string& name) const { return sim::RandomStream(seed_, replication_, name); }
  static std::unique_ptr<ReplenishmentPolicy> no_policy() {
    PolicySpec s;
    s.type = PolicyType::kNone;
    return make_policy(s);
  }

  // The lanes a source orders along or a pipeline starts on (Network::active_lanes_).
  void find_active_lanes() {
    std::vector<bool> active(N_->lanes_.size(), false);
    for (const StockPoint& sp : N_->stocks_) {
      for (const auto& src : sp.sources) active[src.lane] = true;
    }
    for (std::size_t i = 0; i < spec_.lanes.size(); ++i) {
      const LaneSpec& ls = spec_.lanes[i];
      if (!ls.initial_shipments.empty() || !ls.initial_orders.empty()) active[i] = true;  // lane i is spec lane i
    }
    for (std::size_t id = 0; id < active.size(); ++id) {
      if (!active[id]) continue;
      N_->active_lanes_.push_back(static_cast<LaneId>(id));
      if (N_->lanes_[id].holding_cost > 0) N_->held_lanes_.push_back(static_cast<LaneId>(id));
    }
  }

  void add_products() {
    for (const ProductSpec& p : spec_.products) {
      product_id_.insert_or_assign(p.id, static_cast<ProductId>(N_->products_.size()));
      N_->products_.push_back(
          {p.id, p.unit_cost, p.price, p.salvage_value.value_or(p.unit_cost), p.shelf_life, p.disposal_cost});
    }
  }

  void add_nodes() {
    for (const NodeSpec& ns : spec_.nodes) {
      Node n;
      n.id = static_cast<NodeId>(N_->nodes_.size());
      n.name = ns.id;
      n.kind = ns.kind;
      n.allocation = make_allocation_rule(ns.allocation);
      n.terms = {ns.payment_terms.net, ns.payment_terms.discount, ns.payment_terms.discount_within};
      n.ordering_cost = ns.ordering_cost;
      n.account.start(ns.initial_cash);
      N_->money_.initial_cash += ns.initial_cash;
      n.lead_time = ns.lead_time;
      n.capacity = ns.capacity;
      n.reliability = ns.reliability;
      n.shortfall = ns.shortfall;
      n.yield = ns.yield;
      n.material_cost = ns.material_cost;
      n.outside = node_kind_info(ns.kind).unlimited_source && !ns.owned;
      n.firm = owner(ns, n.outside);
      node_id_.insert_or_assign(ns.id, n.id);
      N_->nodes_.push_back(std::move(n));
    }
    N_->stock_index_.assign(N_->nodes_.size(), std::vector<StockId>(N_->products_.size(), kNone));
    // The per-firm money audit's totals: one per firm, then suppliers in none.
    if (!N_->firms_.empty()) {
      N_->firm_money_.assign(N_->firms_.size() + 1, FirmMoney{});
      for (const Node& n : N_->nodes_) N_->firm_money(n)->initial_cash += n.account.cash();
    }
  }

  // The firm that owns a node per the scenario's ownership (kNone: none).
  std::uint32_t owner(const NodeSpec& ns, bool outside) {
    switch (spec_.ownership) {
      case Ownership::kFirms: return ns.firm ? firm_index(*ns.firm) : kNone;
      case Ownership::kIndependent: return outside ? kNone : firm_index(ns.id);
      case Ownership::kPrivate: return kNone;
    }
    return kNone;
  }

  // The firm named `name`, added at its first appearance (a hash lookup:
  // `independent` makes a firm of every node).
  std::uint32_t firm_index(const std::string& name) {
    std::vector<std::string>& firms = N_->firms_;
    const auto [it, added] = firm_id_.try_emplace(name, static_cast<std::uint32_t>(firms.size()));
    if (added) firms.push_back(name);
    return it->second;
  }

  StockPoint& add_stock(NodeId node, ProductId product) {
    StockPoint sp;
    sp.id = static_cast<StockId>(N_->stocks_.size());
    sp.node = node;
    sp.product = product;
    sp.name = N_->nodes_[node].name + "/" + N_->products_[product].name;
    sp.unit_value = N_->products_[product].unit_cost;
    sp.price = N_->products_[product].price;
    N_->stock_index_[node][product] = sp.id;
    N_->nodes_[node].stocks.push_back(sp.id);
    N_->stocks_.push_back(std::move(sp));
    return N_->stocks_.back();
  }

  // An unlimited source's stock of `product` at `node`, when it has none yet.
  void ensure_source_stock(NodeId node, ProductId product) {
    if (!node_kind_info(N_->nodes_[node].kind).unlimited_source || N_->stock_index_[node][product] != kNone) return;
    StockPoint& sp = add_stock(node, product);
    sp.infinite = true;
    sp.policy = no_policy();
  }

  // The stock points the scenario declares, in its order.
  void add_stocks() {
    for (std::size_t i = 0; i < spec_.nodes.size(); ++i) {
      const NodeSpec& ns = spec_.nodes[i];
      for (const StockSpec& ss : ns.stocks) {
        StockPoint& sp = add_stock(static_cast<NodeId>(i), product_id_.at(ss.product));
        sp.infinite = node_kind_info(ns.kind).unlimited_source;
        if (sp.infinite) {
          sp.policy = no_policy();
        } else {
          set_up_stock(ns, ss, sp);
        }
      }
    }
  }

  void set_up_stock(const NodeSpec& ns, const StockSpec& ss, StockPoint& sp) {
    sp.on_hand = ss.initial;
    N_->units_.initial += ss.initial;
    sp.policy = make_policy(ss.policy);
    sp.continuous = ss.policy.review == ReviewMode::kContinuous;
    sp.review_period = ss.policy.review_period;
    sp.review_offset = ss.policy.review_offset;
    sp.lot_size = ss.policy.lot_size;
    sp.min_order = ss.policy.min_order;
    sp.max_order = ss.policy.max_order;
    sp.storage_capacity = ss.storage_capacity;
    sp.split = ss.split;
    sp.holding_cost = ss.holding_cost ? *ss.holding_cost : ns.holding_cost + ns.holding_rate * sp.unit_value;
    sp.backorder_cost = ss.backorder_cost ? *ss.backorder_cost : ns.backorder_cost;
    sp.lost_sale_cost = ss.lost_sale_cost ? *ss.lost_sale_cost : ns.lost_sale_cost;
    sp.lose_unmet = ss.unmet_demand.value_or(ns.unmet_demand) == UnmetDemand::kLost;
    sp.vmi = ss.vmi;
    sp.use_shared_demand = ss.use_shared_demand;
    add_demand(ns.id + "/" + ss.product, ss, sp);
    add_perishable(ns.id + "/" + ss.product, ss, sp);
    if (ss.initial_backlog > 0) {
      BacklogEntry e;
      e.qty = ss.initial_backlog;
      e.arrived = e.placed = N_->start_ - N_->period_;  // owed from before the start
      sp.backlog.push_back(e);
      sp.backlog_qty = ss.initial_backlog;
    }
  }

  // A perishable product's batches: what is on hand at the start is fresh.
  void add_perishable(const std::string& tag, const StockSpec& ss, StockPoint& sp) {
    const ProductInfo& p = N_->products_[sp.product];
    if (!p.shelf_life) return;
    sp.perishable = std::make_unique<Perishable>();
    Perishable& per = *sp.perishable;
    per.batches = AgeBatches(ss.issuing.value_or(Issuing::kFifo));
    per.shelf_life = *p.shelf_life;
    per.disposal_cost = p.disposal_cost;
    per.rng = stream("shelf_life/" + tag);
    per.batches.add(sp.on_hand, per.expiry_from(N_->start_));
    N_->perishable_stocks_.push_back(sp.id);
  }

  // Returns centres (models/chain/recovery.h), and the stocks whose returns
  // go to one.
  void add_recoveries() {
    for (const NodeSpec& ns : spec_.nodes) {
      const NodeId node = node_id_.at(ns.id);
      for (const RecoverySpec& rs : ns.recovery) {
        Recovery& g = N_->recoveries_.emplace_back();
        g.name = ns.id + "/" + rs.product;
        g.node = node;
        g.product = product_id_.at(rs.product);
        g.inspection_cost = rs.inspection_cost;
        g.scrap_cost = rs.scrap_cost;
        for (const RecoveryRouteSpec& route : rs.routes) {
          RecoveryLine& r = g.routes.emplace_back();
          r.route = *route.route;
          r.share = route.share;
          if (restocks(r.route)) {
            const ProductId grade = route.product ? product_id_.at(*route.product) : g.product;
            r.to = N_->stock_of(node_id_.at(route.to), grade);
          }
          if (r.route == RecoveryRoute::kVendor) r.vendor = node_id_.at(route.to);
          r.credit = route.credit;
          r.credit_delay = route.credit_delay;
          r.lead_time = route.lead_time;
          r.cost = route.cost;
          r.yield = route.yield;
          r.capacity = route.capacity;
          r.value = route.value;
        }
      }
    }
    for (StockPoint& sp : N_->stocks_) {
      if (!sp.returns || sp.returns->to.empty()) continue;
      const NodeId centre = node_id_.at(sp.returns->to);
      for (std::size_t i = 0; i < N_->recoveries_.size(); ++i) {
        const Recovery& g = N_->recoveries_[i];
        if (g.node == centre && g.product == sp.product) sp.return_centre = static_cast<std::uint32_t>(i);
      }
      sp.grading_rng = stream("grading/" + sp.name);
    }
  }

  // End demand (per-period processes and arrival streams) and returns.
  void add_demand(const std::string& tag, const StockSpec& ss, StockPoint& sp) {
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
        sp.period_demand.push_back(make_period_demand(d));
        sp.demand_rng.push_back(stream(fmt::format("demand/{}/{}", tag, k)));
        sp.demand_priority.push_back(d.priority);
      }
    }
    if (ss.returns) {
      sp.returns = std::make_unique<ReturnsSpec>(*ss.returns);
      sp.returns_rng = stream("returns/" + tag);
    }
  }

  // Unlimited sources hold every product anybody orders from them or has in
  // a pipeline from them at time 0.
  void add_source_stocks() {
    for (const NodeSpec& ns : spec_.nodes) {
      for (const StockSpec& ss : ns.stocks) {
        for (const SourceSpec& src : ss.sources) ensure_source_stock(node_id_.at(src.from), product_id_.at(ss.product));
      }
    }
    for (const LaneSpec& ls : spec_.lanes) {
      for (const auto* pipeline : {&ls.initial_shipments, &ls.initial_orders}) {
        for (const auto& entry : *pipeline) ensure_source_stock(node_id_.at(ls.from), product_id_.at(entry.first));
      }
    }
  }

  void add_lanes() {
    const std::size_t P = N_->products_.size();
    N_->lanes_.reserve(spec_.lanes.size());  // moved once, not moved again as the vector grows
    for (const LaneSpec& ls : spec_.lanes) {
      Lane l;
      l.id = static_cast<LaneId>(N_->lanes_.size());  // spec lane i is lane i
      l.name = lane_id(ls);
      l.from = node_id_.at(ls.from);
      l.to = node_id_.at(ls.to);
      l.transport.assign(P, ls.transport_time);
      for (const auto& [p, d] : ls.transport_time_by_product) l.transport[product_id_.at(p)] = d;
      l.price.assign(P, ls.price);
      for (const auto& [p, v] : ls.price_by_product) l.price[product_id_.at(p)] = v;
      l.rng = stream("lane/" + l.name);
      if (node_kind_info(N_->nodes_[l.from].kind).unlimited_source) {
        for (std::size_t p = 0; p < P; ++p) {
          l.dispatch_rng.push_back(stream(fmt::format("source/{}/{}", l.name, N_->products_[p].name)));
        }
      }
      l.order_delay = ls.order_delay;
      l.invoice_delay = ls.invoice_delay;
      l.payment_delay = ls.payment_delay;
      l.capacity_per_shipment = ls.capacity_per_shipment;
      l.capacity_per_period = ls.capacity_per_period;
      l.cost_per_unit = ls.cost_per_unit;
      l.cost_per_shipment = ls.cost_per_shipment;
      l.holding_cost = ls.holding_cost;
      l.prevent_overtaking = ls.prevent_overtaking;
      l.consignment = ls.consignment;
      l.invoiced = spec_.ownership != Ownership::kPrivate || N_->nodes_[l.from].outside || N_->nodes_[l.to].outside;
      N_->consignment_ = N_->consignment_ || ls.consignment;
      l.priority = ls.priority;
      l.orders_in_transit.assign(P, 0.0);
      N_->lanes_.push_back(std::move(l));
    }
  }

  // Node i's stocks: their sources (and the sellers' echelon and VMI links)
  // and production lines.
  void link_stocks(std::size_t i) {
    const NodeSpec& ns = spec_.nodes[i];
    if (node_kind_info(ns.kind).unlimited_source) return;
    for (const StockSpec& ss : ns.stocks) {
      StockPoint& sp = N_->stocks_[N_->stock_index_[i][product_id_.at(ss.product)]];
      for (const SourceSpec& src : ss.sources) {
        std::string why;
        const int lane = resolve_lane(spec_, lanes_between_, src, ns.id, why);
        const auto lid = static_cast<LaneId>(lane);  // lane i is spec lane i
        sp.sources.push_back({lid, src.share.value_or(1.0), 0.0});  // none given: equal weights
        add_consigned(sp, N_->lanes_[lid], N_->start_);
        StockPoint& seller = N_->stocks_[N_->stock_index_[N_->lanes_[lid].from][sp.product]];
        seller.downstream.push_back(sp.id);
        seller.downstream_lanes.push_back(lid);
        if (ss.vmi) N_->nodes_[N_->lanes_[lid].from].vmi_customers.push_back(sp.id);
      }
      if (ss.production) add_production(static_cast<NodeId>(i), ns.id + "/" + ss.product, *ss.production, sp);
    }
  }

  void add_production(NodeId node, const std::string& tag, const ProductionSpec& ps, StockPoint& sp) {
    ProductionLine pl;
    for (const InputSpec& in : ps.inputs) {
      pl.inputs.emplace_back(N_->stock_index_[node][product_id_.at(in.product)], in.quantity);
    }
    pl.capacity = ps.capacity;
    pl.lead_time = ps.lead_time;
    pl.rng = stream("production/" + tag);
    pl.request_delay = ps.request_delay;
    pl.batch = ps.batch;
    pl.cost = ps.cost;
    sp.production = std::make_unique<ProductionLine>(std::move(pl));
    // Element k of the work in progress completes, and of the requests reaches the line, at period k.
    for (const auto& [list, kind] : {std::pair{&ps.initial_wip, MessageKind::kProductionDone},
                                     std::pair{&ps.initial_requests, MessageKind::kProductionOrder}}) {
      for (std::size_t k = 0; k < list->size(); ++k) {
        const Qty q = (*list)[k];
        if (q <= 0) continue;
        Message m;
        m.arrival = N_->period_start(static_cast<std::int64_t>(k));
        m.kind = kind;
        m.stock = sp.id;
        m.qty = q;
        m.sent = N_->start_;
        sp.on_order += q;
        if (kind == MessageKind::kProductionOrder) {
          N_->nodes_[node].inbox_orders.push(m);
          continue;
        }
        N_->nodes_[node].inbox_receive.push(m);
        N_->units_.initial += q;
        N_->units_.in_production += q;
      }
    }
  }

  // A stock's consignment sellers (LaneSpec::consignment), in the order of
  // its sources, then those of its starting pipelines: the order it uses
  // their units in (Network::use_consigned).
  static void add_consigned(StockPoint& sp, const Lane& l, Time start) {
    if (!l.consignment) return;
    for (const StockPoint::Consigned& c : sp.consignments) {
      if (c.lane == l.id) return;
    }
    sp.consignments.push_back({l.id, 0.0, 0.0, start});
  }

  // A lane's shipments and orders travelling at time 0: element k arrives at period k.
  void add_pipelines(const LaneSpec& ls, LaneId id) {
    Lane& l = N_->lanes_[id];
    for (const auto& [product, qs] : ls.initial_shipments) {
      const ProductId p = product_id_.at(product);
      StockPoint& buyer = N_->stocks_[N_->stock_index_[l.to][p]];
      add_consigned(buyer, l, N_->start_);
      for (std::size_t k = 0; k < qs.size(); ++k) {
        if (qs[k] <= 0) continue;
        Message m;
        m.arrival = N_->period_start(static_cast<std::int64_t>(k));
        m.kind = MessageKind::kShipment;
        m.stock = buyer.id;
        m.origin = N_->stock_index_[l.from][p];
        m.lane = l.id;
        m.qty = m.closes = qs[k];
        m.sent = m.arrival - l.transport[p].mean();  // as if sent one mean transit time before it arrives
        N_->nodes_[l.to].inbox_receive.push(m);
        buyer.on_order += qs[k];
        l.in_transit += qs[k];
        N_->units_.initial += qs[k];
        N_->units_.in_transit += qs[k];
      }
    }
    for (const auto& [product, qs] : ls.initial_orders) {
      const ProductId p = product_id_.at(product);
      StockPoint& buyer = N_->stocks_[N_->stock_index_[l.to][p]];
      for (std::size_t k = 0; k < qs.size(); ++k) {
        if (qs[k] <= 0) continue;
        Message m;
        m.arrival = N_->period_start(static_cast<std::int64_t>(k));
        m.kind = MessageKind::kOrder;
        m.stock = N_->stock_index_[l.from][p];
        m.origin = buyer.id;
        m.lane = l.id;
        m.qty = qs[k];
        m.ref = ++N_->next_order_id_;
        m.placed = m.sent = m.arrival - l.order_delay;
        m.extra = l.priority;
        N_->nodes_[l.from].inbox_orders.push(m);
        buyer.on_order += qs[k];
        buyer.open_orders.push_back({m.ref, m.placed, qs[k], qs[k]});
        l.orders_in_transit[p] += qs[k];
      }
    }
  }

  // Review order within each node: products before their components (a
  // stock's rank is the longest chain of lines above it at this node).
  void order_reviews() {
    for (Node& n : N_->nodes_) {
      std::map<StockId, int> rank;
      for (const StockId id : n.stocks) rank[id] = 0;
      for (std::size_t pass = 0; pass < n.stocks.size(); ++pass) {  // bills of materials are acyclic
        for (const StockId id : n.stocks) {
          const StockPoint& sp = N_->stocks_[id];
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
  }

  // The customer segments, their channels and streams (models/chain/customers.h).
  void add_customers() {
    for (std::size_t g = 0; g < spec_.customers.size(); ++g) {
      const SegmentSpec& gs = spec_.customers[g];
      Segment& s = N_->segments_.emplace_back();
      s.name = gs.id;
      s.spec = gs;
      s.period = spec_.period;
      s.active = s.initial = s.cohort = gs.size;
      s.log_keep = gs.churn.intrinsic < 1.0 ? std::log1p(-gs.churn.intrinsic) : 0.0;
      s.service_churn = churn_behaviour(gs.churn.model).churns_for_service(gs.churn);
      if (gs.orders.size.kind() == Distribution::Kind::kConstant) s.constant_size = std::max(0.0, gs.orders.size.mean());
      const std::string tag = "segment/" + gs.id;
      s.churn_rng = stream(tag + "/churn");
      s.win_back_rng = stream(tag + "/win_back");
      s.acquire_rng = stream(tag + "/acquire");
      for (const EventSpec& e : spec_.events) {
        if (e.action != ActionKind::kCampaign || e.segment != gs.id) continue;
        s.campaign_rng = stream(tag + "/campaign");  // named only when a campaign may draw from it
        s.campaign_draws = sim::CounterDraws(seed_, replication_, tag + "/campaign");
        break;
      }
      const bool shares = !gs.channels.empty() && gs.channels[0].share.has_value();
      for (std::size_t c = 0; c < gs.channels.size(); ++c) {
        const ChannelSpec& cs = gs.channels[c];
        const NodeSpec& ns = spec_.nodes[node_id_.at(cs.node)];
        const std::string product = cs.product.empty() ? ns.stocks[0].product : cs.product;
        SegmentChannel& ch = s.channels.emplace_back();
        ch.stock = N_->stock_index_[node_id_.at(cs.node)][product_id_.at(product)];
        ch.share = shares ? *cs.share : 1.0 / static_cast<double>(gs.channels.size());
        ch.orders_rng = stream(fmt::format("{}/orders/{}", tag, c));
        ch.sizes_rng = stream(fmt::format("{}/sizes/{}", tag, c));
        N_->stocks_[ch.stock].segment_channels.emplace_back(static_cast<std::uint32_t>(g), static_cast<std::uint32_t>(c));
      }
      s.home = N_->stocks_[s.channels[0].stock].node;
      s.index = static_cast<std::uint32_t>(g);
      if (gs.mode == CustomerMode::kIndividual) {
        s.people = std::make_unique<Individuals>();
        s.people->traits = sim::CounterDraws(seed_, replication_, tag + "/traits");
        s.people->draws = sim::CounterDraws(seed_, replication_, tag + "/customers");
        add_individuals(s, gs.size);
      }
    }
  }

  // Customer-state sharing: every stock learns the segment channels at it
  // and below it (through its downstream stocks), whose demand it forecasts.
  void link_customer_state() {
    N_->share_customers_ = spec_.sharing.customers && !N_->segments_.empty();
    if (!N_->share_customers_) return;
    N_->customers_below_.assign(N_->stocks_.size(), {});
    for (const StockPoint& sp : N_->stocks_) {
      for_each_below({sp.id}, [&](const StockPoint& d) {
        for (const auto& gc : d.segment_channels) N_->customers_below_[sp.id].push_back(gc);
      });
      std::sort(N_->customers_below_[sp.id].begin(), N_->customers_below_[sp.id].end());
    }
  }

  // Calls visit once for every stock reached from `start` through the stocks
  // each supplies (depth first, in the order the stocks list their downstream).
  template <class Visit>
  void for_each_below(std::vector<StockId> todo, Visit visit) const {
    std::set<StockId> seen;
    while (!todo.empty()) {
      const StockId s = todo.back();
      todo.pop_back();
      if (!seen.insert(s).second) continue;
      const StockPoint& d = N_->stocks_[s];
      visit(d);
      todo.insert(todo.end(), d.downstream.begin(), d.downstream.end());
    }
  }

  // Point-of-sale sharing: every stock that forecasts from shared data hears
  // from the retailer stocks (stocks with end demand) downstream of it.
  void link_point_of_sale() {
    N_->pos_subscribers_.assign(N_->stocks_.size(), {});
    N_->pos_pending_.assign(N_->stocks_.size(), 0.0);
    for (const StockPoint& sp : N_->stocks_) {
      if (!sp.use_shared_demand && !(spec_.sharing.pos && !sp.infinite && !sp.downstream.empty())) continue;
      for_each_below(sp.downstream, [&](const StockPoint& d) {
        if (d.has_end_demand()) N_->pos_subscribers_[d.id].push_back(sp.id);
      });
    }
    if (spec_.sharing.pos) {
      for (StockPoint& sp : N_->stocks_) {
        if (!sp.infinite && !sp.downstream.empty()) sp.use_shared_demand = true;
      }
    }
  }

  // Phase orders: depth = longest chain of lanes from a node without inbound
  // lanes (relaxed at most N times, so a cycle of lanes cannot loop).
  void order_phases() {
    const std::size_t n = N_->nodes_.size();
    std::vector<int> depth(n, 0);
    for (std::size_t round = 0; round < n; ++round) {
      bool changed = false;
      for (const Lane& l : N_->lanes_) {
        if (depth[l.to] < depth[l.from] + 1 && depth[l.from] + 1 <= static_cast<int>(n)) {
          depth[l.to] = depth[l.from] + 1;
          changed = true;
        }
      }
      if (!changed) break;
    }
    N_->up_order_.resize(n);
    for (std::size_t i = 0; i < n; ++i) N_->up_order_[i] = static_cast<NodeId>(i);
    N_->down_order_ = N_->up_order_;
    std::stable_sort(N_->up_order_.begin(), N_->up_order_.end(), [&](NodeId a, NodeId b) { return depth[a] < depth[b]; });
    std::stable_sort(N_->down_order_.begin(), N_->down_order_.end(),
                     [&](NodeId a, NodeId b) { return depth[a] > depth[b]; });
    N_->up_rank_.assign(n, 0);
    N_->down_rank_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      N_->up_rank_[N_->up_order_[i]] = static_cast<int>(i);
      N_->down_rank_[N_->down_order_[i]] = static_cast<int>(i);
    }
  }

  WhatIfEvent make_event(const EventSpec& es, std::size_t i, const std::map<std::string, int>& event_index) {
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
    } else if (es.when) {
      const WhenSpec& w = *es.when;
      e.trigger = WhatIfEvent::Trigger::kWhen;
      const NodeId node = node_id_.at(w.node);
      e.watch = w.product.empty() ? N_->nodes_[node].stocks.front() : N_->stock_of(node, product_id_.at(w.product));
      e.measure = *w.measure;
      e.below = w.below.has_value();
      e.level = w.below ? *w.below : *w.above;
      e.over = w.over;
    } else {
      e.trigger = WhatIfEvent::Trigger::kAfter;
      e.after = event_index.at(*es.after);
    }
    e.delay = es.delay;
    e.duration = es.duration ? *es.duration : -1.0;
    e.action = *es.action;
    e.node = es.node.empty() ? kNone : node_id_.at(es.node);
    e.lane = es.lane.empty() ? kNone : static_cast<LaneId>(lanes_between_.lanes.at(es.lane));
    e.product = es.product.empty() ? kNone : product_id_.at(es.product);
    e.parameter = es.parameter;
    e.value = es.value;
    e.hold = es.in_transit == InTransit::kHold;
    for (std::size_t g = 0; g < spec_.customers.size(); ++g) {
      if (spec_.customers[g].id == es.segment) e.segment = static_cast<std::uint32_t>(g);
    }
    e.cost = es.cost;
    e.rng = stream("event/" + e.id);
    return e;
  }

  void add_events() {
    std::map<std::string, int> event_index;
    for (std::size_t i = 0; i < spec_.events.size(); ++i) event_index[event_id(spec_.events[i], i)] = static_cast<int>(i);
    std::vector<WhatIfEvent> evs;
    for (std::size_t i = 0; i < spec_.events.size(); ++i) evs.push_back(make_event(spec_.events[i], i, event_index));
    if (!evs.empty()) N_->what_if_ = std::make_unique<WhatIfEngine>(std::move(evs));
  }

  // The network as its observers see it (models/chain/observations.h).
  void describe_shape() {
    RunShape& r = N_->shape_;
    r.periods = spec_.horizon;
    r.warmup = spec_.warmup;
    r.start = N_->start_;
    r.period = N_->period_;
    for (const ProductInfo& p : N_->products_) r.products.push_back({p.name, p.salvage_value});
    for (const Node& n : N_->nodes_) r.nodes.push_back({n.name, n.stocks, n.account.cash(), n.outside, n.firm, false});
    for (const Lane& l : N_->lanes_) {
      if (l.consignment) r.nodes[l.from].consigns = true;
    }
    r.firms = N_->firms_;
    for (const Lane& l : N_->lanes_) r.lanes.push_back(l.name);
    for (const StockPoint& sp : N_->stocks_) {
      StockShape& s = r.stocks.emplace_back();
      s.name = sp.name;
      s.node = sp.node;
      s.product = sp.product;
      s.infinite = sp.infinite;
      s.end_demand = sp.has_end_demand();
      s.replenished = sp.production != nullptr || !sp.sources.empty();
      for (const Source& src : sp.sources) s.suppliers.push_back(N_->stock_of(N_->lanes_[src.lane].from, sp.product));
      s.review_bucket = sp.continuous ? 1 : sp.review_period;
      s.unit_value = sp.unit_value;
      s.perishable = sp.perishable != nullptr;
      s.consigned = !sp.consignments.empty();
      s.disposal_cost = sp.perishable ? sp.perishable->disposal_cost : 0.0;
      r.perishables = r.perishables || s.perishable;
    }
    for (const Segment& g : N_->segments_) {
      r.segments.push_back({g.name, g.initial, g.spec.discount_rate, g.spec.acquisition.cost});
    }
    for (const Recovery& g : N_->recoveries_) r.recoveries.push_back({g.name, g.node});
  }

  const ScenarioSpec& spec_;
  const SpecIndex lanes_between_;  // the lane each source uses, found in log time
  std::uint64_t seed_, replication_;
  Network* N_ = nullptr;
  // Ids of products and nodes, as views of spec_'s (no copy of an id); a
  // lane's index is its index in the spec (lanes_between_.lanes).
  std::unordered_map<std::string_view, ProductId> product_id_;
  std::unordered_map<std::string_view, NodeId> node_id_;
  std::unordered_map<std::string, std::uint32_t> firm_id_;  // index in Network::firms_
};

std::unique_ptr<Network> build_network(const ScenarioSpec& spec, std::uint64_t seed, int replication, bool checked) {
  if (!checked) {
    auto issues = check_spec(spec);
    if (!issues.empty()) throw SpecError(std::move(issues));
  }
  return NetworkBuilder(spec, seed, replication).build();
}

}  // namespace chainsim::models

// The instant driver, message delivery, period boundaries and the audit.
#include "models/chain/network.h"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>

#include "models/chain/what_if.h"

namespace chainsim::models {

namespace {

// Passes of the phase loop allowed at one instant before a zero-delay cycle is
// reported (each pass is one loop-back; a chain of n echelons needs about 2n).
constexpr int kMaxPasses = 10000;

constexpr std::uint8_t mask_from(Phase p) {
  return static_cast<std::uint8_t>((0xFu << static_cast<int>(p)) & 0xFu);
}

}  // namespace

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::kReceive: return "receive";
    case Phase::kOrdersIn: return "orders_in";
    case Phase::kFulfil: return "fulfil";
    case Phase::kReview: return "review";
  }
  return "?";
}

const char* cost_kind_name(CostKind k) {
  switch (k) {
    case CostKind::kHolding: return "holding";
    case CostKind::kBackorder: return "backorder";
    case CostKind::kLostSale: return "lost_sale";
    case CostKind::kOrdering: return "ordering";
    case CostKind::kTransport: return "transport";
    case CostKind::kProduction: return "production";
    case CostKind::kPurchase: return "purchase";
    case CostKind::kMaterial: return "material";
    case CostKind::kReturns: return "returns";
    case CostKind::kCustomers: return "customers";
    case CostKind::kWaste: return "waste";
    case CostKind::kCount: break;
  }
  return "?";
}

Network::Network() = default;
Network::~Network() = default;

StockId Network::stock_of(NodeId node, ProductId product) const {
  if (node >= stock_index_.size() || product >= stock_index_[node].size()) return kNone;
  return stock_index_[node][product];
}

StockId Network::find_stock(const std::string& node, const std::string& product) const {
  const NodeId n = find_node(node);
  if (n == kNone) return kNone;
  for (ProductId p = 0; p < products_.size(); ++p) {
    if (products_[p].name == product) return stock_of(n, p);
  }
  return kNone;
}

NodeId Network::find_node(const std::string& name) const {
  for (const Node& n : nodes_) {
    if (n.name == name) return n.id;
  }
  return kNone;
}


void Network::begin_instant(Time t, bool boundary) {
  instant_ = t;
  boundary_ = boundary;
  first_pass_ = boundary;
  passes_ = 0;
  dirty_list_.clear();
  if (boundary) {
    for (Node& n : nodes_) {
      n.dirty = mask_from(Phase::kReceive);
      dirty_list_.push_back(n.id);
    }
  }
}

void Network::ensure_driver(Phase phase) {
  const int p = static_cast<int>(phase);
  if (defer_driver_) {
    deferred_phase_ = std::min(deferred_phase_, p);
    return;
  }
  if (sim_.is_pending(driver_event_)) {
    if (driver_phase_ <= p) return;
    sim_.cancel(driver_event_);
  }
  driver_phase_ = p;
  driver_event_ = sim_.schedule(sim_.now(), priority::of(phase), [this] { drive(); });
}

void Network::drive() {
  driver_phase_ = -1;
  int phase = kPhaseCount;
  // The earliest phase any marked node asks for (at a boundary, where every
  // node asks for receive, the first node says so).
  for (const NodeId id : dirty_list_) {
    const std::uint8_t d = nodes_[id].dirty;
    for (int p = 0; p < phase; ++p) {
      if ((d >> p) & 1u) {
        phase = p;
        break;
      }
    }
    if (phase == 0) break;
  }
  in_driver_ = true;
  while (phase < kPhaseCount) {
    if (sim_.has_due(instant_, priority::of(static_cast<Phase>(phase)))) {
      // Events due now at an earlier or equal priority run first.
      in_driver_ = false;
      ensure_driver(static_cast<Phase>(phase));
      return;
    }
    next_phase_ = phase + 1;
    run_phase(static_cast<Phase>(phase));
    if (next_phase_ <= phase) {
      if (++passes_ > kMaxPasses) {
        in_driver_ = false;
        throw ModelError(fmt::format(
            "t={}: zero-delay messages keep re-running phase {} ({} passes at one instant); "
            "a cycle of zero delays never settles",
            instant_, phase_name(static_cast<Phase>(next_phase_)), passes_));
      }
    }
    phase = next_phase_;
  }
  in_driver_ = false;
  max_passes_ = std::max(max_passes_, passes_ + 1);
  // Every node has run every phase it asked for.
  for (const NodeId id : dirty_list_) nodes_[id].dirty = 0;
  dirty_list_.clear();
}

template <class F>
void Network::as_event(F&& body) {
  defer_driver_ = true;
  try {
    body();
  } catch (...) {
    defer_driver_ = false;
    deferred_phase_ = kPhaseCount;
    throw;
  }
  defer_driver_ = false;
  if (deferred_phase_ == kPhaseCount) return;
  const auto phase = static_cast<Phase>(deferred_phase_);
  deferred_phase_ = kPhaseCount;
  // The driver event the body asked for would run next (nothing else due at
  // this instant before its phase): run it now, without the queue. Same
  // order, same count of events.
  if (!sim_.is_pending(driver_event_) && sim_.run_next(priority::of(phase), [this] { drive(); })) return;
  ensure_driver(phase);
}

void Network::wake(NodeId node, Phase phase, Time at) {
  if (at >= period_start(horizon_)) return;  // after the end of the run
  sim_.schedule(at, priority::of(phase), [this, node, phase] { as_event([&] { request(node, phase); }); });
}

void Network::boundary(std::int64_t k) {
  if (k > 0) close_period(k - 1);
  if (k == horizon_) {
    finished_ = true;
    sim_.stop();
    return;
  }
  period_index_ = k;
  for (const NodeId id : capacity_nodes_) nodes_[id].capacity_used = 0.0;
  for (const LaneId id : capacity_lanes_) lanes_[id].capacity_used = 0.0;
  for (const StockId id : capacity_lines_) stocks_[id].production->capacity_used = 0.0;
  capacity_nodes_.clear();
  capacity_lanes_.clear();
  capacity_lines_.clear();
  begin_instant(sim_.now(), true);
  if (!perishable_stocks_.empty()) {
    log_phase_ = "expiry";
    for (const StockId s : perishable_stocks_) expire_due(stocks_[s]);
  }
  if (!segments_.empty()) customers_begin_period();
  sim_.schedule(period_start(k + 1), priority::kClosePeriod, [this, k] { boundary(k + 1); });
  drive();
}

void Network::close_period(std::int64_t k) {
  // Every record of the period is built first and handed to the sinks after:
  // a record read right after it was written (field by field) stalls the
  // reader's wider loads on store forwarding; built in a batch, the stores
  // have drained by the time the sinks copy or add them.
  record_stocks(k);
  record_lanes(k);
  record_nodes(k);
  if (!segments_.empty()) record_segments(k);
  if (!recoveries_.empty()) record_recoveries(k);
  const PeriodRecords records{period_stocks_, period_lanes_, period_nodes_, period_segments_, period_recoveries_};
  for (ObservationSink* s : sinks_) s->on_period(records);
  for (Node& n : nodes_) n.account.close_period();
}

void Network::record_stocks(std::int64_t k) {
  static const StockFlows kNoFlows{};
  const Time end = sim_.now();
  period_stocks_.resize(stocks_.size());
  for (StockPoint& sp : stocks_) {
    touch(sp);
    Node& n = nodes_[sp.node];
    StockPeriod& o = period_stocks_[sp.id];
    const double own_integral = sp.consignments.empty() ? sp.on_hand_integral : consigned_holding(sp);
    o.consigned_avg = sp.consignments.empty() ? 0.0 : per_period(sp.on_hand_integral - own_integral);
    if (sp.holding_cost > 0) n.account.cost(CostKind::kHolding, sp.holding_cost * own_integral, true);
    if (sp.backorder_cost > 0) {
      n.account.cost(CostKind::kBackorder, sp.backorder_cost * sp.backlog_integral, false);
    }
    o.period = k;
    o.stock = sp.id;
    const StockFlows& f = sp.flows;
    o.demand = f.demand;
    o.customer_demand = f.customer_demand;
    o.met_immediately = f.met_immediately;
    o.shipped = f.shipped;
    o.lost = f.lost;
    o.ordered = f.ordered;
    o.order_lines = f.order_lines;
    o.received = f.received;
    o.produced = f.produced;
    o.consumed = f.consumed;
    o.returned = f.returned;
    o.restocked = f.restocked;
    o.scrapped = f.scrapped;
    o.expired = f.expired;
    o.on_hand = sp.infinite ? 0.0 : sp.on_hand;
    o.backlog = sp.backlog_qty;
    o.on_order = sp.on_order;
    o.position = sp.infinite ? 0.0 : sp.position();
    o.on_hand_avg = sp.infinite ? 0.0 : per_period(sp.on_hand_integral);
    o.backlog_avg = per_period(sp.backlog_integral);
    o.out_of_stock = sp.infinite ? 0.0 : sp.out_of_stock;
    o.stock_value = o.on_hand * sp.unit_value;
    o.stockout = f.stockout;
    o.reviewed = f.reviewed;
    sp.flows = kNoFlows;  // a copy, not a fresh value: no rep stos per stock
    sp.on_hand_integral = sp.backlog_integral = sp.out_of_stock = 0.0;
    sp.integral_from = end;
  }
}

double Network::consigned_holding(StockPoint& sp) {
  const Time now = sim_.now();
  double consigned = 0.0;
  for (StockPoint::Consigned& c : sp.consignments) {
    c.integral += c.qty * (now - c.since);
    c.since = now;
    consigned += c.integral;
    if (sp.holding_cost > 0) nodes_[lanes_[c.lane].from].account.cost(CostKind::kHolding, sp.holding_cost * c.integral, true);
    c.integral = 0.0;
  }
  return std::max(0.0, sp.on_hand_integral - consigned);
}

void Network::record_lanes(std::int64_t k) {
  const Time end = sim_.now();
  // The pipeline's holding cost, before the integrals are reset below.
  for (const LaneId id : held_lanes_) {
    Lane& l = lanes_[id];
    touch(l);
    // The owner pays: the buyer, or the seller on consignment.
    nodes_[l.consignment ? l.from : l.to].account.cost(CostKind::kHolding, l.holding_cost * l.in_transit_integral,
                                                       true);
  }
  period_lanes_.resize(active_lanes_.size());
  for (std::size_t i = 0; i < active_lanes_.size(); ++i) {
    Lane& l = lanes_[active_lanes_[i]];
    touch(l);
    LanePeriod& o = period_lanes_[i];
    o.period = k;
    o.lane = l.id;
    o.shipped = l.shipped;
    o.shipments = l.shipments;
    o.delivered = l.delivered;
    o.in_transit = l.in_transit;
    o.in_transit_avg = per_period(l.in_transit_integral);
    o.transit_time_sum = l.transit_time_sum;
    l.shipped = l.delivered = l.transit_time_sum = l.in_transit_integral = 0.0;
    l.shipments = 0;
    l.integral_from = end;
  }
}

void Network::record_nodes(std::int64_t k) {
  period_nodes_.resize(nodes_.size());
  for (Node& n : nodes_) {
    NodePeriod& o = period_nodes_[n.id];
    o.period = k;
    o.node = n.id;
    o.cash = n.account.cash();
    o.receivables = n.account.receivables();
    o.payables = n.account.payables();
    o.revenue = n.account.period_revenue();
    o.customer_revenue = n.account.period_customer_revenue();
    o.costs = n.account.period_costs();
    o.paid_in = n.account.period_paid_in();
    o.paid_out = n.account.period_paid_out();
    o.outside_purchases = n.account.period_outside_purchases();
    o.outside_payables = n.account.outside_payables();
    o.firm_sales = n.firm_sales;
    o.firm_purchases = n.firm_purchases;
    o.consigned_out_value = o.consigned_in_value = 0.0;
    n.firm_sales = n.firm_purchases = 0.0;
    o.down = n.down;
  }
  if (!consignment_) return;
  // Who owns what is on hand under consignment, valued as at the horizon.
  for (const StockPoint& sp : stocks_) {
    for (const StockPoint::Consigned& c : sp.consignments) {
      const Money value = c.qty * products_[sp.product].salvage_value;
      period_nodes_[lanes_[c.lane].from].consigned_out_value += value;
      period_nodes_[sp.node].consigned_in_value += value;
    }
  }
}

void Network::schedule_arrival(StockId stock, std::size_t stream, Time from) {
  StockPoint& sp = stocks_[stock];
  ArrivalStream& a = sp.arrivals[stream];
  const Time next = from + std::max(0.0, a.interarrival.sample(a.rng));
  if (next >= period_start(horizon_)) return;
  sim_.schedule(next, priority::of(Phase::kOrdersIn), [this, stock, stream] {
    as_event([&] {
      StockPoint& s = stocks_[stock];
      ArrivalStream& arr = s.arrivals[stream];
      const Qty qty = std::max(0.0, arr.size.sample(arr.rng)) * s.demand_multiplier;
      customer_order(stock, qty, arr.priority, s.lose_unmet);
      schedule_arrival(stock, stream, sim_.now());
    });
  });
}

void Network::run() {
  if (ran_) throw ModelError("a network runs once; build a new one for another replication");
  ran_ = true;
  inv_period_ = 1.0 / period_;
  for (ObservationSink* s : sinks_) s->on_start(shape_);
  for (StockPoint& sp : stocks_) {
    sp.integral_from = start_;
    for (std::size_t i = 0; i < sp.arrivals.size(); ++i) {
      // The first arrival comes one inter-arrival time after the stream's start.
      schedule_arrival(sp.id, i, std::max(start_, sp.arrivals[i].start));
    }
  }
  for (Lane& l : lanes_) l.integral_from = start_;
  if (what_if_) what_if_->start(*this);
  sim_.schedule(period_start(0), priority::kClosePeriod, [this] { boundary(0); });
  sim_.run_until(period_start(horizon_));
  if (!finished_) {
    throw ModelError(fmt::format("the run stopped at t={} before the horizon t={}", sim_.now(),
                                 period_start(horizon_)));
  }
  if (sinks_.empty()) return;
  RunEnd end;
  end.time = period_start(horizon_);
  end.stocks.resize(stocks_.size());
  for (const StockPoint& sp : stocks_) {
    StockEnd& e = end.stocks[sp.id];
    e.open_orders = sp.open_orders.size();
    for (std::size_t i = 0; i < sp.open_orders.size(); ++i) {
      e.oldest_open_order = i == 0 ? sp.open_orders[i].placed : std::min(e.oldest_open_order, sp.open_orders[i].placed);
    }
  }
  for (ObservationSink* s : sinks_) s->on_end(end);
}

void Network::customer_order(StockId stock, Qty qty, double priority, bool lose_if_unmet) {
  if (!(qty > 0.0)) return;
  add_customer_line(stocks_[stock], qty, priority, lose_if_unmet ? sim_.now() : kInfinity);
}

BacklogEntry& Network::add_customer_line(StockPoint& sp, Qty qty, double priority, Time leave_at) {
  const StockId stock = sp.id;
  touch(sp);
  BacklogEntry& e = sp.backlog.emplace_back();
  e.qty = qty;
  e.arrived = sim_.now();
  e.placed = e.arrived;
  e.priority = priority;
  e.leave_at = leave_at;
  sp.backlog_qty += qty;
  sp.flows.demand += qty;
  sp.flows.customer_demand += qty;
  sp.signal += qty;
  sp.changed = true;
  if (!pos_subscribers_[stock].empty()) pos_pending_[stock] += qty;
  request(sp.node, Phase::kFulfil);
  return e;
}

const char* log_event_name(LogEvent e) {
  switch (e) {
    case LogEvent::kOrder: return "order";
    case LogEvent::kShipment: return "shipment";
    case LogEvent::kReceipt: return "receipt";
    case LogEvent::kProductionStart: return "production_start";
    case LogEvent::kProductionDone: return "production_done";
    case LogEvent::kSale: return "sale";
    case LogEvent::kLostSale: return "lost_sale";
    case LogEvent::kInvoice: return "invoice";
    case LogEvent::kPayment: return "payment";
    case LogEvent::kWhatIfStart: return "what_if_start";
    case LogEvent::kWhatIfEnd: return "what_if_end";
    case LogEvent::kExpiry: return "expiry";
  }
  return "";
}

void Network::set_event_log(EventLog* log) {
  log_ = log;
  if (log_ != nullptr) log_->on_start(shape_);
}

void Network::log_what_if(const std::string& id, bool start) {
  if (log_ == nullptr) return;
  LoggedEvent e;
  e.time = sim_.now();
  e.phase = "what-if";
  e.event = start ? LogEvent::kWhatIfStart : LogEvent::kWhatIfEnd;
  e.what_if = &id;
  log_->on_event(e);
}

bool Network::random() const noexcept {
  auto spread = [](const Distribution& d) { return d.variance() != 0.0; };
  for (const StockPoint& sp : stocks_) {
    if (!sp.arrivals.empty() || sp.returns) return true;
    if (sp.production && spread(sp.production->lead_time)) return true;
    for (const auto& d : sp.period_demand) {
      if (d->random()) return true;
    }
  }
  for (const Lane& l : lanes_) {
    if (std::any_of(l.transport.begin(), l.transport.end(), spread)) return true;
    if (l.dispatch_rng.empty()) continue;
    const Node& n = nodes_[l.from];
    if ((n.reliability < 1.0 && n.shortfall != 1.0) || (n.yield && spread(*n.yield)) || spread(n.lead_time)) {
      return true;
    }
  }
  if (!segments_.empty()) return true;
  if (what_if_ != nullptr) {
    for (const WhatIfEvent& e : what_if_->events()) {
      if (e.trigger == WhatIfEvent::Trigger::kUpDown) return true;
      if (e.trigger == WhatIfEvent::Trigger::kProbability && e.probability > 0 && e.probability < 1) return true;
    }
  }
  return false;
}

void Network::audit() const {
  audit_stocks();
  audit_messages();
  audit_units();
  audit_money();
  audit_customers();
}

// No stock or backlog below zero, and every component's production need is
// what its lines wait for.
void Network::audit_stocks() const {
  for (const StockPoint& sp : stocks_) {
    if (sp.on_hand < -1e-9) {
      throw ModelError(fmt::format("t={}: {}: negative stock on hand ({})", sim_.now(), sp.name, sp.on_hand));
    }
    if (!sp.consignments.empty()) {
      Qty owned = 0.0;
      for (const StockPoint::Consigned& c : sp.consignments) owned += c.qty;
      if (sp.consigned < -1e-9 || sp.consigned > sp.on_hand + 1e-6 * std::max(1.0, sp.on_hand) ||
          std::abs(owned - sp.consigned) > 1e-6 * std::max(1.0, owned)) {
        throw ModelError(fmt::format("t={}: {}: {} on hand and {} of it on consignment (between 0 and what is on "
                                     "hand), which its sellers' shares should add up to, but they add up to {}",
                                     sim_.now(), sp.name, sp.on_hand, sp.consigned, owned));
      }
    }
    if (sp.backlog_qty < -1e-9) {
      throw ModelError(fmt::format("t={}: {}: negative backlog ({})", sim_.now(), sp.name, sp.backlog_qty));
    }
  }
  std::vector<Qty> need(stocks_.size(), 0.0);
  for (const StockPoint& sp : stocks_) {
    if (!sp.production) continue;
    for (const auto& [c, per] : sp.production->inputs) need[c] += sp.production->wanted * per;
  }
  for (const StockPoint& sp : stocks_) {
    if (std::abs(sp.production_need - need[sp.id]) > 1e-6 * std::max(1.0, need[sp.id])) {
      throw ModelError(fmt::format("t={}: {}: production need {} but its lines wait for {}", sim_.now(),
                                   sp.name, sp.production_need, need[sp.id]));
    }
  }
}

// The running totals against the messages actually travelling: a lost or
// duplicated message would still balance the totals alone.
void Network::audit_messages() const {
  Qty transit = 0.0, producing = 0.0, recovering = 0.0;
  Money invoices = 0.0, payments = 0.0, credits = 0.0;
  for (const Node& n : nodes_) {
    for (std::size_t i = 0; i < n.inbox_receive.size(); ++i) {
      const Message& msg = n.inbox_receive[i];
      if (msg.kind == MessageKind::kShipment) transit += msg.qty;
      if (msg.kind == MessageKind::kProductionDone) producing += msg.qty;
      if (msg.kind == MessageKind::kRecovered) recovering += msg.qty;
    }
    for (std::size_t i = 0; i < n.inbox_finance.size(); ++i) {
      const Message& msg = n.inbox_finance[i];
      if (msg.kind == MessageKind::kInvoice) invoices += msg.qty;
      if (msg.kind == MessageKind::kPayment) payments += msg.qty;
      if (msg.kind == MessageKind::kCredit) credits += msg.qty;
    }
  }
  auto check_total = [&](const char* what, double counted, double total) {
    if (std::abs(counted - total) > 1e-6 * std::max({1.0, std::abs(counted), std::abs(total)})) {
      throw ModelError(fmt::format("t={}: {} travelling {}, but the running total says {}", sim_.now(), what,
                                   counted, total));
    }
  };
  check_total("units in transit:", transit, units_.in_transit);
  check_total("units in production:", producing, units_.in_production);
  check_total("units in recovery:", recovering, units_.in_recovery);
  check_total("invoices", invoices, money_.invoices_in_transit);
  check_total("payments", payments, money_.payments_in_transit);
  check_total("credit notes", credits, credits_in_transit_);
}

// Units: what is in the network is what came in less what left.
void Network::audit_units() const {
  Qty on_hand = 0.0;
  for (const StockPoint& sp : stocks_) {
    if (!sp.infinite) on_hand += sp.on_hand;
  }
  const UnitTotals& u = units_;
  const Qty in_system = on_hand + u.in_transit + u.in_production + u.in_recovery;
  const Qty flows =
      u.initial + u.supplied + u.started - u.consumed - u.sold + u.restocked - u.expired + u.graded - u.disposed;
  const double unit_scale = std::max({1.0, std::abs(in_system), u.supplied + u.started + u.initial});
  if (std::abs(in_system - flows) > 1e-6 * unit_scale && (u.graded > 0.0 || u.in_recovery > 0.0)) {
    throw ModelError(fmt::format(
        "unit conservation broken at t={}: on hand {} + in transit {} + in production {} + in recovery {} = {}, "
        "but initial {} + supplied {} + started {} - consumed {} - sold {} + restocked {} - expired {} + graded "
        "at returns centres {} - recycled or scrapped there {} = {}",
        sim_.now(), on_hand, u.in_transit, u.in_production, u.in_recovery, in_system, u.initial, u.supplied,
        u.started, u.consumed, u.sold, u.restocked, u.expired, u.graded, u.disposed, flows));
  }
  if (std::abs(in_system - flows) > 1e-6 * unit_scale) {
    throw ModelError(fmt::format(
        "unit conservation broken at t={}: on hand {} + in transit {} + in production {} = {}, "
        "but initial {} + supplied {} + started {} - consumed {} - sold {} + restocked {} - expired {} = {}",
        sim_.now(), on_hand, u.in_transit, u.in_production, in_system, u.initial, u.supplied,
        u.started, u.consumed, u.sold, u.restocked, u.expired, flows));
  }
  for (const StockId s : perishable_stocks_) {
    const StockPoint& sp = stocks_[s];
    const Qty batched = sp.perishable->batches.total();
    if (std::abs(batched - sp.on_hand) > 1e-6 * std::max(1.0, sp.on_hand)) {
      throw ModelError(fmt::format("unit conservation broken at t={}: {} has {} on hand, but its batches by "
                                   "expiry hold {}", sim_.now(), sp.name, sp.on_hand, batched));
    }
  }
}

namespace {

// Every cost an account has paid in cash so far.
Money cash_costs(const Account& a) {
  const auto& c = a.total_costs();
  Money paid = 0.0;
  for (CostKind k : {CostKind::kHolding, CostKind::kOrdering, CostKind::kTransport, CostKind::kProduction,
                     CostKind::kMaterial, CostKind::kReturns, CostKind::kCustomers, CostKind::kWaste}) {
    paid += c[static_cast<int>(k)];
  }
  return paid;
}

}  // namespace

// Money: the network's cash is its initial cash, plus customers' payments,
// less the costs paid in cash and the payments travelling; receivables are
// payables plus what travels.
void Network::audit_money() const {
  Money cash = 0.0, receivables = 0.0, payables = 0.0, cash_costs_paid = 0.0;
  for (const Node& n : nodes_) {
    cash += n.account.cash();
    receivables += n.account.receivables();
    payables += n.account.payables();
    cash_costs_paid += cash_costs(n.account);
  }
  const MoneyTotals& m = money_;
  const Money expected_cash = m.initial_cash + m.customer_cash - cash_costs_paid - m.payments_in_transit;
  // Payments between nodes cancel in the network's cash, but each rounded:
  // the tolerance scales with all the money that moved, not the balance.
  const double money_scale =
      std::max({1.0, std::abs(cash), m.customer_cash, cash_costs_paid, receivables, m.invoiced});
  if (std::abs(cash - expected_cash) > 1e-6 * money_scale) {
    throw ModelError(fmt::format(
        "money conservation broken at t={}: cash {} but initial {} + customer sales {} - cash costs {} "
        "- payments in transit {} = {}",
        sim_.now(), cash, m.initial_cash, m.customer_cash, cash_costs_paid, m.payments_in_transit, expected_cash));
  }
  const Money expected_receivables = payables + m.invoices_in_transit + m.payments_in_transit_settle;
  if (std::abs(receivables - expected_receivables) > 1e-6 * money_scale) {
    throw ModelError(fmt::format(
        "invoices do not balance at t={}: receivables {} but payables {} + invoices in transit {} + "
        "payments in transit {} = {}",
        sim_.now(), receivables, payables, m.invoices_in_transit, m.payments_in_transit_settle,
        expected_receivables));
  }
  audit_firms_money(money_scale);
}

// Firm by firm (docs/finance.md, firms): each firm's cash and receivables
// against the money that crossed into and out of its nodes.
void Network::audit_firms_money(double scale) const {
  if (firm_money_.empty()) return;
  std::vector<FirmBooks> books(firm_money_.size());
  for (const Node& n : nodes_) {
    FirmBooks& b = books[firm_bucket(n)];
    b.cash += n.account.cash();
    b.cash_costs += cash_costs(n.account) - n.account.credits();
    b.receivables += n.account.receivables();
    n.account.for_each_payable([&](const Payable& p) { books[firm_bucket(nodes_[lanes_[p.lane].from])].owed += p.settles; });
  }
  for (std::size_t f = 0; f < books.size(); ++f) {
    const std::string name = f < firms_.size() ? firms_[f] : std::string("outside the firms");
    const std::string problem = audit_firm_money(name, books[f], firm_money_[f], scale);
    if (!problem.empty()) throw ModelError(fmt::format("t={}: {}", sim_.now(), problem));
  }
}

std::string audit_firm_money(const std::string& firm, const FirmBooks& b, const FirmMoney& m, double scale) {
  const Money cash = m.initial_cash + m.customer_cash - b.cash_costs + m.payments_in - m.payments_out +
                     m.credits_received - m.credits_sent;
  if (std::abs(b.cash - cash) > 1e-6 * scale) {
    return fmt::format(
        "money conservation broken for firm {}: cash {} but initial {} + customer sales {} - cash costs {} "
        "+ payments received {} - payments sent {} + credit notes received {} - sent {} = {}",
        firm, b.cash, m.initial_cash, m.customer_cash, b.cash_costs, m.payments_in, m.payments_out,
        m.credits_received, m.credits_sent, cash);
  }
  const Money receivables = b.owed + m.invoices_in_transit + m.settles_in_transit;
  if (std::abs(b.receivables - receivables) > 1e-6 * scale) {
    return fmt::format(
        "invoices of firm {} do not balance: receivables {} but buyers' payables to it {} + its invoices in "
        "transit {} + payments in transit to it {} = {}",
        firm, b.receivables, b.owed, m.invoices_in_transit, m.settles_in_transit, receivables);
  }
  return {};
}

}  // namespace chainsim::models

// The phase handlers: what a node does in receive, orders-in, fulfil and
// review (the state machine of models/chain/node.h).
#include <algorithm>
#include <cmath>
#include <fmt/core.h>

#include "models/chain/network.h"

namespace chainsim::models {

namespace {

// Quantities below this are zero (fractional splits leave round-off dust).
constexpr Qty kEps = 1e-9;

bool whole(Qty q) { return q == std::floor(q); }

}  // namespace

// --- the phase loop ----------------------------------------------------------

// Flattened: every handler and helper of the phase is inlined into its loop
// (about 45 calls a period in a serial chain become straight-line code;
// measured 4-5% less time per period, BM_SerialChain, for 80 KB more code).
template <Phase P>
[[gnu::flatten]] void Network::run_phase_for() {
  constexpr std::uint8_t bit = static_cast<std::uint8_t>(1u << static_cast<int>(P));
  constexpr std::uint8_t earlier = static_cast<std::uint8_t>(bit - 1u);
  // Product moves downstream and information upstream: receive and fulfil
  // run upstream nodes first, orders-in and review downstream nodes first, so
  // that within one pass a zero-delay shipment reaches its buyer and a
  // zero-delay order its seller before they act, whatever the order the
  // scenario lists its nodes in (it only breaks ties).
  constexpr bool upstream_first = P == Phase::kReceive || P == Phase::kFulfil;
  const std::vector<NodeId>* order = upstream_first ? &up_order_ : &down_order_;
  if (dirty_list_.size() < nodes_.size()) {
    // Insertion sort by rank: the list is short (the nodes that received a
    // zero-delay message) and ranks are distinct, so the order is unique.
    const std::vector<int>& rank = upstream_first ? up_rank_ : down_rank_;
    pass_order_.clear();
    for (const NodeId id : dirty_list_) {
      std::size_t i = pass_order_.size();
      pass_order_.push_back(id);
      for (; i > 0 && rank[pass_order_[i - 1]] > rank[id]; --i) pass_order_[i] = pass_order_[i - 1];
      pass_order_[i] = id;
    }
    order = &pass_order_;
  }
  for (const NodeId id : *order) {
    Node& n = nodes_[id];
    // A node that owes an earlier phase (a zero-delay arrival during this
    // pass) waits for the loop-back, so its phases keep their order. Nodes
    // marked during the pass and missing from `order` are caught there too.
    if ((n.dirty & bit) == 0) continue;
    if ((n.dirty & earlier) != 0) {
      // A periodic review runs once per period, so it must come after every
      // zero-delay order placed downstream at this instant: the nodes after
      // this one (upstream of it, or level with it) review in the next pass,
      // after it has taken its orders in and placed its own.
      if constexpr (P == Phase::kReview) break;
      continue;
    }
    n.dirty = static_cast<std::uint8_t>(n.dirty & ~bit);
    if constexpr (P == Phase::kReceive) receive(n);
    if constexpr (P == Phase::kOrdersIn) orders_in(n);
    if constexpr (P == Phase::kFulfil) fulfil(n);
    if constexpr (P == Phase::kReview) review(n);
  }
  if constexpr (P == Phase::kOrdersIn) first_pass_ = false;
}

void Network::run_phase(Phase phase) {
  if (log_ != nullptr) log_phase_ = phase_name(phase);
  switch (phase) {
    case Phase::kReceive: run_phase_for<Phase::kReceive>(); break;
    case Phase::kOrdersIn: run_phase_for<Phase::kOrdersIn>(); break;
    case Phase::kFulfil: run_phase_for<Phase::kFulfil>(); break;
    case Phase::kReview: run_phase_for<Phase::kReview>(); break;
  }
}

// --- receive -------------------------------------------------------------

void Network::pay_due(Node& n) {
  const Time now = sim_.now();
  Payable p;
  while (n.account.pay_next(now, p)) {
    const Lane& l = lanes_[p.lane];
    log(LogEvent::kPayment, n.id, l.from, kNone, 0.0, 0, p.amount, p.invoice);
    money_.payments_in_transit += p.amount;
    money_.payments_in_transit_settle += p.settles;
    if (FirmMoney* f = firm_money(n)) {
      f->payments_out += p.amount;
      firm_money(nodes_[l.from])->settles_in_transit += p.settles;
    }
    // A discount taken on another firm's invoice lowers what this firm bought from outside it.
    if (between_firms(p.lane)) n.firm_purchases -= p.settles - p.amount;
    if (l.payment_delay == 0.0) {
      book_payment(nodes_[l.from], p.amount, p.settles, p.lane);
      continue;
    }
    Message m;
    m.arrival = now + l.payment_delay;
    m.kind = MessageKind::kPayment;
    m.lane = p.lane;
    m.qty = p.amount;
    m.extra = p.settles;
    m.ref = p.invoice;
    m.sent = now;
    deliver(l.from, &Node::inbox_finance, Phase::kReceive, m);
  }
}

void Network::book_invoice(Node& n, Money amount, LaneId lane, std::uint64_t invoice, Time sent) {
  money_.invoices_in_transit -= amount;
  if (FirmMoney* f = firm_money(nodes_[lanes_[lane].from])) f->invoices_in_transit -= amount;
  Payable& p = n.account.new_payable();
  p.settles = amount;
  p.lane = lane;
  p.invoice = invoice;
  p.outside = nodes_[lanes_[lane].from].outside;
  // The discount is taken when the invoice arrives in time to pay within
  // the discount window.
  if (n.terms.offers_discount() && sim_.now() <= sent + n.terms.discount_within) {
    p.pay_at = sent + n.terms.discount_within;
    p.amount = amount * (1.0 - n.terms.discount);
  } else {
    p.pay_at = sent + n.terms.net;
    p.amount = amount;
  }
  const Time pay_at = p.pay_at;  // read before invoice_received re-sorts the queue `p` lives in
  n.account.invoice_received(amount, nodes_[lanes_[lane].from].outside);
  if (between_firms(lane)) n.firm_purchases += amount;
  // Due on arrival (net 0: payment with the goods): paid at once, not at the
  // next period boundary.
  if (pay_at <= sim_.now()) pay_due(n);
}

void Network::book_payment(Node& n, Money amount, Money settles, LaneId lane) {
  money_.payments_in_transit -= amount;
  money_.payments_in_transit_settle -= settles;
  if (FirmMoney* f = firm_money(n)) {
    f->payments_in += amount;
    f->settles_in_transit -= settles;
  }
  n.account.payment_received(amount, settles);
  if (between_firms(lane)) n.firm_sales -= settles - amount;  // a discount given
}

void Network::apply_finance(Node& n, const Message& m) {
  if (m.kind == MessageKind::kInvoice) {
    book_invoice(n, m.qty, m.lane, m.ref, m.sent);
  } else if (m.kind == MessageKind::kCredit) {
    receive_credit(n, m);
  } else {
    book_payment(n, m.qty, m.extra, m.lane);
  }
}

void Network::receive_return(Node& n, StockPoint& sp, const Message& m) {
  const ReturnsSpec& r = *sp.returns;
  const double u = sp.returns_rng.uniform01();
  if (sp.return_centre != kNone) {
    // At the returns centre (n): the selling node refunds them, the centre
    // grades them. The restocking uniform above is drawn all the same, so
    // a variant with a centre keeps the returns' draws in step.
    const Money refund = m.qty * m.extra * r.refund;
    nodes_[sp.node].account.cost(CostKind::kReturns, refund, true);
    if (m.ref != 0) segments_[m.ref - 1].flows.revenue -= refund;
    sp.flows.returned += m.qty;
    grade(recoveries_[sp.return_centre], sp.grading_rng, m.qty);
    return;
  }
  const Qty restock =
      whole(m.qty) ? sim::binomial_quantile(u, m.qty, r.restock_fraction) : m.qty * r.restock_fraction;
  const Qty scrap = m.qty - restock;
  Account& a = n.account;
  const Money refund = m.qty * m.extra * r.refund;
  a.cost(CostKind::kReturns, refund + scrap * r.scrap_cost, true);
  if (m.ref != 0) {
    SegmentFlows& f = segments_[m.ref - 1].flows;
    f.revenue -= refund;
    f.cogs -= restock * sp.unit_value;
  }
  sp.on_hand += restock;
  sp.flows.returned += m.qty;
  sp.flows.restocked += restock;
  sp.flows.scrapped += scrap;
  units_.restocked += restock;
  if (restock > 0) sp.changed = true;
}

void Network::receive(Node& n) {
  const Time now = sim_.now();
  // Book arriving invoices first, so one already due is paid now.
  while (n.inbox_finance.ready(now)) {
    const Message m = n.inbox_finance.front();
    n.inbox_finance.pop();
    apply_finance(n, m);
  }
  if (boundary_) pay_due(n);
  if (n.down && n.hold_in_transit) return;  // held at the gate until the node is up
  while (n.inbox_receive.ready(now)) {
    // Read in place and popped after: nothing handled here sends to this
    // inbox, except grading returns (handled from a copy, below).
    const Message& m = n.inbox_receive.front();
    StockPoint& sp = stocks_[m.stock];
    touch(sp);
    switch (m.kind) {
      case MessageKind::kShipment: {
        Lane& l = lanes_[m.lane];
        touch(l);
        if (l.consignment) receive_consigned(sp, l.id, m.qty);
        l.in_transit -= m.qty;
        l.delivered += m.qty;
        l.transit_time_sum += m.qty * (now - m.sent);
        units_.in_transit -= m.qty;
        log(LogEvent::kReceipt, l.from, n.id, sp.product, m.qty, m.ref);
        sp.on_hand += m.qty;
        if (sp.perishable) put_away_batches(sp, m);
        sp.on_order -= m.closes;
        sp.flows.received += m.qty;
        if (m.closes != m.qty) sp.changed = true;  // a shortfall lowers the position
        if (m.ref != 0) {
          for (std::size_t i = 0; i < sp.open_orders.size(); ++i) {
            OpenOrder& o = sp.open_orders[i];
            if (o.id != m.ref) continue;
            o.remaining -= m.closes;
            if (o.remaining <= kEps) {
              const Delivery d{sp.id, o.placed, now, o.ordered, false};
              for (ObservationSink* s : sinks_) s->on_delivery(d);
              sp.open_orders.erase(i);
            }
            break;
          }
        }
        break;
      }
      case MessageKind::kProductionDone:
        log(LogEvent::kProductionDone, n.id, n.id, sp.product, m.qty);
        units_.in_production -= m.qty;
        sp.on_hand += m.qty;
        if (sp.perishable) put_away_batches(sp, m);
        sp.on_order -= m.qty;
        sp.flows.received += m.qty;
        sp.flows.produced += m.qty;
        break;
      case MessageKind::kCustomerReturn:
        if (sp.return_centre != kNone) {
          // Grading may send recovered units to this very inbox: handled
          // from a copy, popped first.
          const Message copy = m;
          n.inbox_receive.pop();
          receive_return(n, sp, copy);
          continue;
        }
        receive_return(n, sp, m);
        break;
      case MessageKind::kRecovered: receive_recovered(sp, m); break;
      default:
        throw ModelError(fmt::format("t={}: {}: unexpected message in the product inbox", now, n.name));
    }
    n.inbox_receive.pop();
  }
}

// --- orders in -----------------------------------------------------------

void Network::add_order_line(StockPoint& seller, const Message& m) {
  touch(seller);
  BacklogEntry& e = seller.backlog.emplace_back();
  e.qty = m.qty;
  e.arrived = sim_.now();
  e.ref = m.ref;
  e.lane = m.lane;
  e.buyer = m.origin;
  e.priority = m.extra;
  e.placed = m.placed;
  seller.backlog_qty += m.qty;
  seller.flows.demand += m.qty;
  if (!seller.use_shared_demand) seller.signal += m.qty;
  seller.changed = true;
}

void Network::orders_in(Node& n) {
  const Time now = sim_.now();
  while (n.inbox_orders.ready(now)) {
    // Read in place and popped after: nothing handled here sends to this inbox.
    const Message& m = n.inbox_orders.front();
    StockPoint& sp = stocks_[m.stock];
    switch (m.kind) {
      case MessageKind::kOrder:
        lanes_[m.lane].orders_in_transit[sp.product] -= m.qty;
        add_order_line(sp, m);
        break;
      case MessageKind::kProductionOrder:
        sp.production->queued += m.qty;
        break;
      case MessageKind::kPointOfSale:
        sp.signal += m.qty;
        break;
      case MessageKind::kVmiStatus: {
        sp.vmi_reported_position = m.qty;
        sp.vmi_signal += m.extra;
        sp.vmi_pending = true;
        // The report counts the VMI orders created before it was sent (ref
        // holds how many); the later ones are still to be added.
        while (!sp.vmi_orders.empty() && sp.vmi_orders.front().serial <= m.ref) sp.vmi_orders.pop_front();
        break;
      }
      default:
        throw ModelError(fmt::format("t={}: {}: unexpected message in the order inbox", now, n.name));
    }
    n.inbox_orders.pop();
  }
  if (!(boundary_ && first_pass_)) return;
  // Once per period: end-customer demand, then point-of-sale data upstream.
  for (const StockId id : n.stocks) {
    StockPoint& sp = stocks_[id];
    for (std::size_t i = 0; i < sp.period_demand.size(); ++i) {
      const Qty d = sp.period_demand[i]->draw(period_index_, sp.demand_rng[i], sp.demand_multiplier);
      customer_order(id, d, sp.demand_priority[i], sp.lose_unmet);
    }
    if (!sp.segment_channels.empty()) place_segment_orders(sp);
    if (pos_pending_[id] > 0.0) {
      for (const StockId sub : pos_subscribers_[id]) {
        Message m;
        m.arrival = now + sharing_delay_;
        m.kind = MessageKind::kPointOfSale;
        m.stock = sub;
        m.origin = id;
        m.qty = pos_pending_[id];
        m.sent = now;
        deliver(stocks_[sub].node, &Node::inbox_orders, Phase::kOrdersIn, m);
      }
      pos_pending_[id] = 0.0;
    }
  }
}

// --- fulfil --------------------------------------------------------------

void Network::send_shipment(StockPoint& seller, const BacklogEntry& line, Qty qty, Qty closes,
                            Time extra_delay) {
  const Time now = sim_.now();
  Lane& l = lanes_[line.lane];
  touch(l);
  Node& from = nodes_[seller.node];
  // A shipment above the lane's per-shipment capacity goes as several.
  const double cap = l.capacity_per_shipment;
  const std::int64_t pieces =
      std::isfinite(cap) && qty > cap ? static_cast<std::int64_t>(std::ceil(qty / cap - 1e-12)) : 1;
  Qty left = qty, left_closes = closes;
  for (std::int64_t i = 0; i < pieces; ++i) {
    const bool last = i + 1 == pieces;
    const Qty piece = last ? left : cap;
    const Qty piece_closes = last ? left_closes : cap;
    left -= piece;
    left_closes -= piece_closes;
    Time transit = l.transport[seller.product].sample(l.rng) * l.lead_time_factor + extra_delay;
    Time arrival = now + std::max(0.0, transit);
    if (l.prevent_overtaking) arrival = std::max(arrival, l.last_arrival);
    l.last_arrival = std::max(l.last_arrival, arrival);
    Message& m = compose(l.to, &Node::inbox_receive);
    m.arrival = arrival;
    m.kind = MessageKind::kShipment;
    m.stock = line.buyer;
    m.origin = seller.id;
    m.lane = l.id;
    m.qty = piece;
    m.closes = piece_closes;
    m.ref = line.ref;
    m.sent = now;
    m.placed = line.placed;
    if (seller.perishable) m.batches = take_transit_batches(seller, piece);
    l.in_transit += piece;
    l.shipped += piece;
    ++l.shipments;
    units_.in_transit += piece;
    log(LogEvent::kShipment, seller.node, l.to, seller.product, piece, line.ref);
    const Money transport = l.cost_per_shipment + l.cost_per_unit * piece;
    if (transport != 0.0) from.account.cost(CostKind::kTransport, transport, true);
    post(l.to, &Node::inbox_receive, Phase::kReceive, arrival);
    // An invoice for every shipment, at the lane's price; on consignment,
    // when the buyer uses the units instead (use_consigned).
    if (!l.consignment) invoice_units(l, seller.product, line.buyer, piece, line.ref);
  }
}

void Network::invoice_units(Lane& l, ProductId product, StockId buyer, Qty qty, std::uint64_t ref) {
  const Money amount = qty * l.price[product];
  if (!(amount > 0.0) || !l.invoiced) return;
  const Time now = sim_.now();
  Node& from = nodes_[l.from];
  from.account.sale_on_credit(amount);
  if (between_firms(l.id)) from.firm_sales += amount;
  const std::uint64_t invoice = ++next_invoice_id_;
  log(LogEvent::kInvoice, l.from, l.to, product, qty, ref, amount, invoice);
  money_.invoices_in_transit += amount;
  money_.invoiced += amount;
  if (FirmMoney* f = firm_money(from)) f->invoices_in_transit += amount;
  if (l.invoice_delay == 0.0) {
    book_invoice(nodes_[l.to], amount, l.id, invoice, now);
    return;
  }
  Message inv;
  inv.arrival = now + l.invoice_delay;
  inv.kind = MessageKind::kInvoice;
  inv.stock = buyer;
  inv.lane = l.id;
  inv.qty = amount;
  inv.ref = invoice;
  inv.sent = now;
  deliver(l.to, &Node::inbox_finance, Phase::kReceive, inv);
}

void Network::receive_consigned(StockPoint& sp, LaneId lane, Qty qty) {
  const Time now = sim_.now();
  auto it = std::find_if(sp.consignments.begin(), sp.consignments.end(),
                         [&](const StockPoint::Consigned& c) { return c.lane == lane; });
  if (it == sp.consignments.end()) {
    it = sp.consignments.insert(it, StockPoint::Consigned{lane, 0.0, 0.0, now});
  }
  it->integral += it->qty * (now - it->since);
  it->since = now;
  it->qty += qty;
  sp.consigned += qty;
}

void Network::use_consigned(StockPoint& sp, Qty used) {
  // The stock's own units go first; then each seller's, invoiced as used.
  Qty take = used - std::max(0.0, sp.on_hand - sp.consigned);
  if (!(take > kEps)) return;
  const Time now = sim_.now();
  for (StockPoint::Consigned& c : sp.consignments) {
    const Qty t = std::min(take, c.qty);
    if (!(t > 0.0)) continue;
    c.integral += c.qty * (now - c.since);
    c.since = now;
    c.qty -= t;
    sp.consigned -= t;
    take -= t;
    invoice_units(lanes_[c.lane], sp.product, sp.id, t, 0);
    if (!(take > kEps)) break;
  }
}

void Network::sell_to_customer(StockPoint& sp, const BacklogEntry& line, Qty qty) {
  const Time now = sim_.now();
  Node& n = nodes_[sp.node];
  const Money revenue = line.segment == kNone                   ? qty * sp.price
                        : segments_[line.segment].people == nullptr ? qty * sp.price * segments_[line.segment].spec.price_factor
                                                                    : individual_revenue(sp, line, qty, line.qty - qty <= kEps);
  if (revenue > 0.0) {
    n.account.sale_in_cash(revenue);
    money_.customer_cash += revenue;
    if (FirmMoney* f = firm_money(n)) f->customer_cash += revenue;
  }
  units_.sold += qty;
  log(LogEvent::kSale, sp.node, kNone, sp.product, qty, 0, revenue);
  const Delivery d{sp.id, line.arrived, now, qty, true};
  for (ObservationSink* s : sinks_) s->on_delivery(d);
  if (line.segment != kNone) segment_sale(sp, line, qty, revenue);
  if (sp.returns && sp.returns->fraction > 0.0) {
    // Two uniforms per sale, whatever the outcome, to keep streams in step.
    const double u_count = sp.returns_rng.uniform01();
    const double u_delay = sp.returns_rng.uniform01();
    // A segment returns at its own rate (SegmentSpec::return_factor).
    const double fraction =
        line.segment == kNone
            ? sp.returns->fraction
            : std::min(1.0, sp.returns->fraction * segments_[line.segment].spec.return_factor);
    const Qty back = whole(qty) ? sim::binomial_quantile(u_count, qty, fraction) : qty * fraction;
    if (back > 0.0) {
      Message m;
      m.arrival = now + std::max(0.0, sp.returns->delay.quantile(u_delay));
      m.kind = MessageKind::kCustomerReturn;
      m.stock = sp.id;
      m.qty = back;
      m.sent = now;
      // The unit price paid, and the segment (+1) that bought: the refund is
      // of what was paid, and the segment's books carry it.
      m.extra = line.segment == kNone ? sp.price : revenue / qty;
      m.ref = line.segment == kNone ? 0 : std::uint64_t{line.segment} + 1;
      // Returns for a returns centre go straight to it (its outages hold them).
      const NodeId to = sp.return_centre == kNone ? sp.node : recoveries_[sp.return_centre].node;
      deliver(to, &Node::inbox_receive, Phase::kReceive, m);
    }
  }
}

void Network::ship_from_stock(Node& n, StockPoint& sp) {
  if (sp.perishable) expire_due(sp);
  if (sp.on_hand <= kEps) return;
  const Time now = sim_.now();
  auto& lines = scratch_lines_;
  const std::size_t count = sp.backlog.size();
  lines.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    const BacklogEntry& e = sp.backlog[i];
    Qty wanted = e.qty;
    if (e.lane != kNone) {
      const Lane& l = lanes_[e.lane];
      wanted = l.closed ? 0.0 : std::min(wanted, l.capacity_left());
    } else if (e.leave_at < now) {
      wanted = 0.0;  // its customers have left (they go below, unserved)
    }
    lines[i].wanted = std::max(0.0, wanted);
    lines[i].priority = e.priority;
  }
  n.allocation->allocate(sp.on_hand, lines, scratch_out_);
  for (std::size_t i = 0; i < count; ++i) {
    Qty q = scratch_out_[i];
    if (q <= kEps) continue;
    BacklogEntry& e = sp.backlog[i];
    if (e.lane != kNone) {
      Lane& l = lanes_[e.lane];
      q = std::min(q, l.capacity_left());
      if (q <= kEps) continue;
      send_shipment(sp, e, q, q, 0.0);
      use_capacity(l.capacity_used, l.id, capacity_lanes_, q);
    } else {
      if (sp.perishable) sp.perishable->batches.take(q, nullptr);
      sell_to_customer(sp, e, q);
    }
    e.qty -= q;
    if (sp.consigned > 0.0) use_consigned(sp, q);
    sp.on_hand -= q;
    sp.backlog_qty -= q;
    sp.flows.shipped += q;
    if (e.arrived == now) sp.flows.met_immediately += q;
  }
}

void Network::dispatch_from_source(Node& n, StockPoint& sp) {
  const Time now = sim_.now();
  for (std::size_t i = 0; i < sp.backlog.size(); ++i) {
    BacklogEntry& e = sp.backlog[i];
    if (e.qty <= kEps || e.lane == kNone) continue;
    Lane& l = lanes_[e.lane];
    if (l.closed) continue;
    const Qty q = std::min({e.qty, n.capacity_left(), l.capacity_left()});
    if (q <= kEps) continue;
    // Three uniforms per order line from the lane's stream for the product,
    // whatever the parameters, so that variants differing in reliability or
    // yield, or in another customer's orders, stay in step.
    sim::RandomStream& rng = l.dispatch_rng[sp.product];
    const double u_complete = rng.uniform01();
    const double u_yield = rng.uniform01();
    const double u_lead = rng.uniform01();
    Qty good = q;
    if (u_complete >= n.reliability) good = q * n.shortfall;
    if (n.yield) good *= std::clamp(n.yield->quantile(u_yield), 0.0, 1.0);
    if (whole(q)) good = std::floor(good + 1e-9);
    const Time lead = std::max(0.0, n.lead_time.quantile(u_lead));
    send_shipment(sp, e, good, q, lead);
    if (n.material_cost != 0.0) n.account.cost(CostKind::kMaterial, n.material_cost * good, true);
    units_.supplied += good;
    e.qty -= q;
    sp.backlog_qty -= q;
    sp.flows.shipped += good;
    if (e.arrived == now) sp.flows.met_immediately += q;
    use_capacity(n.capacity_used, n.id, capacity_nodes_, q);
    use_capacity(l.capacity_used, l.id, capacity_lanes_, q);
  }
}

void Network::start_production(Node& n, StockPoint& sp) {
  ProductionLine& pl = *sp.production;
  if (pl.queued <= kEps) return;
  const Time now = sim_.now();
  // What the line would start with components to spare, then what the
  // components allow. Units the line newly wants are demand on every
  // component (counted once); met at once when started now.
  Qty cap = std::min(pl.queued, pl.capacity_left());
  const bool whole_units = whole(pl.queued);
  auto round = [&](Qty q) {
    if (whole_units) q = std::floor(q + 1e-9);
    if (pl.batch > 0.0) q = std::floor(q / pl.batch + 1e-9) * pl.batch;
    return q;
  };
  cap = round(cap);
  const Qty fresh = std::max(0.0, cap - pl.wanted);
  pl.wanted += fresh;
  Qty can = cap;
  for (const auto& [c, per] : pl.inputs) {
    if (stocks_[c].perishable) expire_due(stocks_[c]);
    can = std::min(can, stocks_[c].on_hand / per);
  }
  can = round(can);
  for (const auto& [c, per] : pl.inputs) {
    StockPoint& cs = stocks_[c];
    if (fresh <= 0.0) continue;
    cs.flows.demand += fresh * per;
    cs.production_need += fresh * per;
    if (!cs.use_shared_demand) cs.signal += fresh * per;
    cs.changed = true;
    // Met from this component's own stock, whatever the others allow (the
    // older wanted units are served first).
    const Qty supports = cs.on_hand / per;
    cs.flows.met_immediately += std::clamp(supports - (cap - fresh), 0.0, fresh) * per;
    if (supports + kEps < cap) cs.flows.stockout = true;
  }
  if (can <= kEps) return;
  pl.wanted = std::max(0.0, pl.wanted - can);
  for (const auto& [c, per] : pl.inputs) {
    StockPoint& cs = stocks_[c];
    touch(cs);
    const Qty used = can * per;
    if (cs.consigned > 0.0) use_consigned(cs, used);
    cs.on_hand -= used;
    if (cs.perishable) cs.perishable->batches.take(used, nullptr);
    // On hand and need fall together (wanted >= can): the position stays.
    cs.production_need = std::max(0.0, cs.production_need - used);
    cs.flows.consumed += used;
    cs.flows.shipped += used;
    units_.consumed += used;
  }
  pl.queued -= can;
  use_capacity(pl.capacity_used, sp.id, capacity_lines_, can);
  if (pl.cost != 0.0) n.account.cost(CostKind::kProduction, pl.cost * can, true);
  units_.started += can;
  log(LogEvent::kProductionStart, n.id, n.id, sp.product, can);
  units_.in_production += can;
  const Time done = now + std::max(0.0, pl.lead_time.sample(pl.rng));
  Message& m = compose(n.id, &Node::inbox_receive);
  m.arrival = done;
  m.kind = MessageKind::kProductionDone;
  m.stock = sp.id;
  m.qty = can;
  m.sent = now;
  post(n.id, &Node::inbox_receive, Phase::kReceive, done);
}

void Network::fulfil(Node& n) {
  const Time now = sim_.now();
  for (const StockId id : n.stocks) {
    StockPoint& sp = stocks_[id];
    if (sp.backlog.empty()) continue;
    touch(sp);
    if (!n.down) {
      if (sp.infinite) {
        dispatch_from_source(n, sp);
      } else {
        ship_from_stock(n, sp);
      }
    }
    // What is still owed: customers who do not wait are lost; anything that
    // arrived now and is still short marks a stock-out.
    sp.backlog.remove_if([&](BacklogEntry& e) {
      if (e.qty <= kEps) {
        sp.backlog_qty -= e.qty;  // dust
        return true;
      }
      if (e.arrived == now) sp.flows.stockout = true;
      if (now >= e.leave_at) {
        sp.flows.lost += e.qty;
        log(LogEvent::kLostSale, sp.node, kNone, sp.product, e.qty);
        sp.backlog_qty -= e.qty;
        if (sp.lost_sale_cost > 0.0) {
          n.account.cost(CostKind::kLostSale, sp.lost_sale_cost * e.qty, false);
        }
        if (e.segment != kNone) segment_lost(n, e);
        sp.changed = true;
        return true;
      }
      return false;
    });
    if (sp.backlog.empty()) sp.backlog_qty = 0.0;
  }
  if (n.down) return;
  for (const StockId id : n.stocks) {
    StockPoint& sp = stocks_[id];
    if (sp.production) start_production(n, sp);
  }
}

// --- review --------------------------------------------------------------

bool Network::review_due(const StockPoint& sp) const {
  if (sp.continuous) return sp.changed;
  if (!boundary_ || sp.last_review_period == period_index_) return false;
  const std::int64_t k = period_index_ - sp.review_offset;
  return k >= 0 && (sp.review_period == 1 || k % sp.review_period == 0);  // no 64-bit division every period
}

Qty Network::echelon_position(const StockPoint& sp) const {
  Qty e = sp.position();
  for (std::size_t i = 0; i < sp.downstream.size(); ++i) {
    const StockPoint& d = stocks_[sp.downstream[i]];
    e += echelon_position(d) - lanes_[sp.downstream_lanes[i]].orders_in_transit[sp.product];
  }
  return e;
}

Qty Network::adjust_order(const StockPoint& sp, Qty wanted, Qty position) const {
  if (!(wanted > kEps)) return 0.0;
  Qty q = wanted;
  if (sp.lot_size > 0.0) q = std::ceil(q / sp.lot_size - 1e-9) * sp.lot_size;
  if (sp.min_order > 0.0 && q < sp.min_order) q = sp.min_order;
  q = std::min(q, sp.max_order);
  if (std::isfinite(sp.storage_capacity)) {
    q = std::min(q, std::max(0.0, sp.storage_capacity - position));
    if (sp.lot_size > 0.0) q = std::floor(q / sp.lot_size + 1e-9) * sp.lot_size;
  }
  return q > kEps ? q : 0.0;
}

void Network::place_order(StockPoint& sp, Source& src, Qty qty, bool direct) {
  const Time now = sim_.now();
  Lane& l = lanes_[src.lane];
  StockPoint& seller = stocks_[stock_index_[l.from][sp.product]];
  const std::uint64_t id = ++next_order_id_;
  sp.on_order += qty;
  OpenOrder& open = sp.open_orders.emplace_back();
  open.id = id;
  open.placed = now;
  open.ordered = open.remaining = qty;
  sp.flows.ordered += qty;
  ++sp.flows.order_lines;
  src.cumulative += qty;
  log(LogEvent::kOrder, sp.node, l.from, sp.product, qty, id);
  auto fill = [&](Message& m, Time arrival) {
    m.arrival = arrival;
    m.kind = MessageKind::kOrder;
    m.stock = seller.id;
    m.origin = sp.id;
    m.lane = l.id;
    m.qty = qty;
    m.ref = id;
    m.sent = now;
    m.placed = now;
    m.extra = l.priority;
  };
  if (direct) {
    // Vendor-managed: the supplier writes the order into its own backlog.
    Message m;
    fill(m, now);
    add_order_line(seller, m);
    sp.vmi_orders.push_back({++sp.vmi_serial, qty});
    request(seller.node, Phase::kFulfil);
    return;
  }
  Node& buyer = nodes_[sp.node];
  if (buyer.ordering_cost != 0.0) buyer.account.cost(CostKind::kOrdering, buyer.ordering_cost, true);
  const Time arrival = now + l.order_delay;
  fill(compose(l.from, &Node::inbox_orders), arrival);
  l.orders_in_transit[sp.product] += qty;
  post(l.from, &Node::inbox_orders, Phase::kOrdersIn, arrival);
}

void Network::split_order(StockPoint& sp, Qty qty, bool direct) {
  if (sp.sources.size() == 1) {
    place_order(sp, sp.sources[0], qty, direct);
  } else if (sp.split == SplitRule::kShares) {
    split_by_shares(sp, qty, direct);
  } else {
    split_in_order(sp, qty, direct);
  }
}

bool Network::source_up(const Source& src) const {
  const Lane& l = lanes_[src.lane];
  return !l.closed && !nodes_[l.from].down;
}

// What a source can take now without making the order wait for more than
// its seller has: nothing when the seller is down or the lane closed; a
// supplier with a capacity, that capacity less what it already owes (its
// backlog, all buyers, and this lane's orders on their way to it); another
// node, its stock on hand less what it owes and what is on its way to it;
// and at most the lane's capacity per period less what waits to ship on the
// lane (its lines in the seller's backlog and its orders on the way).
Qty Network::source_room(const StockPoint& sp, const Source& src) const {
  if (!source_up(src)) return 0.0;
  const Lane& l = lanes_[src.lane];
  const Node& seller = nodes_[l.from];
  const StockPoint& s = stocks_[stock_index_[l.from][sp.product]];
  const Qty coming = l.orders_in_transit[sp.product];
  Qty room = kInfinity;
  if (!s.infinite) {
    room = s.on_hand - s.backlog_qty - coming;
  } else if (seller.capacity != kInfinity) {
    Qty owed = coming;
    for (const StockId id : seller.stocks) owed += stocks_[id].backlog_qty;
    room = seller.capacity - owed;
  }
  if (l.capacity_per_period != kInfinity) {
    Qty queued = coming;
    for (std::size_t i = 0; i < s.backlog.size(); ++i) queued += s.backlog[i].lane == l.id ? s.backlog[i].qty : 0.0;
    room = std::min(room, l.capacity_per_period - queued);
  }
  return std::max(0.0, room);
}

// split: cheapest (by the lane's price for the product, ties in the order
// listed) or fallback (in the order listed): each source in turn takes what
// it has room for; what none has room for goes to the first source that is
// up (else the first), where it waits. One order line per source.
void Network::split_in_order(StockPoint& sp, Qty qty, bool direct) {
  const std::size_t n = sp.sources.size();
  auto& order = scratch_order_;
  order.resize(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  if (sp.split == SplitRule::kCheapest) {
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return lanes_[sp.sources[a].lane].price[sp.product] < lanes_[sp.sources[b].lane].price[sp.product];
    });
  }
  auto& parts = scratch_wanted_;
  parts.assign(n, 0.0);
  const bool units = whole(qty);
  Qty left = qty;
  std::size_t wait = n;  // the first source that is up
  for (const std::size_t i : order) {
    if (wait == n && source_up(sp.sources[i])) wait = i;
    if (left <= kEps) continue;
    Qty room = source_room(sp, sp.sources[i]);
    if (units) room = std::floor(room + 1e-9);
    const Qty take = std::min(left, room);
    if (take <= kEps) continue;
    parts[i] = take;
    left -= take;
  }
  if (left > kEps) parts[wait == n ? order.front() : wait] += left;
  for (const std::size_t i : order) {
    if (parts[i] > kEps) place_order(sp, sp.sources[i], parts[i], direct);
  }
}

// split: shares. Each source's cumulative orders track its share of the
// cumulative total; whole quantities stay whole (largest deficit first).
// Sources whose seller is down or whose lane is closed are left out and the
// others' shares re-normalised; a source left out keeps pace on paper (its
// cumulative follows the others' in proportion), so that it takes its share
// again when it is back, without a burst to catch up.
void Network::split_by_shares(StockPoint& sp, Qty qty, bool direct) {
  const std::size_t n = sp.sources.size();
  auto& up = scratch_up_;
  up.assign(n, 1);
  std::size_t ups = 0;
  for (std::size_t i = 0; i < n; ++i) {
    up[i] = source_up(sp.sources[i]) ? 1 : 0;
    ups += up[i];
  }
  if (ups == 0) std::fill(up.begin(), up.end(), 1);  // all down: the orders wait at every one
  double share_sum = 0.0, cumulative = qty;
  for (std::size_t i = 0; i < n; ++i) {
    if (!up[i]) continue;
    share_sum += sp.sources[i].share;
    cumulative += sp.sources[i].cumulative;
  }
  auto& parts = scratch_wanted_;
  parts.assign(n, 0.0);
  if (!whole(qty)) {
    for (std::size_t i = 0; i < n; ++i) parts[i] = up[i] ? qty * sp.sources[i].share / share_sum : 0.0;
  } else {
    std::vector<std::pair<double, std::size_t>> deficits;
    Qty given = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      if (!up[i]) continue;
      const double target = cumulative * sp.sources[i].share / share_sum - sp.sources[i].cumulative;
      parts[i] = std::max(0.0, std::floor(target));
      deficits.emplace_back(target - parts[i], i);
      given += parts[i];
    }
    // Floors can overshoot only through round-off; trim from the last source.
    for (std::size_t i = n; given > qty && i-- > 0;) {
      const Qty cut = std::min(parts[i], given - qty);
      parts[i] -= cut;
      given -= cut;
    }
    std::stable_sort(deficits.begin(), deficits.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t j = 0; given < qty; j = (j + 1) % deficits.size()) {
      parts[deficits[j].second] += 1.0;
      given += 1.0;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (parts[i] > kEps) place_order(sp, sp.sources[i], parts[i], direct);
  }
  if (ups == 0 || ups == n) return;
  // The cumulative per unit of share of the sources that took the order.
  double taken = 0.0;
  for (std::size_t i = 0; i < n; ++i) taken += up[i] ? sp.sources[i].cumulative : 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!up[i]) sp.sources[i].cumulative = sp.sources[i].share * taken / share_sum;
  }
}

void Network::do_review(StockPoint& sp, Qty position_override, bool vmi) {
  const Time now = sim_.now();
  PolicyView v;
  v.now = now;
  v.period = period_index_;
  v.review = sp.reviews;
  v.on_hand = sp.on_hand;
  v.backlog = sp.backlog_qty;
  v.on_order = sp.on_order;
  v.position = vmi ? position_override : sp.position();
  if (sp.policy->needs_echelon_position()) v.echelon_position = echelon_position(sp);
  v.demand_signal = vmi ? sp.vmi_signal : sp.signal;
  if (share_customers_ && !customers_below_[sp.id].empty()) v.expected_demand = expected_customer_demand(sp);
  const Qty wanted = sp.policy->order(v);
  if (vmi) {
    sp.vmi_signal = 0.0;
  } else {
    sp.signal = 0.0;
    sp.last_review_period = period_index_;
  }
  ++sp.reviews;
  sp.flows.reviewed = true;
  Qty q = adjust_order(sp, wanted, v.position);
  if (q > 0.0) {
    if (sp.production) {
      // The line runs whole batches: a request is rounded up to them.
      const double batch = sp.production->batch;
      if (batch > 0.0) q = std::ceil(q / batch - 1e-9) * batch;
      Node& n = nodes_[sp.node];
      sp.on_order += q;
      sp.flows.ordered += q;
      ++sp.flows.order_lines;
      if (n.ordering_cost != 0.0) n.account.cost(CostKind::kOrdering, n.ordering_cost, true);
      const Time arrival = now + sp.production->request_delay;
      Message& m = compose(sp.node, &Node::inbox_orders);
      m.arrival = arrival;
      m.kind = MessageKind::kProductionOrder;
      m.stock = sp.id;
      m.qty = q;
      m.sent = now;
      post(sp.node, &Node::inbox_orders, Phase::kOrdersIn, arrival);
    } else {
      split_order(sp, q, vmi);
    }
  }
  sp.changed = false;
}

void Network::review(Node& n) {
  const Time now = sim_.now();
  constexpr std::uint8_t kBeforeReview = (1u << static_cast<int>(Phase::kReview)) - 1u;
  for (const StockId id : n.review_order) {
    StockPoint& sp = stocks_[id];
    if (sp.infinite || !review_due(sp)) continue;
    if (!sp.vmi) {
      do_review(sp, 0.0, false);
      // A zero-delay production request to this node's own line: the
      // components (later in review_order) review in the next pass, after
      // the line has started and consumed them, so that their position counts
      // it. (The request marked this node for orders-in, fulfil and review.)
      if (sp.production && (n.dirty & kBeforeReview) != 0) return;
      continue;
    }
    // A VMI stock reports its position to the supplier that manages it.
    const Lane& l = lanes_[sp.sources[0].lane];
    Message m;
    m.arrival = now + l.order_delay;
    m.kind = MessageKind::kVmiStatus;
    m.stock = sp.id;
    m.qty = sp.position();
    m.extra = sp.signal;
    m.ref = sp.vmi_serial;  // VMI orders this position already counts
    m.sent = now;
    sp.signal = 0.0;
    sp.last_review_period = period_index_;
    sp.changed = false;
    deliver(l.from, &Node::inbox_orders, Phase::kOrdersIn, m);
  }
  for (const StockId id : n.vmi_customers) {
    StockPoint& cs = stocks_[id];
    if (!cs.vmi_pending) continue;
    cs.vmi_pending = false;
    Qty since = 0.0;
    for (std::size_t i = 0; i < cs.vmi_orders.size(); ++i) since += cs.vmi_orders[i].qty;
    do_review(cs, cs.vmi_reported_position + since, true);
  }
}

}  // namespace chainsim::models

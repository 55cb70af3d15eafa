// The network's side of the customer segments (models/chain/customers.h):
// the transitions at each period boundary, the segments' orders joining
// their channel stocks' backlogs, the end of each order reported back, the
// segments' records and their audit. Costs: acquisition and the per-customer
// cost to serve are booked at the segment's home node (its first channel's),
// the per-order and per-unit costs at the channel's node, all paid in cash.
#include <algorithm>
#include <fmt/core.h>
#include <limits>

#include "models/chain/network.h"

namespace chainsim::models {

void Network::keep_transactions() {
  for (Segment& s : segments_) {
    if (s.people) s.people->log = &transactions_;
  }
}

void Network::customers_begin_period() {
  for (Segment& s : segments_) {
    s.period_index = period_index_;
    if (period_index_ > 0) transition(s);
    if (share_customers_) s.order_rate = active_order_rate(s);
    Money per_customer = s.active * s.spec.cost_to_serve.per_customer;
    if (s.people) per_customer += s.people->members * s.spec.loyalty.cost_per_member;
    s.flows.cost_to_serve += per_customer;
    const Money cost = s.flows.acquisition_cost + per_customer;
    if (cost != 0.0) nodes_[s.home].account.cost(CostKind::kCustomers, cost, true);
  }
}

void Network::place_segment_orders(StockPoint& sp) {
  const Time now = sim_.now();
  for (const auto& [g, c] : sp.segment_channels) {
    Segment& s = segments_[g];
    if (!s.people) {
      draw_channel_orders(s, c, sp.demand_multiplier);
    } else if (s.people->drawn_period != period_index_) {
      // Every channel's orders at once (a customer's dropout ends its orders
      // in all of them); the what-if events of this instant have all acted.
      for (SegmentChannel& ch : s.channels) ch.multiplier = stocks_[ch.stock].demand_multiplier;
      draw_individual_orders(s);
      s.people->drawn_period = period_index_;
    }
    const SegmentChannel& ch = s.channels[c];
    const Money per_order = ch.orders * s.spec.cost_to_serve.per_order;
    if (per_order != 0.0) {
      s.flows.cost_to_serve += per_order;
      nodes_[sp.node].account.cost(CostKind::kCustomers, per_order, true);
    }
    if (!(ch.units > 0.0)) continue;
    Time leave_at = kInfinity;
    switch (s.spec.unmet) {
      case CustomerUnmet::kStock: leave_at = sp.lose_unmet ? now : kInfinity; break;
      case CustomerUnmet::kBackorder: break;
      case CustomerUnmet::kLost: leave_at = now; break;
      case CustomerUnmet::kPatience: leave_at = now + s.spec.patience; break;
    }
    BacklogEntry& e = add_customer_line(sp, ch.units, s.spec.priority, leave_at);
    e.segment = g;
    if (s.people) {
      // The line's customers, met in turn; orders_per_unit stays 0 (each
      // order's end is reported to its customer instead).
      e.ref = ++s.people->next_block;
      s.people->blocks[e.ref].orders = std::move(s.people->pending[c]);
      s.people->pending[c].clear();
    } else {
      e.orders_per_unit =
          static_cast<float>(std::min(ch.orders / ch.units, double{std::numeric_limits<float>::max()}));
    }
    // The customers leave at leave_at exactly: fulfil runs at every boundary,
    // and between boundaries a wake-up makes it run then.
    if (leave_at > now && leave_at < kInfinity && !is_boundary_time(leave_at)) wake(sp.node, Phase::kFulfil, leave_at);
  }
}

// `done`: the line is met in full with these units.
Money Network::individual_revenue(StockPoint& sp, const BacklogEntry& line, Qty qty, bool done) {
  Segment& s = segments_[line.segment];
  auto it = s.people->blocks.find(line.ref);
  if (it == s.people->blocks.end()) {
    throw ModelError(fmt::format("t={}: segment {}: a backlog line without its customers", sim_.now(), s.name));
  }
  const Money revenue =
      individual_sale(s, it->second, qty, sp.price * s.spec.price_factor, line.arrived, sim_.now(), done);
  if (done) s.people->blocks.erase(it);
  return revenue;
}

void Network::campaign(std::uint32_t g, double p, Money cost) {
  Segment& s = segments_[g];
  const double contacted = s.churned_pool;
  const Money spent = contacted * cost;
  if (spent != 0.0) {
    s.flows.acquisition_cost += spent;
    nodes_[s.home].account.cost(CostKind::kCustomers, spent, true);
  }
  const std::uint64_t firing = s.campaigns++;
  double won = 0.0;
  if (s.people) {
    won = individual_campaign(s, firing, p);
  } else if (p > 0.0) {
    won = binomial_draw(s.campaign_rng.uniform01(), contacted, p);
  }
  s.active += won;
  s.churned_pool -= won;
  s.won_back += won;
  s.won_back_total += won;
}

void Network::segment_sale(StockPoint& sp, const BacklogEntry& line, Qty qty, Money revenue) {
  const Time now = sim_.now();
  Segment& s = segments_[line.segment];
  const OrderEnd how = line.arrived == now ? OrderEnd::kMetAtOnce : OrderEnd::kMetLate;
  order_ended(s, how, qty * line.orders_per_unit, qty, now - line.arrived);
  s.flows.revenue += revenue;
  s.flows.cogs += qty * sp.unit_value;
  const Money per_unit = qty * s.spec.cost_to_serve.per_unit;
  if (per_unit != 0.0) {
    s.flows.cost_to_serve += per_unit;
    nodes_[sp.node].account.cost(CostKind::kCustomers, per_unit, true);
  }
}

void Network::segment_lost(const Node& n, const BacklogEntry& line) {
  const Time now = sim_.now();
  // Customers with patience left because they waited it out, whatever kept
  // them waiting; those who do not wait left for the outage or the stock-out.
  const OrderEnd how = line.leave_at > line.arrived ? OrderEnd::kLostPatience
                       : n.down                     ? OrderEnd::kLostOutage
                                                    : OrderEnd::kLostStockout;
  Segment& s = segments_[line.segment];
  order_ended(s, how, line.qty * line.orders_per_unit, line.qty, now - line.arrived);
  if (s.people) {
    auto it = s.people->blocks.find(line.ref);
    if (it != s.people->blocks.end()) {
      individual_lost(s, it->second, line.arrived, now);
      s.people->blocks.erase(it);
    }
  }
}

Qty Network::expected_customer_demand(const StockPoint& sp) const {
  Qty per_period = 0.0;
  for (const auto& [g, c] : customers_below_[sp.id]) {
    const Segment& s = segments_[g];
    const SegmentChannel& ch = s.channels[c];
    per_period += s.order_rate * ch.share * s.order_factor * stocks_[ch.stock].demand_multiplier * s.spec.orders.size.mean();
  }
  // A review covers review_period periods (continuous review: one).
  return per_period * static_cast<double>(sp.continuous ? 1 : sp.review_period);
}

void Network::record_segments(std::int64_t k) {
  period_segments_.resize(segments_.size());
  for (std::size_t g = 0; g < segments_.size(); ++g) {
    const Segment& s = segments_[g];
    const SegmentFlows& f = s.flows;
    SegmentPeriod& o = period_segments_[g];
    o.period = k;
    o.segment = static_cast<std::uint32_t>(g);
    o.active = s.active;
    o.churned_pool = s.churned_pool;
    o.cohort = s.cohort;
    o.acquired = s.acquired;
    o.won_back = s.won_back;
    o.churned_service = s.churned_service;
    o.churned_intrinsic = s.churned_intrinsic;
    o.orders = f.orders;
    o.units = f.units;
    o.met_at_once = f.met_at_once;
    o.met_late = f.met_late;
    o.on_time = f.on_time;
    o.wait_units = f.wait_units;
    o.lost_stockout = f.lost_stockout;
    o.lost_outage = f.lost_outage;
    o.lost_patience = f.lost_patience;
    o.revenue = f.revenue;
    o.cogs = f.cogs;
    o.cost_to_serve = f.cost_to_serve;
    o.acquisition_cost = f.acquisition_cost;
    o.satisfaction = s.satisfaction;
    o.goodwill = s.goodwill;
    o.members = s.people ? s.people->members : 0.0;
  }
}

void Network::audit_customers() const {
  for (const Segment& s : segments_) {
    const std::string problem = audit_segment(s);
    if (!problem.empty()) throw ModelError(fmt::format("customer audit broken at t={}: {}", sim_.now(), problem));
  }
}

}  // namespace chainsim::models

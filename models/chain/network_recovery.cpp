// Returns centres (models/chain/recovery.h, docs/returns.md): grading the
// returns that arrive, the routes' costs, capacities and yields, the
// recovered units reaching their stock, and each centre's period records.
// Every cost is paid in cash at the centre and booked as cost_returns; the
// recycler's cash is revenue of the centre from outside the network.
#include <algorithm>
#include <cmath>

#include "models/chain/network.h"

namespace chainsim::models {

namespace {

bool whole(Qty q) { return q == std::floor(q); }

// The units of `left` that take a route with probability p among them: a
// binomial draw for whole units, the expected share otherwise.
Qty route_count(double u, Qty left, double p) {
  if (!(p < 1.0)) return left;
  if (!(p > 0.0) || !(left > 0.0)) return 0.0;
  return whole(left) ? sim::binomial_quantile(u, left, p) : left * p;
}

}  // namespace

void Network::grade(Recovery& g, sim::RandomStream& rng, Qty qty) {
  const Time now = sim_.now();
  Node& centre = nodes_[g.node];
  RecoveryPeriod& f = g.flows;
  f.graded += qty;
  units_.graded += qty;
  Money cost = qty * g.inspection_cost;
  // The routes in turn, each taking its share of what the ones before left
  // (a multinomial split, one binomial per route).
  Qty left = qty;
  double share_left = 1.0;
  for (std::size_t k = 0; k < g.routes.size(); ++k) {
    RecoveryLine& r = g.routes[k];
    const double u_count = rng.uniform01();
    const double u_yield = rng.uniform01();
    const double u_lead = rng.uniform01();
    const bool last = k + 1 == g.routes.size();
    const Qty n = last ? left : route_count(u_count, left, share_left > 0.0 ? r.share / share_left : 1.0);
    left -= n;
    share_left -= r.share;
    if (!(n > 0.0)) continue;
    cost += n * r.cost;
    const auto route = static_cast<std::size_t>(r.route);
    if (!restocks(r.route)) {
      // Recycled, sent back to the vendor or scrapped: out of the network.
      f.routes[route] += n;
      units_.disposed += n;
      const Money cash = r.route == RecoveryRoute::kRecycle ? n * r.value : 0.0;
      if (cash > 0.0) {
        centre.account.sale_in_cash(cash);
        money_.customer_cash += cash;
        if (FirmMoney* fm = firm_money(centre)) fm->customer_cash += cash;
        f.recycled_value += cash;
      }
      if (r.route == RecoveryRoute::kVendor) send_credit(g, r, n);
      if (r.route == RecoveryRoute::kScrap) cost += n * g.scrap_cost;
      continue;
    }
    const Qty good = r.yield < 1.0 ? route_count(u_yield, n, r.yield) : n;
    const Qty rejected = n - good;
    f.routes[route] += good;
    f.routes[static_cast<std::size_t>(RecoveryRoute::kScrap)] += rejected;
    units_.disposed += rejected;
    cost += rejected * g.scrap_cost;
    Time ready = now;
    if (r.capacity < kInfinity) {
      // A line works through its units at `capacity` a period, in the order
      // they were graded; a batch is ready when its last unit is.
      r.free_at = std::max(r.free_at, now) + n / r.capacity * period_;
      ready = r.free_at;
    }
    if (!(good > 0.0)) continue;
    Message m;
    m.arrival = ready + std::max(0.0, r.lead_time.quantile(u_lead));
    m.kind = MessageKind::kRecovered;
    m.stock = r.to;
    m.qty = good;
    m.sent = now;
    m.ref = static_cast<std::uint64_t>(&g - recoveries_.data()) + 1;
    units_.in_recovery += good;
    deliver(stocks_[r.to].node, &Node::inbox_receive, Phase::kReceive, m);
  }
  if (cost != 0.0) centre.account.cost(CostKind::kReturns, cost, true);
  f.cost += cost;
}

// The vendor books the credit note now (cost_returns, in cash); it reaches
// the centre credit_delay later (receive_credit).
void Network::send_credit(Recovery& g, const RecoveryLine& r, Qty n) {
  const Money amount = n * r.credit;
  if (!(amount > 0.0)) return;
  nodes_[r.vendor].account.credit_note(amount);
  if (FirmMoney* fm = firm_money(nodes_[r.vendor])) fm->credits_sent += amount;
  Message m;
  m.arrival = sim_.now() + r.credit_delay;
  m.kind = MessageKind::kCredit;
  m.qty = amount;
  m.sent = sim_.now();
  m.ref = static_cast<std::uint64_t>(&g - recoveries_.data()) + 1;
  credits_in_transit_ += amount;
  deliver(g.node, &Node::inbox_finance, Phase::kReceive, m);
}

void Network::receive_credit(Node& n, const Message& m) {
  credits_in_transit_ -= m.qty;
  n.account.credit_note(-m.qty);
  if (FirmMoney* fm = firm_money(n)) fm->credits_received += m.qty;
  RecoveryPeriod& f = recoveries_[m.ref - 1].flows;
  f.credited += m.qty;
}

void Network::receive_recovered(StockPoint& sp, const Message& m) {
  const Time now = sim_.now();
  units_.in_recovery -= m.qty;
  sp.on_hand += m.qty;
  sp.changed = true;
  RecoveryPeriod& f = recoveries_[m.ref - 1].flows;
  f.restocked += m.qty;
  f.restock_wait += m.qty * (now - m.sent);
  f.restocked_value += m.qty * sp.unit_value;
}

void Network::record_recoveries(std::int64_t k) {
  period_recoveries_.resize(recoveries_.size());
  for (std::size_t i = 0; i < recoveries_.size(); ++i) {
    RecoveryPeriod& f = recoveries_[i].flows;
    f.period = k;
    f.recovery = static_cast<std::uint32_t>(i);
    period_recoveries_[i] = f;
    f = RecoveryPeriod{};
  }
}

}  // namespace chainsim::models

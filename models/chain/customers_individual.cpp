// The individual-mode segment: one record per customer, with its own order
// rate and dropout probability (BG/NBD heterogeneity), its own service
// history and its own churn, win-back and loyalty membership. The timeline
// and the counts are population mode's (customers.h); what differs is who:
//   - at the boundary, each active customer leaves for the service with its
//     own probability (per_stockout: 1 - the product of (1 - q_j) over its
//     orders not met at once that ended in the period; satisfaction: from its
//     own smoothed fill rate), else on its own (intrinsic); each churned one
//     returns with probability win_back; a member's probabilities are times
//     the programme's churn_factor (at most 1);
//   - in the period, each active customer places Poisson(rate_i * share_c *
//     demand factor * multiplier) orders in channel c, and with a dropout
//     probability p_i leaves for good after each order with probability p_i
//     (the orders after that one are not placed; it is gone at the next
//     boundary, counted as intrinsic churn);
//   - a backlog line holds its customers' orders in order (CustomerBlock):
//     units delivered go to the first order still open, so each order ends
//     met at once, met late or lost as its own line would.
#include <algorithm>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <fmt/core.h>
#include <limits>

#include "models/chain/customers.h"
#include "sim/distributions.h"

namespace chainsim::models {

namespace {

bool is_member(const Individuals& p, std::uint32_t i) { return (p.flags[i] & kMember) != 0; }

// The probability `p` of a customer, times the programme's churn factor for a member.
double for_customer(const Segment& s, std::uint32_t i, double p) {
  return is_member(*s.people, i) ? std::min(1.0, p * s.spec.loyalty.churn_factor) : std::min(1.0, p);
}

// Customer i's order ended (some of it delivered, or none): its purchase
// count, its membership, and for an order not met at once its risk of
// leaving (per_stockout), with `wait` the time it waited.
void order_done(Segment& s, std::uint32_t i, bool delivered, bool at_once, Time wait) {
  Individuals& p = *s.people;
  if (delivered) {
    ++p.purchases[i];
    const LoyaltySpec& l = s.spec.loyalty;
    if (l.after_purchases >= 1.0 && !is_member(p, i) && p.purchases[i] >= l.after_purchases) {
      p.flags[i] |= kMember;
      if (p.state[i] == CustomerState::kActive) p.members += 1.0;
    }
  }
  if (at_once || p.stay.empty()) return;
  const ChurnSpec& c = s.spec.churn;
  const double q = std::min(1.0, c.q + c.q_per_period_waited * wait / s.period);
  p.stay[i] = static_cast<float>(p.stay[i] * (1.0 - q));
}

// The uniform of customer i's order count in channel c, from the words of
// (k, i, 1) already drawn (`first`) or a later block.
double channel_uniform(const Individuals& p, std::int64_t k, std::uint32_t i, std::size_t c,
                       const std::array<double, 4>& first) {
  if (c < 3) return first[c + 1];
  const std::size_t j = c - 3;
  return p.draws.at(static_cast<std::uint64_t>(k), i, 2 + j / 4)[j % 4];
}

}  // namespace

void add_individuals(Segment& s, double count) {
  Individuals& p = *s.people;
  const HeterogeneitySpec& h = s.spec.heterogeneity;
  const double mean_rate = s.spec.orders.rate;
  const std::size_t from = p.state.size();
  // Records are never dropped (customer numbers stay put), so acquisition
  // must not grow a segment past what the spec check allows at the start.
  if (static_cast<double>(from) + count > p.max_records) {
    throw ModelError(fmt::format("segment {}: individual mode keeps at most {:g} customer records, and acquisition "
                                 "in period {} would bring it to {:g}; use population mode for this many",
                                 s.name, p.max_records, s.period_index, static_cast<double>(from) + count));
  }
  const std::size_t to = from + static_cast<std::size_t>(count);
  p.rate.resize(to, static_cast<float>(mean_rate));
  p.dropout.resize(to, 0.0f);
  p.state.resize(to, CustomerState::kActive);
  p.flags.resize(to, 0);
  p.purchases.resize(to, 0);
  if (s.service_churn && s.spec.churn.model == ChurnModel::kPerStockout) p.stay.resize(to, 1.0f);
  if (s.spec.churn.model == ChurnModel::kSatisfaction) {
    p.satisfaction.resize(to, 1.0f);
    p.units.resize(to, 0.0f);
    p.at_once.resize(to, 0.0f);
  }
  // Double precision throughout (Boost.Math would otherwise work in long
  // double): a customer's traits are floats.
  using Policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
  const bool rates = h.rate_shape > 0.0 && mean_rate > 0.0;
  const bool dropouts = h.dropout_a > 0.0 && h.dropout_b > 0.0;
  if (!rates && !dropouts) return;
  for (std::size_t i = from; i < to; ++i) {
    const std::array<double, 4> u = p.traits.at(i, 0);
    if (rates) p.rate[i] = static_cast<float>(boost::math::gamma_p_inv(h.rate_shape, u[0], Policy()) * mean_rate / h.rate_shape);
    if (dropouts) p.dropout[i] = static_cast<float>(boost::math::ibeta_inv(h.dropout_a, h.dropout_b, u[1], Policy()));
  }
}

namespace {

// Customer i leaves the active customers for `to`.
void leave(Individuals& p, std::uint32_t i, CustomerState to) {
  p.state[i] = to;
  p.flags[i] = static_cast<std::uint8_t>((p.flags[i] & ~kDropping) | kHasLeft);
  if (is_member(p, i)) p.members -= 1.0;
}

}  // namespace

Moves individual_moves(Segment& s) {
  Individuals& p = *s.people;
  const ChurnSpec& c = s.spec.churn;
  const std::uint64_t k = static_cast<std::uint64_t>(s.period_index);
  const bool per_stockout = c.model == ChurnModel::kPerStockout && s.service_churn;
  const bool satisfaction = c.model == ChurnModel::kSatisfaction;
  const bool service = s.service_churn;
  const bool intrinsic = c.intrinsic > 0.0;
  const bool win_back = s.spec.win_back > 0.0;
  const std::size_t initial = static_cast<std::size_t>(s.initial);
  Moves m;
  for (std::uint32_t i = 0; i < p.state.size(); ++i) {
    CustomerState& st = p.state[i];
    if (st == CustomerState::kGone) continue;
    if (st == CustomerState::kChurned) {
      if (win_back && p.draws.at(k, i, 0)[2] < s.spec.win_back) {
        st = CustomerState::kActive;
        m.won += 1.0;
        if (is_member(p, i)) p.members += 1.0;
        if (!p.stay.empty()) p.stay[i] = 1.0f;
      }
      continue;
    }
    if (satisfaction && p.units[i] > 0.0f) {
      p.satisfaction[i] += static_cast<float>(c.smoothing * (p.at_once[i] / p.units[i] - p.satisfaction[i]));
      p.units[i] = p.at_once[i] = 0.0f;
    }
    if ((p.flags[i] & kDropping) != 0) {
      leave(p, i, CustomerState::kGone);
      m.intrinsic += 1.0;
      continue;
    }
    double risk = 0.0;  // of leaving for the service
    if (per_stockout) {
      risk = 1.0 - p.stay[i];
      p.stay[i] = 1.0f;
    } else if (satisfaction) {
      risk = c.sensitivity * std::max(0.0, c.target - static_cast<double>(p.satisfaction[i]));
    }
    if (service || intrinsic) {
      const std::array<double, 4> u = p.draws.at(k, i, 0);
      if (service && u[1] < for_customer(s, i, risk)) {
        leave(p, i, CustomerState::kChurned);
        m.service += 1.0;
        continue;
      }
      if (intrinsic && u[0] < for_customer(s, i, c.intrinsic)) {
        leave(p, i, CustomerState::kGone);
        m.intrinsic += 1.0;
        continue;
      }
    }
    if (i < initial && (p.flags[i] & kHasLeft) == 0) m.cohort += 1.0;
  }
  return m;
}

void draw_individual_orders(Segment& s) {
  Individuals& p = *s.people;
  const std::uint64_t k = static_cast<std::uint64_t>(s.period_index);
  const std::size_t channels = s.channels.size();
  p.pending.resize(channels);
  for (std::size_t c = 0; c < channels; ++c) {
    p.pending[c].clear();
    s.channels[c].orders = s.channels[c].units = 0.0;
  }
  const bool satisfaction = !p.units.empty();
  for (SegmentChannel& ch : s.channels) ch.scale = ch.share * s.order_factor * ch.multiplier;
  for (std::uint32_t i = 0; i < p.state.size(); ++i) {
    if (p.state[i] != CustomerState::kActive || !(p.rate[i] > 0.0f)) continue;
    const std::array<double, 4> u = p.draws.at(k, i, 1);
    // The number of orders after which it drops out (geometric on 1, 2,
    // ...), worked out once it orders at all.
    double limit = std::numeric_limits<double>::infinity();
    bool limit_known = !(p.dropout[i] > 0.0f);
    double placed = 0.0;
    for (std::size_t c = 0; c < channels && placed < limit; ++c) {
      const double mean = p.rate[i] * s.channels[c].scale;
      if (!(mean > 0.0)) continue;
      const double uc = channel_uniform(p, static_cast<std::int64_t>(k), i, c, u);
      double n = mean < sim::kPoissonWalkFromZero ? sim::poisson_quantile_from_zero(uc, mean, std::exp(-mean))
                                                  : poisson_draw(uc, mean);
      if (n > 0.0 && !limit_known) {
        const double q = for_customer(s, i, p.dropout[i]);
        limit = q >= 1.0 ? 1.0 : std::max(1.0, std::ceil(std::log(u[0]) / std::log1p(-q)));
        limit_known = true;
      }
      n = std::min(n, limit - placed);
      placed += n;
      SegmentChannel& ch = s.channels[c];
      ch.orders += n;
      for (double j = 0; j < n; j += 1.0) {
        const double units =
            s.constant_size >= 0.0 ? s.constant_size : std::max(0.0, s.spec.orders.size.sample(ch.sizes_rng));
        ch.units += units;
        if (!(units > 0.0)) continue;
        p.pending[c].push_back({i, static_cast<float>(units)});
        if (satisfaction) p.units[i] += static_cast<float>(units);
      }
    }
    if (placed >= limit) p.flags[i] |= kDropping;
  }
  for (const SegmentChannel& ch : s.channels) {
    s.flows.orders += ch.orders;
    s.flows.units += ch.units;
  }
}

Money individual_sale(Segment& s, CustomerBlock& b, Qty qty, Money price, Time arrived, Time now, bool done) {
  Individuals& p = *s.people;
  const bool at_once = now == arrived;
  const double member_price = price * (1.0 - s.spec.loyalty.discount);
  Money revenue = 0.0;
  double left = qty;
  while (b.next < b.orders.size()) {
    const CustomerOrder& o = b.orders[b.next];
    const bool last = b.next + 1 == b.orders.size();
    // The last order of a line met in full takes what is left (rounding).
    const double take = done && last ? std::max(0.0, left) : std::min(static_cast<double>(o.units) - b.met_of_next, left);
    if (take > 0.0) {
      const Money value = take * (is_member(p, o.customer) ? member_price : price);
      revenue += value;
      left -= take;
      b.met_of_next += take;
      if (at_once && !p.at_once.empty()) p.at_once[o.customer] += static_cast<float>(take);
      if (p.log != nullptr) p.log->push_back({s.index, o.customer, now, take, value});
    }
    const bool complete = done || b.met_of_next >= static_cast<double>(o.units) * (1.0 - 1e-9);
    if (!complete) break;
    order_done(s, o.customer, b.met_of_next > 0.0, at_once, now - arrived);
    ++b.next;
    b.met_of_next = 0.0;
  }
  return revenue;
}

double individual_campaign(Segment& s, std::uint64_t firing, double p) {
  Individuals& people = *s.people;
  double won = 0.0;
  if (!(p > 0.0)) return won;
  for (std::uint32_t i = 0; i < people.state.size(); ++i) {
    if (people.state[i] != CustomerState::kChurned || !(s.campaign_draws.at(firing, i)[0] < p)) continue;
    people.state[i] = CustomerState::kActive;
    if (!people.stay.empty()) people.stay[i] = 1.0f;
    if (is_member(people, i)) people.members += 1.0;
    won += 1.0;
  }
  return won;
}

void individual_lost(Segment& s, CustomerBlock& b, Time arrived, Time now) {
  for (; b.next < b.orders.size(); ++b.next) {
    order_done(s, b.orders[b.next].customer, b.met_of_next > 0.0, false, now - arrived);
    b.met_of_next = 0.0;
  }
}

}  // namespace chainsim::models

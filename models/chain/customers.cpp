// The population-mode segment: transitions, order draws and the bookkeeping
// of ended orders (the timeline is in the header).
#include "models/chain/customers.h"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>

#include "sim/distributions.h"
#include "sim/walk_memo.h"

namespace chainsim::models {

namespace {

constexpr const ChurnBehaviour* kBehaviours[] = {
#define CHAINSIM_CHURN_MODEL(id, name, behaviour) &behaviour,
#include "models/chain/customers/churn_models.def"
#undef CHAINSIM_CHURN_MODEL
};

// Below this mean the binomial is inverted by walking up from 0.
constexpr double kWalkFromZero = 30.0;

}  // namespace

double poisson_draw(double u, double mean) {
  if (mean <= sim::kMaxCountMean) return sim::poisson_quantile(u, mean);
  return std::max(0.0, std::round(sim::normal_quantile(u, mean, std::sqrt(mean))));
}

const ChurnBehaviour& churn_behaviour(ChurnModel model) { return *kBehaviours[static_cast<std::size_t>(model)]; }

std::vector<Problem> check_churn(const ChurnSpec& spec) {
  std::vector<Problem> problems;
  const ChurnBehaviour& b = churn_behaviour(spec.model);
  if (b.check != nullptr) b.check(spec, problems);
  return problems;
}

namespace {

// The walk of binomial_draw from P(K = 0) = pmf0. REQUIRES: 0 < p < 1, n p < kWalkFromZero.
double binomial_walk(double u, double n, double p, double pmf0) {
  double pmf = pmf0;
  double cdf = pmf;
  double k = 0.0;
  const double odds = p / (1.0 - p);
  // The cap matters only for u within a few ulps of 1, where rounding keeps
  // the running sum below u; no quantile lies that far out. It is worked out
  // only when the walk passes min(n, n p + 100), which no cap is below.
  double cap = std::min(n, n * p + 100.0);  // a bound below the cap, until the walk reaches it
  bool exact = false;
  while (cdf < u) {
    if (!(k < cap)) {
      if (exact) break;
      cap = std::min(n, n * p + 40.0 * std::sqrt(n * p) + 100.0);
      exact = true;
      if (!(k < cap)) break;
    }
    pmf *= (n - k) / (k + 1.0) * odds;
    k += 1.0;
    cdf += pmf;
  }
  return k;
}

}  // namespace

double binomial_draw(double u, double n, double p) {
  if (n <= 0.0 || p <= 0.0) return 0.0;
  if (p >= 1.0) return n;
  if (n * p >= kWalkFromZero) return sim::binomial_quantile(u, n, p);
  return binomial_walk(u, n, p, std::exp(n * std::log1p(-p)));
}

double binomial_draw(double u, double n, double p, double log_q, ExpMemo& exp) {
  if (n <= 0.0 || p <= 0.0) return 0.0;
  if (p >= 1.0) return n;
  if (n * p >= kWalkFromZero) return sim::binomial_quantile(u, n, p);
  return binomial_walk(u, n, p, exp(n * log_q));
}

void transition(Segment& s) {
  const ChurnSpec& churn = s.spec.churn;
  const ChurnBehaviour& b = churn_behaviour(churn.model);
  SegmentFlows& f = s.flows;
  if (f.units > 0.0) s.satisfaction += churn.smoothing * (period_fill(f) - s.satisfaction);
  if (b.end_period != nullptr) b.end_period(s);
  // Each draw takes its uniform every period whenever its parameters allow
  // it, whatever the state (common random numbers), and none otherwise.
  const double a = s.active;
  double service = 0.0, intrinsic = 0.0, won = 0.0, acquired = 0.0;
  Moves moves;
  if (s.people) {
    moves = individual_moves(s);
    service = moves.service;
    intrinsic = moves.intrinsic;
    won = moves.won;
  } else {
    if (s.service_churn) {
      const ServiceDefections sd = b.service(s);
      const double u = s.churn_rng.uniform01();
      service = std::min(a, binomial_draw(u, std::round(sd.trials), std::clamp(sd.probability, 0.0, 1.0)));
    }
    if (churn.intrinsic > 0.0) {
      intrinsic = binomial_draw(s.churn_rng.uniform01(), a - service, churn.intrinsic, s.log_keep, s.exp);
    }
    if (s.spec.win_back > 0.0) won = binomial_draw(s.win_back_rng.uniform01(), s.churned_pool, s.spec.win_back);
  }
  const AcquisitionSpec& acq = s.spec.acquisition;
  const double acquire_mean = acq.per_period + acq.word_of_mouth * a * s.satisfaction;
  const double u_acquire = acq.per_period > 0.0 || acq.word_of_mouth > 0.0 ? s.acquire_rng.uniform01() : 0.5;
  if (acquire_mean > 0.0 && acquire_mean < sim::kPoissonWalkFromZero) {
    acquired = sim::poisson_quantile_from_zero(u_acquire, acquire_mean, s.exp(-acquire_mean));
  } else if (acquire_mean > 0.0) {
    acquired = poisson_draw(u_acquire, acquire_mean);
  }
  const double churned = service + intrinsic;
  // The initial cohort keeps the share of the active customers that stayed:
  // its expected size given the period's churn (customers are exchangeable in
  // population mode), which measures lifetime value with less noise than
  // drawing which of them left; in individual mode it is counted.
  if (s.people) {
    s.cohort = moves.cohort;
    add_individuals(s, acquired);
  } else if (a > 0.0) {
    s.cohort *= (a - churned) / a;
  }
  s.active = a - churned + won + acquired;
  s.churned_pool += service - won;
  s.acquired = acquired;
  s.won_back = won;
  s.churned_service = service;
  s.churned_intrinsic = intrinsic;
  s.acquired_total += acquired;
  s.won_back_total += won;
  s.churned_total += churned;
  s.churned_service_total += service;
  s.order_factor = b.demand_factor(s);
  f.clear();
  f.acquisition_cost = acquired * acq.cost;
}

double active_order_rate(const Segment& s) {
  if (!s.people) return s.spec.orders.rate * s.active;
  double sum = 0.0;
  const Individuals& p = *s.people;
  for (std::size_t i = 0; i < p.state.size(); ++i) {
    if (p.state[i] == CustomerState::kActive) sum += p.rate[i];
  }
  return sum;
}

void draw_channel_orders(Segment& s, std::size_t c, double multiplier) {
  SegmentChannel& ch = s.channels[c];
  const double mean = s.spec.orders.rate * s.active * ch.share * s.order_factor * multiplier;
  const double u = ch.orders_rng.uniform01();
  double n = 0.0;
  if (mean > 0.0 && mean < sim::kPoissonWalkFromZero) {
    n = sim::poisson_quantile_memo(sim::poisson_walk_memo(), u, mean);
  } else {
    n = poisson_draw(u, mean);
  }
  double units = 0.0;
  if (s.constant_size >= 0.0) {
    units = n * s.constant_size;
  } else {
    for (double i = 0; i < n; i += 1.0) units += std::max(0.0, s.spec.orders.size.sample(ch.sizes_rng));
  }
  ch.orders = n;
  ch.units = units;
  s.flows.orders += n;
  s.flows.units += units;
}

void order_ended(Segment& s, OrderEnd how, double orders, double units, Time wait) {
  SegmentFlows& f = s.flows;
  if (how == OrderEnd::kMetAtOnce) {
    f.met_at_once += units;
    f.on_time += units;
    return;
  }
  const ChurnSpec& c = s.spec.churn;
  f.short_orders += orders;
  f.short_defections += orders * std::min(1.0, c.q + c.q_per_period_waited * wait / s.period);
  switch (how) {
    case OrderEnd::kMetLate:
      f.met_late += units;
      f.wait_units += wait * units;
      if (wait <= s.spec.promised_lead_time * (1.0 + 1e-12)) f.on_time += units;
      break;
    case OrderEnd::kLostStockout: f.lost_stockout += units; break;
    case OrderEnd::kLostOutage: f.lost_outage += units; break;
    case OrderEnd::kLostPatience: f.lost_patience += units; break;
    case OrderEnd::kMetAtOnce: break;
  }
}

std::string audit_segment(const Segment& s) {
  const double expected = s.initial + s.acquired_total - s.churned_total + s.won_back_total;
  const double scale = std::max({1.0, s.initial, s.acquired_total, s.churned_total});
  if (std::abs(s.active - expected) > 1e-9 * scale) {
    return fmt::format("segment {}: {} active, but initial {} + acquired {} - churned {} + won back {} = {}", s.name,
                       s.active, s.initial, s.acquired_total, s.churned_total, s.won_back_total, expected);
  }
  if (std::abs(s.churned_pool - (s.churned_service_total - s.won_back_total)) > 1e-9 * scale) {
    return fmt::format("segment {}: {} customers to win back, but churned for the service {} - won back {} = {}",
                       s.name, s.churned_pool, s.churned_service_total, s.won_back_total,
                       s.churned_service_total - s.won_back_total);
  }
  if (s.people) {
    const Individuals& p = *s.people;
    double active = 0.0, churned = 0.0, members = 0.0;
    for (std::size_t i = 0; i < p.state.size(); ++i) {
      active += p.state[i] == CustomerState::kActive ? 1.0 : 0.0;
      churned += p.state[i] == CustomerState::kChurned ? 1.0 : 0.0;
      members += p.state[i] == CustomerState::kActive && (p.flags[i] & kMember) != 0 ? 1.0 : 0.0;
    }
    if (active != s.active || churned != s.churned_pool || members != p.members) {
      return fmt::format("segment {}: {} customers active, {} churned and {} members, but the counts say {}, {} and {}",
                         s.name, active, churned, members, s.active, s.churned_pool, p.members);
    }
  }
  if (s.active < 0.0 || s.churned_pool < 0.0 || s.cohort < 0.0 || s.cohort > s.active * (1.0 + 1e-12)) {
    return fmt::format("segment {}: a count out of range (active {}, churned {}, initial cohort {})", s.name,
                       s.active, s.churned_pool, s.cohort);
  }
  return "";
}

}  // namespace chainsim::models

#include "tests/validation/theory.h"

#include <algorithm>
#include <Eigen/Dense>
#include <boost/math/distributions/poisson.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <cmath>
#include <map>
#include <stdexcept>
#include <vector>

namespace chainsim::validation::theory {

namespace {

// The Poisson(mean) probabilities of 0 .. k_max, k_max the first k with
// P(X > k) < 1e-16. A degenerate Poisson(0) is {1}.
std::vector<double> poisson_pmf(double mean) {
  if (mean == 0) return {1.0};
  const boost::math::poisson_distribution<double> d(mean);
  std::vector<double> p;
  double cumulative = 0;
  for (int k = 0; cumulative < 1.0 - 1e-16 && k < 100000; ++k) {
    p.push_back(boost::math::pdf(d, k));
    cumulative += p.back();
    if (boost::math::cdf(boost::math::complement(d, k)) < 1e-16) break;
  }
  return p;
}

}  // namespace

double poisson_shortfall(double mean, double s) {
  // E[(s - X)^+] = sum_{k < s} (s - k) P(X = k): a finite sum, no truncation.
  if (s <= 0) return 0.0;
  if (mean == 0) return s;
  const boost::math::poisson_distribution<double> d(mean);
  double sum = 0;
  for (int k = 0; k < s; ++k) sum += (s - k) * boost::math::pdf(d, k);
  return sum;
}

double poisson_excess(double mean, double s) { return mean - s + poisson_shortfall(mean, s); }

double poisson_cdf(double mean, double s) {
  if (s < 0) return 0.0;
  if (mean == 0) return 1.0;
  return boost::math::cdf(boost::math::poisson_distribution<double>(mean), std::floor(s));
}

BaseStock base_stock_poisson(double lambda, int tau, double S) {
  if (tau < 1) throw std::invalid_argument("base_stock_poisson needs tau >= 1");
  const double m = lambda * tau, m1 = lambda * (tau - 1);
  BaseStock r{};
  r.on_hand = poisson_shortfall(m, S);
  r.backorders = poisson_excess(m, S);
  r.ready_rate = poisson_cdf(m, S - 1);
  r.fill_rate = 1.0 - (poisson_excess(m, S) - poisson_excess(m1, S)) / lambda;
  // A cycle ends at period j when the order of period j + 1 - tau (the first
  // of the tau periods of demand in IN_j = S - D(tau)) was positive: with X
  // that period's demand and Y ~ Poisson(lambda (tau - 1)) the rest,
  // P(X + Y <= S | X > 0) = (P(D(tau) <= S) - P(X = 0) P(Y <= S)) / P(X > 0).
  const double p0 = std::exp(-lambda);
  r.cycle_service_level = (poisson_cdf(m, S) - p0 * poisson_cdf(m1, S)) / (1.0 - p0);
  return r;
}

namespace {

// The states y_1..y_m with sum <= S, in lexicographic order, and the index of each.
struct PerishableStates {
  std::vector<std::vector<int>> list;
  std::map<std::vector<int>, std::size_t> index;
};

PerishableStates perishable_states(int m, int S) {
  PerishableStates st;
  std::vector<int> y(static_cast<std::size_t>(m), 0);
  for (;;) {
    int sum = 0;
    for (int v : y) sum += v;
    if (sum <= S) {
      st.index[y] = st.list.size();
      st.list.push_back(y);
    }
    std::size_t i = 0;
    while (i < y.size() && ++y[i] > S) y[i++] = 0;
    if (i == y.size()) break;
  }
  return st;
}

}  // namespace

Perishable perishable_base_stock(double lambda, int m, int S, bool fifo) {
  const PerishableStates st = perishable_states(m, S);
  const std::size_t n = st.list.size();
  const boost::math::poisson_distribution<double> D(lambda);
  // Transitions: from each state, (next state, probability) for each demand.
  std::vector<std::vector<std::pair<std::size_t, double>>> next(n);
  std::vector<double> lost(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::vector<int>& y = st.list[i];
    int held = 0;
    for (int v : y) held += v;
    std::vector<int> shelf(y.begin() + 1, y.end());  // oldest first; y_1 is outdated
    shelf.push_back(S - held);                         // the order, received fresh
    int available = 0;
    for (int v : shelf) available += v;
    for (int d = 0; d <= available; ++d) {
      // The last: every demand of at least `available` (P(D >= 0) = 1).
      const double p = d < available ? boost::math::pdf(D, d)
                       : d == 0      ? 1.0
                                     : boost::math::cdf(boost::math::complement(D, d - 1));
      std::vector<int> left = shelf;
      int want = d;
      for (std::size_t k = 0; k < left.size(); ++k) {
        int& v = left[fifo ? k : left.size() - 1 - k];
        const int t = std::min(want, v);
        v -= t;
        want -= t;
      }
      next[i].push_back({st.index.at(left), p});
    }
    // E[(D - available)^+] = lambda - available + E[(available - D)^+].
    double short_of = 0.0;
    for (int k = 0; k < available; ++k) short_of += (available - k) * boost::math::pdf(D, k);
    lost[i] = lambda - available + short_of;
  }
  std::vector<double> pi(n, 0.0), step(n, 0.0);
  std::vector<int> start(static_cast<std::size_t>(m), 0);
  start.back() = S;
  pi[st.index.at(start)] = 1.0;
  for (int it = 0; it < 100000; ++it) {
    std::fill(step.begin(), step.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      for (const auto& [j, p] : next[i]) step[j] += pi[i] * p;
    }
    double change = 0.0;
    for (std::size_t i = 0; i < n; ++i) change += std::abs(step[i] - pi[i]);
    pi.swap(step);
    if (change < 1e-14) break;
  }
  Perishable r;
  for (std::size_t i = 0; i < n; ++i) {
    int held = 0;
    for (int v : st.list[i]) held += v;
    r.outdated += pi[i] * st.list[i][0];
    r.on_hand += pi[i] * held;
    r.lost += pi[i] * lost[i];
  }
  return r;
}

SsPolicy s_S_poisson(double lambda, int tau, double h, double b, double K, int s, int S) {
  if (s >= S) throw std::invalid_argument("s_S_poisson needs s < S");
  const int n = S - s;
  std::vector<double> p(static_cast<std::size_t>(n));
  for (int j = 0; j < n; ++j) p[j] = std::exp(-lambda + j * std::log(lambda) - std::lgamma(j + 1.0));
  std::vector<double> m(static_cast<std::size_t>(n));
  m[0] = 1.0 / (1.0 - p[0]);
  for (int j = 1; j < n; ++j) {
    double v = 0.0;
    for (int l = 1; l <= j; ++l) v += p[l] * m[j - l];
    m[j] = v / (1.0 - p[0]);
  }
  double cost = K, mass = 0.0;
  for (int j = 0; j < n; ++j) {
    const BaseStock g = base_stock_poisson(lambda, tau, S - j);
    cost += m[j] * (h * g.on_hand + b * g.backorders);
    mass += m[j];
  }
  return {cost / mass, 1.0 / mass};
}

double bullwhip_moving_average(double L, int p) {
  const double a = L / p;
  return 1.0 + 2.0 * a + 2.0 * a * a;
}

double bullwhip_exponential_smoothing(double L, double alpha) {
  return 1.0 + 2.0 * L * alpha + 2.0 * L * L * alpha * alpha / (2.0 - alpha);
}

double bullwhip_serial_decentralized(const std::vector<double>& L, int p) {
  // Stage i orders q_i = (1 + a_i) q_{i-1,t} - a_i q_{i-1,t-p}: a polynomial
  // in the p-period backshift, multiplied stage by stage; D is i.i.d., so the
  // variance ratio is the sum of the squared coefficients.
  std::vector<double> poly = {1.0};
  for (double l : L) {
    const double a = l / p;
    std::vector<double> next(poly.size() + 1, 0.0);
    for (std::size_t k = 0; k < poly.size(); ++k) {
      next[k] += (1.0 + a) * poly[k];
      next[k + 1] -= a * poly[k];
    }
    poly = std::move(next);
  }
  double sum = 0;
  for (double c : poly) sum += c * c;
  return sum;
}

double bullwhip_serial_centralized(const std::vector<double>& L, int p) {
  double A = 0;
  for (double l : L) A += l / p;
  return 1.0 + 2.0 * A + 2.0 * A * A;
}

TwoStage clark_scarf_two_stage(double lambda, int L1, int L2, double h1, double h2, double b) {
  const double m1 = lambda * L1, m2 = lambda * L2;
  auto G1 = [&](double y) { return (h1 - h2) * (y - m1) + (b + h1) * poisson_excess(m1, y); };
  const int top = static_cast<int>(std::ceil(m1 + m2 + 40.0 * std::sqrt(m1 + m2) + 40.0));
  int S1 = 0;
  for (int y = 1; y <= top; ++y) {
    if (G1(y) < G1(S1)) S1 = y;
  }
  const std::vector<double> p2 = poisson_pmf(m2);
  auto G2 = [&](int y) {
    double sum = h2 * (y - m2);
    for (std::size_t x = 0; x < p2.size(); ++x) sum += p2[x] * G1(std::min<double>(S1, y - static_cast<double>(x)));
    return sum;
  };
  int S2 = 0;
  double best = G2(0);
  for (int y = 1; y <= top; ++y) {
    const double g = G2(y);
    if (g < best) {
      best = g;
      S2 = y;
    }
  }
  if (S2 < S1) throw std::logic_error("clark_scarf_two_stage: S2 < S1");
  TwoStage r = two_stage_direct(lambda, L1, L2, h1, h2, b, S1, S2);
  r.cost = best - h2 * lambda * L1;  // no holding cost on the units in transit to the retailer
  return r;
}

TwoStage two_stage_direct(double lambda, int L1, int L2, double h1, double h2, double b, int S1, int S2) {
  const double m1 = lambda * L1, m2 = lambda * L2;
  const std::vector<double> p2 = poisson_pmf(m2);
  TwoStage r;
  r.S1 = S1;
  r.S2 = S2;
  for (std::size_t x = 0; x < p2.size(); ++x) {
    const double y = std::min<double>(S1, S2 - static_cast<double>(x));
    r.retailer_on_hand += p2[x] * poisson_shortfall(m1, y);
    r.retailer_backorders += p2[x] * poisson_excess(m1, y);
  }
  r.warehouse_on_hand = poisson_shortfall(m2, S2 - S1);
  r.cost = h2 * r.warehouse_on_hand + h1 * r.retailer_on_hand + b * r.retailer_backorders;
  return r;
}

std::vector<BeerWeek> beer_game_board(const BeerParameters& par, int weeks) {
  constexpr int kPlayers = 4, kFactory = 3;
  const auto W = static_cast<std::size_t>(weeks + 4);
  // What arrives in each week: shipments at each player (from upstream, or
  // finished brewing at the factory), orders at each player (from
  // downstream), production requests at the brewery.
  std::vector<std::array<double, kPlayers>> shipments(W), orders(W);
  std::vector<double> requests(W, 0.0);
  std::array<double, kPlayers> on_hand{}, backlog{}, on_order{}, forecast{};
  for (int i = 0; i < kPlayers; ++i) {
    on_hand[i] = 12;
    forecast[i] = 4;
    // Two shipping slots of 4 (the factory: two brewing slots), and two order
    // slots of 4 on the way to the supplier (the factory: one request slot).
    shipments[0][i] = shipments[1][i] = 4;
    if (i > 0) orders[0][i] = orders[1][i] = 4;
    on_order[i] = i == kFactory ? 4 + 4 + 4 : 8 + 8;
  }
  requests[0] = 4;
  std::vector<BeerWeek> out;
  for (int t = 0; t < weeks; ++t) {
    const auto k = static_cast<std::size_t>(t);
    BeerWeek w;
    for (int i = 0; i < kPlayers; ++i) {
      // Receive, then take the week's incoming order, then ship what stock
      // allows (to the customers, or onto the two-week shipping delay).
      on_hand[i] += shipments[k][i];
      on_order[i] -= shipments[k][i];
      const double incoming = i == 0 ? (t < 4 ? 4.0 : 8.0) : orders[k][i];
      backlog[i] += incoming;
      const double ship = std::min(on_hand[i], backlog[i]);
      on_hand[i] -= ship;
      backlog[i] -= ship;
      if (i > 0) shipments[k + 2][i - 1] += ship;
      if (i == kFactory) shipments[k + 2][i] += requests[k];  // brewing starts now, done in 2 weeks
      // Decide: the anchoring-and-adjustment rule on what the week showed.
      forecast[i] = par.theta * incoming + (1.0 - par.theta) * forecast[i];
      double o = std::max(0.0, forecast[i] + par.alpha_s * (par.s_prime - (on_hand[i] - backlog[i]) -
                                                            par.beta * on_order[i]));
      if (o <= 1e-9) o = 0.0;  // chainsim treats quantities below 1e-9 as none
      on_order[i] += o;
      if (i < kFactory) {
        orders[k + 2][i + 1] += o;  // two weeks in the mail
      } else {
        requests[k + 1] += o;  // a week to reach the brewery
      }
      w.order[i] = o;
      w.on_hand[i] = on_hand[i];
      w.backlog[i] = backlog[i];
      w.on_order[i] = on_order[i];
      w.received_orders[i] = incoming;
    }
    out.push_back(w);
  }
  return out;
}

// --- customer segments ------------------------------------------------------

namespace {

// P(X = k), k = 0 .. n, for X ~ Binomial(n, p), by the ratio of successive
// terms from (1 - p)^n. REQUIRES: 0 <= p < 1 and n small enough that (1 - p)^n
// does not underflow (n p < 700).
std::vector<double> binomial_pmf(int n, double p) {
  std::vector<double> out(static_cast<std::size_t>(n) + 1, 0.0);
  out[0] = std::pow(1 - p, n);
  const double odds = p / (1 - p);
  for (int k = 0; k < n; ++k) out[static_cast<std::size_t>(k) + 1] = out[static_cast<std::size_t>(k)] * (n - k) / (k + 1.0) * odds;
  return out;
}

}  // namespace

CustomerBase customer_base_newsvendor(double rate, int S, double q, double h, double a, int a_max) {
  const int n = a_max + 1;
  const std::vector<double> acquired = poisson_pmf(a);
  // P[i][j]: from i active customers to j.
  Eigen::MatrixXd P = Eigen::MatrixXd::Zero(n, n);
  for (int i = 0; i < n; ++i) {
    // The distribution of service defections D_s, capped at i.
    std::vector<double> ds(static_cast<std::size_t>(i) + 1, 0.0);
    const std::vector<double> orders = poisson_pmf(rate * i);
    for (std::size_t o = 0; o < orders.size(); ++o) {
      const int lost = std::max(0, static_cast<int>(o) - S);
      const std::vector<double> d = binomial_pmf(lost, q);
      for (int k = 0; k <= lost; ++k) ds[static_cast<std::size_t>(std::min(k, i))] += orders[o] * d[static_cast<std::size_t>(k)];
    }
    std::vector<double> rest(static_cast<std::size_t>(i) + 1, 0.0);  // i - D_s - D_i
    for (int s = 0; s <= i; ++s) {
      if (ds[static_cast<std::size_t>(s)] == 0) continue;
      const std::vector<double> left = binomial_pmf(i - s, h);  // D_i
      for (int k = 0; k <= i - s; ++k) rest[static_cast<std::size_t>(i - s - k)] += ds[static_cast<std::size_t>(s)] * left[static_cast<std::size_t>(k)];
    }
    for (int r = 0; r <= i; ++r) {
      for (std::size_t m = 0; m < acquired.size(); ++m) {
        P(i, std::min(n - 1, r + static_cast<int>(m))) += rest[static_cast<std::size_t>(r)] * acquired[m];
      }
    }
  }
  // pi (P - I) = 0 with sum(pi) = 1: the last equation replaced by the sum.
  Eigen::MatrixXd A = (P - Eigen::MatrixXd::Identity(n, n)).transpose();
  A.row(n - 1).setOnes();
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(n);
  rhs(n - 1) = 1;
  const Eigen::VectorXd pi = A.partialPivLu().solve(rhs);
  CustomerBase out;
  for (int i = 0; i < n; ++i) {
    out.mean_active += i * pi(i);
    if (i >= 0.95 * a_max) out.tail_mass += pi(i);
  }
  out.fixed_point = customer_base_fixed_point(rate, S, q, h, a);
  return out;
}

double customer_base_fixed_point(double rate, int S, double q, double h, double a) {
  // By bisection on [0, a / h]: the drift is positive at 0 and negative at a / h.
  auto drift = [&](double x) { return a - h * x - (1 - h) * q * poisson_excess(rate * x, S); };
  double lo = 0, hi = a / h;
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    (drift(mid) > 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double lifetime_value_margin_first(double m, double r, double d) { return m * (1 + d) / (1 + d - r); }
double lifetime_value_churn_first(double m, double r, double d) { return m * r / (1 + d - r); }

std::vector<double> outage_expected_active(double a, double h, double q, double rate, int from, int length,
                                           int periods) {
  std::vector<double> e(static_cast<std::size_t>(periods));
  double x = a / h;
  for (int k = 0; k < periods; ++k) {
    e[static_cast<std::size_t>(k)] = x;
    const bool out = k >= from && k < from + length;
    x = a + (1 - h) * (1 - (out ? q * rate : 0.0)) * x;
  }
  return e;
}

double bgnbd_expected_purchases(double r, double alpha, double a, double b, double t) {
  const double z = t / (alpha + t);
  const double f = boost::math::hypergeometric_pFq({r, b}, {a + b - 1}, z);
  return (a + b - 1) / (a - 1) * (1 - std::pow(alpha / (alpha + t), r) * f);
}

}  // namespace chainsim::validation::theory

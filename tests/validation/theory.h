// Published results the validation suite compares chainsim with, computed
// here from their formulas alone: nothing in this file calls the models. The
// derivations for chainsim's timing convention (docs/timing.md) are in
// docs/validation.md; each function names the result it evaluates.
//
// Poisson probabilities come from Boost.Math; sums over a Poisson support are
// cut where the remaining tail mass is below 1e-16.
#pragma once

#include <array>
#include <vector>

namespace chainsim::validation::theory {

// X ~ Poisson(mean): E[(X - s)^+] and E[(s - X)^+]. REQUIRES: mean >= 0.
double poisson_excess(double mean, double s);
double poisson_shortfall(double mean, double s);
// P(X <= s) (0 for s < 0).
double poisson_cdf(double mean, double s);

// Single-stage periodic-review base-stock S, Poisson(lambda) demand a period,
// tau >= 1 periods from review to receipt (order delay + transit), measured
// at period ends (time averages equal end-of-period levels here).
struct BaseStock {
  double on_hand;              // E[(S - D(tau))^+]
  double backorders;           // E[(D(tau) - S)^+]
  double ready_rate;           // P(D(tau) <= S - 1)
  double fill_rate;            // 1 - (E[(D(tau)-S)^+] - E[(D(tau-1)-S)^+]) / lambda
  double cycle_service_level;  // P(D(tau) <= S | the cycle's order was positive)
};
BaseStock base_stock_poisson(double lambda, int tau, double S);

// Periodic-review (s, S), Poisson(lambda) demand a period, backorders, tau
// periods from review to receipt, holding h and backorder b on period-end
// levels, a fixed cost K per order: the long-run cost a period, exactly, by
// Zheng & Federgruen (1991): c(s, S) = (K + sum_{j=0}^{S-s-1} m(j) G(S - j))
// / M(S - s), with m the renewal mass function of the period demand
// (m(0) = 1 / (1 - p0), m(j) = sum_{l=1}^{j} p_l m(j - l) / (1 - p0)),
// M(n) = m(0) + ... + m(n - 1), and G(y) = h E[(y - D(tau))^+] + b E[(D(tau)
// - y)^+] the expected cost of a period whose position after ordering is y.
// An order is placed when the position is at or below s, once a cycle: the
// order rate is 1 / M(S - s). REQUIRES: s < S.
struct SsPolicy {
  double cost = 0;        // holding + backorder + ordering, a period
  double order_rate = 0;  // orders a period
};
SsPolicy s_S_poisson(double lambda, int tau, double h, double b, double K, int s, int S);

// A perishable product with a fixed shelf life of m periods at a shop that
// orders up to S every period from a supplier one period away (order delay
// 0, transit 1), Poisson(lambda) demand, lost sales, units issued oldest
// first (fifo) or freshest first (!fifo); the shelf life starts when a unit
// is put away. The exact stationary distribution of the Markov chain whose
// state after a period's demand is y_1..y_m, the units that expire 1..m
// periods later (sum <= S): the next period outdates y_1, receives S - sum y
// (ordered after this period's demand) and serves Poisson demand by the rule.
// Its state space is small for small m and S (m = 3, S = 12: 455 states);
// the distribution is found by power iteration to a change below 1e-14.
struct Perishable {
  double outdated = 0;  // units outdated a period
  double lost = 0;      // demand lost a period
  double on_hand = 0;   // mean on hand (the stock between boundaries)
};
Perishable perishable_base_stock(double lambda, int m, int S, bool fifo);

// Var(q) / Var(D) of an order-up-to policy y_t = L * forecast_t + constant
// under i.i.d. demand, orders never clipped:
//   moving average of the last p demands (Chen, Drezner, Ryan & Simchi-Levi
//   2000): 1 + 2L/p + 2L^2/p^2;
//   exponential smoothing with constant alpha (Chen, Ryan & Simchi-Levi
//   2000): 1 + 2 L alpha + 2 L^2 alpha^2 / (2 - alpha).
double bullwhip_moving_average(double L, int p);
double bullwhip_exponential_smoothing(double L, double alpha);

// A serial chain of such stages, each with a p-period moving average and
// coverage L[i] (i = 0 the retailer), zero order delays: Var(orders of the
// top stage) / Var(end demand). Decentralized: each stage forecasts the
// orders it receives, so the top's orders are prod_i ((1 + a_i) - a_i B^p) D
// with a_i = L[i] / p and B the backshift (exact: the sum of the squared
// coefficients; Chen et al.'s product of single-stage ratios is its lower
// bound). Centralized: every stage forecasts end demand, which gives
// 1 + 2A + 2A^2 with A = sum_i L[i] / p (Chen et al. 2000, section 4).
double bullwhip_serial_decentralized(const std::vector<double>& L, int p);
double bullwhip_serial_centralized(const std::vector<double>& L, int p);

// Two-stage serial system (a warehouse supplied with lead time L2 by an
// unlimited source, a retailer supplied by it with lead time L1), Poisson
// demand at the retailer, echelon base-stock, installation holding costs h2
// (warehouse) and h1 (retailer) on stock on hand per period, backorder cost b
// per unit per period at the retailer.
struct TwoStage {
  int S1 = 0, S2 = 0;           // echelon base-stock levels
  double cost = 0;              // expected holding + backorder cost per period
  double retailer_on_hand = 0;  // E[(IN1)^+], IN1 = min(S1, S2 - X2) - X1
  double retailer_backorders = 0;
  double warehouse_on_hand = 0;  // E[(S2 - S1 - X2)^+]
};
// The optimal echelon base-stock levels and their cost, by the Clark-Scarf
// recursion in the form of Chen & Zheng (1994): G1(y) = (h1 - h2)(y - E X1)
// + (b + h1) E[(X1 - y)^+]; S1 = argmin G1; G2(y) = h2 (y - E X2) +
// E[G1(min(S1, y - X2))]; S2 = argmin G2; the expected cost with echelon
// holding on the pipeline is G2(S2), and chainsim, which charges holding on
// stock on hand only, saves h2 * lambda * L1 of it.
TwoStage clark_scarf_two_stage(double lambda, int L1, int L2, double h1, double h2, double b);
// The same quantities for given levels, from the distributions directly
// (a check on the recursion).
TwoStage two_stage_direct(double lambda, int L1, int L2, double h1, double h2, double b, int S1, int S2);

// The MIT beer game board (Sterman 1989), as chainsim's beer_game scenario
// sets it up: four players (0 retailer, 1 wholesaler, 2 distributor,
// 3 factory), 12 cases on hand each, shipping delay 2, order delay 2, the
// factory's production request delay 1 and brewing delay 2, every pipeline
// slot holding 4 cases, customer demand 4 a week and 8 from week 4 (week 5
// of the game), every player ordering by the anchoring-and-adjustment rule
//   F_t = theta D_t + (1 - theta) F_{t-1},   F_{-1} = 4
//   O_t = max(0, F_t + alpha_s (S' - (on hand - backlog) - beta SL_t))
// with D_t the orders received in week t and SL_t what the player has on
// order (placed, not received).
struct BeerParameters {
  double theta, alpha_s, beta, s_prime;
};
struct BeerWeek {
  std::array<double, 4> order{}, on_hand{}, backlog{}, on_order{}, received_orders{};
};
// Weeks 0 .. weeks-1 of the board, played by its rules.
std::vector<BeerWeek> beer_game_board(const BeerParameters& p, int weeks);

// --- customer segments (docs/customers.md, docs/validation.md) ---------------

// A population segment buying unit orders at a store that starts every period
// with S on hand (refilled at once, lost sales): with A_k active customers,
// O ~ Poisson(rate A_k) orders, (O - S)^+ of them lost, each losing its
// customer with probability q, intrinsic churn h of the rest, Poisson(a) new
// customers:
//   A_{k+1} = A_k - D_s - D_i + N,  D_s ~ Bin((O - S)^+, q),
//   D_i ~ Bin(A_k - D_s, h),  N ~ Poisson(a).
struct CustomerBase {
  double mean_active = 0;  // E[A] under the chain's stationary distribution (exact, truncated at a_max)
  double fixed_point = 0;  // A* solving a = h A* + (1 - h) q E[(Poisson(rate A*) - S)^+]
  double tail_mass = 0;    // stationary mass within 5% of a_max (the truncation's error bound)
};
CustomerBase customer_base_newsvendor(double rate, int S, double q, double h, double a, int a_max);
// The fixed point A* alone.
double customer_base_fixed_point(double rate, int S, double q, double h, double a);

// Lifetime value of a customer with margin m per period, retention r per
// period and discount rate d per period, for chainsim's timing (a period's
// margin comes before that period's churn): sum_k m (r / (1 + d))^k =
// m (1 + d) / (1 + d - r); and the form for the other timing (churn first):
// m r / (1 + d - r). REQUIRES: r < 1 + d.
double lifetime_value_margin_first(double m, double r, double d);
double lifetime_value_churn_first(double m, double r, double d);

// The expected active customers of a segment whose every order is lost in
// periods [from, from + length) (an outage) and met otherwise, starting at
// A_0 = a / h: E[A_{k+1}] = a + (1 - h)(1 - q rate [k in the outage]) E[A_k].
// Returns E[A_k] for k = 0 .. periods - 1.
std::vector<double> outage_expected_active(double a, double h, double q, double rate, int from, int length,
                                           int periods);

// BG/NBD (Fader, Hardie & Lee 2005, eq. 7): the expected number of orders a
// customer places in (0, t] when it orders at Poisson rate lambda while
// active, leaves for good after each order with probability p, lambda ~
// Gamma(shape r, rate alpha), p ~ Beta(a, b):
//   E[X(t)] = (a + b - 1) / (a - 1) [1 - (alpha / (alpha + t))^r
//             2F1(r, b; a + b - 1; t / (alpha + t))].
// Individual mode's customers are this model at whole t: Poisson(lambda)
// orders per period, then the dropout after each in turn. REQUIRES: a != 1.
double bgnbd_expected_purchases(double r, double alpha, double a, double b, double t);

}  // namespace chainsim::validation::theory

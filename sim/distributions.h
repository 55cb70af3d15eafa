// Probability distributions for stochastic sources, sampled by inversion.
//
// Every variate is F^-1(u) of exactly one uniform u from the source's own
// RandomStream, for every distribution here. So when a parameter changes
// between two variants (a mean demand, a lead-time spread), the k-th variate
// of each source still comes from the k-th uniform of its stream: common random
// numbers stay in step draw for draw, and differences between variants are not
// noise from the seed. Quantile functions are chainsim's own (discrete
// distributions: sequential search on the probability mass recurrence) or
// Boost.Math's (normal, gamma), never the standard library's distribution
// classes, whose algorithms differ between implementations.
//
// Cost: constant for the closed forms; O(mean) for Poisson below mean 30,
// O(sqrt(mean)) above (search from the mode); O(mean) for the negative
// binomial; one Boost.Math inverse incomplete gamma per gamma variate (about a
// microsecond: fine for lead times, not for per-unit events). The searches are
// bounded only for the parameters sampling_problem() accepts: a Poisson or
// negative binomial mean of at most kMaxCountMean, and a negative binomial
// whose P(N = 0) = p^r does not underflow.
#pragma once

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "sim/random.h"

namespace chainsim::sim {

// Quantile functions. REQUIRES: 0 < u < 1 and valid parameters (as for the
// factory functions of Distribution below).
double poisson_quantile(double u, double mean);
// Below this mean poisson_quantile walks up from 0; above it, from the mode.
inline constexpr double kPoissonWalkFromZero = 30.0;
// One step of the Poisson walk from zero: p = P(N = k - 1) becomes
// P(N = k), and cdf = P(N <= k - 1) becomes P(N <= k). Every walk and every
// table of it takes this step, so that they compute the same doubles.
inline void poisson_step(double mean, double k, double& p, double& cdf) {
  p *= mean / k;
  cdf += p;
}
// The Poisson(mean) quantile's walk upwards from k, where p = P(N = k) and
// cdf = P(N <= k): the smallest k' >= k with P(N <= k') >= u. The cap only
// matters when rounding keeps the running sum below u for u within a few
// ulps of 1; no realistic quantile lies that far out.
// The cap is worked out only when the walk passes mean + 100, which no cap
// is below: a short walk does not wait for a square root.
inline double poisson_walk_up(double u, double mean, double k, double p, double cdf) {
  double cap = mean + 100.0;  // a bound below the cap, until the walk reaches it
  bool exact = false;
  while (cdf < u) {
    if (!(k < cap)) {
      if (exact) break;
      cap = mean + 40.0 * std::sqrt(mean) + 100.0;
      exact = true;
      if (!(k < cap)) break;
    }
    k += 1.0;
    poisson_step(mean, k, p, cdf);
  }
  return k;
}
// poisson_quantile's walk from 0 with exp(-mean) given (a caller drawing
// often from one mean computes it once): the same result, step for step.
// REQUIRES: 0 < mean < kPoissonWalkFromZero, exp_minus_mean == exp(-mean).
inline double poisson_quantile_from_zero(double u, double mean, double exp_minus_mean) {
  return poisson_walk_up(u, mean, 0.0, exp_minus_mean, exp_minus_mean);
}
double normal_quantile(double u, double mean, double sd);
// Normal(mean, sd) conditioned on X >= lower (a truncated, not a clipped, normal).
double truncated_normal_quantile(double u, double mean, double sd, double lower);
double negative_binomial_quantile(double u, double r, double p);
// Binomial(n, p) with n a whole number >= 0, 0 <= p <= 1: search from the mode.
double binomial_quantile(double u, double n, double p);

// The largest mean of a Poisson or negative binomial distribution that
// scenarios may give: a variate costs up to about 40 sqrt(mean) steps
// (Poisson) or mean steps (negative binomial, a few milliseconds at this
// bound).
inline constexpr double kMaxCountMean = 1e6;

class Distribution;

// Empty when every variate of `d` is drawn in bounded time (see the cost
// above); otherwise what is wrong, as "family: what (got X)". The factories
// do not check this (a runtime what-if multiplier may scale a mean past it);
// the scenario loader does, for every distribution a file gives.
std::string sampling_problem(const Distribution& d);

class Distribution {
 public:
  enum class Kind {
    kConstant,
    kPoisson,
    kNormal,
    kTruncatedNormal,
    kLognormal,
    kGamma,
    kExponential,
    kUniform,
    kUniformInt,
    kNegativeBinomial,
    kEmpirical,
  };

  // Factories. Each throws std::invalid_argument naming the parameter when a
  // parameter is impossible (negative mean, zero spread where one is needed,
  // non-finite values, empty or non-positive weights).
  static Distribution constant(double value);
  // Poisson with mean > = 0.
  static Distribution poisson(double mean);
  // Normal(mean, sd), sd >= 0. May return negative values.
  static Distribution normal(double mean, double sd);
  // Normal(mean, sd) conditioned on X >= lower; sd > 0.
  static Distribution truncated_normal(double mean, double sd, double lower = 0.0);
  // Lognormal given the mean and standard deviation of the variable itself
  // (not of its logarithm); mean > 0, sd >= 0.
  static Distribution lognormal(double mean, double sd);
  // Gamma with shape k > 0 and scale theta > 0 (mean k*theta).
  static Distribution gamma(double shape, double scale);
  // Exponential with the given mean > 0.
  static Distribution exponential(double mean);
  // Continuous uniform on [low, high), low <= high.
  static Distribution uniform(double low, double high);
  // Discrete uniform on the integers low..high inclusive, low <= high.
  static Distribution uniform_int(long long low, long long high);
  // Number of failures before the r-th success, success probability p;
  // r > 0, 0 < p <= 1. Mean r(1-p)/p, variance r(1-p)/p^2.
  static Distribution negative_binomial(double r, double p);
  // Negative binomial with the given mean and variance; variance > mean > 0.
  static Distribution negative_binomial_mean_var(double mean, double variance);
  // A discrete empirical distribution: values[i] with probability
  // weights[i] / sum(weights). Same sizes, weights >= 0 with a positive sum.
  static Distribution empirical(std::vector<double> values, std::vector<double> weights);

  Distribution() : Distribution(constant(0.0)) {}

  // One variate from one uniform of `rng`.
  double sample(RandomStream& rng) const { return quantile(rng.uniform01()); }
  // The inverse cumulative distribution function. REQUIRES: 0 < u < 1.
  double quantile(double u) const { return kind_ == Kind::kConstant ? a_ : quantile_of_kind(u); }

  double mean() const;
  double variance() const;
  Kind kind() const { return kind_; }
  // True for distributions whose variates are always integers.
  bool is_integer() const;
  // True when every variate is >= 0.
  bool is_nonnegative() const;
  // A short description, e.g. "poisson(mean=8)".
  std::string describe() const;

  // The same family with its mean multiplied by `factor` >= 0: Poisson and
  // negative binomial scale their mean (staying integer-valued; the negative
  // binomial keeps its shape r), the others scale the variate.
  Distribution scaled(double factor) const;

 private:
  friend std::string sampling_problem(const Distribution& d);
  Distribution(Kind kind, double a, double b, double c) : kind_(kind), a_(a), b_(b), c_(c) {}
  double quantile_of_kind(double u) const;

  Kind kind_;
  double a_, b_, c_;  // parameters; meaning by kind (see distributions.cpp)
  std::vector<double> values_;
  // Empirical: the cumulative weights. Poisson with mean below 30: P(N <= k)
  // for k = 0, 1, ... as poisson_quantile's search computes it, so that a
  // quantile is a short walk in a table (same results, no exp() per draw).
  // Immutable and shared by copies: 100,000 stores with the same Poisson
  // demand hold one table (not 100,000 of 1-2 KB each), which their draws
  // then find in cache. Null otherwise (the other kinds, and a Poisson mean
  // of 0 or from 30 up, which search from zero).
  std::shared_ptr<const std::vector<double>> cumulative_;
};

}  // namespace chainsim::sim

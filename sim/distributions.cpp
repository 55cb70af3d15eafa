#include "sim/distributions.h"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace chainsim::sim {

namespace {

constexpr double kPoissonSearchFromZero = kPoissonWalkFromZero;

std::string num(double x) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  return ec == std::errc() ? std::string(buf, end) : std::string("?");
}

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument(what);
}

bool finite(double x) { return std::isfinite(x); }

const boost::math::normal_distribution<double>& standard_normal() {
  static const boost::math::normal_distribution<double> n(0.0, 1.0);
  return n;
}

double phi(double x) { return boost::math::pdf(standard_normal(), x); }
double upper_tail(double x) { return boost::math::cdf(boost::math::complement(standard_normal(), x)); }

// Mean and variance of the standard normal conditioned on Z >= a.
void truncated_moments(double a, double& mean, double& var) {
  const double tail = upper_tail(a);
  const double lambda = tail > 0.0 ? phi(a) / tail : a;  // inverse Mills ratio
  mean = lambda;
  var = 1.0 + a * lambda - lambda * lambda;
}

}  // namespace

double poisson_quantile(double u, double mean) {
  if (mean <= 0.0) return 0.0;
  if (mean < kPoissonSearchFromZero) return poisson_quantile_from_zero(u, mean, std::exp(-mean));
  // Start at the mode, where the mass is largest, and walk towards u.
  double k = std::floor(mean);
  double cdf = boost::math::gamma_q(k + 1.0, mean);  // P(N <= k)
  double p = std::exp(-mean + k * std::log(mean) - std::lgamma(k + 1.0));
  if (cdf >= u) {
    // Smallest k with P(N <= k) >= u: step down while P(N <= k-1) >= u.
    while (k > 0.0 && cdf - p >= u) {
      cdf -= p;
      p *= k / mean;
      k -= 1.0;
    }
    return k;
  }
  return poisson_walk_up(u, mean, k, p, cdf);
}

double normal_quantile(double u, double mean, double sd) {
  return mean + sd * boost::math::quantile(standard_normal(), u);
}

double truncated_normal_quantile(double u, double mean, double sd, double lower) {
  const double a = (lower - mean) / sd;
  double z;
  if (a <= 0.0) {
    const double lo = boost::math::cdf(standard_normal(), a);
    z = boost::math::quantile(standard_normal(), lo + u * (1.0 - lo));
  } else {
    // Work in the upper tail, where the probabilities keep their precision.
    const double tail = upper_tail(a) * (1.0 - u);
    z = tail > 0.0 ? boost::math::quantile(boost::math::complement(standard_normal(), tail)) : a;
  }
  return std::max(lower, mean + sd * z);
}

double negative_binomial_quantile(double u, double r, double p) {
  if (p >= 1.0) return 0.0;
  const double q = 1.0 - p;
  double pmf = std::pow(p, r);
  double cdf = pmf;
  double k = 0.0;
  const double mean = r * q / p;
  const double cap = mean + 60.0 * std::sqrt(r * q) / p + 1000.0;
  while (cdf < u && k < cap) {
    pmf *= (k + r) / (k + 1.0) * q;
    k += 1.0;
    cdf += pmf;
  }
  return k;
}

double binomial_quantile(double u, double n, double p) {
  if (n <= 0.0 || p <= 0.0) return 0.0;
  if (p >= 1.0) return n;
  const boost::math::binomial_distribution<double> b(n, p);
  double k = std::floor((n + 1.0) * p);
  if (k > n) k = n;
  double cdf = boost::math::cdf(b, k);
  double pmf = boost::math::pdf(b, k);
  const double odds = p / (1.0 - p);
  if (cdf >= u) {
    while (k > 0.0 && cdf - pmf >= u) {
      cdf -= pmf;
      pmf *= k / ((n - k + 1.0) * odds);  // pmf(k-1) from pmf(k)
      k -= 1.0;
    }
    return k;
  }
  while (cdf < u && k < n) {
    pmf *= (n - k) / (k + 1.0) * odds;  // pmf(k+1) from pmf(k)
    k += 1.0;
    cdf += pmf;
  }
  return k;
}

std::string sampling_problem(const Distribution& d) {
  if (d.kind() == Distribution::Kind::kPoisson && d.mean() > kMaxCountMean) {
    return "poisson: mean must be at most 1e6, the largest the sampler draws from in bounded time (got " +
           num(d.mean()) + ")";
  }
  if (d.kind() == Distribution::Kind::kNegativeBinomial) {
    if (d.mean() > kMaxCountMean) {
      return "negative_binomial: mean r(1-p)/p must be at most 1e6, the largest the sampler draws from in "
             "bounded time (got " + num(d.mean()) + ")";
    }
    // The search starts from P(N = 0) = p^r: zero, and it never leaves it.
    const double r = d.a_, p = d.b_;
    if (!(std::pow(p, r) >= std::numeric_limits<double>::min())) {
      return "negative_binomial: p^r, the probability of 0 the sampler starts from, underflows (got r=" + num(r) +
             ", p=" + num(p) + "): use a larger p or a smaller r";
    }
  }
  return "";
}

Distribution Distribution::constant(double value) {
  require(finite(value), "constant: value must be finite (got " + num(value) + ")");
  return {Kind::kConstant, value, 0, 0};
}

Distribution Distribution::poisson(double mean) {
  require(finite(mean) && mean >= 0.0, "poisson: mean must be >= 0 (got " + num(mean) + ")");
  Distribution d{Kind::kPoisson, mean, 0, 0};
  if (mean > 0.0 && mean < kPoissonSearchFromZero) {
    // A network builds the same table once per stock: the last one built on
    // this thread is reused when the mean is the same (bit for bit).
    thread_local double last_mean = -1.0;
    thread_local std::shared_ptr<const std::vector<double>> last_table;
    if (mean != last_mean || !last_table) {
      // The running CDF of poisson_quantile's search from zero, step for step
      // (the same recurrence in the same order, so the same doubles): element
      // k is P(N <= k) as that search computes it, up to its cap.
      std::vector<double> table;
      double p = std::exp(-mean);
      double cdf = p;
      double k = 0.0;
      const double cap = mean + 40.0 * std::sqrt(mean) + 100.0;
      table.push_back(cdf);
      while (k < cap) {
        k += 1.0;
        poisson_step(mean, k, p, cdf);
        table.push_back(cdf);
      }
      table.shrink_to_fit();
      last_table = std::make_shared<const std::vector<double>>(std::move(table));
      last_mean = mean;
    }
    d.cumulative_ = last_table;
  }
  return d;
}

Distribution Distribution::normal(double mean, double sd) {
  require(finite(mean), "normal: mean must be finite (got " + num(mean) + ")");
  require(finite(sd) && sd >= 0.0, "normal: sd must be >= 0 (got " + num(sd) + ")");
  return {Kind::kNormal, mean, sd, 0};
}

Distribution Distribution::truncated_normal(double mean, double sd, double lower) {
  require(finite(mean), "truncated_normal: mean must be finite (got " + num(mean) + ")");
  require(finite(sd) && sd > 0.0, "truncated_normal: sd must be > 0 (got " + num(sd) + ")");
  require(finite(lower), "truncated_normal: lower must be finite (got " + num(lower) + ")");
  require((lower - mean) / sd < 37.0,
          "truncated_normal: lower bound is more than 37 sd above the mean (no mass left)");
  return {Kind::kTruncatedNormal, mean, sd, lower};
}

Distribution Distribution::lognormal(double mean, double sd) {
  require(finite(mean) && mean > 0.0, "lognormal: mean must be > 0 (got " + num(mean) + ")");
  require(finite(sd) && sd >= 0.0, "lognormal: sd must be >= 0 (got " + num(sd) + ")");
  const double sigma2 = std::log1p((sd / mean) * (sd / mean));
  return {Kind::kLognormal, std::log(mean) - 0.5 * sigma2, std::sqrt(sigma2), mean};
}

Distribution Distribution::gamma(double shape, double scale) {
  require(finite(shape) && shape > 0.0, "gamma: shape must be > 0 (got " + num(shape) + ")");
  // Boost's inverse of the incomplete gamma gives up past about 1e11; a
  // narrower gamma than this is a constant to a ten-thousandth of its mean.
  require(shape <= 1e8, "gamma: shape must be at most 1e8, sd at least mean / 1e4 (got shape " + num(shape) +
                            "; for a fixed value give a number)");
  require(finite(scale) && scale > 0.0, "gamma: scale must be > 0 (got " + num(scale) + ")");
  return {Kind::kGamma, shape, scale, 0};
}

Distribution Distribution::exponential(double mean) {
  require(finite(mean) && mean > 0.0, "exponential: mean must be > 0 (got " + num(mean) + ")");
  return {Kind::kExponential, mean, 0, 0};
}

Distribution Distribution::uniform(double low, double high) {
  require(finite(low) && finite(high) && low <= high,
          "uniform: need finite low <= high (got low=" + num(low) + ", high=" + num(high) + ")");
  return {Kind::kUniform, low, high, 0};
}

Distribution Distribution::uniform_int(long long low, long long high) {
  require(low <= high, "uniform_int: need low <= high (got low=" + std::to_string(low) +
                           ", high=" + std::to_string(high) + ")");
  return {Kind::kUniformInt, static_cast<double>(low), static_cast<double>(high), 0};
}

Distribution Distribution::negative_binomial(double r, double p) {
  require(finite(r) && r > 0.0, "negative_binomial: r must be > 0 (got " + num(r) + ")");
  require(finite(p) && p > 0.0 && p <= 1.0,
          "negative_binomial: p must be in (0, 1] (got " + num(p) + ")");
  return {Kind::kNegativeBinomial, r, p, 0};
}

Distribution Distribution::negative_binomial_mean_var(double mean, double variance) {
  require(finite(mean) && mean > 0.0,
          "negative_binomial: mean must be > 0 (got " + num(mean) + ")");
  require(finite(variance) && variance > mean,
          "negative_binomial: variance must exceed the mean (got variance=" + num(variance) +
              ", mean=" + num(mean) + ")");
  const double p = mean / variance;
  return negative_binomial(mean * p / (1.0 - p), p);
}

Distribution Distribution::empirical(std::vector<double> values, std::vector<double> weights) {
  require(!values.empty(), "empirical: values must not be empty");
  require(values.size() == weights.size(),
          "empirical: values and weights must have the same length (got " +
              std::to_string(values.size()) + " and " + std::to_string(weights.size()) + ")");
  double total = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    require(finite(values[i]), "empirical: values must be finite");
    require(finite(weights[i]) && weights[i] >= 0.0,
            "empirical: weights must be >= 0 (got " + num(weights[i]) + ")");
    total += weights[i];
  }
  require(total > 0.0, "empirical: weights must have a positive sum");
  Distribution d{Kind::kEmpirical, 0, 0, 0};
  std::vector<double> cumulative(weights.size());
  double running = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    running += weights[i];
    cumulative[i] = running / total;
  }
  cumulative.back() = 1.0;
  d.cumulative_ = std::make_shared<const std::vector<double>>(std::move(cumulative));
  d.values_ = std::move(values);
  return d;
}

double Distribution::quantile_of_kind(double u) const {
  switch (kind_) {
    case Kind::kConstant:
      return a_;
    case Kind::kPoisson: {
      if (!cumulative_) return poisson_quantile(u, a_);
      const std::vector<double>& cdf = *cumulative_;
      // The smallest k with P(N <= k) >= u, or the last entry (the search's
      // cap) when none is: since the CDF only grows, k is the number of
      // entries below u among all but the last. Counted without branches in
      // a window of kWindow entries around the mode (a data-dependent loop
      // exit mispredicts on every draw), walked when k lies outside it.
      constexpr std::size_t kWindow = 16;
      const std::size_t last = cdf.size() - 1;  // >= 100: the cap is
      const auto mode = static_cast<std::size_t>(a_);
      const std::size_t lo = std::min(mode > kWindow / 2 ? mode - kWindow / 2 : 0, last - kWindow);
      const double* w = cdf.data() + lo;
      std::size_t below = 0;
      for (std::size_t j = 0; j < kWindow; ++j) below += w[j] < u ? 1 : 0;
      std::size_t k = lo + below;
      if ((lo > 0 && cdf[lo - 1] >= u) || below == kWindow) {
        k = std::min(mode, last);
        if (cdf[k] >= u) {
          while (k > 0 && cdf[k - 1] >= u) --k;
        } else {
          while (k < last && cdf[k] < u) ++k;
        }
      }
      return static_cast<double>(k);
    }
    case Kind::kNormal:
      return b_ == 0.0 ? a_ : normal_quantile(u, a_, b_);
    case Kind::kTruncatedNormal:
      return truncated_normal_quantile(u, a_, b_, c_);
    case Kind::kLognormal:
      return std::exp(a_ + b_ * boost::math::quantile(standard_normal(), u));
    case Kind::kGamma:
      return b_ * boost::math::gamma_p_inv(a_, u);
    case Kind::kExponential:
      return -a_ * std::log1p(-u);
    case Kind::kUniform:
      return a_ + (b_ - a_) * u;
    case Kind::kUniformInt: {
      const double k = std::floor(u * (b_ - a_ + 1.0));
      return a_ + std::min(k, b_ - a_);
    }
    case Kind::kNegativeBinomial:
      return negative_binomial_quantile(u, a_, b_);
    case Kind::kEmpirical: {
      const std::vector<double>& cdf = *cumulative_;
      const auto it = std::lower_bound(cdf.begin(), cdf.end(), u);
      const auto i = static_cast<std::size_t>(it - cdf.begin());
      return values_[std::min(i, values_.size() - 1)];
    }
  }
  return 0.0;
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::kConstant:
    case Kind::kNormal:
      return a_;
    case Kind::kPoisson:
      return a_;
    case Kind::kTruncatedNormal: {
      double m, v;
      truncated_moments((c_ - a_) / b_, m, v);
      return a_ + b_ * m;
    }
    case Kind::kLognormal:
      return c_;
    case Kind::kGamma:
      return a_ * b_;
    case Kind::kExponential:
      return a_;
    case Kind::kUniform:
    case Kind::kUniformInt:
      return 0.5 * (a_ + b_);
    case Kind::kNegativeBinomial:
      return a_ * (1.0 - b_) / b_;
    case Kind::kEmpirical: {
      double m = 0.0, prev = 0.0;
      for (std::size_t i = 0; i < values_.size(); ++i) {
        m += values_[i] * ((*cumulative_)[i] - prev);
        prev = (*cumulative_)[i];
      }
      return m;
    }
  }
  return 0.0;
}

double Distribution::variance() const {
  switch (kind_) {
    case Kind::kConstant:
      return 0.0;
    case Kind::kPoisson:
      return a_;
    case Kind::kNormal:
      return b_ * b_;
    case Kind::kTruncatedNormal: {
      double m, v;
      truncated_moments((c_ - a_) / b_, m, v);
      return b_ * b_ * v;
    }
    case Kind::kLognormal:
      return std::expm1(b_ * b_) * c_ * c_;
    case Kind::kGamma:
      return a_ * b_ * b_;
    case Kind::kExponential:
      return a_ * a_;
    case Kind::kUniform:
      return (b_ - a_) * (b_ - a_) / 12.0;
    case Kind::kUniformInt: {
      const double n = b_ - a_ + 1.0;
      return (n * n - 1.0) / 12.0;
    }
    case Kind::kNegativeBinomial:
      return a_ * (1.0 - b_) / (b_ * b_);
    case Kind::kEmpirical: {
      const double m = mean();
      double v = 0.0, prev = 0.0;
      for (std::size_t i = 0; i < values_.size(); ++i) {
        v += (values_[i] - m) * (values_[i] - m) * ((*cumulative_)[i] - prev);
        prev = (*cumulative_)[i];
      }
      return v;
    }
  }
  return 0.0;
}

bool Distribution::is_integer() const {
  switch (kind_) {
    case Kind::kPoisson:
    case Kind::kUniformInt:
    case Kind::kNegativeBinomial:
      return true;
    case Kind::kConstant:
      return a_ == std::floor(a_);
    case Kind::kEmpirical:
      return std::all_of(values_.begin(), values_.end(),
                         [](double v) { return v == std::floor(v); });
    default:
      return false;
  }
}

bool Distribution::is_nonnegative() const {
  switch (kind_) {
    case Kind::kConstant:
      return a_ >= 0.0;
    case Kind::kNormal:
      return b_ == 0.0 && a_ >= 0.0;
    case Kind::kTruncatedNormal:
      return c_ >= 0.0;
    case Kind::kUniform:
    case Kind::kUniformInt:
      return a_ >= 0.0;
    case Kind::kEmpirical:
      return std::all_of(values_.begin(), values_.end(), [](double v) { return v >= 0.0; });
    default:
      return true;
  }
}

std::string Distribution::describe() const {
  switch (kind_) {
    case Kind::kConstant:
      return "constant(" + num(a_) + ")";
    case Kind::kPoisson:
      return "poisson(mean=" + num(a_) + ")";
    case Kind::kNormal:
      return "normal(mean=" + num(a_) + ", sd=" + num(b_) + ")";
    case Kind::kTruncatedNormal:
      return "truncated_normal(mean=" + num(a_) + ", sd=" + num(b_) + ", lower=" + num(c_) + ")";
    case Kind::kLognormal:
      return "lognormal(mean=" + num(c_) + ", sd=" + num(std::sqrt(variance())) + ")";
    case Kind::kGamma:
      return "gamma(shape=" + num(a_) + ", scale=" + num(b_) + ")";
    case Kind::kExponential:
      return "exponential(mean=" + num(a_) + ")";
    case Kind::kUniform:
      return "uniform(low=" + num(a_) + ", high=" + num(b_) + ")";
    case Kind::kUniformInt:
      return "uniform_int(low=" + num(a_) + ", high=" + num(b_) + ")";
    case Kind::kNegativeBinomial:
      return "negative_binomial(r=" + num(a_) + ", p=" + num(b_) + ")";
    case Kind::kEmpirical:
      return "empirical(" + std::to_string(values_.size()) + " values)";
  }
  return "?";
}

Distribution Distribution::scaled(double factor) const {
  require(finite(factor) && factor >= 0.0,
          "scale factor must be >= 0 (got " + num(factor) + ")");
  switch (kind_) {
    case Kind::kConstant:
      return constant(a_ * factor);
    case Kind::kPoisson:
      return poisson(a_ * factor);
    case Kind::kNormal:
      return normal(a_ * factor, b_ * factor);
    case Kind::kTruncatedNormal:
      if (factor == 0.0) return constant(0.0);
      return truncated_normal(a_ * factor, b_ * factor, c_ * factor);
    case Kind::kLognormal:
      if (factor == 0.0) return constant(0.0);
      return lognormal(c_ * factor, std::sqrt(variance()) * factor);
    case Kind::kGamma:
      if (factor == 0.0) return constant(0.0);
      return gamma(a_, b_ * factor);
    case Kind::kExponential:
      if (factor == 0.0) return constant(0.0);
      return exponential(a_ * factor);
    case Kind::kUniform:
      return uniform(a_ * factor, b_ * factor);
    case Kind::kNegativeBinomial: {
      if (factor == 0.0) return constant(0.0);
      const double m = mean() * factor;
      return negative_binomial(a_, a_ / (a_ + m));
    }
    case Kind::kUniformInt:
    case Kind::kEmpirical: {
      std::vector<double> values, weights;
      double prev = 0.0;
      if (kind_ == Kind::kUniformInt && b_ - a_ >= 1e6) {
        return uniform(a_ * factor, (b_ + 1.0) * factor);  // fine-grained: the continuous limit
      }
      const std::size_t n = kind_ == Kind::kEmpirical ? values_.size()
                                                      : static_cast<std::size_t>(b_ - a_ + 1.0);
      for (std::size_t i = 0; i < n; ++i) {
        const double v = kind_ == Kind::kEmpirical ? values_[i] : a_ + static_cast<double>(i);
        const double w = kind_ == Kind::kEmpirical ? (*cumulative_)[i] - prev : 1.0;
        if (kind_ == Kind::kEmpirical) prev = (*cumulative_)[i];
        values.push_back(v * factor);
        weights.push_back(w);
      }
      return empirical(std::move(values), std::move(weights));
    }
  }
  return *this;
}

}  // namespace chainsim::sim

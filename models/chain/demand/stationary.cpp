// A fixed distribution every period: constant, poisson, normal (truncated at
// zero), negative binomial, uniform, or any distribution.
#include <cmath>
#include <fmt/core.h>
#include <stdexcept>

#include "models/chain/demand.h"

namespace chainsim::models {

namespace {

using sim::Distribution;
using sim::RandomStream;

class Stationary final : public PeriodDemand {
 public:
  explicit Stationary(Distribution d) : d_(std::move(d)), scaled_(d_), factor_(1.0) {}
  double draw(std::int64_t, RandomStream& rng, double multiplier) override {
    if (multiplier != factor_) {
      scaled_ = d_.scaled(multiplier);
      factor_ = multiplier;
    }
    return std::max(0.0, scaled_.sample(rng));
  }
  double mean(std::int64_t) const override { return d_.mean(); }
  std::string describe() const override { return d_.describe(); }
  bool random() const override { return d_.variance() != 0.0; }

 private:
  Distribution d_;
  Distribution scaled_;
  double factor_;
};

void nonneg(double x, const char* name, std::vector<Problem>& problems) {
  if (!(std::isfinite(x) && x >= 0)) problems.push_back({"", fmt::format("{} must be >= 0 (got {})", name, x)});
}

void check_constant(const DemandSpec& s, std::vector<Problem>& p) { nonneg(s.value, "value", p); }
std::unique_ptr<PeriodDemand> make_constant(const DemandSpec& s) {
  return std::make_unique<Stationary>(Distribution::constant(s.value));
}

void check_poisson(const DemandSpec& s, std::vector<Problem>& p) { nonneg(s.mean, "mean", p); }
std::unique_ptr<PeriodDemand> make_poisson(const DemandSpec& s) {
  return std::make_unique<Stationary>(Distribution::poisson(s.mean));
}

void check_normal(const DemandSpec& s, std::vector<Problem>& p) {
  nonneg(s.mean, "mean", p);
  nonneg(s.sd, "sd", p);
}
// Demand cannot be negative: normal truncated at zero (conditioned), or a
// point mass when sd is 0.
std::unique_ptr<PeriodDemand> make_normal(const DemandSpec& s) {
  return std::make_unique<Stationary>(s.sd > 0 ? Distribution::truncated_normal(s.mean, s.sd, 0.0)
                                               : Distribution::constant(s.mean));
}

void check_negative_binomial(const DemandSpec& s, std::vector<Problem>& p) {
  try {
    (void)Distribution::negative_binomial_mean_var(s.mean, s.variance);
  } catch (const std::invalid_argument& e) {
    p.push_back({"", e.what()});
  }
}
std::unique_ptr<PeriodDemand> make_negative_binomial(const DemandSpec& s) {
  return std::make_unique<Stationary>(Distribution::negative_binomial_mean_var(s.mean, s.variance));
}

void check_uniform(const DemandSpec& s, std::vector<Problem>& p) {
  nonneg(s.low, "low", p);
  if (!(s.high >= s.low)) p.push_back({"", fmt::format("high must be >= low (got low={}, high={})", s.low, s.high)});
  nonneg(s.high, "high", p);
}
std::unique_ptr<PeriodDemand> make_uniform(const DemandSpec& s) {
  // Whole bounds beyond 2^53 would overflow the integer conversion; doubles
  // there are all whole anyway, so the continuous uniform is the same thing.
  const bool integers = s.low == std::floor(s.low) && s.high == std::floor(s.high) && s.high <= 0x1p53;
  return std::make_unique<Stationary>(
      integers ? Distribution::uniform_int(static_cast<long long>(s.low), static_cast<long long>(s.high))
               : Distribution::uniform(s.low, s.high));
}

void check_distribution(const DemandSpec& s, std::vector<Problem>& p) {
  if (!s.distribution.is_nonnegative()) {
    p.push_back({"", "demand distribution must not produce negative values (got " + s.distribution.describe() + ")"});
  }
}
std::unique_ptr<PeriodDemand> make_distribution(const DemandSpec& s) {
  return std::make_unique<Stationary>(s.distribution);
}

}  // namespace

const DemandBehaviour constant_process{true, check_constant, make_constant};
const DemandBehaviour poisson_process{true, check_poisson, make_poisson};
const DemandBehaviour normal_process{true, check_normal, make_normal};
const DemandBehaviour negative_binomial_process{true, check_negative_binomial, make_negative_binomial};
const DemandBehaviour uniform_process{true, check_uniform, make_uniform};
const DemandBehaviour distribution_process{true, check_distribution, make_distribution};

}  // namespace chainsim::models

// A mean that varies by period (step, seasonal), with Poisson, normal or no
// noise around it; one uniform a period whatever the noise.
#include <algorithm>
#include <cmath>
#include <fmt/core.h>
#include <numbers>

#include "models/chain/demand.h"

namespace chainsim::models {

namespace {

class VaryingMean final : public PeriodDemand {
 public:
  explicit VaryingMean(const DemandSpec& s) : s_(s) {}
  double mean(std::int64_t k) const override {
    if (s_.type == DemandType::kStep) return k < s_.at ? s_.before : s_.after;
    const double angle = 2.0 * std::numbers::pi * (static_cast<double>(k) - s_.phase) / s_.cycle;
    return std::max(0.0, s_.mean * (1.0 + s_.amplitude * std::sin(angle)));
  }
  double draw(std::int64_t k, sim::RandomStream& rng, double multiplier) override {
    const double m = mean(k) * multiplier;
    const double u = rng.uniform01();  // always one uniform, whatever the noise
    if (s_.noise == Noise::kPoisson) return sim::poisson_quantile(u, m);
    if (s_.noise == Noise::kNormal) {
      const double sd = s_.cv * m;
      return sd > 0 ? std::max(0.0, sim::normal_quantile(u, m, sd)) : m;
    }
    return m;
  }
  bool random() const override {
    return s_.noise == Noise::kPoisson || (s_.noise == Noise::kNormal && s_.cv > 0);
  }
  std::string describe() const override {
    if (s_.type == DemandType::kStep) {
      return fmt::format("step({} -> {} at period {}, {} noise)", s_.before, s_.after, s_.at, name_of(s_.noise));
    }
    return fmt::format("seasonal(mean={}, amplitude={}, cycle={}, {} noise)", s_.mean, s_.amplitude, s_.cycle,
                       name_of(s_.noise));
  }

 private:
  DemandSpec s_;
};

void nonneg(double x, const char* name, std::vector<Problem>& problems) {
  if (!(std::isfinite(x) && x >= 0)) problems.push_back({"", fmt::format("{} must be >= 0 (got {})", name, x)});
}

void check_step(const DemandSpec& s, std::vector<Problem>& p) {
  nonneg(s.before, "before", p);
  nonneg(s.after, "after", p);
  if (s.at < 0) p.push_back({"", fmt::format("at must be >= 0 (got {})", s.at)});
  nonneg(s.cv, "cv", p);
}

void check_seasonal(const DemandSpec& s, std::vector<Problem>& p) {
  nonneg(s.mean, "mean", p);
  if (!(s.cycle > 0)) p.push_back({"", fmt::format("cycle must be > 0 (got {})", s.cycle)});
  if (!std::isfinite(s.amplitude)) p.push_back({"", "amplitude must be finite"});
  nonneg(s.cv, "cv", p);
}

std::unique_ptr<PeriodDemand> make(const DemandSpec& s) {
  return std::make_unique<VaryingMean>(s);
}

}  // namespace

const DemandBehaviour step_process{true, check_step, make};
const DemandBehaviour seasonal_process{true, check_seasonal, make};

}  // namespace chainsim::models

// AR(1): D_k = mean + phi (D_{k-1} - mean) + e_k with e_k ~ N(0, sd), clipped
// at zero for the order but not in the recursion (so the process keeps its
// stationary moments).
#include <algorithm>
#include <cmath>
#include <fmt/core.h>

#include "models/chain/demand.h"

namespace chainsim::models {

namespace {

class AutoRegressive final : public PeriodDemand {
 public:
  AutoRegressive(double mean, double phi, double sd) : mean_(mean), phi_(phi), sd_(sd), level_(mean) {}
  double draw(std::int64_t, sim::RandomStream& rng, double multiplier) override {
    const double e = sim::normal_quantile(rng.uniform01(), 0.0, sd_);
    level_ = mean_ + phi_ * (level_ - mean_) + e;
    return std::max(0.0, level_ * multiplier);
  }
  double mean(std::int64_t) const override { return mean_; }
  bool random() const override { return sd_ > 0; }
  std::string describe() const override { return fmt::format("ar1(mean={}, phi={}, sd={})", mean_, phi_, sd_); }

 private:
  double mean_, phi_, sd_, level_;
};

void check(const DemandSpec& s, std::vector<Problem>& p) {
  for (const auto& [x, name] : {std::pair{s.mean, "mean"}, std::pair{s.sd, "sd"}}) {
    if (!(std::isfinite(x) && x >= 0)) p.push_back({"", fmt::format("{} must be >= 0 (got {})", name, x)});
  }
  if (!(std::abs(s.phi) < 1)) p.push_back({"", fmt::format("phi must be in (-1, 1) (got {})", s.phi)});
}

std::unique_ptr<PeriodDemand> make(const DemandSpec& s) {
  return std::make_unique<AutoRegressive>(s.mean, s.phi, s.sd);
}

}  // namespace

const DemandBehaviour ar1_process{true, check, make};

}  // namespace chainsim::models

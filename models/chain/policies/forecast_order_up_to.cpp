// Order-up-to with a forecast: y = L * forecast + safety, order y - position.
// Moving average of the last p review-period demands, or exponential
// smoothing F_t = alpha D_t + (1 - alpha) F_{t-1} from F_0 = initial_forecast
// (as the beer game's forecast); safety z * sigma * sqrt(L) with sigma either
// fixed or the sample sd of the last p demands (Chen, Drezner, Ryan &
// Simchi-Levi 2000). With customer state shared up the chain, the forecast
// is the demand the customers' state implies (PolicyView::expected_demand).
#include <cmath>
#include <deque>
#include <fmt/core.h>

#include "models/chain/detail/parameters.h"
#include "models/chain/policy.h"

namespace chainsim::models {

namespace {

using detail::require;
using detail::set_named;

class ForecastOrderUpTo final : public ReplenishmentPolicy {
 public:
  explicit ForecastOrderUpTo(const PolicySpec& s)
      : moving_average_(s.forecast == ForecastMethod::kMovingAverage),
        p_(s.p),
        alpha_(s.alpha),
        L_(s.lead_time),
        z_(s.z),
        constant_safety_(s.safety == SafetyStock::kConstant),
        sigma_(s.sigma),
        forecast_(s.initial_forecast) {}

  Qty order(const PolicyView& v) override {
    update(v.demand_signal);
    // Customer state shared: the customers' expected demand is the forecast
    // (the window still measures the spread for the safety stock).
    if (std::isfinite(v.expected_demand)) forecast_ = v.expected_demand;
    double sd = sigma_;
    if (!constant_safety_) sd = window_sd();
    const double y = L_ * forecast_ + z_ * sd * std::sqrt(L_);
    return y - v.position;
  }
  bool set_parameter(std::string_view name, double value, double* old) override {
    return set_named(name, "z", z_, value, old) || set_named(name, "lead_time", L_, value, old) ||
           set_named(name, "alpha", alpha_, value, old) || set_named(name, "sigma", sigma_, value, old);
  }
  std::string describe() const override {
    return moving_average_
               ? fmt::format("forecast_order_up_to(moving_average p={}, L={}, z={})", p_, L_, z_)
               : fmt::format("forecast_order_up_to(exponential_smoothing alpha={}, L={}, z={})", alpha_, L_, z_);
  }

 private:
  void update(double d) {
    window_.push_back(d);
    if (static_cast<int>(window_.size()) > p_) window_.pop_front();
    if (moving_average_) {
      double sum = 0.0;
      for (double x : window_) sum += x;
      forecast_ = sum / static_cast<double>(window_.size());
    } else {
      forecast_ = alpha_ * d + (1.0 - alpha_) * forecast_;
    }
  }
  double window_sd() const {
    if (window_.size() < 2) return sigma_;
    double mean = 0.0;
    for (double x : window_) mean += x;
    mean /= static_cast<double>(window_.size());
    double ss = 0.0;
    for (double x : window_) ss += (x - mean) * (x - mean);
    return std::sqrt(ss / static_cast<double>(window_.size() - 1));
  }

  bool moving_average_;
  int p_;
  double alpha_;
  double L_;
  double z_;
  bool constant_safety_;
  double sigma_;
  double forecast_;
  std::deque<double> window_;
};

void check(const PolicySpec& s, std::vector<std::string>& problems) {
  require(s.p >= 1, problems, "p must be >= 1 (got {})", s.p);
  require(s.alpha > 0 && s.alpha <= 1, problems, "alpha must be in (0, 1] (got {})", s.alpha);
  require(s.lead_time >= 0 && detail::finite(s.lead_time), problems,
          "lead_time must be >= 0 (got {})", s.lead_time);
  require(detail::finite(s.z), problems, "z must be finite");
  require(s.sigma >= 0 && detail::finite(s.sigma), problems, "sigma must be >= 0 (got {})", s.sigma);
}

std::unique_ptr<ReplenishmentPolicy> make(const PolicySpec& s) { return std::make_unique<ForecastOrderUpTo>(s); }

}  // namespace

const PolicyBehaviour forecast_order_up_to_policy{"L · F + z · σ̂ · √L − IP", false, true, check, make};

}  // namespace chainsim::models

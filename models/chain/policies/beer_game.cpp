// Sterman's (1989) anchoring-and-adjustment rule for the beer game:
//   F_t = theta * D_t + (1 - theta) * F_{t-1}        (expected demand)
//   O_t = max(0, F_t + alpha_s (S' - (on_hand - backlog) - beta * SL_t))
// with SL the supply line (on order) and S' = S* + beta SL*. D_t is the demand
// signal of this review, seen before the decision.
#include <algorithm>
#include <fmt/core.h>

#include "models/chain/detail/parameters.h"
#include "models/chain/policy.h"

namespace chainsim::models {

namespace {

using detail::set_named;

class BeerGame final : public ReplenishmentPolicy {
 public:
  explicit BeerGame(const PolicySpec& s)
      : theta_(s.theta),
        alpha_s_(s.alpha_s),
        beta_(s.beta),
        s_prime_(s.s_prime ? *s.s_prime : s.desired_inventory + s.beta * s.desired_supply_line),
        forecast_(s.initial_forecast) {}
  Qty order(const PolicyView& v) override {
    forecast_ = theta_ * v.demand_signal + (1.0 - theta_) * forecast_;
    const double effective = v.on_hand - v.backlog;
    return std::max(0.0, forecast_ + alpha_s_ * (s_prime_ - effective - beta_ * v.on_order));
  }
  bool set_parameter(std::string_view name, double value, double* old) override {
    return set_named(name, "theta", theta_, value, old) || set_named(name, "alpha_s", alpha_s_, value, old) ||
           set_named(name, "beta", beta_, value, old) || set_named(name, "s_prime", s_prime_, value, old);
  }
  std::string describe() const override {
    return fmt::format("beer_game(theta={}, alpha_s={}, beta={}, S'={})", theta_, alpha_s_, beta_, s_prime_);
  }

 private:
  double theta_, alpha_s_, beta_, s_prime_, forecast_;
};

void check(const PolicySpec& s, std::vector<std::string>& problems) {
  for (double x : {s.theta, s.alpha_s, s.beta}) {
    detail::require(x >= 0 && x <= 1, problems,
                    "theta, alpha_s and beta must be in [0, 1] (got {})", x);
  }
}

std::unique_ptr<ReplenishmentPolicy> make(const PolicySpec& s) { return std::make_unique<BeerGame>(s); }

}  // namespace

const PolicyBehaviour beer_game_policy{
    "max(0, F + α<sub>S</sub> (S′ − (OH − BL) − β · SL))", false, true, check, make};

}  // namespace chainsim::models

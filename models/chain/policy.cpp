#include "models/chain/policy.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <fmt/core.h>
#include <stdexcept>

namespace chainsim::models {

namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

bool finite(double x) { return std::isfinite(x); }

// Helper for set_parameter: one named double.
bool set_named(std::string_view name, std::string_view key, double& field, double value,
               double* old) {
  if (name != key) return false;
  if (old != nullptr) *old = field;
  field = value;
  return true;
}

// Order up to S: the classic base-stock policy (and R_S, and make_to_order
// with S = 0, and echelon base-stock on the echelon position).
class BaseStock final : public ReplenishmentPolicy {
 public:
  BaseStock(double S, bool echelon, std::string name)
      : S_(S), echelon_(echelon), name_(std::move(name)) {}
  Qty order(const PolicyView& v) override {
    return S_ - (echelon_ ? v.echelon_position : v.position);
  }
  bool set_parameter(std::string_view name, double value, double* old) override {
    return set_named(name, "S", S_, value, old);
  }
  bool needs_echelon_position() const override { return echelon_; }
  std::string describe() const override { return fmt::format("{}(S={})", name_, S_); }

 private:
  double S_;
  bool echelon_;
  std::string name_;
};

// (s, S): when the position is at or below s, order up to S.
class MinMax final : public ReplenishmentPolicy {
 public:
  MinMax(double s, double S) : s_(s), S_(S) {}
  Qty order(const PolicyView& v) override { return v.position <= s_ ? S_ - v.position : 0.0; }
  bool set_parameter(std::string_view name, double value, double* old) override {
    return set_named(name, "s", s_, value, old) || set_named(name, "S", S_, value, old);
  }
  std::string describe() const override { return fmt::format("s_S(s={}, S={})", s_, S_); }

 private:
  double s_, S_;
};

// (r, Q): when the position is at or below r, order the fewest lots of Q that
// lift it above r.
class ReorderPointLot final : public ReplenishmentPolicy {
 public:
  ReorderPointLot(double r, double Q) : r_(r), Q_(Q) {}
  Qty order(const PolicyView& v) override {
    if (v.position > r_) return 0.0;
    const double lots = std::floor((r_ - v.position) / Q_) + 1.0;
    return lots * Q_;
  }
  bool set_parameter(std::string_view name, double value, double* old) override {
    return set_named(name, "r", r_, value, old) || set_named(name, "Q", Q_, value, old);
  }
  std::string describe() const override { return fmt::format("r_Q(r={}, Q={})", r_, Q_); }

 private:
  double r_, Q_;
};

// Order-up-to with a forecast: y = L * forecast + safety, order y - position.
// Moving average of the last p review-period demands, or exponential
// smoothing F_t = alpha D_t + (1 - alpha) F_{t-1} from F_0 = initial_forecast
// (as the beer game's forecast below); safety z * sigma * sqrt(L) with sigma
// either fixed or the sample sd of the last p demands (Chen, Drezner, Ryan &
// Simchi-Levi 2000).
class ForecastOrderUpTo final : public ReplenishmentPolicy {
 public:
  explicit ForecastOrderUpTo(const PolicySpec& s)
      : moving_average_(s.forecast == "moving_average"),
        p_(s.p),
        alpha_(s.alpha),
        L_(s.lead_time),
        z_(s.z),
        constant_safety_(s.safety == "constant"),
        sigma_(s.sigma),
        forecast_(s.initial_forecast) {}

  Qty order(const PolicyView& v) override {
    update(v.demand_signal);
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
               : fmt::format("forecast_order_up_to(exponential_smoothing alpha={}, L={}, z={})",
                             alpha_, L_, z_);
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

// Sterman's (1989) anchoring-and-adjustment rule for the beer game:
//   F_t = theta * D_t + (1 - theta) * F_{t-1}        (expected demand)
//   O_t = max(0, F_t + alpha_s (S' - (on_hand - backlog) - beta * SL_t))
// with SL the supply line (on order) and S' = S* + beta SL*. D_t is the demand
// signal of this review, seen before the decision.
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
    return set_named(name, "theta", theta_, value, old) ||
           set_named(name, "alpha_s", alpha_s_, value, old) ||
           set_named(name, "beta", beta_, value, old) ||
           set_named(name, "s_prime", s_prime_, value, old);
  }
  std::string describe() const override {
    return fmt::format("beer_game(theta={}, alpha_s={}, beta={}, S'={})", theta_, alpha_s_, beta_,
                       s_prime_);
  }

 private:
  double theta_, alpha_s_, beta_, s_prime_, forecast_;
};

// A fixed plan of order quantities, one per review.
class Scripted final : public ReplenishmentPolicy {
 public:
  Scripted(std::vector<double> plan, std::string after) : plan_(std::move(plan)), after_(std::move(after)) {}
  Qty order(const PolicyView& v) override {
    const auto k = static_cast<std::size_t>(v.review);
    if (k < plan_.size()) return plan_[k];
    if (plan_.empty() || after_ == "zero") return 0.0;
    if (after_ == "repeat") return plan_[k % plan_.size()];
    return plan_.back();  // hold_last
  }
  bool set_parameter(std::string_view, double, double*) override { return false; }
  std::string describe() const override {
    return fmt::format("scripted({} entries, then {})", plan_.size(), after_);
  }

 private:
  std::vector<double> plan_;
  std::string after_;
};

class NoOrders final : public ReplenishmentPolicy {
 public:
  Qty order(const PolicyView&) override { return 0.0; }
  bool set_parameter(std::string_view, double, double*) override { return false; }
  std::string describe() const override { return "none"; }
};

}  // namespace

const std::vector<std::string>& policy_types() {
  static const std::vector<std::string> types = {
      "base_stock", "s_S",      "r_Q",      "R_S",           "forecast_order_up_to",
      "beer_game",  "echelon_base_stock", "scripted", "make_to_order", "none"};
  return types;
}

std::unique_ptr<ReplenishmentPolicy> make_policy(const PolicySpec& s) {
  require(s.review == "periodic" || s.review == "continuous",
          "review must be periodic or continuous (got " + s.review + ")");
  require(s.review_period >= 1, fmt::format("review_period must be >= 1 (got {})", s.review_period));
  require(s.review_offset >= 0 && s.review_offset < s.review_period,
          fmt::format("review_offset must be in [0, review_period) (got {})", s.review_offset));
  require(s.lot_size >= 0 && finite(s.lot_size), fmt::format("lot_size must be >= 0 (got {})", s.lot_size));
  require(s.min_order >= 0 && finite(s.min_order), fmt::format("min_order must be >= 0 (got {})", s.min_order));
  require(s.max_order >= 0 && !std::isnan(s.max_order), fmt::format("max_order must be >= 0 (got {})", s.max_order));
  const std::string& t = s.type;
  if (t == "base_stock" || t == "R_S" || t == "echelon_base_stock") {
    require(finite(s.S), "S must be finite");
    return std::make_unique<BaseStock>(s.S, t == "echelon_base_stock", t);
  }
  if (t == "make_to_order") return std::make_unique<BaseStock>(0.0, false, "make_to_order");
  if (t == "s_S") {
    require(finite(s.s) && finite(s.S), "s and S must be finite");
    require(s.s < s.S, fmt::format("s_S needs s < S (got s={}, S={})", s.s, s.S));
    return std::make_unique<MinMax>(s.s, s.S);
  }
  if (t == "r_Q") {
    require(finite(s.r), "r must be finite");
    require(finite(s.Q) && s.Q > 0, fmt::format("r_Q needs Q > 0 (got {})", s.Q));
    return std::make_unique<ReorderPointLot>(s.r, s.Q);
  }
  if (t == "forecast_order_up_to") {
    require(s.forecast == "moving_average" || s.forecast == "exponential_smoothing",
            "forecast must be moving_average or exponential_smoothing (got " + s.forecast + ")");
    require(s.p >= 1, fmt::format("p must be >= 1 (got {})", s.p));
    require(s.alpha > 0 && s.alpha <= 1, fmt::format("alpha must be in (0, 1] (got {})", s.alpha));
    require(s.lead_time >= 0 && finite(s.lead_time), fmt::format("lead_time must be >= 0 (got {})", s.lead_time));
    require(finite(s.z), "z must be finite");
    require(s.safety == "estimated" || s.safety == "constant",
            "safety must be estimated or constant (got " + s.safety + ")");
    require(s.sigma >= 0 && finite(s.sigma), fmt::format("sigma must be >= 0 (got {})", s.sigma));
    return std::make_unique<ForecastOrderUpTo>(s);
  }
  if (t == "beer_game") {
    for (double x : {s.theta, s.alpha_s, s.beta}) {
      require(x >= 0 && x <= 1, fmt::format("theta, alpha_s and beta must be in [0, 1] (got {})", x));
    }
    return std::make_unique<BeerGame>(s);
  }
  if (t == "scripted") {
    require(s.after_plan == "zero" || s.after_plan == "repeat" || s.after_plan == "hold_last",
            "after_plan must be zero, repeat or hold_last (got " + s.after_plan + ")");
    for (double q : s.plan) require(finite(q) && q >= 0, fmt::format("plan entries must be >= 0 (got {})", q));
    return std::make_unique<Scripted>(s.plan, s.after_plan);
  }
  if (t == "none") return std::make_unique<NoOrders>();
  throw std::invalid_argument("unknown policy type " + t);
}

}  // namespace chainsim::models

// (r, Q): when the position is at or below r, order the fewest lots of Q that
// lift it above r.
#include <cmath>
#include <fmt/core.h>

#include "models/chain/detail/parameters.h"
#include "models/chain/policy.h"

namespace chainsim::models {

namespace {

using detail::require;

class ReorderPointLot final : public ReplenishmentPolicy {
 public:
  ReorderPointLot(double r, double Q) : r_(r), Q_(Q) {}
  Qty order(const PolicyView& v) override {
    if (v.position > r_) return 0.0;
    const double lots = std::floor((r_ - v.position) / Q_) + 1.0;
    return lots * Q_;
  }
  bool set_parameter(std::string_view name, double value, double* old) override {
    return detail::set_named(name, "r", r_, value, old) || detail::set_named(name, "Q", Q_, value, old);
  }
  std::string describe() const override { return fmt::format("r_Q(r={}, Q={})", r_, Q_); }

 private:
  double r_, Q_;
};

void check(const PolicySpec& s, std::vector<std::string>& problems) {
  require(detail::finite(s.r), problems, "r must be finite");
  require(detail::finite(s.Q) && s.Q > 0, problems, "r_Q needs Q > 0 (got {})", s.Q);
}

std::unique_ptr<ReplenishmentPolicy> make(const PolicySpec& s) { return std::make_unique<ReorderPointLot>(s.r, s.Q); }

}  // namespace

const PolicyBehaviour r_Q_policy{"the fewest lots of Q that lift IP above r, if IP ≤ r", true, true, check, make};

}  // namespace chainsim::models

// (s, S): when the position is at or below s, order up to S.
#include <fmt/core.h>

#include "models/chain/detail/parameters.h"
#include "models/chain/policy.h"

namespace chainsim::models {

namespace {

using detail::require;

class MinMax final : public ReplenishmentPolicy {
 public:
  MinMax(double s, double S) : s_(s), S_(S) {}
  Qty order(const PolicyView& v) override { return v.position <= s_ ? S_ - v.position : 0.0; }
  bool set_parameter(std::string_view name, double value, double* old) override {
    return detail::set_named(name, "s", s_, value, old) || detail::set_named(name, "S", S_, value, old);
  }
  std::string describe() const override { return fmt::format("s_S(s={}, S={})", s_, S_); }

 private:
  double s_, S_;
};

void check(const PolicySpec& s, std::vector<std::string>& problems) {
  if (!detail::finite(s.s) || !detail::finite(s.S)) {
    problems.push_back("s and S must be finite");
    return;
  }
  require(s.s < s.S, problems, "s_S needs s < S (got s={}, S={})", s.s, s.S);
}

std::unique_ptr<ReplenishmentPolicy> make(const PolicySpec& s) { return std::make_unique<MinMax>(s.s, s.S); }

}  // namespace

const PolicyBehaviour s_S_policy{"S − IP if IP ≤ s, else 0", true, true, check, make};

}  // namespace chainsim::models

// A fixed plan of order quantities, one per review, then zero, the plan again,
// or its last entry.
#include <fmt/core.h>

#include "models/chain/detail/parameters.h"
#include "models/chain/policy.h"

namespace chainsim::models {

namespace {

class Scripted final : public ReplenishmentPolicy {
 public:
  Scripted(std::vector<double> plan, AfterPlan after) : plan_(std::move(plan)), after_(after) {}
  Qty order(const PolicyView& v) override {
    const auto k = static_cast<std::size_t>(v.review);
    if (k < plan_.size()) return plan_[k];
    if (plan_.empty() || after_ == AfterPlan::kZero) return 0.0;
    if (after_ == AfterPlan::kRepeat) return plan_[k % plan_.size()];
    return plan_.back();  // hold_last
  }
  bool set_parameter(std::string_view, double, double*) override { return false; }
  std::string describe() const override {
    return fmt::format("scripted({} entries, then {})", plan_.size(), name_of(after_));
  }

 private:
  std::vector<double> plan_;
  AfterPlan after_;
};

void check(const PolicySpec& s, std::vector<std::string>& problems) {
  for (double q : s.plan) {  // the first bad entry stands for the plan
    if (!(detail::finite(q) && q >= 0)) {
      problems.push_back(fmt::format("plan entries must be >= 0 (got {})", q));
      return;
    }
  }
}

std::unique_ptr<ReplenishmentPolicy> make(const PolicySpec& s) {
  return std::make_unique<Scripted>(s.plan, s.after_plan);
}

}  // namespace

const PolicyBehaviour scripted_policy{"plan[n] at the n-th review", false, true, check, make};

}  // namespace chainsim::models

// The policy registry (policies/policies.def, in its order) and the checks
// every policy shares: the review and the order adjustments.
#include "models/chain/policy.h"

#include <cmath>
#include <fmt/core.h>
#include <stdexcept>

#include "models/chain/detail/parameters.h"

namespace chainsim::models {

namespace {

const PolicyBehaviour* const kBehaviours[] = {
#define CHAINSIM_POLICY(id, name, behaviour) &behaviour,
#include "models/chain/policies/policies.def"
#undef CHAINSIM_POLICY
};

}  // namespace

const PolicyBehaviour& policy_behaviour(PolicyType type) { return *kBehaviours[static_cast<std::size_t>(type)]; }

std::vector<std::string> check_policy(const PolicySpec& s) {
  using detail::require;
  std::vector<std::string> problems;
  require(s.review_period >= 1, problems, "review_period must be >= 1 (got {})", s.review_period);
  if (s.review_period >= 1) {  // else the offset has no range to be in
    require(s.review_offset >= 0 && s.review_offset < s.review_period, problems,
            "review_offset must be in [0, review_period) (got {})", s.review_offset);
  }
  require(s.lot_size >= 0 && detail::finite(s.lot_size), problems,
          "lot_size must be >= 0 (got {})", s.lot_size);
  require(s.min_order >= 0 && detail::finite(s.min_order), problems,
          "min_order must be >= 0 (got {})", s.min_order);
  require(s.max_order >= 0 && !std::isnan(s.max_order), problems,
          "max_order must be >= 0 (got {})", s.max_order);
  policy_behaviour(s.type).check(s, problems);
  return problems;
}

std::unique_ptr<ReplenishmentPolicy> make_policy(const PolicySpec& s) {
  const std::vector<std::string> problems = check_policy(s);
  if (!problems.empty()) {
    std::string all;
    for (const std::string& p : problems) all += (all.empty() ? "" : "; ") + p;
    throw std::invalid_argument(all);
  }
  return policy_behaviour(s.type).make(s);
}

}  // namespace chainsim::models

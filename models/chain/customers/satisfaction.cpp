// satisfaction: every active customer leaves with probability
// min(1, sensitivity * max(0, target - s)), s the segment's smoothed
// experienced fill rate: the share of each period's units met at once,
// smoothed (updated before this draw, from the period that just ended).
#include <algorithm>

#include "models/chain/customers.h"

namespace chainsim::models {

namespace {

ServiceDefections service(const Segment& s) {
  const ChurnSpec& c = s.spec.churn;
  return {s.active, std::min(1.0, c.sensitivity * std::max(0.0, c.target - s.satisfaction))};
}

double no_factor(const Segment&) { return 1.0; }

bool churns(const ChurnSpec& c) { return c.sensitivity > 0.0; }

}  // namespace

const ChurnBehaviour satisfaction_churn{nullptr, service, nullptr, no_factor, churns};

}  // namespace chainsim::models

// goodwill: the aggregate rule of reinforcement-learning inventory
// environments, for comparison with them. No customer leaves for the
// service; a multiplier g on the order rate falls by the share `down` after
// a period in which an order placed was not met at once (not below `floor`)
// and rises by the share `up` after one without (not above 1).
#include <algorithm>

#include "models/chain/customers.h"

namespace chainsim::models {

namespace {

ServiceDefections service(const Segment&) { return {}; }

void end_period(Segment& s) {
  const ChurnSpec& c = s.spec.churn;
  // A period with an order not met at once (when it was placed).
  if (s.flows.units > 0.0 && period_fill(s.flows) < 1.0 - 1e-12) {
    s.goodwill = std::max(c.floor, s.goodwill * (1.0 - c.down));
  } else {
    s.goodwill = std::min(1.0, s.goodwill * (1.0 + c.up));
  }
}

double factor(const Segment& s) { return s.goodwill; }

bool never(const ChurnSpec&) { return false; }

}  // namespace

const ChurnBehaviour goodwill_churn{nullptr, service, end_period, factor, never};

}  // namespace chainsim::models

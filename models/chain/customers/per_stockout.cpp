// per_stockout: each order not met at once makes its customer leave with
// probability q, plus q_per_period_waited for every period it waited
// (capped at 1); the period's short orders are one binomial draw with their
// mean probability (exact when the probability is the same for all, as with
// q_per_period_waited = 0).
#include "models/chain/customers.h"

namespace chainsim::models {

namespace {

ServiceDefections service(const Segment& s) {
  const SegmentFlows& f = s.flows;
  if (!(f.short_orders > 0.0)) return {};
  return {f.short_orders, f.short_defections / f.short_orders};
}

double no_factor(const Segment&) { return 1.0; }

bool churns(const ChurnSpec& c) { return c.q > 0.0 || c.q_per_period_waited > 0.0; }

}  // namespace

const ChurnBehaviour per_stockout_churn{nullptr, service, nullptr, no_factor, churns};

}  // namespace chainsim::models

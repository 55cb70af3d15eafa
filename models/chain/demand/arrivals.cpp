// Customers arriving in continuous time: an inter-arrival distribution, a
// size distribution and a start. The network drives the arrivals itself (an
// engine event per customer, Network::schedule_arrival); this file checks
// their parameters.
#include <cmath>
#include <fmt/core.h>

#include "models/chain/demand.h"

namespace chainsim::models {

namespace {

void nonneg_distribution(const char* key, const sim::Distribution& d, std::vector<Problem>& p) {
  if (!d.is_nonnegative()) p.push_back({key, "must not produce negative values (got " + d.describe() + ")"});
}

void check(const DemandSpec& s, std::vector<Problem>& p) {
  nonneg_distribution("interarrival", s.interarrival, p);
  if (!(s.interarrival.mean() > 0)) p.push_back({"interarrival", "must have a mean > 0"});
  nonneg_distribution("size", s.size, p);
  if (!(std::isfinite(s.start) && s.start >= 0)) {
    p.push_back({"start", "must be a finite number >= 0 (got " + fmt::format("{}", s.start) + ")"});
  }
}

}  // namespace

const DemandBehaviour arrivals_process{false, check, nullptr};

}  // namespace chainsim::models

// End-customer demand processes, per retailer stock point and period.
//
// A PeriodDemand yields the demand of each period from the stock point's own
// random stream, one uniform per period for the random processes (inversion),
// so variants stay in step under common random numbers. Continuous-time
// customer arrivals (DemandSpec type "arrivals") are driven by the network
// itself (an engine event per arrival) through the same entry point,
// Network::customer_order, that customer segments will use.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/chain/spec.h"
#include "sim/random.h"

namespace chainsim::models {

class PeriodDemand {
 public:
  virtual ~PeriodDemand() = default;
  // Demand of period k (>= 0). `multiplier` >= 0 scales the mean (what-if
  // events); each call consumes the same number of uniforms whatever it is.
  virtual double draw(std::int64_t k, sim::RandomStream& rng, double multiplier) = 0;
  // Expected demand of period k at multiplier 1 (for reports and tests).
  virtual double mean(std::int64_t k) const = 0;
  virtual std::string describe() const = 0;
  // Whether its demand can differ between replications (false: the same
  // every time, whatever the uniforms it consumes).
  virtual bool random() const { return true; }
};

// What the registry knows of one demand type (its row in
// demand/demand_types.def names it; its file in demand/ defines it).
struct DemandBehaviour {
  // A process drawn each period (false: customers arriving in continuous
  // time, which the network drives itself through Network::customer_order).
  bool per_period = true;
  // Appends every problem of the spec's parameters.
  void (*check)(const DemandSpec&, std::vector<Problem>& problems) = nullptr;
  // The process. REQUIRES: per_period and check() found no problem.
  std::unique_ptr<PeriodDemand> (*make)(const DemandSpec&) = nullptr;
};
const DemandBehaviour& demand_behaviour(DemandType type);

// Every problem of a demand spec (empty when it can be built).
std::vector<Problem> check_demand(const DemandSpec& spec);

// Builds a per-period process from a spec whose type is not "arrivals".
// Throws std::invalid_argument with the problems check_demand() finds (the
// loader adds the file position). A trace's values are given inline or read
// from its file by the scenario loader (the chain reads no file).
std::unique_ptr<PeriodDemand> make_period_demand(const DemandSpec& spec);

// Declarations of the behaviours the demand processes' files define.
#define CHAINSIM_DEMAND(id, name, behaviour) extern const DemandBehaviour behaviour;
#include "models/chain/demand/demand_types.def"
#undef CHAINSIM_DEMAND

}  // namespace chainsim::models

// The demand registry (demand/demand_types.def, in its order).
#include "models/chain/demand.h"

#include <stdexcept>

namespace chainsim::models {

namespace {

const DemandBehaviour* const kBehaviours[] = {
#define CHAINSIM_DEMAND(id, name, behaviour) &behaviour,
#include "models/chain/demand/demand_types.def"
#undef CHAINSIM_DEMAND
};

}  // namespace

const DemandBehaviour& demand_behaviour(DemandType type) { return *kBehaviours[static_cast<std::size_t>(type)]; }

std::vector<Problem> check_demand(const DemandSpec& spec) {
  std::vector<Problem> problems;
  demand_behaviour(spec.type).check(spec, problems);
  return problems;
}

std::unique_ptr<PeriodDemand> make_period_demand(const DemandSpec& spec) {
  const DemandBehaviour& b = demand_behaviour(spec.type);
  if (!b.per_period) throw std::invalid_argument(std::string(name_of(spec.type)) + " is not a per-period demand");
  std::string all;
  for (const Problem& p : check_demand(spec)) {
    all += (all.empty() ? "" : "; ") + (p.key.empty() ? "" : p.key + ": ") + p.message;
  }
  if (!all.empty()) throw std::invalid_argument(all);
  return b.make(spec);
}

}  // namespace chainsim::models

// What-if events: the "events table" of a scenario. Each event has a trigger
// (a fixed time, a probability per period, a two-state up/down process, or
// another event) and an action that is applied and, after a duration or when
// the up/down process comes back up, reverted.
//
// Timeline: an event fires at its time with priority kWhatIf, before every
// phase of that instant (at a period boundary: after the previous period is
// recorded, before anything is received). Applying an action saves the value
// it replaces; reverting restores that value, so overlapping events on one
// target restore in the reverse order of application. Random triggers draw
// from the stream "event/<id>": a probability trigger one uniform per period,
// an up/down process one exponential per change of state.
//
// Actions:
//   node_down          the node ships and produces nothing; orders still join
//                      its backlog; in_transit: arrive (shipments to it are
//                      received) or hold (held at the gate until it is up)
//   lane_lead_time     transit times on the lane are multiplied by value
//   lane_closed        nothing ships on the lane
//   demand_multiplier  end demand at the node (every retailer if no node), of
//                      the product (every product if none), times value
//   capacity           production capacity of node/product, a supplier's
//                      capacity (node), or a lane's capacity per period (lane)
//   price              a lane's price (of the product, or all), or the retail
//                      price of a product when no lane is given
//   policy_parameter   a named parameter of the node/product policy
#pragma once

#include <string>
#include <vector>

#include "models/types.h"
#include "sim/random.h"

namespace chainsim::models {

class Network;

struct WhatIfEvent {
  std::string id;
  enum class Trigger { kAt, kProbability, kUpDown, kAfter } trigger = Trigger::kAt;
  double at = 0.0;
  double probability = 0.0;
  double mean_up = 0.0, mean_down = 0.0;
  int after = -1;          // index of the event that triggers this one
  double delay = 0.0;
  double duration = -1.0;  // < 0: permanent (or until the up/down process is up)
  std::string action;
  NodeId node = kNone;
  LaneId lane = kNone;
  ProductId product = kNone;
  std::string parameter;
  double value = 0.0;
  bool hold = false;
  sim::RandomStream rng{0, 0, ""};

  // Run-time state.
  bool active = false;
  std::vector<double> saved;
  std::vector<int> followers;  // events triggered by this one
};

class WhatIfEngine {
 public:
  explicit WhatIfEngine(std::vector<WhatIfEvent> events);
  // Schedules the triggers. Called once by Network::run().
  void start(Network& net);
  const std::vector<WhatIfEvent>& events() const { return events_; }

 private:
  void fire(Network& net, int i);
  void apply(Network& net, WhatIfEvent& e);
  void revert(Network& net, WhatIfEvent& e);
  void schedule_probability(Network& net, int i, std::int64_t period);
  void schedule_up_down(Network& net, int i, bool going_down);

  std::vector<WhatIfEvent> events_;
};

}  // namespace chainsim::models

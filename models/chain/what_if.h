// What-if events: the "events table" of a scenario. Each event has a trigger
// (a fixed time, a probability per period, a two-state up/down process, or
// another event) and an action that is applied and, after a duration or when
// the up/down process comes back up, reverted.
//
// Timeline: an event fires at its time with priority kWhatIf, before every
// phase of that instant (at a period boundary: after the previous period is
// recorded, before anything is received). Every target (a node's up/down
// state, a lane's lead-time factor, a price, a capacity, a policy parameter)
// keeps the value it had before any event and the events acting on it, in the
// order they were applied: the latest active one holds, and when the last
// one ends the original value comes back, however the events overlap.
// Capacities count what was used this period, so a change takes effect for
// the rest of the period. Random triggers draw from the stream "event/<id>":
// a probability trigger one uniform per period, an up/down process one
// exponential per change of state.
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

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/chain/types.h"
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

  // One target's value before any event, and the events acting on it.
  struct Target {
    double original = 0.0;
    std::vector<std::pair<int, double>> active;  // (event, value), oldest first
  };
  // Applies or withdraws event `e`'s `value` on the target `key`; returns the
  // value that now holds. `current` is read only on the first activation.
  double push_override(const std::string& key, int e, double value, double current);
  double pop_override(const std::string& key, int e);
  // Calls f(key, current value, setter) for every target of event e.
  void for_each_target(Network& net, WhatIfEvent& e,
                       const std::function<void(const std::string&, double, const std::function<void(double)>&)>& f);

  std::vector<WhatIfEvent> events_;
  std::map<std::string, Target> targets_;
};

}  // namespace chainsim::models

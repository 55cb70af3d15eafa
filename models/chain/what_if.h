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
//   campaign           once, when it fires: every customer of the segment who
//                      left for the service is contacted (at `cost` each)
//                      and comes back with probability value
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/chain/kinds.h"
#include "models/chain/spec_index.h"
#include "models/chain/types.h"
#include "sim/random.h"

namespace chainsim::models {

class Network;

struct WhatIfEvent {
  std::string id;
  enum class Trigger { kAt, kProbability, kUpDown, kAfter, kWhen } trigger = Trigger::kAt;
  double at = 0.0;
  double probability = 0.0;
  double mean_up = 0.0, mean_down = 0.0;
  int after = -1;          // index of the event that triggers this one
  // when: the stock watched, what and against which level; fill rate's
  // window of (met at once, demand) per period, oldest first.
  StockId watch = kNone;
  WhenMeasure measure = WhenMeasure::kOnHand;
  double level = 0.0;
  bool below = true;
  int over = 1;
  std::vector<std::pair<double, double>> window;
  bool latched = false;  // when: a one-off action fired and the condition has held since
  double delay = 0.0;
  double duration = -1.0;  // < 0: permanent (or until the up/down process is up)
  ActionKind action = ActionKind::kNodeDown;
  NodeId node = kNone;
  LaneId lane = kNone;
  ProductId product = kNone;
  std::string parameter;
  std::uint32_t segment = kNone;  // campaign: the segment's index
  double cost = 0.0;              // campaign: per customer contacted
  double value = 0.0;
  bool hold = false;
  sim::RandomStream rng{0, 0, ""};

  // Run-time state.
  bool active = false;
  std::vector<int> followers;  // events triggered by this one
};

// Visits one target of an action: its key (unique per target, e.g.
// "capacity/plant/widget"), its current value and how to set it.
using TargetVisitor = std::function<void(const std::string& key, double current, const std::function<void(double)>& set)>;

// What the registry knows of one action (its row in what_if/actions.def names
// it; its file in what_if/ defines it).
struct ActionBehaviour {
  bool needs_node = false;    // the event must name a node
  bool needs_lane = false;    // the event must name a lane
  bool nonneg_value = false;  // its value is a factor, capacity or price: >= 0
  // Appends the problems of an event with this action beyond the above (its
  // references exist; they are checked before), each at a key of the event
  // (null: none).
  void (*check)(const ScenarioSpec&, const SpecIndex&, const EventSpec&, std::vector<Problem>&) = nullptr;
  // Calls visit for every target of the event.
  void (*targets)(Network&, const WhatIfEvent&, const TargetVisitor& visit) = nullptr;
  // The value the event holds at target `key` while active (null: its value).
  double (*value)(const WhatIfEvent&, const std::string& key) = nullptr;
  // After the event ends: lets what waited for its target move (null: nothing).
  void (*after_revert)(Network&, const WhatIfEvent&) = nullptr;
  // A one-off action (no targets): done when the event fires, with nothing
  // to hold or revert, so a random trigger can fire it again (null: none).
  void (*once)(Network&, const WhatIfEvent&) = nullptr;
};
const ActionBehaviour& action_behaviour(ActionKind kind);

// Every problem of the action of event `e` (what it needs, what it names).
// REQUIRES: e.action is set.
std::vector<Problem> check_action(const ScenarioSpec& spec, const SpecIndex& index, const EventSpec& e);

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
  void schedule_when(Network& net, int i, std::int64_t period);
  // Whether event e's condition holds on the period just closed.
  bool condition(const Network& net, WhatIfEvent& e) const;

  // One target's value before any event, and the events acting on it.
  struct Target {
    double original = 0.0;
    std::vector<std::pair<int, double>> active;  // (event, value), oldest first
  };
  // Applies or withdraws event `e`'s `value` on the target `key`; returns the
  // value that now holds. `current` is read only on the first activation.
  double push_override(const std::string& key, int e, double value, double current);
  double pop_override(const std::string& key, int e);

  std::vector<WhatIfEvent> events_;
  std::map<std::string, Target> targets_;
};

// Declarations of the behaviours the actions' files define.
#define CHAINSIM_ACTION(id, name, behaviour) extern const ActionBehaviour behaviour;
#include "models/chain/what_if/actions.def"
#undef CHAINSIM_ACTION

}  // namespace chainsim::models

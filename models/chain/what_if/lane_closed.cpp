// lane_closed: nothing ships on the lane while the event holds.
#include "models/chain/network.h"
#include "models/chain/what_if.h"

namespace chainsim::models {

namespace {

void targets(Network& net, const WhatIfEvent& e, const TargetVisitor& visit) {
  Lane& l = net.lane_mut(e.lane);
  visit("closed/" + l.name, l.closed ? 1.0 : 0.0, [&l](double v) { l.closed = v != 0.0; });
}

double value(const WhatIfEvent&, const std::string&) { return 1.0; }

// What waited for the lane at its seller can ship now.
void after_revert(Network& net, const WhatIfEvent& e) { net.request(net.lanes()[e.lane].from, Phase::kFulfil); }

}  // namespace

const ActionBehaviour lane_closed_action{false, true, false, nullptr, targets, value, after_revert};

}  // namespace chainsim::models

// lane_lead_time: transit times of shipments leaving on the lane are
// multiplied by the event's value while it holds.
#include "models/chain/network.h"
#include "models/chain/what_if.h"

namespace chainsim::models {

namespace {

void targets(Network& net, const WhatIfEvent& e, const TargetVisitor& visit) {
  Lane& l = net.lane_mut(e.lane);
  visit("lead_time/" + l.name, l.lead_time_factor, [&l](double v) { l.lead_time_factor = v; });
}

}  // namespace

const ActionBehaviour lane_lead_time_action{false, true, true, nullptr, targets, nullptr, nullptr};

}  // namespace chainsim::models

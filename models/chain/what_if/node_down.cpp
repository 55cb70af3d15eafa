// node_down: the node ships and produces nothing while the event holds; orders
// still join its backlog; shipments travelling to it arrive (in_transit:
// arrive) or wait at the gate until it is up (hold).
#include "models/chain/network.h"
#include "models/chain/what_if.h"

namespace chainsim::models {

namespace {

void targets(Network& net, const WhatIfEvent& e, const TargetVisitor& visit) {
  Node& n = net.node_mut(e.node);
  visit("down/" + n.name, n.down ? 1.0 : 0.0, [&n](double v) { n.down = v != 0.0; });
  visit("hold/" + n.name, n.hold_in_transit ? 1.0 : 0.0, [&n](double v) { n.hold_in_transit = v != 0.0; });
}

double value(const WhatIfEvent& e, const std::string& key) {
  return key.rfind("down/", 0) == 0 ? 1.0 : (e.hold ? 1.0 : 0.0);
}

// What waited for the node (held shipments, its backlog) can move now.
void after_revert(Network& net, const WhatIfEvent& e) { net.request(e.node, Phase::kReceive); }

}  // namespace

const ActionBehaviour node_down_action{true, false, false, nullptr, targets, value, after_revert};

}  // namespace chainsim::models

// demand_multiplier: end demand at the node (every stock with end demand if
// the event names none), of the product (every product if none), times the
// event's value while it holds.
#include "models/chain/network.h"
#include "models/chain/what_if.h"

namespace chainsim::models {

namespace {

void targets(Network& net, const WhatIfEvent& e, const TargetVisitor& visit) {
  for (const StockPoint& sp : net.stocks()) {
    if (!sp.has_end_demand()) continue;
    if (e.node != kNone && sp.node != e.node) continue;
    if (e.product != kNone && sp.product != e.product) continue;
    StockPoint& m = net.stock_mut(sp.id);
    visit("demand/" + m.name, m.demand_multiplier, [&m](double v) { m.demand_multiplier = v; });
  }
}

}  // namespace

const ActionBehaviour demand_multiplier_action{false, false, true, nullptr, targets, nullptr, nullptr};

}  // namespace chainsim::models

// capacity: while the event holds, the production capacity of node/product,
// a supplier's capacity (a node without a product), or a lane's capacity per
// period (a lane) is the event's value. Capacities count what was used this
// period, so a change takes effect for the rest of the period.
#include "models/chain/network.h"
#include "models/chain/what_if.h"

namespace chainsim::models {

namespace {

void check(const ScenarioSpec& spec, const SpecIndex& index, const EventSpec& e, std::vector<Problem>& p) {
  if (e.lane.empty() && e.node.empty()) p.push_back({"", "capacity needs a node or a lane"});
  const NodeSpec* n = e.lane.empty() && !e.node.empty() ? index.node(spec, e.node) : nullptr;
  if (n == nullptr) return;
  if (e.product.empty() && !node_kind_info(n->kind).unlimited_source) {
    p.push_back({"product", "capacity of a non-supplier node is a production capacity: name the product"});
  }
  if (!e.product.empty()) {
    bool produced = false;
    for (const StockSpec& s : n->stocks) produced = produced || (s.product == e.product && s.production);
    if (!produced) p.push_back({"product", "node '" + e.node + "' does not produce '" + e.product + "'"});
  }
}

void targets(Network& net, const WhatIfEvent& e, const TargetVisitor& visit) {
  if (e.lane != kNone) {
    Lane& l = net.lane_mut(e.lane);
    visit("capacity/" + l.name, l.capacity_per_period, [&l](double v) { l.capacity_per_period = v; });
  } else if (e.product != kNone) {
    StockPoint& sp = net.stock_mut(net.stock_of(e.node, e.product));
    ProductionLine& pl = *sp.production;
    visit("capacity/" + sp.name, pl.capacity, [&pl](double v) { pl.capacity = v; });
  } else {
    Node& n = net.node_mut(e.node);
    visit("capacity/" + n.name, n.capacity, [&n](double v) { n.capacity = v; });
  }
}

}  // namespace

const ActionBehaviour capacity_action{false, false, true, check, targets, nullptr, nullptr};

}  // namespace chainsim::models

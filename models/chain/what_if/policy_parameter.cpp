// policy_parameter: while the event holds, the named parameter of the
// node/product stock's policy is the event's value (policy_parameter of a
// policy that has no such parameter is refused when the scenario is checked).
#include <fmt/core.h>
#include <stdexcept>

#include "models/chain/network.h"
#include "models/chain/what_if.h"

namespace chainsim::models {

namespace {

void check(const ScenarioSpec& spec, const SpecIndex& index, const EventSpec& e, std::vector<Problem>& p) {
  const NodeSpec* n = index.node(spec, e.node);
  if (n == nullptr) return;
  const StockSpec* stock = nullptr;
  for (const StockSpec& s : n->stocks) {
    if (s.product == e.product) stock = &s;
  }
  if (stock == nullptr) {
    p.push_back({"product", "node '" + e.node + "' has no stock of '" + e.product + "'"});
  } else if (e.parameter.empty()) {
    p.push_back({"parameter", "policy_parameter needs a parameter name"});
  } else {
    try {
      auto probe = make_policy(stock->policy);
      double old = 0.0;
      if (!probe->set_parameter(e.parameter, e.value, &old)) {
        p.push_back({"parameter", fmt::format("policy {} has no parameter '{}'", name_of(stock->policy.type),
                                              e.parameter)});
      }
    } catch (const std::invalid_argument&) {
      // reported at the stock's policy
    }
  }
}

void targets(Network& net, const WhatIfEvent& e, const TargetVisitor& visit) {
  StockPoint& sp = net.stock_mut(net.stock_of(e.node, e.product));
  // set_parameter reports the value it replaces: read it, then put it back.
  double current = 0.0;
  if (!sp.policy->set_parameter(e.parameter, 0.0, &current)) {
    throw ModelError(
        fmt::format("event {}: policy {} has no parameter {}", e.id, sp.policy->describe(), e.parameter));
  }
  sp.policy->set_parameter(e.parameter, current, nullptr);
  const std::string name = e.parameter;
  visit("parameter/" + sp.name + "/" + name, current,
        [&sp, name](double v) { sp.policy->set_parameter(name, v, nullptr); });
}

}  // namespace

const ActionBehaviour policy_parameter_action{true, false, false, check, targets, nullptr, nullptr};

}  // namespace chainsim::models

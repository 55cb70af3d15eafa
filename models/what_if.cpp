#include "models/what_if.h"

#include <cmath>
#include <fmt/core.h>

#include "models/network.h"

namespace chainsim::models {

WhatIfEngine::WhatIfEngine(std::vector<WhatIfEvent> events) : events_(std::move(events)) {
  for (std::size_t i = 0; i < events_.size(); ++i) {
    if (events_[i].trigger == WhatIfEvent::Trigger::kAfter) {
      events_[static_cast<std::size_t>(events_[i].after)].followers.push_back(static_cast<int>(i));
    }
  }
}

void WhatIfEngine::start(Network& net) {
  sim::Simulator& sim = net.simulator();
  for (std::size_t i = 0; i < events_.size(); ++i) {
    WhatIfEvent& e = events_[i];
    const int idx = static_cast<int>(i);
    switch (e.trigger) {
      case WhatIfEvent::Trigger::kAt:
        if (e.at < net.period_start(net.horizon())) {
          sim.schedule(std::max(e.at, sim.now()), priority::kWhatIf, [this, &net, idx] { fire(net, idx); });
        }
        break;
      case WhatIfEvent::Trigger::kProbability:
        schedule_probability(net, idx, 0);
        break;
      case WhatIfEvent::Trigger::kUpDown:
        schedule_up_down(net, idx, true);
        break;
      case WhatIfEvent::Trigger::kAfter:
        break;  // scheduled when its trigger fires
    }
  }
}

void WhatIfEngine::schedule_probability(Network& net, int i, std::int64_t period) {
  if (period >= net.horizon()) return;
  net.simulator().schedule(net.period_start(period), priority::kWhatIf, [this, &net, i, period] {
    WhatIfEvent& e = events_[static_cast<std::size_t>(i)];
    const double u = e.rng.uniform01();  // one per period, fired or not
    if (u < e.probability && !e.active) fire(net, i);
    schedule_probability(net, i, period + 1);
  });
}

void WhatIfEngine::schedule_up_down(Network& net, int i, bool going_down) {
  WhatIfEvent& e = events_[static_cast<std::size_t>(i)];
  const double mean = going_down ? e.mean_up : e.mean_down;
  const double wait = -mean * std::log1p(-e.rng.uniform01());
  const Time at = net.simulator().now() + wait;
  if (at >= net.period_start(net.horizon())) return;
  net.simulator().schedule(at, priority::kWhatIf, [this, &net, i, going_down] {
    WhatIfEvent& ev = events_[static_cast<std::size_t>(i)];
    if (going_down) {
      fire(net, i);
    } else if (ev.active) {
      revert(net, ev);
    }
    schedule_up_down(net, i, !going_down);
  });
}

void WhatIfEngine::fire(Network& net, int i) {
  WhatIfEvent& e = events_[static_cast<std::size_t>(i)];
  apply(net, e);
  sim::Simulator& sim = net.simulator();
  if (e.duration >= 0.0 && e.trigger != WhatIfEvent::Trigger::kUpDown) {
    sim.schedule(sim.now() + e.duration, priority::kWhatIf, [this, &net, i] {
      WhatIfEvent& ev = events_[static_cast<std::size_t>(i)];
      if (ev.active) revert(net, ev);
    });
  }
  for (const int f : e.followers) {
    const double delay = events_[static_cast<std::size_t>(f)].delay;
    sim.schedule(sim.now() + delay, priority::kWhatIf, [this, &net, f] { fire(net, f); });
  }
}

void WhatIfEngine::apply(Network& net, WhatIfEvent& e) {
  e.active = true;
  e.saved.clear();
  const std::string& a = e.action;
  if (a == "node_down") {
    Node& n = net.node_mut(e.node);
    e.saved = {n.down ? 1.0 : 0.0, n.hold_in_transit ? 1.0 : 0.0};
    n.down = true;
    n.hold_in_transit = e.hold;
  } else if (a == "lane_lead_time") {
    Lane& l = net.lane_mut(e.lane);
    e.saved = {l.lead_time_factor};
    l.lead_time_factor = e.value;
  } else if (a == "lane_closed") {
    Lane& l = net.lane_mut(e.lane);
    e.saved = {l.closed ? 1.0 : 0.0};
    l.closed = true;
  } else if (a == "demand_multiplier") {
    for (const StockPoint& sp : net.stocks()) {
      if (sp.period_demand.empty() && sp.arrivals.empty()) continue;
      if (e.node != kNone && sp.node != e.node) continue;
      if (e.product != kNone && sp.product != e.product) continue;
      StockPoint& m = net.stock_mut(sp.id);
      e.saved.push_back(m.demand_multiplier);
      m.demand_multiplier = e.value;
    }
  } else if (a == "capacity") {
    if (e.lane != kNone) {
      Lane& l = net.lane_mut(e.lane);
      e.saved = {l.capacity_per_period};
      l.capacity_per_period = e.value;
      l.capacity_left = std::min(l.capacity_left, e.value);
    } else if (e.product != kNone) {
      ProductionLine& pl = *net.stock_mut(net.stock_of(e.node, e.product)).production;
      e.saved = {pl.capacity};
      pl.capacity = e.value;
      pl.capacity_left = std::min(pl.capacity_left, e.value);
    } else {
      Node& n = net.node_mut(e.node);
      e.saved = {n.capacity};
      n.capacity = e.value;
      n.capacity_left = std::min(n.capacity_left, e.value);
    }
  } else if (a == "price") {
    if (e.lane != kNone) {
      Lane& l = net.lane_mut(e.lane);
      for (ProductId p = 0; p < l.price.size(); ++p) {
        if (e.product != kNone && p != e.product) continue;
        e.saved.push_back(l.price[p]);
        l.price[p] = e.value;
      }
    } else {
      e.saved = {net.products()[e.product].price};
      net.product_mut(e.product).price = e.value;
      for (const StockPoint& sp : net.stocks()) {
        if (sp.product == e.product) net.stock_mut(sp.id).price = e.value;
      }
    }
  } else if (a == "policy_parameter") {
    double old = 0.0;
    StockPoint& sp = net.stock_mut(net.stock_of(e.node, e.product));
    if (!sp.policy->set_parameter(e.parameter, e.value, &old)) {
      throw ModelError(fmt::format("event {}: policy {} has no parameter {}", e.id,
                                   sp.policy->describe(), e.parameter));
    }
    e.saved = {old};
  }
}

void WhatIfEngine::revert(Network& net, WhatIfEvent& e) {
  e.active = false;
  const std::string& a = e.action;
  if (a == "node_down") {
    Node& n = net.node_mut(e.node);
    n.down = e.saved[0] != 0.0;
    n.hold_in_transit = e.saved[1] != 0.0;
    net.request(e.node, Phase::kReceive);  // take in held shipments, resume shipping
  } else if (a == "lane_lead_time") {
    net.lane_mut(e.lane).lead_time_factor = e.saved[0];
  } else if (a == "lane_closed") {
    Lane& l = net.lane_mut(e.lane);
    l.closed = e.saved[0] != 0.0;
    net.request(l.from, Phase::kFulfil);
  } else if (a == "demand_multiplier") {
    std::size_t k = 0;
    for (const StockPoint& sp : net.stocks()) {
      if (sp.period_demand.empty() && sp.arrivals.empty()) continue;
      if (e.node != kNone && sp.node != e.node) continue;
      if (e.product != kNone && sp.product != e.product) continue;
      net.stock_mut(sp.id).demand_multiplier = e.saved[k++];
    }
  } else if (a == "capacity") {
    if (e.lane != kNone) {
      net.lane_mut(e.lane).capacity_per_period = e.saved[0];
    } else if (e.product != kNone) {
      net.stock_mut(net.stock_of(e.node, e.product)).production->capacity = e.saved[0];
    } else {
      net.node_mut(e.node).capacity = e.saved[0];
    }
  } else if (a == "price") {
    if (e.lane != kNone) {
      Lane& l = net.lane_mut(e.lane);
      std::size_t k = 0;
      for (ProductId p = 0; p < l.price.size(); ++p) {
        if (e.product != kNone && p != e.product) continue;
        l.price[p] = e.saved[k++];
      }
    } else {
      net.product_mut(e.product).price = e.saved[0];
      for (const StockPoint& sp : net.stocks()) {
        if (sp.product == e.product) net.stock_mut(sp.id).price = e.saved[0];
      }
    }
  } else if (a == "policy_parameter") {
    net.stock_mut(net.stock_of(e.node, e.product)).policy->set_parameter(e.parameter, e.saved[0], nullptr);
  }
}

}  // namespace chainsim::models

#include "models/chain/what_if.h"

#include <cmath>
#include <fmt/core.h>

#include "models/chain/network.h"

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

double WhatIfEngine::push_override(const std::string& key, int e, double value, double current) {
  Target& t = targets_[key];
  if (t.active.empty()) t.original = current;
  t.active.emplace_back(e, value);
  return value;
}

double WhatIfEngine::pop_override(const std::string& key, int e) {
  Target& t = targets_[key];
  for (std::size_t i = t.active.size(); i-- > 0;) {
    if (t.active[i].first == e) {
      t.active.erase(t.active.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  }
  return t.active.empty() ? t.original : t.active.back().second;
}

void WhatIfEngine::for_each_target(
    Network& net, WhatIfEvent& e,
    const std::function<void(const std::string&, double, const std::function<void(double)>&)>& f) {
  const std::string& a = e.action;
  if (a == "node_down") {
    Node& n = net.node_mut(e.node);
    f("down/" + n.name, n.down ? 1.0 : 0.0, [&n](double v) { n.down = v != 0.0; });
    f("hold/" + n.name, n.hold_in_transit ? 1.0 : 0.0, [&n](double v) { n.hold_in_transit = v != 0.0; });
  } else if (a == "lane_lead_time") {
    Lane& l = net.lane_mut(e.lane);
    f("lead_time/" + l.name, l.lead_time_factor, [&l](double v) { l.lead_time_factor = v; });
  } else if (a == "lane_closed") {
    Lane& l = net.lane_mut(e.lane);
    f("closed/" + l.name, l.closed ? 1.0 : 0.0, [&l](double v) { l.closed = v != 0.0; });
  } else if (a == "demand_multiplier") {
    for (const StockPoint& sp : net.stocks()) {
      if (sp.period_demand.empty() && sp.arrivals.empty()) continue;
      if (e.node != kNone && sp.node != e.node) continue;
      if (e.product != kNone && sp.product != e.product) continue;
      StockPoint& m = net.stock_mut(sp.id);
      f("demand/" + m.name, m.demand_multiplier, [&m](double v) { m.demand_multiplier = v; });
    }
  } else if (a == "capacity") {
    if (e.lane != kNone) {
      Lane& l = net.lane_mut(e.lane);
      f("capacity/" + l.name, l.capacity_per_period, [&l](double v) { l.capacity_per_period = v; });
    } else if (e.product != kNone) {
      StockPoint& sp = net.stock_mut(net.stock_of(e.node, e.product));
      ProductionLine& pl = *sp.production;
      f("capacity/" + sp.name, pl.capacity, [&pl](double v) { pl.capacity = v; });
    } else {
      Node& n = net.node_mut(e.node);
      f("capacity/" + n.name, n.capacity, [&n](double v) { n.capacity = v; });
    }
  } else if (a == "price") {
    if (e.lane != kNone) {
      Lane& l = net.lane_mut(e.lane);
      for (ProductId p = 0; p < l.price.size(); ++p) {
        if (e.product != kNone && p != e.product) continue;
        f("price/" + l.name + "/" + std::to_string(p), l.price[p], [&l, p](double v) { l.price[p] = v; });
      }
    } else {
      const ProductId p = e.product;
      f("retail_price/" + std::to_string(p), net.products()[p].price, [&net, p](double v) {
        net.product_mut(p).price = v;
        for (const StockPoint& sp : net.stocks()) {
          if (sp.product == p) net.stock_mut(sp.id).price = v;
        }
      });
    }
  } else if (a == "policy_parameter") {
    StockPoint& sp = net.stock_mut(net.stock_of(e.node, e.product));
    // set_parameter reports the value it replaces: read it, then put it back.
    double current = 0.0;
    if (!sp.policy->set_parameter(e.parameter, 0.0, &current)) {
      throw ModelError(fmt::format("event {}: policy {} has no parameter {}", e.id, sp.policy->describe(),
                                   e.parameter));
    }
    sp.policy->set_parameter(e.parameter, current, nullptr);
    const std::string name = e.parameter;
    f("parameter/" + sp.name + "/" + name, current,
      [&sp, name](double v) { sp.policy->set_parameter(name, v, nullptr); });
  }
}

void WhatIfEngine::apply(Network& net, WhatIfEvent& e) {
  e.active = true;
  const int idx = static_cast<int>(&e - events_.data());
  for_each_target(net, e, [&](const std::string& key, double current, const std::function<void(double)>& set) {
    double value = e.value;
    if (e.action == "node_down") value = key.rfind("down/", 0) == 0 ? 1.0 : (e.hold ? 1.0 : 0.0);
    if (e.action == "lane_closed") value = 1.0;
    set(push_override(key, idx, value, current));
  });
}

void WhatIfEngine::revert(Network& net, WhatIfEvent& e) {
  e.active = false;
  const int idx = static_cast<int>(&e - events_.data());
  for_each_target(net, e, [&](const std::string& key, double, const std::function<void(double)>& set) {
    set(pop_override(key, idx));
  });
  // What waited for the node or the lane can move now.
  if (e.action == "node_down") net.request(e.node, Phase::kReceive);
  if (e.action == "lane_closed") net.request(net.lanes()[e.lane].from, Phase::kFulfil);
}

}  // namespace chainsim::models

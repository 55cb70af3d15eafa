#include "models/chain/what_if.h"

#include <cmath>
#include <fmt/core.h>

#include "models/chain/network.h"

namespace chainsim::models {

namespace {

const ActionBehaviour* const kBehaviours[] = {
#define CHAINSIM_ACTION(id, name, behaviour) &behaviour,
#include "models/chain/what_if/actions.def"
#undef CHAINSIM_ACTION
};

}  // namespace

const ActionBehaviour& action_behaviour(ActionKind kind) { return *kBehaviours[static_cast<std::size_t>(kind)]; }

std::vector<Problem> check_action(const ScenarioSpec& spec, const SpecIndex& index, const EventSpec& e) {
  const ActionBehaviour& b = action_behaviour(*e.action);
  const std::string name(name_of(*e.action));
  std::vector<Problem> p;
  if (b.needs_node && e.node.empty()) p.push_back({"node", "action " + name + " needs a node"});
  if (b.needs_lane && e.lane.empty()) p.push_back({"lane", "action " + name + " needs a lane"});
  if (!e.node.empty() && !index.nodes.count(e.node)) p.push_back({"node", "no node with id '" + e.node + "'"});
  if (!e.lane.empty() && !index.lanes.count(e.lane)) p.push_back({"lane", "no lane with id '" + e.lane + "'"});
  if (!e.product.empty() && !index.products.count(e.product)) {
    p.push_back({"product", "no product with id '" + e.product + "'"});
  }
  if (b.once == nullptr && !e.segment.empty()) {
    p.push_back({"segment", "action " + name + " does not take a segment (campaign does)"});
  }
  if (b.once == nullptr && e.cost != 0.0) p.push_back({"cost", "action " + name + " does not take a cost (campaign does)"});
  if (b.nonneg_value && !(std::isfinite(e.value) && e.value >= 0)) {
    p.push_back({"value", fmt::format("must be a finite number >= 0 (got {})", e.value)});
  }
  if (b.check != nullptr) b.check(spec, index, e, p);
  return p;
}

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
      case WhatIfEvent::Trigger::kWhen:
        schedule_when(net, idx, 1);  // the first boundary with a period closed
        break;
    }
  }
}

// At each boundary k >= 1: fires when the condition holds on period k - 1
// and the event is not active; an event without a duration holds while the
// condition does, and is reverted at the first boundary where it does not.
void WhatIfEngine::schedule_when(Network& net, int i, std::int64_t period) {
  if (period >= net.horizon()) return;
  net.simulator().schedule(net.period_start(period), priority::kWhatIf, [this, &net, i, period] {
    WhatIfEvent& e = events_[static_cast<std::size_t>(i)];
    const bool holds = condition(net, e);
    if (holds && !e.active && !e.latched) {
      fire(net, i);
      // A one-off action (a campaign) is never active: it fires once each
      // time the condition comes to hold, not at every boundary while it does.
      e.latched = !e.active;
    } else if (!holds && e.active && e.duration < 0.0) {
      revert(net, e);
    }
    if (!holds) e.latched = false;
    schedule_when(net, i, period + 1);
  });
}

bool WhatIfEngine::condition(const Network& net, WhatIfEvent& e) const {
  const StockPeriod& r = net.last_period_stocks()[e.watch];
  double x = 0.0;
  switch (e.measure) {
    case WhenMeasure::kOnHand: x = r.on_hand; break;
    case WhenMeasure::kPosition: x = r.position; break;
    case WhenMeasure::kBacklog: x = r.backlog; break;
    case WhenMeasure::kFillRate: {
      e.window.emplace_back(r.met_immediately, r.demand);
      if (e.window.size() > static_cast<std::size_t>(e.over)) e.window.erase(e.window.begin());
      if (e.window.size() < static_cast<std::size_t>(e.over)) return false;  // not yet `over` periods to judge
      double met = 0.0, demand = 0.0;
      for (const auto& [m, d] : e.window) {
        met += m;
        demand += d;
      }
      if (demand <= 0.0) return false;  // nothing asked: no fill rate to judge
      x = met / demand;
      break;
    }
  }
  return e.below ? x < e.level : x > e.level;
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

void WhatIfEngine::apply(Network& net, WhatIfEvent& e) {
  const ActionBehaviour& b = action_behaviour(e.action);
  net.log_what_if(e.id, true);
  if (b.once != nullptr) {
    b.once(net, e);  // done: nothing holds, nothing to revert
    return;
  }
  e.active = true;
  const int idx = static_cast<int>(&e - events_.data());
  b.targets(net, e, [&](const std::string& key, double current, const std::function<void(double)>& set) {
    set(push_override(key, idx, b.value != nullptr ? b.value(e, key) : e.value, current));
  });
}

void WhatIfEngine::revert(Network& net, WhatIfEvent& e) {
  e.active = false;
  net.log_what_if(e.id, false);
  const int idx = static_cast<int>(&e - events_.data());
  const ActionBehaviour& b = action_behaviour(e.action);
  if (b.targets == nullptr) return;
  b.targets(net, e, [&](const std::string& key, double, const std::function<void(double)>& set) {
    set(pop_override(key, idx));
  });
  if (b.after_revert != nullptr) b.after_revert(net, e);
}

}  // namespace chainsim::models

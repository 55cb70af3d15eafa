// campaign: a one-off win-back. When the event fires, every customer of the
// segment who left for the service (its churned pool) is contacted, at the
// event's cost each, and comes back with probability value: active from then
// on, ordering from the next orders drawn (at a period boundary, the orders
// of the period it opens). Population mode draws how many come back, one
// binomial from the stream "segment/<id>/campaign" per firing; individual
// mode draws for each contacted customer, at (firing, customer) of the
// addressed draws of that name.
#include <fmt/core.h>

#include "models/chain/network.h"
#include "models/chain/what_if.h"

namespace chainsim::models {

namespace {

void check(const ScenarioSpec& spec, const SpecIndex&, const EventSpec& e, std::vector<Problem>& p) {
  if (e.segment.empty()) {
    p.push_back({"segment", "campaign needs a segment"});
  } else {
    bool found = false;
    for (const SegmentSpec& g : spec.customers) found = found || g.id == e.segment;
    if (!found) p.push_back({"segment", "no customer segment with id '" + e.segment + "'"});
  }
  if (!(e.value >= 0.0 && e.value <= 1.0)) {
    p.push_back({"value", fmt::format("campaign: must be a probability in [0, 1] (got {})", e.value)});
  }
}

void once(Network& net, const WhatIfEvent& e) { net.campaign(e.segment, e.value, e.cost); }

}  // namespace

const ActionBehaviour campaign_action{false, false, false, check, nullptr, nullptr, nullptr, once};

}  // namespace chainsim::models

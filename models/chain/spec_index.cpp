#include "models/chain/spec_index.h"

#include <fmt/core.h>

namespace chainsim::models {

std::string lane_id(const LaneSpec& l) { return l.id.empty() ? l.from + "->" + l.to : l.id; }

std::string event_id(const EventSpec& e, std::size_t i) { return e.id.empty() ? fmt::format("event{}", i) : e.id; }

SpecIndex::SpecIndex(const ScenarioSpec& spec) {
  products.reserve(spec.products.size());
  nodes.reserve(spec.nodes.size());
  lanes.reserve(spec.lanes.size());
  between.reserve(spec.lanes.size());
  events.reserve(spec.events.size());
  std::size_t made = 0;
  for (const LaneSpec& l : spec.lanes) made += l.id.empty() ? 1 : 0;
  for (const EventSpec& e : spec.events) made += e.id.empty() ? 1 : 0;
  made_ids_.reserve(made);
  for (std::size_t i = 0; i < spec.products.size(); ++i) products.emplace(spec.products[i].id, i);
  for (std::size_t i = 0; i < spec.nodes.size(); ++i) nodes.emplace(spec.nodes[i].id, i);
  for (std::size_t i = 0; i < spec.lanes.size(); ++i) {
    const LaneSpec& l = spec.lanes[i];
    lanes.emplace(l.id.empty() ? std::string_view(made_ids_.emplace_back(lane_id(l))) : std::string_view(l.id), i);
    between[{l.from, l.to}].push_back(i);
  }
  for (std::size_t i = 0; i < spec.events.size(); ++i) {
    const EventSpec& e = spec.events[i];
    events.emplace(e.id.empty() ? std::string_view(made_ids_.emplace_back(event_id(e, i))) : std::string_view(e.id), i);
  }
}

const NodeSpec* SpecIndex::node(const ScenarioSpec& spec, const std::string& id) const {
  const auto it = nodes.find(id);
  return it == nodes.end() ? nullptr : &spec.nodes[it->second];
}

bool SpecIndex::has_stock(const ScenarioSpec& spec, const std::string& node_id, const std::string& product) const {
  const NodeSpec* n = node(spec, node_id);
  if (n == nullptr) return false;
  if (node_kind_info(n->kind).unlimited_source) return true;
  for (const StockSpec& s : n->stocks) {
    if (s.product == product) return true;
  }
  return false;
}

// The lane a source uses: by id, or the only lane from -> to. Returns -1 and
// a reason when there is none or several.
int resolve_lane(const ScenarioSpec& spec, const SpecIndex& index, const SourceSpec& src, const std::string& to,
                 std::string& why) {
  if (!src.lane.empty()) {
    const auto named = index.lanes.find(src.lane);
    if (named == index.lanes.end()) {
      why = fmt::format("no lane with id '{}'", src.lane);
      return -1;
    }
    const LaneSpec& l = spec.lanes[named->second];
    if (l.from != src.from || l.to != to) {
      why = fmt::format("lane '{}' runs from '{}' to '{}', not from '{}' to '{}'", src.lane, l.from, l.to, src.from,
                        to);
      return -1;
    }
    return static_cast<int>(named->second);
  }
  const auto found = index.between.find({src.from, to});
  if (found == index.between.end()) {
    why = fmt::format("no lane from '{}' to '{}'", src.from, to);
    return -1;
  }
  if (found->second.size() > 1) {
    why = fmt::format("several lanes run from '{}' to '{}'; name one with lane:", src.from, to);
    return -1;
  }
  return static_cast<int>(found->second.front());
}

}  // namespace chainsim::models

// The ids of a spec, looked up: the index of the first product, node, lane
// and event of each id (a lane's id is "from->to" unless it names one; an
// event's "event<i>"), for the checks and the builder.
#pragma once

#include <cstddef>
#include <boost/container_hash/hash.hpp>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "models/chain/spec.h"

namespace chainsim::models {

// A lane's id: its own, or "<from>-><to>".
std::string lane_id(const LaneSpec& l);
// An event's id: its own, or "event<i>" for the i-th event.
std::string event_id(const EventSpec& e, std::size_t i);

struct SpecIndex {
  explicit SpecIndex(const ScenarioSpec& spec);
  // Hashed, not ordered: only looked up (a network of 100,000 lanes builds
  // its index at each check and build).
  std::unordered_map<std::string, std::size_t> products, nodes, lanes, events;
  // The lanes from one node to another, by (from, to), in spec order.
  std::unordered_map<std::pair<std::string, std::string>, std::vector<std::size_t>,
                     boost::hash<std::pair<std::string, std::string>>>
      between;
  // True when `node` is an unlimited source or holds a stock of `product`.
  bool has_stock(const ScenarioSpec& spec, const std::string& node, const std::string& product) const;
  // The node of `id`, or nullptr.
  const NodeSpec* node(const ScenarioSpec& spec, const std::string& id) const;
};

// The lane source `src` of a stock at node `to` uses: the lane it names, or
// the only lane from src.from to `to`. Returns its index, or -1 with the
// reason in `why` (none, several, or a named lane between other nodes).
int resolve_lane(const ScenarioSpec& spec, const SpecIndex& index, const SourceSpec& src, const std::string& to,
                 std::string& why);

}  // namespace chainsim::models

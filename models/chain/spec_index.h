// The ids of a spec, looked up: the index of the first product, node, lane
// and event of each id (a lane's id is "from->to" unless it names one; an
// event's "event<i>"), for the checks and the builder.
#pragma once

#include <cstddef>
#include <boost/container_hash/hash.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "models/chain/spec.h"

namespace chainsim::models {

// A lane's id: its own, or "<from>-><to>".
std::string lane_id(const LaneSpec& l);
// An event's id: its own, or "event<i>" for the i-th event.
std::string event_id(const EventSpec& e, std::size_t i);

// The keys view the ids in `spec` and the lane and event ids the index makes
// for those without one (kept in the index itself): the index must not
// outlive the spec nor see its ids change, and it is neither copied nor
// moved (its views of its own ids would go with the copy's source).
struct SpecIndex {
  explicit SpecIndex(const ScenarioSpec& spec);
  SpecIndex(const SpecIndex&) = delete;
  SpecIndex& operator=(const SpecIndex&) = delete;
  // Hashed, not ordered: only looked up (a network of 100,000 lanes builds
  // its index at each check and build). Views, not strings: no copy of an id.
  std::unordered_map<std::string_view, std::size_t> products, nodes, lanes, events;
  // The lanes from one node to another, by (from, to), in spec order.
  struct PairHash {  // std::hash's of the two ids, combined (Boost 1.74 hashes a view a character at a time)
    std::size_t operator()(const std::pair<std::string_view, std::string_view>& p) const noexcept {
      std::size_t seed = std::hash<std::string_view>{}(p.first);
      boost::hash_combine(seed, std::hash<std::string_view>{}(p.second));
      return seed;
    }
  };
  std::unordered_map<std::pair<std::string_view, std::string_view>, std::vector<std::size_t>, PairHash> between;
  // True when `node` is an unlimited source or holds a stock of `product`.
  bool has_stock(const ScenarioSpec& spec, const std::string& node, const std::string& product) const;
  // The node of `id`, or nullptr.
  const NodeSpec* node(const ScenarioSpec& spec, const std::string& id) const;

 private:
  // The ids made here ("<from>-><to>", "event<i>"), one string each, never
  // moved once made (reserved in full first): the maps view them.
  std::vector<std::string> made_ids_;
};

// The lane source `src` of a stock at node `to` uses: the lane it names, or
// the only lane from src.from to `to`. Returns its index, or -1 with the
// reason in `why` (none, several, or a named lane between other nodes).
int resolve_lane(const ScenarioSpec& spec, const SpecIndex& index, const SourceSpec& src, const std::string& to,
                 std::string& why);

}  // namespace chainsim::models

// Node groups: a node item with `count: N` stands for N identical nodes,
// <id>_1 ... <id>_N, so that a regular structure (100,000 stores with one
// policy, all-to-all lanes between two tiers) is written once. A source that
// names a group buys from some of its members (StockSpec::from_members), and
// a lane from or to a group joins member pairs (LaneSpec::pairs). The loader
// expands a scenario's groups after converting it and before checking it;
// the checks and the builder see members only.
#pragma once

#include <cstddef>
#include <vector>

#include "models/chain/spec.h"
#include "models/chain/spec_checks.h"

namespace chainsim::models {

// For each node and lane of an expanded spec, the index of the item of the
// spec before expansion it came from (its group's, for a member).
struct GroupOrigins {
  std::vector<std::size_t> nodes, lanes;
  // sources[node][stock][q]: the index, in the stock as written, of source q
  // of that stock of an expanded node; empty where expansion left the
  // sources as written.
  std::vector<std::vector<std::vector<std::size_t>>> sources;
};

// Replaces every node group (count > 1) with its members, every source that
// names a group with sources naming members, and every lane from or to a
// group with lanes between members (default ids, "<from>-><to>"). Specs
// without groups come back unchanged. The issues (a group lane given its own
// id, a group source that names a lane) are at paths of the spec as given;
// the spec is expanded as far as it can be. `origins`, if set, receives where
// each node and lane came from.
std::vector<SpecIssue> expand_groups(ScenarioSpec& spec, GroupOrigins* origins = nullptr);

}  // namespace chainsim::models

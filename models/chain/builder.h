// Turns a ScenarioSpec into a Network: checks every rule the models rely on,
// resolves names to ids, creates the random streams and the initial state.
// Models never see YAML; a test builds a two-node chain by filling a spec.
//
// Random streams, each derived from (seed, replication, name):
//   demand/<node>/<product>/<i>      per-period demand process i
//   arrivals/<node>/<product>/<i>    customer arrival stream i
//   lane/<lane>                      transit times of a lane
//   source/<node>                    a supplier's lead time, reliability, yield
//   production/<node>/<product>      production lead times
//   returns/<node>/<product>         customer returns
//   event/<id>                       a random what-if trigger
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/chain/network.h"
#include "models/chain/spec.h"
#include "models/chain/spec_checks.h"

namespace chainsim::models {

// Builds replication `replication` of the scenario with `seed`. Throws
// SpecError when check_spec finds problems. With `checked`, the caller
// vouches that check_spec has passed this very spec (the loader ran it, or
// an earlier build of it did), and it is not run again: an experiment checks
// once, not every replication.
std::unique_ptr<Network> build_network(const ScenarioSpec& spec, std::uint64_t seed, int replication,
                                       bool checked = false);

}  // namespace chainsim::models

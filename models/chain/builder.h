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

namespace chainsim::models {

// One problem with a spec: the key path (dotted; list items by index, e.g.
// "nodes.2.stocks.0.policy.S") and what is wrong.
struct SpecIssue {
  std::string path;
  std::string message;
};

class SpecError : public std::runtime_error {
 public:
  explicit SpecError(std::vector<SpecIssue> issues);
  const std::vector<SpecIssue>& issues() const noexcept { return issues_; }

 private:
  std::vector<SpecIssue> issues_;
};

// Every semantic problem of the spec, in one pass (empty when it is sound):
// unknown references, duplicate ids, impossible values, bills of materials
// with a cycle, stocks that order with nowhere to order from. `base_dir`
// resolves relative trace files.
std::vector<SpecIssue> check_spec(const ScenarioSpec& spec, const std::string& base_dir = ".");

// Builds replication `replication` of the scenario with `seed`. Throws
// SpecError when check_spec finds problems.
std::unique_ptr<Network> build_network(const ScenarioSpec& spec, std::uint64_t seed,
                                       int replication, const std::string& base_dir = ".");

}  // namespace chainsim::models

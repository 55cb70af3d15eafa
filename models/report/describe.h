// A scenario described for a person at the terminal: `chainsim validate`'s
// one line, `chainsim describe`'s text, and the network as Graphviz DOT.
#pragma once

#include <string>

#include "models/chain/network.h"
#include "models/chain/spec.h"

namespace chainsim::models {

// "name: ok: 5 nodes (1 supplier, 4 warehouses), 4 lanes, 1 product, 52 periods of 1 week".
std::string validation_line(const ScenarioSpec& spec);

// The network as text: its nodes and their stocks (policy, sources,
// production, demand), its lanes and its events. `net` is replication 0 of
// `spec`, just built.
std::string network_text(const ScenarioSpec& spec, const Network& net);

// The network as a Graphviz DOT digraph: a node per node (shaped by its
// kind), an edge per lane (labelled with its transit time and order delay).
std::string network_dot(const ScenarioSpec& spec, const Network& net);

}  // namespace chainsim::models

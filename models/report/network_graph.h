// The network drawn as a layered graph: echelons as columns from the sources
// on the left to the end customers on the right, nodes as shapes by kind
// (supplier: hexagon, factory: saw-tooth roof, warehouse: box, retailer:
// rounded pill), lanes as arrows in the direction product flows, labelled
// with their lead times.
//
// Layout: a node's depth is the length of the longest lane path that reaches
// it from a node no lane delivers to (so every lane points right). Nodes of
// one depth are ordered by the mean position of their suppliers (the
// barycentre heuristic, one sweep from left to right), which keeps the
// fan-out of a distribution network free of crossings.
#pragma once

#include <string>
#include <vector>

#include "models/measure/series.h"

namespace chainsim::models::report {

// The depth of each node of `info` (indexed as info.nodes): 0 for a node no
// lane delivers to, else 1 + the largest depth of a node that ships to it.
// A lane that would close a cycle does not add depth.
std::vector<int> node_depths(const NetworkInfo& info);

// Nodes and lanes to single out (names as in NetworkInfo), drawn with a heavy
// dashed outline and named in the legend by `label`: the comparison page
// marks what a variant adds or changes. Names not in the network are ignored.
struct NetworkMarks {
  std::vector<std::string> nodes, lanes;
  std::string label;  // "added or changed in the variant"
};

// The <svg> of the network (data-chart="network", data-nodes, data-lanes,
// data-marked; one <g class="node" data-kind=...> per node and one
// <path class="lane"> per lane, class "marked" added to the marked ones).
// Lane labels read "ship T · order D" in the scenario's time unit (the mean
// transit time; the order delay when it is not 0).
std::string render_network(const NetworkInfo& info, const std::string& id = "network",
                           const NetworkMarks& marks = {});

}  // namespace chainsim::models::report

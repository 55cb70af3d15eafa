// What a variant changes in its baseline: the two scenario documents as run
// (after extends and overrides, LoadedScenario::document) compared key by
// key, for the comparison page (docs/report.md, "compare.html").
//
// Mappings pair by key. A list pairs its items by what names them, so that a
// node inserted in the middle does not shift every node after it:
//   - by `id` when every item is a mapping with a distinct scalar id (nodes,
//     products, events), or by `product` likewise (a node's stocks, inputs);
//   - lanes (mappings with scalar `from` and `to` and no id) by "from->to", a
//     second lane between the same two nodes "from->to#2";
//   - anything else by position.
// Scalars are equal when their text is, or when both read as the same number
// ("30" and "30.0"). Paths are dotted, list items named by their key
// ("nodes.retailer.payment_terms.net", "lanes.dc->store.transport_time") or
// index ("demand.values.3").
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace chainsim::models {

struct ScenarioChange {
  enum class Kind { kChanged, kAdded, kRemoved };
  Kind kind = Kind::kChanged;
  std::string path;
  // The value on each side as YAML text (flow style for a mapping or a list,
  // cut at 240 characters with "…"); "" on the side that lacks it.
  std::string baseline, variant;
};

// Every difference, in document order: the baseline's keys first, then the
// keys only the variant has. A mapping or list present on one side only is
// one change (not one per key inside it); a scalar that became a mapping (or
// the reverse) is one change of the whole value. Empty when the documents
// are equal. Never throws.
std::vector<ScenarioChange> diff_scenarios(const YAML::Node& baseline, const YAML::Node& variant);

}  // namespace chainsim::models

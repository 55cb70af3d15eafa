// The table of scenario keys: every mapping of the YAML format, every key in
// it, its type, default, meaning and constraint. The spec's keys are declared
// once, bound to their fields, in models/chain/spec_keys.h; the format adds
// its own keys that have no field (`extends`, `remove`, a stock's `from`, the
// keys of a node's single stock given at the node level) and the
// distribution mapping. It is the single list the loader converts and checks
// documents with, and from which the reference tables of
// docs/scenario-format.md and scenarios/schema.json are generated (tests fail
// when the committed files drift from it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "models/chain/spec_keys.h"

namespace chainsim::models {

// All sections, the top-level one ("scenario") first.
const std::vector<SectionInfo>& scenario_sections();
// REQUIRES: the section exists.
const SectionInfo& scenario_section(std::string_view name);

// The section of the items of list `key` when a variant merges that list by
// item id (`remove: true` deletes one): products, nodes, stocks, inputs,
// lanes, events, customers; nullptr for any other key.
const char* merged_item_section(std::string_view key);

// The JSON Schema (draft 2020-12) of the format, generated from the table.
std::string scenario_json_schema();
// The reference tables (Markdown), one per section, generated from the table.
std::string scenario_reference_tables();

// The keys of `section` closest to `key` (edit distance <= 2 or a shared
// prefix), for "did you mean" hints; best first.
std::vector<std::string> close_keys(const SectionInfo& section, std::string_view key);
// The same among any names (an enum's values), closest first.
std::vector<std::string> close_names(const std::vector<std::string>& names, std::string_view key);

}  // namespace chainsim::models

// The table of scenario keys: every mapping of the YAML format, every key in
// it, its type, default, meaning and constraint. It is the single list the
// loader checks documents against, and from which the reference tables of
// docs/scenario-format.md and scenarios/schema.json are generated (tests fail
// when the committed files drift from it).
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace chainsim::models {

enum class KeyType {
  kString,
  kNumber,        // a finite number (or .inf where allow_infinity)
  kInteger,
  kBoolean,
  kEnum,          // one of `values`
  kDistribution,  // a number (constant) or a distribution mapping
  kNumberList,
  kSection,       // a mapping described by `section`
  kSectionList,   // a list of such mappings
  kSectionOrList, // one mapping or a list of them
  kSourceList,    // a list of node ids or source mappings
  kNumberMap,     // product id -> number
  kDistributionMap,  // product id -> distribution
  kPipeline,      // a list of numbers, or product id -> list of numbers
};

// The most replications a scenario (or `run --replications`) asks for: `run`
// keeps every replication's KPIs (about 12 KB each) to summarise them;
// `chainsim sweep` streams them and runs any number.
inline constexpr int kMaxReplications = 10'000;

struct KeyInfo {
  std::string name;
  KeyType type = KeyType::kNumber;
  std::string doc;           // meaning, with the unit
  std::string default_text;  // shown in the reference; empty when required
  bool required = false;
  std::string section;               // for section-valued keys
  std::vector<std::string> values;   // for enums
  double minimum = -std::numeric_limits<double>::infinity();
  bool exclusive_minimum = false;
  double maximum = std::numeric_limits<double>::infinity();
  bool allow_infinity = false;
  std::vector<std::string> only_for;  // typed sections: the types this key applies to
  std::vector<std::string> required_for;  // typed sections: the types that must give it
};

struct SectionInfo {
  std::string name;
  std::string doc;
  std::vector<KeyInfo> keys;
  std::string type_key;  // "type" for typed sections (policy, demand, distribution)
  std::vector<std::string> types;

  const KeyInfo* find(std::string_view key) const;
};

// All sections, the top-level one ("scenario") first.
const std::vector<SectionInfo>& scenario_sections();
// REQUIRES: the section exists.
const SectionInfo& scenario_section(std::string_view name);

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

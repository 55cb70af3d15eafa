#include "models/scenario/keys.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>


namespace chainsim::models {

namespace {

using namespace declare;

KeyInfo remove_key() {
  return key("remove", KeyType::kBoolean,
             "In a scenario that extends a baseline: delete the baseline's item with this id.", "false");
}

// The distribution mapping (sim::Distribution has no struct of keys: the
// loader builds it from these, docs/engine.md draws it).
SectionInfo distribution_section() {
  const std::vector<std::string> types = {"constant", "poisson", "normal", "truncated_normal", "lognormal", "gamma",
                                          "exponential", "uniform", "uniform_int", "negative_binomial", "empirical"};
  SectionInfo s;
  s.name = "distribution";
  s.doc =
      "A probability distribution; a plain number means a constant. Every variate is drawn by inversion from one "
      "uniform (docs/engine.md).";
  KeyInfo type = req(key("type", KeyType::kEnum, "The family."));
  type.values = types;
  s.keys = {
      type,
      only(key("value", KeyType::kNumber, "The constant."), {"constant"}),
      only(key("mean", KeyType::kNumber, "Mean."),
           {"poisson", "normal", "truncated_normal", "lognormal", "exponential", "gamma", "negative_binomial"}),
      only(nonneg(key("sd", KeyType::kNumber, "Standard deviation.")), {"normal", "truncated_normal", "lognormal", "gamma"}),
      only(key("lower", KeyType::kNumber, "Lower truncation point.", "0"), {"truncated_normal"}),
      only(positive(key("shape", KeyType::kNumber, "Shape k (or give mean and sd).")), {"gamma"}),
      only(positive(key("scale", KeyType::kNumber, "Scale theta.")), {"gamma"}),
      only(key("low", KeyType::kNumber, "Lower bound."), {"uniform", "uniform_int"}),
      only(key("high", KeyType::kNumber, "Upper bound."), {"uniform", "uniform_int"}),
      only(positive(key("r", KeyType::kNumber, "Number of successes (or give mean and variance).")),
           {"negative_binomial"}),
      only(unit(key("p", KeyType::kNumber, "Success probability.")), {"negative_binomial"}),
      only(positive(key("variance", KeyType::kNumber, "Variance (> mean).")), {"negative_binomial"}),
      only(key("values", KeyType::kNumberList, "Values."), {"empirical"}),
      only(key("weights", KeyType::kNumberList, "Their weights.", "equal"), {"empirical"}),
  };
  s.type_key = "type";
  s.types = types;
  return s;
}

// The spec's sections with the format's own keys, and the distribution.
std::vector<SectionInfo> build_sections() {
  std::vector<SectionInfo> s = spec_sections();
  auto at = [&](std::string_view name) -> SectionInfo& {
    for (SectionInfo& sec : s) {
      if (sec.name == name) return sec;
    }
    throw std::logic_error("no section " + std::string(name));
  };
  at("scenario").keys.insert(at("scenario").keys.begin(),
                             key("extends", KeyType::kString,
                                 "A baseline scenario file this one modifies (path relative to this file)."));
  // A stock with one source may name it with from: instead of sources:.
  std::vector<KeyInfo>& stock = at("stock").keys;
  for (auto it = stock.begin(); it != stock.end(); ++it) {
    if (it->name != "sources") continue;
    stock.insert(it + 1, key("from", KeyType::kString, "Shorthand for a single source: sources: [from]."));
    break;
  }
  // A node with one stock may give the stock's keys directly; the node's
  // defaults for its stocks (costs, unmet_demand) share names with them.
  SectionInfo& node = at("node");
  for (KeyInfo k : stock) {
    if (node.find(k.name) != nullptr) continue;
    if (k.name == "product") k.required = false;  // only for the shorthand
    k.of_stock = true;
    node.keys.push_back(k);
  }
  for (const char* item : {"product", "node", "stock", "lane", "event", "input", "segment"}) {
    at(item).keys.push_back(remove_key());
  }
  s.push_back(distribution_section());
  return s;
}

}  // namespace

const char* merged_item_section(std::string_view key) {
  static constexpr std::pair<std::string_view, const char*> kLists[] = {
      {"products", "product"}, {"nodes", "node"},   {"stocks", "stock"},      {"inputs", "input"},
      {"lanes", "lane"},       {"events", "event"}, {"customers", "segment"},
  };
  for (const auto& [list, item] : kLists) {
    if (list == key) return item;
  }
  return nullptr;
}

const std::vector<SectionInfo>& scenario_sections() {
  static const std::vector<SectionInfo> sections = build_sections();
  return sections;
}

const SectionInfo& scenario_section(std::string_view name) {
  for (const SectionInfo& s : scenario_sections()) {
    if (s.name == name) return s;
  }
  throw std::logic_error("no scenario section " + std::string(name));
}

std::vector<std::string> close_keys(const SectionInfo& section, std::string_view k) {
  std::vector<std::string> names;
  for (const KeyInfo& ki : section.keys) names.push_back(ki.name);
  return close_names(names, k);
}

std::vector<std::string> close_names(const std::vector<std::string>& names, std::string_view k) {
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      }
      std::swap(prev, cur);
    }
    return prev[b.size()];
  };
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const std::string& name : names) {
    const std::size_t d = distance(k, name);
    const std::size_t limit = k.size() <= 3 ? 1 : 2;
    if (d <= limit) scored.emplace_back(d, name);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& [d, name] : scored) out.push_back(name);
  return out;
}

namespace {

nlohmann::ordered_json number_schema(const KeyInfo& k, bool integer) {
  nlohmann::ordered_json j;
  j["type"] = integer ? "integer" : "number";
  if (std::isfinite(k.minimum)) j[k.exclusive_minimum ? "exclusiveMinimum" : "minimum"] = k.minimum;
  if (std::isfinite(k.maximum)) j["maximum"] = k.maximum;
  return j;
}

nlohmann::ordered_json value_schema(const KeyInfo& k) {
  using J = nlohmann::ordered_json;
  const J number = {{"type", "number"}};
  const J number_list = {{"type", "array"}, {"items", number}};
  const J distribution = {{"oneOf", J::array({number, {{"$ref", "#/$defs/distribution"}}})}};
  switch (k.type) {
    case KeyType::kString: return {{"type", "string"}};
    case KeyType::kNumber: return number_schema(k, false);
    case KeyType::kInteger: return number_schema(k, true);
    case KeyType::kBoolean: return {{"type", "boolean"}};
    case KeyType::kEnum: return {{"enum", k.values}};
    case KeyType::kDistribution: return distribution;
    case KeyType::kNumberList: return number_list;
    case KeyType::kSection: return {{"$ref", "#/$defs/" + k.section}};
    case KeyType::kSectionList: return {{"type", "array"}, {"items", {{"$ref", "#/$defs/" + k.section}}}};
    case KeyType::kSectionOrList: {
      const J ref = {{"$ref", "#/$defs/" + k.section}};
      return {{"oneOf", J::array({ref, {{"type", "array"}, {"items", ref}}})}};
    }
    case KeyType::kSourceList:
      return {{"type", "array"},
              {"items", {{"oneOf", J::array({{{"type", "string"}}, {{"$ref", "#/$defs/source"}}})}}}};
    case KeyType::kNumberMap: return {{"type", "object"}, {"additionalProperties", number}};
    case KeyType::kDistributionMap: return {{"type", "object"}, {"additionalProperties", distribution}};
    case KeyType::kPipeline:
      return {{"oneOf", J::array({number_list, {{"type", "object"}, {"additionalProperties", number_list}}})}};
  }
  return {};
}

std::string type_name(const KeyInfo& k) {
  switch (k.type) {
    case KeyType::kString: return "string";
    case KeyType::kNumber: return "number";
    case KeyType::kInteger: return "integer";
    case KeyType::kBoolean: return "boolean";
    case KeyType::kEnum: {
      std::string s;
      for (const auto& v : k.values) s += (s.empty() ? "" : " \\| ") + ("`" + v + "`");
      return s;
    }
    case KeyType::kDistribution: return "distribution";
    case KeyType::kNumberList: return "list of numbers";
    case KeyType::kSection: return "[" + k.section + "](#" + k.section + ")";
    case KeyType::kSectionList: return "list of [" + k.section + "](#" + k.section + ")";
    case KeyType::kSectionOrList: return "[" + k.section + "](#" + k.section + ") or a list";
    case KeyType::kSourceList: return "list of node ids or [source](#source)";
    case KeyType::kNumberMap: return "product → number";
    case KeyType::kDistributionMap: return "product → distribution";
    case KeyType::kPipeline: return "list of numbers, or product → list";
  }
  return "?";
}

}  // namespace

std::string scenario_json_schema() {
  using J = nlohmann::ordered_json;
  J defs = J::object();
  for (const SectionInfo& s : scenario_sections()) {
    J props = J::object();
    J required = J::array();
    for (const KeyInfo& k : s.keys) {
      J v = value_schema(k);
      v["description"] = k.doc;
      props[k.name] = v;
      if (k.required) required.push_back(k.name);
    }
    J def = {{"type", "object"}, {"description", s.doc}, {"properties", props}, {"additionalProperties", false}};
    if (!required.empty()) def["required"] = required;
    // Keys some types of a typed section require: if type is T, then required.
    J conditions = J::array();
    for (const std::string& t : s.types) {
      J needs = J::array();
      for (const KeyInfo& k : s.keys) {
        if (std::find(k.required_for.begin(), k.required_for.end(), t) != k.required_for.end()) needs.push_back(k.name);
      }
      if (needs.empty()) continue;
      conditions.push_back({{"if", {{"properties", {{s.type_key, {{"const", t}}}}}, {"required", J::array({s.type_key})}}},
                            {"then", {{"required", needs}}}});
    }
    if (!conditions.empty()) def["allOf"] = conditions;
    if (s.name == "scenario") continue;
    defs[s.name] = def;
  }
  const SectionInfo& top = scenario_sections().front();
  J props = J::object();
  J required = J::array();
  for (const KeyInfo& k : top.keys) {
    J v = value_schema(k);
    v["description"] = k.doc;
    props[k.name] = v;
    // A variant that extends a baseline may leave the required keys to it.
    if (k.required) required.push_back(k.name);
  }
  J schema = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
              {"title", "chainsim scenario"},
              {"description", top.doc + " Generated by `chainsim schema`; do not edit."},
              {"type", "object"},
              {"properties", props},
              {"additionalProperties", false},
              {"if", {{"not", {{"required", J::array({"extends"})}}}}},
              {"then", {{"required", required}}},
              {"$defs", defs}};
  return schema.dump(2) + "\n";
}

std::string scenario_reference_tables() {
  std::string out;
  for (const SectionInfo& s : scenario_sections()) {
    out += "### " + s.name + "\n\n" + s.doc + "\n\n";
    out += "| key | type | default | meaning |\n| --- | --- | --- | --- |\n";
    for (const KeyInfo& k : s.keys) {
      std::string doc = k.doc;
      if (!k.only_for.empty()) {
        std::string types;
        for (const auto& t : k.only_for) types += (types.empty() ? "" : ", ") + t;
        doc += " (" + types + ")";
      }
      std::string def = k.required ? "**required**" : (k.default_text.empty() ? "—" : k.default_text);
      if (!k.required_for.empty()) {
        std::string types;
        for (const auto& t : k.required_for) types += (types.empty() ? "" : ", ") + t;
        def = "**required** (" + types + ")";
      }
      out += "| `" + k.name + "` | " + type_name(k) + " | " + def + " | " + doc + " |\n";
    }
    out += "\n";
  }
  return out;
}

}  // namespace chainsim::models

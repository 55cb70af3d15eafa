#include "models/report/reference.h"

#include <cctype>
#include <fmt/core.h>

#include "models/chain/policy.h"

namespace chainsim::models {

namespace {

// When a policy reviews, as the table says it.
std::string review_of(const PolicyBehaviour& b) {
  if (!b.orders) return "—";
  return b.continuous ? "periodic or continuous" : "periodic";
}

// A heading's anchor: its text in lower case.
std::string anchor(std::string_view name) {
  std::string a(name);
  for (char& c : a) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return a;
}

}  // namespace

std::string policy_reference_markdown() {
  std::string out = "| type | decision rule (before the adjustments) | review |\n| --- | --- | --- |\n";
  for (std::size_t i = 0; i < enum_names<PolicyType>().size(); ++i) {
    const auto type = static_cast<PolicyType>(i);
    const PolicyBehaviour& b = policy_behaviour(type);
    out += fmt::format("| [`{}`](#{}) | {} | {} |\n", name_of(type), anchor(name_of(type)), b.rule, review_of(b));
  }
  return out;
}

std::string policy_reference_text() {
  std::string out;
  for (std::size_t i = 0; i < enum_names<PolicyType>().size(); ++i) {
    const auto type = static_cast<PolicyType>(i);
    const PolicyBehaviour& b = policy_behaviour(type);
    std::string rule(b.rule);
    // The text keeps the rule's Markdown subscripts readable: IP<sub>echelon</sub> as IP_echelon.
    for (const auto& [from, to] : {std::pair{"<sub>", "_"}, std::pair{"</sub>", ""}}) {
      for (std::size_t at = rule.find(from); at != std::string::npos; at = rule.find(from)) {
        rule.replace(at, std::string_view(from).size(), to);
      }
    }
    out += fmt::format("{:<22} {:<24} {}\n", name_of(type), review_of(b), rule);
  }
  return out;
}

}  // namespace chainsim::models

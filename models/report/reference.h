// Reference tables made from the registries, for the docs and the terminal:
// the replenishment policies (docs/policies.md's table is generated from
// this, scripts/update_generated.sh; a test keeps the page equal to it).
#pragma once

#include <string>

namespace chainsim::models {

// docs/policies.md's table: each policy of policies/policies.def, linked to
// its section, with its decision rule and when it may review (Markdown).
std::string policy_reference_markdown();

// The same as plain text, a policy a line.
std::string policy_reference_text();

}  // namespace chainsim::models

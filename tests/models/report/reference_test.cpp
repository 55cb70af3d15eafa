// The reference tables generated from the registries, and the pages that
// carry them: docs/policies.md's table is the policy registry's.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "models/chain/policy.h"
#include "models/report/reference.h"
#include "tests/test_util.h"

using namespace chainsim::models;

TEST_CASE("the policy table lists every registered policy, its rule and when it reviews") {
  const std::string table = policy_reference_markdown();
  CHECK(table.find("| [`base_stock`](#base_stock) | S − IP | periodic or continuous |\n") != std::string::npos);
  CHECK(table.find("| [`R_S`](#r_s) | S − IP, every R periods | periodic |\n") != std::string::npos);
  CHECK(table.find("| [`none`](#none) | 0 | — |\n") != std::string::npos);
  std::size_t rows = 0;
  for (std::size_t at = table.find("\n| [`"); at != std::string::npos; at = table.find("\n| [`", at + 1)) ++rows;
  CHECK(rows == enum_names<PolicyType>().size());
  CHECK(policy_reference_text().find("beer_game              periodic                 max(0, F + α_S (S′") !=
        std::string::npos);
}

// CHAINSIM_UPDATE_GENERATED=1 rewrites the page's table instead
// (scripts/update_generated.sh).
TEST_CASE("docs/policies.md's reference table is the one generated from the policy registry") {
  const std::string path = std::string(CHAINSIM_SOURCE_DIR) + "/docs/policies.md";
  std::string doc = chainsim::testing::read_file(path);
  const std::string begin = "<!-- BEGIN GENERATED: policy_reference_markdown() in models/report/reference.cpp -->\n";
  const auto i = doc.find(begin), j = doc.find("<!-- END GENERATED -->", i);
  REQUIRE(i != std::string::npos);
  REQUIRE(j != std::string::npos);
  const std::string committed = doc.substr(i + begin.size(), j - i - begin.size());
  if (const char* update = std::getenv("CHAINSIM_UPDATE_GENERATED"); update != nullptr && std::string(update) == "1") {
    doc.replace(i + begin.size(), j - i - begin.size(), policy_reference_markdown());
    chainsim::testing::write_file(path, doc);
    return;
  }
  CHECK(committed == policy_reference_markdown());
}

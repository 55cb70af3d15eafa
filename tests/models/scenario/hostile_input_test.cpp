// Scenarios written to break chainsim or to mislead its reader (issue 16):
// control characters and bytes that are not UTF-8, errors that must name
// where they came from once, files outside the scenario's folder, values
// validate must refuse because the run cannot take them, and documents
// that would grow without bound.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "models/scenario/loader.h"
#include "tests/models/scenario/diagnostics.h"
#include "tests/test_util.h"

using namespace chainsim::models;
namespace fs = std::filesystem;

namespace {

const std::string kSmall = R"(name: small
horizon: 10
seed: 3
products:
  - {id: widget, unit_cost: 2, price: 5}
nodes:
  - {id: supplier, kind: supplier}
  - {id: store, kind: retailer, product: widget, initial: 20, from: supplier,
     demand: {type: poisson, mean: 4}, policy: {type: base_stock, S: 20}}
lanes:
  - {from: supplier, to: store, transport_time: 2}
)";

using chainsim::testing::errors_of;
using chainsim::testing::replace;

}  // namespace

TEST_CASE("a control character in a value is refused at its place, escaped in the message") {
  CHECK(errors_of(replace(kSmall, "name: small", "name: \"a\\e[2Jb\\nerror: forged\"")) ==
        std::vector<std::string>{
            "s.yaml:1:7: error: name: holds a control character (a line break, tab, terminal escape or "
            "text-direction mark), allowed in no value but a description's line breaks and tabs (got "
            "'a\\x1b[2Jb\\nerror: forged')"});
  // In an id, which the terminal summary and the CSV files print.
  CHECK(errors_of(replace(kSmall, "id: store,", "id: \"st\\u202Eore\",")).size() == 1);
  SUBCASE("a description may run over lines and hold tabs, but no escape") {
    CHECK(errors_of(replace(kSmall, "seed: 3", "seed: 3\ndescription: |\n  two\n  \tlines")).empty());
    CHECK(errors_of(replace(kSmall, "seed: 3", "seed: 3\ndescription: \"x\\e[31m\"")).size() == 1);
  }
}

TEST_CASE("a byte that is not UTF-8 is refused where it stands, before the run") {
  CHECK(errors_of(replace(kSmall, "seed: 3", "seed: 3\ndescription: \"caf\xe9\"")) ==
        std::vector<std::string>{
            "s.yaml:4:18: error: the file is not UTF-8 text: byte 0xe9 starts no UTF-8 character (save it as UTF-8)"});
  CHECK(errors_of(replace(kSmall, "seed: 3", "seed: 3\ndescription: \"caf\xc3\xa9\"")).empty());
}

TEST_CASE("a --set value with a control character or a stray byte is refused, naming the --set") {
  CHECK(errors_of(kSmall, {"name=a\x1b[2J"}) ==
        std::vector<std::string>{"s.yaml: error: --set holds a control character (a line break, tab, terminal "
                                 "escape or text-direction mark) (from --set name=a\\x1b[2J)"});
  CHECK(errors_of(kSmall, {"name=a\xff"}) ==
        std::vector<std::string>{"s.yaml: error: --set is not UTF-8 text: byte 0xff starts no UTF-8 character (from "
                                 "--set name=a\\xff)"});
}

TEST_CASE("a message prints on one line whatever it quotes") {
  Diagnostic d;
  d.file = "a\nb.yaml";
  d.line = 2;
  d.column = 3;
  d.path = "nodes.x\x1b";
  d.message = "got 'x\ny'";
  CHECK(d.format() == "a\\nb.yaml:2:3: error: nodes.x\\x1b: got 'x\\ny'");
}

TEST_CASE("an empty document is refused at its first line") {
  CHECK(errors_of("") == std::vector<std::string>{"s.yaml:1:1: error: a scenario must be a mapping of keys (got nothing)"});
  CHECK(errors_of("# only a comment\n") ==
        std::vector<std::string>{"s.yaml:1:1: error: a scenario must be a mapping of keys (got nothing)"});
}

TEST_CASE("every --set error names its --set, and each problem is reported once") {
  CHECK(errors_of(kSmall, {"nodes.store.policy=7"}) ==
        std::vector<std::string>{
            "s.yaml: error: nodes.store.policy: must be a mapping (got '7') (from --set nodes.store.policy=7)"});
  CHECK(errors_of(kSmall, {"nodes.store.policy={S: 5}"}) ==
        std::vector<std::string>{
            "s.yaml: error: nodes.store.policy.type: required key is missing (from --set nodes.store.policy={S: 5})"});
  CHECK(errors_of(replace(kSmall, "policy: {type: base_stock, S: 20}", "policy: {S: 20}")) ==
        std::vector<std::string>{"s.yaml:9:48: error: nodes.store.policy.type: required key is missing"});
  CHECK(errors_of(kSmall, {"nodes.shop.initial=3"}) ==
        std::vector<std::string>{"s.yaml: error: nodes.shop.initial: --set: unknown path: nodes has no item 'shop' "
                                 "(from --set nodes.shop.initial=3)"});
}

TEST_CASE("a long value is quoted cut short") {
  const std::string long_name(300, 'x');
  const auto errors = errors_of(replace(kSmall, "horizon: 10", "horizon: " + long_name));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "s.yaml:2:10: error: horizon: must be a whole number (got '" + std::string(80, 'x') + "...')");
}

namespace {

// The messages of loading the file `path` with `allowed` folders.
std::vector<std::string> file_errors(const std::string& path, const std::vector<std::string>& allowed = {}) {
  try {
    load_scenario(path, {{}, "--set", allowed});
  } catch (const LoadError& e) {
    std::vector<std::string> out;
    for (const Diagnostic& d : e.diagnostics()) out.push_back(d.format());
    return out;
  }
  return {};
}

std::string trace_demand(const std::string& file) {
  return replace(kSmall, "demand: {type: poisson, mean: 4}", "demand: {type: trace, file: '" + file + "', column: x}");
}

}  // namespace

TEST_CASE("a scenario reads files only in its folder tree unless a folder is allowed") {
  chainsim::testing::TempDir tmp("scope");
  fs::create_directories(tmp.path() / "project" / "data");
  fs::create_directories(tmp.path() / "elsewhere");
  tmp.write("elsewhere/secret.csv", "root:x:0:0:root:/root:/bin/bash\n");
  tmp.write("project/data/sales.csv", "x\n4\n5\n");
  tmp.write("elsewhere/base.yaml", kSmall);
  const std::string root = fs::weakly_canonical(tmp.path() / "project").string();
  const std::string outside = " is outside the scenario's folder " + root +
                              ": a scenario reads files only in its folder and below (to allow another folder, pass "
                              "--allow-dir DIR)";
  SUBCASE("a trace in the folder tree is read; one above it, by '..' or absolute, is not opened") {
    CHECK(file_errors(tmp.write("project/ok.yaml", trace_demand("data/sales.csv"))).empty());
    const std::string up = tmp.write("project/up.yaml", trace_demand("../elsewhere/secret.csv"));
    const auto errors = file_errors(up);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("trace file '") != std::string::npos);
    CHECK(errors[0].find(outside) != std::string::npos);
    CHECK(errors[0].find("root:x") == std::string::npos);  // nothing of the file is shown
    const std::string abs = tmp.write("project/abs.yaml", trace_demand(tmp / "elsewhere/secret.csv"));
    CHECK(file_errors(abs).size() == 1);
  }
  SUBCASE("a symbolic link out of the folder is followed to where it leads, and refused") {
    fs::create_symlink(tmp.path() / "elsewhere", tmp.path() / "project" / "link");
    const auto errors = file_errors(tmp.write("project/link.yaml", trace_demand("link/secret.csv")));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find(outside) != std::string::npos);
  }
  SUBCASE("extends out of the folder is refused at its key, and the baseline is not read") {
    const std::string variant = tmp.write("project/variant.yaml", "extends: ../elsewhere/base.yaml\nhorizon: 5\n");
    CHECK(file_errors(variant) ==
          std::vector<std::string>{variant + ":1:10: error: extends: '../elsewhere/base.yaml'" + outside});
    CHECK(file_errors("/dev/null").empty() == false);
  }
  SUBCASE("--allow-dir lets the scenario read another folder") {
    const std::string variant = tmp.write("project/variant.yaml", "extends: ../elsewhere/base.yaml\nhorizon: 5\n");
    CHECK(file_errors(variant, std::vector<std::string>{tmp / "elsewhere"}).empty());
    const std::string up = tmp.write("project/up.yaml", trace_demand("../elsewhere/secret.csv"));
    const auto errors = file_errors(up, std::vector<std::string>{tmp / "elsewhere"});
    REQUIRE(errors.size() == 1);  // read now: it has no column x, and only a short excerpt is shown
    CHECK(errors[0].find("has no column 'x' (header: root:x:0:0:root:/root:/bin/bash)") != std::string::npos);
  }
}

TEST_CASE("a file that is not a scenario is quoted in a short excerpt") {
  chainsim::testing::TempDir tmp("excerpt");
  std::string text;
  for (int i = 0; i < 200; ++i) text += "line " + std::to_string(i) + " of a file that is no scenario at all\n";
  tmp.write("base.txt", text);
  const std::string variant = tmp.write("v.yaml", "extends: base.txt\n");
  const auto errors = file_errors(variant);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].size() < 200);
  CHECK(errors[0].find("(got 'line 0 of a file that is no scenario at ...')") !=
        std::string::npos);
}

TEST_CASE("validate refuses what run could not run, naming the limit") {
  SUBCASE("a number past 1e15, where sums of units stop being exact") {
    CHECK(errors_of(kSmall, {"nodes.store.policy.S=1e16"}) ==
          std::vector<std::string>{"s.yaml: error: nodes.store.policy.S: is too large: at most 1e15 in size, so that "
                                   "sums of units, money and time stay exact (got 1e16) (from --set "
                                   "nodes.store.policy.S=1e16)"});
    CHECK(errors_of(kSmall, {"nodes.store.policy.S=1e15"}).empty());
  }
  SUBCASE("a gamma so narrow that its inverse gives up") {
    CHECK(errors_of(kSmall, {"lanes.0.transport_time={type: gamma, mean: 1000, sd: 0.001}"}) ==
          std::vector<std::string>{
              "s.yaml: error: lanes.supplier->store.transport_time: gamma: shape must be at most 1e8, sd at least mean "
              "/ 1e4 (got shape 1e+12; for a fixed value give a number) (from --set "
              "lanes.0.transport_time={type: gamma, mean: 1000, sd: 0.001})"});
    CHECK(errors_of(kSmall, {"lanes.0.transport_time={type: gamma, mean: 1000, sd: 0.1}"}).empty());
  }
  SUBCASE("a horizon whose records would not fit in memory") {
    CHECK(errors_of(kSmall, {"horizon=2000000000"}) ==
          std::vector<std::string>{
              "s.yaml: error: horizon: a run records every period of every stock and lane, and horizon x (stocks + "
              "lanes) must be at most 1e+08 to fit in memory (got 2000000000 x 2 = 4e+09) (from --set "
              "horizon=2000000000)"});
    CHECK(errors_of(kSmall, {"horizon=50000000"}).empty());
  }
  SUBCASE("a bill of materials that lists a component twice") {
    const std::string text = chainsim::testing::read_file("scenarios/assembly.yaml");
    const std::string twice = replace(text, "            - {product: drivetrain, quantity: 1}\n",
                                      "            - {product: drivetrain, quantity: 1}\n"
                                      "            - {product: wheel, quantity: 1}\n");
    std::vector<std::string> errors;
    try {
      load_scenario_text(twice, "a.yaml", "scenarios");
    } catch (const LoadError& e) {
      for (const Diagnostic& d : e.diagnostics()) errors.push_back(d.format());
    }
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("error: nodes.plant.stocks.bike.production.inputs.wheel.product: 'wheel' is already an "
                         "input of this bill of materials: list each component once, with the total quantity") !=
          std::string::npos);
  }
}

TEST_CASE("aliases reused in every node load in time and memory linear in the document") {
  // One anchored demand and policy, aliased by each of 4,000 stores: every
  // alias is unshared into a copy of its own (so --set can change one
  // store). Built the naive way this was quadratic: minutes and gigabytes
  // at 10,000 stores.
  std::string text = "name: aliases\nhorizon: 10\nseed: 1\nproducts: [{id: w, unit_cost: 1, price: 2}]\nnodes:\n"
                     "  - {id: s, kind: supplier}\n"
                     "  - {id: r0, kind: retailer, product: w, initial: 10, from: s, demand: &d {type: poisson, mean: "
                     "3}, policy: &p {type: base_stock, S: 10}}\n";
  constexpr int kStores = 4000;
  for (int i = 1; i < kStores; ++i) {
    text += "  - {id: r" + std::to_string(i) + ", kind: retailer, product: w, initial: 10, from: s, demand: *d, "
            "policy: *p}\n";
  }
  text += "lanes:\n";
  for (int i = 0; i < kStores; ++i) text += "  - {from: s, to: r" + std::to_string(i) + ", transport_time: 1}\n";
  const auto start = std::chrono::steady_clock::now();
  const LoadedScenario s = load_scenario_text(text, "s.yaml", ".", {{"nodes.r7.policy.S=12"}});
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));  // a hang guard, not a benchmark
  REQUIRE(s.spec.nodes.size() == kStores + 1);
  // Unshared: the --set changed r7's policy alone.
  CHECK(s.spec.nodes[8].stocks[0].policy.S == 12);
  CHECK(s.spec.nodes[9].stocks[0].policy.S == 10);
}

TEST_CASE("a --set value is checked after YAML decodes its escapes, an anchored description like any value") {
  CHECK(errors_of(kSmall, {"name=\"a\\e[2J\""}) ==
        std::vector<std::string>{"s.yaml: error: name: --set value holds a control character (a line break, tab, "
                                 "terminal escape or text-direction mark) (from --set name=\"a\\e[2J\")"});
  // An alias could copy an anchored description's line break into an id.
  const auto errors = errors_of(replace(kSmall, "seed: 3", "seed: 3\ndescription: &d \"two\\nlines\""));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("description: holds a control character") != std::string::npos);
  // Direction marks and line separators count as controls too.
  CHECK(errors_of(replace(kSmall, "id: store,", "id: \"st\\u200Fore\",")).size() == 1);
  CHECK(errors_of(replace(kSmall, "id: store,", "id: \"st\\u2028ore\",")).size() == 1);
}

TEST_CASE("a trace value past 1e15 is refused like any number") {
  chainsim::testing::TempDir tmp("tracecap");
  tmp.write("sales.csv", "x\n4\n1e16\n");
  const std::string file = tmp.write("s.yaml", trace_demand("sales.csv"));
  const auto errors = file_errors(file);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("sales.csv:3: demand trace value must be a number from 0 to 1e15 (got '1e16')") !=
        std::string::npos);
}

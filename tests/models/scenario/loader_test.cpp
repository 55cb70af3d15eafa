// The scenario loader: every kind of error it reports, word for word and with
// its position; extends and --set; hostile documents. Error messages are API
// (STYLE.md 23), so these tests spell them out in full.
#include <doctest/doctest.h>

#include <sys/resource.h>

#include <chrono>
#include <fmt/core.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "tests/test_util.h"
#include "models/scenario/loader.h"
#include "tests/models/scenario/diagnostics.h"

using namespace chainsim::models;
namespace fs = std::filesystem;

namespace doctest {
// So that a failed comparison prints every diagnostic.
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::string s = "{";
    for (const std::string& x : v) s += "\n  \"" + x + "\"";
    return (s + "}").c_str();
  }
};
}  // namespace doctest

namespace {

// A small valid scenario; tests append to it or replace parts of it.
const std::string kBase = R"(name: small
horizon: 10
seed: 3
products:
  - {id: widget, unit_cost: 2, price: 5}
nodes:
  - {id: supplier, kind: supplier}
  - id: store
    kind: retailer
    product: widget
    initial: 20
    from: supplier
    demand: {type: poisson, mean: 4}
    policy: {type: base_stock, S: 20}
lanes:
  - {from: supplier, to: store, transport_time: 2, order_delay: 1, price: 3}
)";

using chainsim::testing::errors_of;
using chainsim::testing::replace;

// A scratch directory for tests that need files, removed at the end.
struct TempDir : chainsim::testing::TempDir {
  TempDir() : chainsim::testing::TempDir("loader_test") {}
};

}  // namespace

TEST_CASE("a valid scenario loads into its spec, with the one-stock shorthand expanded") {
  const LoadedScenario s = load_scenario_text(kBase, "s.yaml", ".");
  CHECK(s.spec.name == "small");
  CHECK(s.spec.horizon == 10);
  CHECK(s.spec.seed == 3);
  REQUIRE(s.spec.nodes.size() == 2);
  const NodeSpec& store = s.spec.nodes[1];
  CHECK(store.kind == NodeKind::kRetailer);
  REQUIRE(store.stocks.size() == 1);
  CHECK(store.stocks[0].product == "widget");
  CHECK(store.stocks[0].initial == 20);
  REQUIRE(store.stocks[0].sources.size() == 1);
  CHECK(store.stocks[0].sources[0].from == "supplier");
  CHECK(store.stocks[0].policy.S == 20);
  REQUIRE(s.spec.lanes.size() == 1);
  CHECK(s.spec.lanes[0].order_delay == 1);
  CHECK(s.spec.lanes[0].transport_time.mean() == 2);
}

TEST_CASE("an unknown key is reported with its position and a did-you-mean") {
  CHECK(errors_of(replace(kBase, "seed: 3", "seeed: 3")) ==
        std::vector<std::string>{"s.yaml:3:1: error: seeed: unknown key (did you mean seed?)"});
  CHECK(errors_of(replace(kBase, "initial: 20", "inital: 20")) ==
        std::vector<std::string>{"s.yaml:11:5: error: nodes.store.inital: unknown key (did you mean initial?)"});
  SUBCASE("with no close key, no hint") {
    CHECK(errors_of(kBase + "colour: blue\n") ==
          std::vector<std::string>{"s.yaml:17:1: error: colour: unknown key"});
  }
}

TEST_CASE("a key that does not apply to the chosen type is an error") {
  CHECK(errors_of(replace(kBase, "{type: base_stock, S: 20}", "{type: base_stock, S: 20, theta: 0.3}")) ==
        std::vector<std::string>{
            "s.yaml:14:39: error: nodes.store.policy.theta: does not apply to policy type base_stock"});
}

TEST_CASE("wrong types are reported with what was found") {
  CHECK(errors_of(replace(kBase, "horizon: 10", "horizon: ten")) ==
        std::vector<std::string>{"s.yaml:2:10: error: horizon: must be a whole number (got 'ten')"});
  CHECK(errors_of(replace(kBase, "initial: 20", "initial: [20]")) ==
        std::vector<std::string>{"s.yaml:11:14: error: nodes.store.initial: must be a number (got a list)"});
  CHECK(errors_of(replace(kBase, "horizon: 10", "horizon: 2.5")) ==
        std::vector<std::string>{"s.yaml:2:10: error: horizon: must be a whole number (got '2.5')"});
}

TEST_CASE("missing required keys are reported at the mapping that lacks them") {
  const auto e = errors_of(replace(kBase, "horizon: 10\n", ""));
  CHECK(e == std::vector<std::string>{"s.yaml:1:1: error: horizon: required key is missing"});
  CHECK(errors_of(replace(kBase, "{type: poisson, mean: 4}", "{mean: 4}")) ==
        std::vector<std::string>{"s.yaml:13:13: error: nodes.store.demand.type: required key is missing"});
}

TEST_CASE("dangling references name the missing id") {
  CHECK(errors_of(replace(kBase, "from: supplier\n", "from: wholesaler\n")) ==
        std::vector<std::string>{"s.yaml:12:11: error: nodes.store.from: no node with id 'wholesaler'"});
  CHECK(errors_of(replace(kBase, "{from: supplier, to: store,", "{from: supplier, to: shop,")) ==
        std::vector<std::string>{
            "s.yaml:12:11: error: nodes.store.from: no lane from 'supplier' to 'store'",
            "s.yaml:16:26: error: lanes.supplier->shop.to: no node with id 'shop'"});
  CHECK(errors_of(replace(kBase, "product: widget", "product: gadget")) ==
        std::vector<std::string>{"s.yaml:10:14: error: nodes.store.product: no product with id 'gadget'"});
}

TEST_CASE("impossible values are refused: negative times, shares over 1, NaN and infinities") {
  CHECK(errors_of(replace(kBase, "transport_time: 2", "transport_time: -2")) ==
        std::vector<std::string>{
            "s.yaml:16:49: error: lanes.supplier->store.transport_time: must not produce negative values (got "
            "constant(-2))"});
  CHECK(errors_of(replace(kBase, "order_delay: 1", "order_delay: -1")) ==
        std::vector<std::string>{"s.yaml:16:65: error: lanes.supplier->store.order_delay: must be >= 0 (got -1)"});
  CHECK(errors_of(replace(kBase, "{id: supplier, kind: supplier}", "{id: supplier, kind: supplier, shortfall: 1.5}")) ==
        std::vector<std::string>{"s.yaml:7:47: error: nodes.supplier.shortfall: must be <= 1 (got 1.5)"});
  CHECK(errors_of(replace(kBase, "{id: supplier, kind: supplier}", "{id: supplier, kind: supplier, reliability: 2}")) ==
        std::vector<std::string>{"s.yaml:7:49: error: nodes.supplier.reliability: must be <= 1 (got 2)"});
  CHECK(errors_of(replace(kBase, "unit_cost: 2", "unit_cost: .nan")) ==
        std::vector<std::string>{"s.yaml:5:29: error: products.widget.unit_cost: must be a finite number (got '.nan')"});
  CHECK(errors_of(replace(kBase, "initial: 20", "initial: .inf")) ==
        std::vector<std::string>{"s.yaml:11:14: error: nodes.store.initial: must be a finite number (got '.inf')"});
  CHECK(errors_of(replace(kBase, "horizon: 10", "horizon: 0")) ==
        std::vector<std::string>{"s.yaml:2:10: error: horizon: must be >= 1 (got 0)"});
  CHECK(errors_of(kBase + "warmup: 10\n") ==
        std::vector<std::string>{"s.yaml:17:9: error: warmup: must be in [0, horizon) = [0, 10) (got 10)"});
}

TEST_CASE("a bill of materials with a cycle is found") {
  const std::string text = R"(horizon: 5
products: [{id: a}, {id: b}]
nodes:
  - id: plant
    kind: factory
    stocks:
      - product: a
        policy: {type: base_stock, S: 5}
        production: {inputs: [{product: b, quantity: 1}]}
      - product: b
        policy: {type: base_stock, S: 5}
        production: {inputs: [{product: a, quantity: 2}]}
)";
  // Reported at the input that closes it: b, an input of a, which b needs.
  CHECK(errors_of(text) ==
        std::vector<std::string>{"s.yaml:9:31: error: nodes.plant.stocks.a.production.inputs.b: the bill of "
                                 "materials has a cycle: a -> b -> a"});
  SUBCASE("with another problem among the nodes, both in one pass") {
    CHECK(errors_of(replace(text, "policy: {type: base_stock, S: 5}\n        production: {inputs: [{product: a",
                            "policy: {type: base_stock, S: five}\n        production: {inputs: [{product: a")) ==
          std::vector<std::string>{
              "s.yaml:9:31: error: nodes.plant.stocks.a.production.inputs.b: the bill of materials has a cycle: a -> "
              "b -> a",
              "s.yaml:11:39: error: nodes.plant.stocks.b.policy.S: must be a number (got 'five')"});
  }
}

TEST_CASE("every problem is reported in one pass, in file order") {
  std::string text = replace(kBase, "seed: 3", "seeed: 3");
  text = replace(text, "mean: 4", "mean: -4");
  text = replace(text, "order_delay: 1", "order_delay: x");
  const auto e = errors_of(text);
  CHECK(e == std::vector<std::string>{
                 "s.yaml:3:1: error: seeed: unknown key (did you mean seed?)",
                 "s.yaml:13:35: error: nodes.store.demand.mean: must be >= 0 (got -4)",
                 "s.yaml:16:65: error: lanes.supplier->store.order_delay: must be a number (got 'x')"});
}

TEST_CASE("YAML the parser rejects is one clear error, not a cascade") {
  CHECK(errors_of("a: [1, 2\n") == std::vector<std::string>{"s.yaml:2:1: error: not valid YAML: end of sequence flow not found"});
  CHECK(errors_of("horizon: 1\n  bad indent: 2\n") ==
        std::vector<std::string>{"s.yaml:2:13: error: not valid YAML: illegal map value"});
  CHECK(errors_of("- just\n- a list\n") ==
        std::vector<std::string>{"s.yaml:1:1: error: a scenario must be a mapping of keys (got a list)"});
  CHECK(errors_of(kBase + "seed: 4\n") == std::vector<std::string>{"s.yaml:17:1: error: seed: duplicate key"});
}

TEST_CASE("hostile documents are refused quickly and in bounded memory") {
  SUBCASE("an alias bomb") {
    // 9^12 nodes once expanded; yaml-cpp shares aliases, the loader counts
    // expanded nodes and stops at a million.
    std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i <= 12; ++i) {
      const std::string prev = "*a" + std::to_string(i - 1);
      text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
      for (int k = 1; k < 9; ++k) text += ", " + prev;
      text += "]\n";
    }
    const auto start = std::chrono::steady_clock::now();
    const auto e = errors_of(text);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));  // a hang guard, not a benchmark
    CHECK(e == std::vector<std::string>{
                   "s.yaml:1:1: error: the document is too large or too deeply nested (more than 1000000 nodes "
                   "with aliases expanded, or 64 levels)"});
  }
  SUBCASE("a document of more nodes than the loader builds, refused before yaml-cpp builds its tree") {
    // 600,000 list items: about 300 MB as a yaml-cpp tree (some 550 bytes a
    // node), 1.2 MB as text. The peak memory of this test's process (each
    // test case runs alone under ctest) grows by far less than the tree.
    std::string text = "horizon: 5\nnodes: [1";
    for (int i = 1; i < 600000; ++i) text += ",1";
    text += "]\n";
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    const auto e = errors_of(text);
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    CHECK(e == std::vector<std::string>{"s.yaml: error: the document has more than 250000 YAML nodes (give long "
                                        "demand histories as trace files)"});
    CHECK(after.ru_maxrss - before.ru_maxrss < 100 * 1024);  // KiB
  }
  SUBCASE("a document of many bad items reports the first 100 and counts the rest") {
    // 200,000 items that are not mappings: located one by one, each a walk
    // of the documents, they took minutes; past 100 they are counted.
    std::string text = "horizon: 5\nproducts: [{id: a}]\nnodes: [1";
    for (int i = 1; i < 200000; ++i) text += ",1";
    text += "]\n";
    const auto start = std::chrono::steady_clock::now();
    const auto e = errors_of(text);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));  // a hang guard, not a benchmark
    REQUIRE(e.size() == 101);  // the 200,000 items, and one semantic problem (no node left)
    CHECK(e[0] == "s.yaml:3:9: error: nodes.0: must be a mapping (got '1')");
    CHECK(e[100] == "s.yaml: error: 199901 more problems not shown (the first 100 are above)");
  }
  SUBCASE("nesting deeper than the parser allows") {
    const std::string text = "a: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
    const auto e = errors_of(text);
    REQUIRE(e.size() == 1);
    CHECK(e[0].find("error: the document is nested too deeply for the YAML parser") != std::string::npos);
  }
  SUBCASE("nesting deeper than the loader allows") {
    const std::string text = "a: " + std::string(70, '[') + std::string(70, ']') + "\n";
    const auto e = errors_of(text);
    REQUIRE(e.size() == 1);
    CHECK(e[0].find("or 64 levels") != std::string::npos);
  }
  SUBCASE("a file over 16 MiB") {
    TempDir dir;
    const std::string path = dir.write("huge.yaml", "# " + std::string(17u << 20, 'x') + "\n");
    try {
      load_scenario(path);
      FAIL("a huge file loaded");
    } catch (const LoadError& e) {
      REQUIRE(e.diagnostics().size() == 1);
      CHECK(e.diagnostics()[0].format() ==
            path + ": error: the file is larger than 16777216 bytes (got " + std::to_string(fs::file_size(path)) + ")");
    }
  }
}

TEST_CASE("a missing file is one error naming it") {
  try {
    load_scenario("/nonexistent/dir/s.yaml");
    FAIL("loaded a missing file");
  } catch (const LoadError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].format() ==
          "/nonexistent/dir/s.yaml: error: cannot read scenario file '/nonexistent/dir/s.yaml' (No such file or "
          "directory)");
  }
}

TEST_CASE("a variant extends its baseline: nodes merge by id, new ids are added, remove deletes") {
  TempDir dir;
  dir.write("base.yaml", replace(kBase, "  - {id: supplier, kind: supplier}\n",
                                 "  - {id: supplier, kind: supplier}\n  - {id: spare, kind: supplier}\n"));
  const std::string variant = dir.write("variant.yaml", R"(extends: base.yaml
name: variant
nodes:
  - id: store
    policy: {S: 35}
  - {id: spare, remove: true}
  - id: store_2
    kind: retailer
    product: widget
    from: supplier
    demand: {type: constant, value: 1}
    policy: {type: base_stock, S: 5}
lanes:
  - {from: supplier, to: store_2, transport_time: 1}
)");
  const LoadedScenario s = load_scenario(variant);
  CHECK(s.spec.name == "variant");
  CHECK(s.spec.horizon == 10);  // from the baseline
  REQUIRE(s.spec.nodes.size() == 3);
  CHECK(s.spec.nodes[0].id == "supplier");
  CHECK(s.spec.nodes[1].id == "store");
  CHECK(s.spec.nodes[1].stocks[0].policy.S == 35);
  CHECK(s.spec.nodes[1].stocks[0].policy.type == PolicyType::kBaseStock);  // merged key by key
  CHECK(s.spec.nodes[1].stocks[0].initial == 20);
  CHECK(s.spec.nodes[2].id == "store_2");
  CHECK(s.spec.lanes.size() == 2);
  // The document as run is the merged one.
  CHECK(s.document["nodes"].size() == 3);
  CHECK(!s.document["extends"]);
}

TEST_CASE("a variant that changes a mapping's type replaces the mapping, as --set does") {
  TempDir dir;
  dir.write("base.yaml", kBase);
  const std::string variant = dir.write("variant.yaml", R"(extends: base.yaml
nodes:
  - id: store
    policy: {type: r_Q, r: 10, Q: 30}
    demand: {mean: 6}
)");
  const LoadedScenario s = load_scenario(variant);
  const PolicySpec& p = s.spec.nodes[1].stocks[0].policy;
  CHECK(p.type == PolicyType::kReorderPointLot);
  CHECK(p.r == 10);
  CHECK(p.Q == 30);
  // The same type is merged key by key: the demand keeps its type.
  CHECK(s.spec.nodes[1].stocks[0].demand[0].type == DemandType::kPoisson);
  CHECK(s.spec.nodes[1].stocks[0].demand[0].mean == 6);
  // --set agrees.
  const LoadedScenario set = load_scenario_text(kBase, "s.yaml", ".", {{"nodes.store.policy={type: r_Q, r: 10, Q: 30}"}});
  CHECK(set.spec.nodes[1].stocks[0].policy.type == PolicyType::kReorderPointLot);
}

TEST_CASE("a check of two keys a variant and its baseline wrote is reported where the variant wrote") {
  TempDir dir;
  dir.write("base.yaml", replace(kBase, "{type: base_stock, S: 20}", "{type: s_S, s: 10, S: 20}"));
  const std::string variant = dir.write("variant.yaml", R"(extends: base.yaml
nodes:
  - id: store
    policy: {S: 8}
)");
  CHECK(errors_of(chainsim::testing::read_file(variant), {}, dir.str()) ==
        std::vector<std::string>{"s.yaml:4:13: error: nodes.store.policy: s_S needs s < S (got s=10, S=8)"});
}

TEST_CASE("--set paths take patterns over list items: every id a '*' pattern matches that has the path") {
  const std::string two = replace(kBase, "lanes:\n", R"(  - id: store_2
    kind: retailer
    product: widget
    from: supplier
    demand: {type: constant, value: 1}
    policy: {type: base_stock, S: 5}
lanes:
  - {from: supplier, to: store_2, transport_time: 1}
)");
  SUBCASE("every item with a policy: the supplier has none and is left alone") {
    const LoadedScenario s = load_scenario_text(two, "s.yaml", ".", {{"nodes.*.policy.S=7"}});
    CHECK(s.spec.nodes[1].stocks[0].policy.S == 7);
    CHECK(s.spec.nodes[2].stocks[0].policy.S == 7);
    CHECK(!s.document["nodes"][0]["policy"]);
  }
  SUBCASE("a pattern on the ids; an item without the key is left alone") {
    const LoadedScenario s = load_scenario_text(two, "s.yaml", ".", {{"nodes.store_*.policy.S=3"}});
    CHECK(s.spec.nodes[1].stocks[0].policy.S == 20);
    CHECK(s.spec.nodes[2].stocks[0].policy.S == 3);
    const LoadedScenario t = load_scenario_text(two, "s.yaml", ".", {{"nodes.*.initial=3"}});
    CHECK(t.spec.nodes[1].stocks[0].initial == 3);
    CHECK(t.spec.nodes[2].stocks[0].initial == 0);  // store_2 writes no initial
  }
  SUBCASE("each item's value is its own: a later --set changes one alone") {
    const LoadedScenario s = load_scenario_text(two, "s.yaml", ".", {{"nodes.*.policy={type: base_stock, S: 9}",
                                                                      "nodes.store.policy.S=4"}});
    CHECK(s.spec.nodes[1].stocks[0].policy.S == 4);
    CHECK(s.spec.nodes[2].stocks[0].policy.S == 9);
  }
  SUBCASE("errors name each item, and the --set") {
    CHECK(errors_of(two, {"nodes.*.policy.S=x"}) ==
          std::vector<std::string>{
              "s.yaml: error: nodes.store.policy.S: must be a number (got 'x') (from --set nodes.*.policy.S=x)",
              "s.yaml: error: nodes.store_2.policy.S: must be a number (got 'x') (from --set nodes.*.policy.S=x)",
          });
    CHECK(errors_of(two, {"nodes.shop*.initial=1"}) ==
          std::vector<std::string>{"s.yaml: error: nodes.shop*.initial: --set: unknown path: no item of nodes matches "
                                   "'shop*' (from --set nodes.shop*.initial=1)"});
    CHECK(errors_of(two, {"nodes.*.production.cost=1"}) ==
          std::vector<std::string>{"s.yaml: error: nodes.*.production.cost: --set: unknown path: no item of nodes "
                                   "matching '*' has production.cost (from --set nodes.*.production.cost=1)"});
  }
}

TEST_CASE("a source that can never receive an order is a warning at its place in the file") {
  const std::string two = replace(replace(kBase, "  - {id: supplier, kind: supplier}\n",
                                          "  - {id: supplier, kind: supplier}\n  - {id: backup, kind: supplier}\n"),
                                  "    from: supplier\n", "    sources: [supplier, backup]\n    split: cheapest\n") +
                          "  - {from: backup, to: store, transport_time: 1, price: 4}\n";
  const LoadedScenario s = load_scenario_text(two, "s.yaml", ".");
  REQUIRE(s.warnings.size() == 1);
  CHECK(s.warnings[0].format() ==
        "s.yaml:13:25: warning: nodes.store.sources.1: never receives an order: under split cheapest, supplier comes "
        "before it with no capacity limit and no event on the sources that could change that, so it takes every order");
  // A capacity, an event on the supplier or a split by shares gives the backup its orders.
  CHECK(load_scenario_text(two, "s.yaml", ".", {{"nodes.supplier.capacity=3"}}).warnings.empty());
  CHECK(load_scenario_text(two, "s.yaml", ".", {{"nodes.store.split=shares"}}).warnings.empty());
  CHECK(load_scenario_text(two, "s.yaml", ".", {{"events=[{at: 3, action: node_down, node: supplier}]"}})
            .warnings.empty());
  // Under fallback the order listed counts, not the price: the same here.
  CHECK(load_scenario_text(two, "s.yaml", ".", {{"nodes.store.split=fallback"}}).warnings.size() == 1);
  CHECK(load_scenario_text(two, "s.yaml", ".", {{"nodes.store.sources=[backup, supplier]", "nodes.store.split=fallback"}})
            .warnings[0]
            .path == "nodes.store.sources.1");
}

TEST_CASE("extends errors: a missing baseline, a cycle, an error inside the baseline") {
  TempDir dir;
  SUBCASE("missing") {
    const std::string v = dir.write("v.yaml", "extends: nowhere.yaml\nname: v\n");
    try {
      load_scenario(v);
      FAIL("loaded");
    } catch (const LoadError& e) {
      REQUIRE(e.diagnostics().size() == 1);
      CHECK(e.diagnostics()[0].format() == v + ":1:10: error: extends: cannot read scenario file '" +
                                               (dir.path() / "nowhere.yaml").string() + "' (No such file or directory)");
    }
  }
  SUBCASE("a cycle") {
    dir.write("a.yaml", "extends: b.yaml\n");
    const std::string b = dir.write("b.yaml", "extends: a.yaml\n");
    try {
      load_scenario(b);
      FAIL("loaded");
    } catch (const LoadError& e) {
      REQUIRE(e.diagnostics().size() == 1);
      CHECK(e.diagnostics()[0].format() == (dir.path() / "a.yaml").string() +
                                               ":1:10: error: extends: baselines extend each other in a cycle (got "
                                               "'b.yaml')");
    }
  }
  SUBCASE("a chain deeper than 16 levels says so, not that it is a cycle") {
    // v0 extends v1 extends ... v17: 17 levels of extends.
    dir.write("v17.yaml", kBase);
    for (int i = 0; i < 17; ++i) dir.write(fmt::format("v{}.yaml", i), fmt::format("extends: v{}.yaml\n", i + 1));
    try {
      load_scenario((dir.path() / "v0.yaml").string());
      FAIL("loaded");
    } catch (const LoadError& e) {
      REQUIRE(e.diagnostics().size() == 1);
      CHECK(e.diagnostics()[0].format() == (dir.path() / "v16.yaml").string() +
                                               ":1:10: error: extends: more than 16 levels of extends (got "
                                               "'v17.yaml' at level 17)");
    }
    // 16 levels load.
    CHECK(load_scenario((dir.path() / "v1.yaml").string()).spec.horizon == 10);
  }
  SUBCASE("an error in the baseline names the baseline's file") {
    const std::string base = dir.write("base.yaml", replace(kBase, "seed: 3", "sed: 3"));
    const std::string v = dir.write("v.yaml", "extends: base.yaml\nname: v\n");
    try {
      load_scenario(v);
      FAIL("loaded");
    } catch (const LoadError& e) {
      REQUIRE(e.diagnostics().size() == 1);
      CHECK(e.diagnostics()[0].format() == base + ":3:1: error: sed: unknown key (did you mean seed?)");
    }
  }
}

TEST_CASE("--set overrides a value by its path, list items by index or id") {
  SUBCASE("a top-level scalar") {
    CHECK(load_scenario_text(kBase, "s.yaml", ".", {{"horizon=30"}}).spec.horizon == 30);
  }
  SUBCASE("a node by id and by index give the same result") {
    const auto a = load_scenario_text(kBase, "s.yaml", ".", {{"nodes.store.policy.S=60"}});
    const auto b = load_scenario_text(kBase, "s.yaml", ".", {{"nodes.1.policy.S=60"}});
    CHECK(a.spec.nodes[1].stocks[0].policy.S == 60);
    CHECK(b.spec.nodes[1].stocks[0].policy.S == 60);
  }
  SUBCASE("a flow mapping replaces a whole value") {
    const auto s = load_scenario_text(kBase, "s.yaml", ".", {{"nodes.store.demand={type: constant, value: 7}"}});
    CHECK(s.spec.nodes[1].stocks[0].demand[0].type == DemandType::kConstant);
    CHECK(s.spec.nodes[1].stocks[0].demand[0].value == 7);
  }
  SUBCASE("a key the file leaves out is added") {
    const auto s = load_scenario_text(kBase, "s.yaml", ".", {{"warmup=2"}});
    CHECK(s.spec.warmup == 2);
    CHECK(s.document["warmup"].as<int>() == 2);
  }
  SUBCASE("overrides apply in order") {
    CHECK(load_scenario_text(kBase, "s.yaml", ".", {{"horizon=30", "horizon=40"}}).spec.horizon == 40);
  }
  SUBCASE("several overrides, the first adding a key, leave the rest of the document alone") {
    const auto s = load_scenario_text(kBase, "s.yaml", ".", {{"replications=3", "warmup=2", "horizon=40"}});
    CHECK(s.spec.replications == 3);
    CHECK(s.spec.warmup == 2);
    CHECK(s.spec.horizon == 40);
    CHECK(s.spec.nodes.size() == 2);
  }
  SUBCASE("a lane by its id") {
    const auto s = load_scenario_text(kBase, "s.yaml", ".", {{"lanes.supplier->store.order_delay=3"}});
    CHECK(s.spec.lanes[0].order_delay == 3);
  }
}

TEST_CASE("whole numbers and numbers are read as strict decimals, in files and in --set alike") {
  CHECK(load_scenario_text(kBase, "s.yaml", ".", {{"horizon=010"}}).spec.horizon == 10);  // not octal 8
  CHECK(load_scenario_text(kBase, "s.yaml", ".", {{"horizon=08"}}).spec.horizon == 8);
  CHECK(load_scenario_text(replace(kBase, "horizon: 10", "horizon: 012"), "s.yaml", ".").spec.horizon == 12);
  CHECK(errors_of(kBase, {"horizon=0x1F"}) ==
        std::vector<std::string>{"s.yaml: error: horizon: must be a whole number (got '0x1F') (from --set horizon=0x1F)"});
  CHECK(errors_of(replace(kBase, "initial: 20", "initial: 0x14")) ==
        std::vector<std::string>{"s.yaml:11:14: error: nodes.store.initial: must be a number (got '0x14')"});
  CHECK(errors_of(replace(kBase, "horizon: 10", "horizon: 3000000000")) ==
        std::vector<std::string>{"s.yaml:2:10: error: horizon: is too large: at most 2000000000 (got 3000000000)"});
  CHECK(errors_of(replace(kBase, "initial: 20", "initial: 1e400")) ==
        std::vector<std::string>{
            "s.yaml:11:14: error: nodes.store.initial: is too large: at most 1.7976931348623157e+308 (got 1e400)"});
  // The seed takes 0 to 2^63 - 1, the range `run --seed` takes too.
  CHECK(load_scenario_text(kBase, "s.yaml", ".", {{"seed=9223372036854775807"}}).spec.seed == 9223372036854775807u);
  CHECK(errors_of(kBase, {"seed=9223372036854775808"}) ==
        std::vector<std::string>{"s.yaml: error: seed: is too large: at most 9223372036854775807 (got "
                                 "9223372036854775808) (from --set seed=9223372036854775808)"});
}

TEST_CASE("replications are at most 10000, and the message points to sweep for more") {
  CHECK(load_scenario_text(kBase, "s.yaml", ".", {{"replications=10000"}}).spec.replications == 10000);
  CHECK(errors_of(kBase + "replications: 10001\n") ==
        std::vector<std::string>{"s.yaml:17:15: error: replications: must be <= 10000 (got 10001): chainsim sweep "
                                 "runs more, streaming their KPIs"});
}

TEST_CASE("event times stay finite: period * horizon and an event's at + delay + duration are bounded") {
  CHECK(errors_of(kBase, {"period=1e15"}) ==
        std::vector<std::string>{"s.yaml: error: period: period * horizon must be at most 1e15 time units, so that "
                                 "event times stay exact (got 1000000000000000 * 10) (from --set period=1e15)"});
  CHECK(errors_of(kBase + "events:\n  - {id: cut, at: 6e14, duration: 6e14, action: node_down, node: supplier}\n") ==
        std::vector<std::string>{"s.yaml:18:5: error: events.cut: at + delay + duration must be at most 1e15 time "
                                 "units, so that event times stay exact (got 1200000000000000)"});
  // Each alone past 1e15 is refused as a number.
  CHECK(errors_of(kBase, {"period=1e308"}) ==
        std::vector<std::string>{"s.yaml: error: period: is too large: at most 1e15 in size, so that sums of units, "
                                 "money and time stay exact (got 1e308) (from --set period=1e308)"});
}

TEST_CASE("a file of several YAML documents, or with merge keys, is refused with what to do instead") {
  CHECK(errors_of(kBase + "---\nhorizon: 4\n") ==
        std::vector<std::string>{"s.yaml:17:1: error: a second YAML document starts here: a scenario file holds one "
                                 "document (remove the '---' or split the file)"});
  CHECK(errors_of("defaults: &d {type: poisson, mean: 4}\n" + kBase + "x:\n  <<: *d\n") ==
        std::vector<std::string>{"s.yaml:19:3: error: <<: YAML merge keys are not supported: write the keys out, use "
                                 "an alias for a whole value, or extends a baseline file"});
  // A quoted "<<" is a string like any other.
  CHECK(load_scenario_text(replace(kBase, "name: small", "name: small\ndescription: \"<<\""), "s.yaml", ".")
            .spec.description == "<<");
}

TEST_CASE("--set reaches list elements of a number list by index, and refuses extends") {
  const std::string text = replace(kBase, "price: 3}", "price: 3, initial_shipments: [1, 2]}");
  const auto s = load_scenario_text(text, "s.yaml", ".", {{"lanes.0.initial_shipments.1=7"}});
  CHECK(s.spec.lanes[0].initial_shipments.at("widget") == std::vector<double>{1, 7});
  CHECK(errors_of(kBase, {"lanes.0.initial_shipments.0=7"}) ==
        std::vector<std::string>{"s.yaml: error: lanes.0.initial_shipments.0: --set: unknown path: "
                                 "lanes.0.initial_shipments is not in the scenario (from --set lanes.0.initial_shipments.0=7)"});
  CHECK(errors_of(text, {"lanes.0.initial_shipments.2=7"}) ==
        std::vector<std::string>{"s.yaml: error: lanes.0.initial_shipments.2: --set: unknown path: "
                                 "lanes.0.initial_shipments has no item '2' (it has 2, from 0) (from --set lanes.0.initial_shipments.2=7)"});
  CHECK(errors_of(kBase, {"horizon.0=7"}) ==
        std::vector<std::string>{"s.yaml: error: horizon.0: --set: unknown path: horizon has no keys below it (it is "
                                 "a single value: set horizon itself) (from --set horizon.0=7)"});
  CHECK(errors_of(kBase, {"extends=x.yaml"}) ==
        std::vector<std::string>{"s.yaml: error: extends: --set cannot change extends: the baseline is merged before "
                                 "any --set applies (write a variant file that extends the other baseline) (from --set extends=x.yaml)"});
}

TEST_CASE("--set errors: unknown paths, missing items, values the format refuses") {
  CHECK(errors_of(kBase, {"horizn=3"}) ==
        std::vector<std::string>{
            "s.yaml: error: horizn: --set: unknown path: 'horizn' is not a key of the scenario (did you mean horizon?) (from --set horizn=3)"});
  CHECK(errors_of(kBase, {"nodes.shop.initial=3"}) ==
        std::vector<std::string>{"s.yaml: error: nodes.shop.initial: --set: unknown path: nodes has no item 'shop' (from --set nodes.shop.initial=3)"});
  CHECK(errors_of(kBase, {"nodes.stroe.initial=3"}) ==
        std::vector<std::string>{
            "s.yaml: error: nodes.stroe.initial: --set: unknown path: nodes has no item 'stroe' (did you mean store?) (from --set nodes.stroe.initial=3)"});
  CHECK(errors_of(kBase, {"horizon"}) ==
        std::vector<std::string>{"s.yaml: error: --set needs PATH=VALUE (from --set horizon)"});
  CHECK(errors_of(kBase, {"horizon=[1"}) ==
        std::vector<std::string>{
            "s.yaml: error: horizon: --set value is not valid YAML: end of sequence flow not found (from --set horizon=[1)"});
  // The value is checked like the file's own, and the message says where it came from.
  CHECK(errors_of(kBase, {"nodes.store.initial=-5"}) ==
        std::vector<std::string>{
            "s.yaml: error: nodes.store.initial: must be >= 0 (got -5) (from --set nodes.store.initial=-5)"});
  CHECK(errors_of(kBase, {"nodes.store.demand={type: poison, mean: 3}"}) ==
        std::vector<std::string>{
            "s.yaml: error: nodes.store.demand.type: must be one of constant, poisson, normal, negative_binomial, "
            "uniform, step, seasonal, ar1, trace, distribution, arrivals (got 'poison'); did you mean poisson? (from --set "
            "nodes.store.demand={type: poison, mean: 3})"});
}

TEST_CASE("a problem in a variant is reported in the variant's file, one in its baseline in the baseline's") {
  TempDir dir;
  const std::string base = dir.write("base.yaml", kBase);
  const std::string v = dir.write("v.yaml", R"(extends: base.yaml
name: v
nodes:
  - id: store
    policy: {review_period: 0, thetaa: 2}
  - id: store_2
    product: widget
)");
  try {
    load_scenario(v);
    FAIL("loaded");
  } catch (const LoadError& e) {
    std::vector<std::string> got;
    for (const Diagnostic& d : e.diagnostics()) got.push_back(d.format());
    CHECK(got == std::vector<std::string>{
                     v + ":5:29: error: nodes.store.policy.review_period: must be >= 1 (got 0)",
                     v + ":5:32: error: nodes.store.policy.thetaa: unknown key (did you mean theta?)",
                     v + ":6:5: error: nodes.store_2.sources: the stock's policy orders, but it has no sources and no "
                         "production",
                 });
  }
}

TEST_CASE("a trace demand file is read relative to the scenario and a missing one is an error") {
  TempDir dir;
  dir.write("sales.csv", "units\n3\n5\n4\n");
  const std::string text = replace(kBase, "{type: poisson, mean: 4}", "{type: trace, file: sales.csv}");
  const auto ok = load_scenario_text(text, "s.yaml", dir.str());
  CHECK(ok.spec.nodes[1].stocks[0].demand[0].file == "sales.csv");
  CHECK(errors_of(replace(text, "sales.csv", "missing.csv"), {}, dir.str()) ==
        std::vector<std::string>{"s.yaml:13:13: error: nodes.store.demand: cannot open demand trace " +
                                 (dir.path() / "missing.csv").string()});
}

TEST_CASE("each use of a YAML alias is its own copy: --set through one changes that one alone") {
  const std::string text =
      replace(replace(kBase, "policy: {type: base_stock, S: 20}", "policy: &p {type: base_stock, S: 20}"), "lanes:\n",
              "  - {id: shop, kind: retailer, product: widget, from: supplier, policy: *p,\n"
              "     demand: {type: constant, value: 1}}\nlanes:\n") +
      "  - {from: supplier, to: shop, transport_time: 1}\n";
  const LoadedScenario plain = load_scenario_text(text, "s.yaml", ".");
  CHECK(plain.spec.nodes[1].stocks[0].policy.S == 20);
  CHECK(plain.spec.nodes[2].stocks[0].policy.S == 20);
  const LoadedScenario set = load_scenario_text(text, "s.yaml", ".", {{"nodes.shop.policy.S=7"}});
  CHECK(set.spec.nodes[2].stocks[0].policy.S == 7);   // shop, which uses the alias
  CHECK(set.spec.nodes[1].stocks[0].policy.S == 20);  // store keeps the anchor's value
  // A problem in the aliased value is reported where it is written, at the anchor.
  const auto e = errors_of(replace(text, "S: 20}", "S: 20, thetaa: 1}"));
  CHECK(e == std::vector<std::string>{
                 "s.yaml:14:42: error: nodes.store.policy.thetaa: unknown key (did you mean theta?)",
                 "s.yaml:14:42: error: nodes.shop.policy.thetaa: unknown key (did you mean theta?)"});
}

TEST_CASE("a type's own parameters are required: no silent zero mean or order-up-to level") {
  CHECK(errors_of(replace(kBase, "{type: poisson, mean: 4}", "{type: poisson}")) ==
        std::vector<std::string>{
            "s.yaml:13:13: error: nodes.store.demand.mean: required key is missing (demand type poisson needs it)"});
  CHECK(errors_of(replace(kBase, "{type: base_stock, S: 20}", "{type: base_stock}")) ==
        std::vector<std::string>{
            "s.yaml:14:13: error: nodes.store.policy.S: required key is missing (policy type base_stock needs it)"});
  // Changing the type by --set asks for the new type's parameters.
  CHECK(errors_of(kBase, {"nodes.store.demand.type=normal"}) ==
        std::vector<std::string>{
            "s.yaml:13:13: error: nodes.store.demand.sd: required key is missing (demand type normal needs it)"});
}

TEST_CASE("shares are above 0 and at most 1, given for every source or none, and sum to 1") {
  const std::string two = replace(replace(kBase, "  - {id: supplier, kind: supplier}\n",
                                          "  - {id: supplier, kind: supplier}\n  - {id: other, kind: supplier}\n"),
                                  "from: supplier\n", "sources: SOURCES\n") +
                          "  - {from: other, to: store, transport_time: 1}\n";
  auto with = [&](const std::string& sources) { return replace(two, "SOURCES", sources); };
  CHECK(errors_of(with("[supplier, other]")).empty());  // none: equal shares
  CHECK(errors_of(with("[{from: supplier, share: 0.7}, {from: other, share: 0.3}]")).empty());
  CHECK(errors_of(with("[{from: supplier, share: 1.5}, {from: other, share: 0.3}]")) ==
        std::vector<std::string>{"s.yaml:13:39: error: nodes.store.sources.0.share: must be <= 1 (got 1.5)"});
  CHECK(errors_of(with("[{from: supplier, share: 0.7}, {from: other, share: 0.7}]")) ==
        std::vector<std::string>{"s.yaml:13:14: error: nodes.store.sources: the shares must sum to 1 (got 1.4)"});
  CHECK(errors_of(with("[{from: supplier, share: 0.7}, other]")) ==
        std::vector<std::string>{
            "s.yaml:13:14: error: nodes.store.sources: give every source a share, or none (equal shares)"});
}

TEST_CASE("a node's single-stock costs are checked once") {
  CHECK(errors_of(replace(kBase, "initial: 20", "initial: 20\n    holding_cost: -1")) ==
        std::vector<std::string>{"s.yaml:12:19: error: nodes.store.holding_cost: must be >= 0 (got -1)"});
}

TEST_CASE("events without an id are named event<index>, in messages and in --set paths") {
  const std::string text = kBase + R"(events:
  - {at: 2, action: policy_parameter, node: store, product: widget, parameter: XX, value: 3}
  - {at: 3, action: demand_multiplier, node: store, product: widget, value: 2}
)";
  CHECK(errors_of(text) == std::vector<std::string>{"s.yaml:18:80: error: events.event0.parameter: policy base_stock "
                                                    "has no parameter 'XX'"});
  const LoadedScenario s = load_scenario_text(replace(text, "XX", "S"), "s.yaml", ".", {{"events.event1.value=4"}});
  CHECK(s.spec.events[1].value == 4);
  CHECK(s.spec.events[0].value == 3);
}

TEST_CASE("the scenario's name must be a plain file name: it names the output folder") {
  CHECK(errors_of(replace(kBase, "name: small", "name: ../../escaped")) ==
        std::vector<std::string>{"s.yaml:1:7: error: name: must be a plain name of letters, digits, '_', '-' and '.', "
                                 "since it names the output folder (got '../../escaped')"});
  CHECK(errors_of(replace(kBase, "name: small", "name: a b")).size() == 1);
  // A name taken from the file is made plain.
  CHECK(load_scenario_text(replace(kBase, "name: small\n", ""), "my chain.yaml", ".").spec.name == "my_chain");
}

TEST_CASE("the scenario as run has no anchors or aliases: every use of an alias written out") {
  const std::string beer = (std::filesystem::path(CHAINSIM_SOURCE_DIR) / "scenarios/beer_game.yaml").string();
  const std::string yaml = to_yaml(load_scenario(beer).document);
  CHECK(yaml.find('&') == std::string::npos);
  CHECK(yaml.find('*') == std::string::npos);
  const LoadedScenario again = load_scenario_text(yaml, "as_run.yaml", (std::filesystem::path(CHAINSIM_SOURCE_DIR) / "scenarios").string());
  CHECK(again.spec.nodes.size() == 4);
  CHECK(again.spec.nodes[3].stocks[0].policy.theta == doctest::Approx(0.36));
}

TEST_CASE("a baseline's relative trace file is found from any working directory") {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "base");
  dir.write("base/sales.csv", "3\n4\n");
  dir.write("base/base.yaml", replace(kBase, "{type: poisson, mean: 4}", "{type: trace, file: sales.csv}"));
  dir.write("variant.yaml", "extends: base/base.yaml\nname: v\n");
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  std::vector<std::string> e;
  try {
    load_scenario("variant.yaml");
  } catch (const LoadError& err) {
    for (const Diagnostic& d : err.diagnostics()) e.push_back(d.format());
  }
  std::filesystem::current_path(cwd);
  CHECK(e.empty());
}

TEST_CASE("count distributions are refused when their sampler could not draw in bounded time") {
  const std::string nb = replace(kBase, "demand: {type: poisson, mean: 4}",
                                 "demand: {type: distribution, distribution: {type: negative_binomial, r: 2, p: 1e-12}}");
  CHECK(errors_of(nb) ==
        std::vector<std::string>{
            "s.yaml:13:48: error: nodes.store.demand.distribution: negative_binomial: mean r(1-p)/p must be at most "
            "1e6, the largest the sampler draws from in bounded time (got 1999999999998)"});
  // r = 2000, p = 0.001: the mean (about 2e6) aside, p^r = 1e-6000 is 0 in doubles.
  CHECK(errors_of(replace(nb, "r: 2, p: 1e-12", "r: 200, p: 0.02")) ==
        std::vector<std::string>{
            "s.yaml:13:48: error: nodes.store.demand.distribution: negative_binomial: p^r, the probability of 0 the "
            "sampler starts from, underflows (got r=200, p=0.02): use a larger p or a smaller r"});
  CHECK(errors_of(replace(kBase, "demand: {type: poisson, mean: 4}",
                          "demand: {type: negative_binomial, mean: 1e9, variance: 1e12}")) ==
        std::vector<std::string>{
            "s.yaml:13:45: error: nodes.store.demand.mean: negative_binomial: mean r(1-p)/p must be at most 1e6, the "
            "largest the sampler draws from in bounded time (got 1e+09)"});
  CHECK(errors_of(replace(kBase, "mean: 4", "mean: 1e11")) ==
        std::vector<std::string>{
            "s.yaml:13:35: error: nodes.store.demand.mean: poisson: mean must be at most 1e6, the largest the sampler "
            "draws from in bounded time (got 1e+11)"});
  CHECK(errors_of(replace(kBase, "demand: {type: poisson, mean: 4}",
                          "demand: {type: step, before: 4, after: 2e6, at: 3, noise: poisson}")) ==
        std::vector<std::string>{
            "s.yaml:13:44: error: nodes.store.demand.after: poisson: mean must be at most 1e6, the largest the "
            "sampler draws from in bounded time (got 2e+06)"});
  // At the bounds, all is accepted.
  CHECK(errors_of(replace(kBase, "mean: 4", "mean: 1e6")).empty());
  CHECK(errors_of(replace(nb, "r: 2, p: 1e-12", "r: 1, p: 1e-6")).empty());
}

TEST_CASE("a misspelt enum value gets a did-you-mean") {
  CHECK(errors_of(replace(kBase, "type: base_stock", "type: base_stok")) ==
        std::vector<std::string>{
            "s.yaml:14:20: error: nodes.store.policy.type: must be one of base_stock, s_S, r_Q, R_S, "
            "forecast_order_up_to, beer_game, echelon_base_stock, scripted, make_to_order, none (got 'base_stok'); "
            "did you mean base_stock?"});
  // Nothing close: no guess.
  CHECK(errors_of(replace(kBase, "type: base_stock", "type: kanban")) ==
        std::vector<std::string>{
            "s.yaml:14:20: error: nodes.store.policy.type: must be one of base_stock, s_S, r_Q, R_S, "
            "forecast_order_up_to, beer_game, echelon_base_stock, scripted, make_to_order, none (got 'kanban')"});
}

TEST_CASE("customer segments: unknown stocks, shares that do not sum to 1 and probabilities above 1 or below 0 are refused") {
  const std::string base = kBase + R"(customers:
  - id: regulars
    size: 100
    channels: [{node: store}]
)";
  CHECK(errors_of(base).empty());
  CHECK(errors_of(replace(base, "[{node: store}]", "[{node: shop}]")) ==
        std::vector<std::string>{"s.yaml:20:23: error: customers.regulars.channels.0.node: no node with id 'shop'"});
  CHECK(errors_of(replace(base, "[{node: store}]", "[{node: store, product: gadget}]")) ==
        std::vector<std::string>{
            "s.yaml:20:39: error: customers.regulars.channels.0.product: no product with id 'gadget'"});
  CHECK(errors_of(replace(base, "[{node: store}]", "[{node: supplier}]")) ==
        std::vector<std::string>{"s.yaml:20:23: error: customers.regulars.channels.0.node: customers buy from a "
                                 "stock point, not from a supplier ('supplier')"});
  CHECK(errors_of(replace(base, "[{node: store}]", "[{node: store, share: 0.5}]")) ==
        std::vector<std::string>{"s.yaml:20:15: error: customers.regulars.channels: the shares must sum to 1 (got 0.5)"});
  CHECK(errors_of(base + "    churn: {intrinsic: 1.5, q: -0.1}\n    win_back: 2\n") ==
        std::vector<std::string>{"s.yaml:21:24: error: customers.regulars.churn.intrinsic: must be <= 1 (got 1.5)",
                                 "s.yaml:21:32: error: customers.regulars.churn.q: must be >= 0 (got -0.1)",
                                 "s.yaml:22:15: error: customers.regulars.win_back: must be <= 1 (got 2)"});
  CHECK(errors_of(base + "    churn: {target: 0.9}\n") ==
        std::vector<std::string>{
            "s.yaml:21:13: error: customers.regulars.churn.target: does not apply to churn model per_stockout"});
  CHECK(errors_of(replace(base, "size: 100", "size: 2.5")) ==
        std::vector<std::string>{
            "s.yaml:19:11: error: customers.regulars.size: must be a whole number of customers in [0, 1e12] (got 2.5)"});
  CHECK(errors_of(replace(base, "[{node: store}]", "[]")) ==
        std::vector<std::string>{"s.yaml:20:15: error: customers.regulars.channels: at least one channel is needed"});
}

TEST_CASE("customer segments: a channel named twice, or orders of no size, are refused") {
  const std::string base = kBase + R"(customers:
  - id: regulars
    size: 100
    channels: [{node: store}, {node: store, product: widget}]
)";
  CHECK(errors_of(base) ==
        std::vector<std::string>{"s.yaml:20:31: error: customers.regulars.channels.1: duplicate channel"});
  CHECK(errors_of(replace(base, ", {node: store, product: widget}]", "]") + "    orders: {size: 0}\n") ==
        std::vector<std::string>{
            "s.yaml:21:20: error: customers.regulars.orders.size: must have a mean of at least 1e-6 units (got 0)"});
}

TEST_CASE("a node group loads as its members, and its members' problems are reported once, at the group") {
  const std::string grouped = replace(replace(kBase, "  - id: store\n", "  - id: store\n    count: 1000\n"),
                                      "{from: supplier, to: store,", "{from: supplier, to: store,");
  const LoadedScenario s = load_scenario_text(grouped, "s.yaml", ".");
  REQUIRE(s.spec.nodes.size() == 1001);
  CHECK(s.spec.nodes[1000].id == "store_1000");
  CHECK(s.spec.lanes.size() == 1000);
  CHECK(s.spec.lanes[999].to == "store_1000");
  // One diagnostic, not a thousand, at the line the group is written on.
  CHECK(errors_of(replace(grouped, "policy: {type: base_stock, S: 20}", "policy: {type: s_S, s: 30, S: 20}")) ==
        std::vector<std::string>{"s.yaml:15:13: error: nodes.store.policy: s_S needs s < S (got s=30, S=20)"});
  CHECK(errors_of(replace(grouped, "count: 1000", "count: 0")) ==
        std::vector<std::string>{"s.yaml:9:12: error: nodes.store.count: must be >= 1 (got 0)"});
  // Members' lanes missing (the one lane joins store_2 alone): said once, for the first member.
  CHECK(errors_of(replace(grouped, "{from: supplier, to: store,", "{from: supplier, to: store_2,")) ==
        std::vector<std::string>{"s.yaml:13:11: error: nodes.store.from: no lane from 'supplier' to 'store_1'"});
  CHECK(errors_of(replace(grouped, "{from: supplier, to: store,", "{id: down, from: supplier, to: store,")) ==
        std::vector<std::string>{"s.yaml:17:10: error: lanes.down.id: a lane from or to a node group has one lane "
                                 "per member pair, each with the default id from->to: give no id"});
}

TEST_CASE("a problem of a source after a group source is reported at the source as written") {
  const std::string text = R"(name: small
horizon: 10
products:
  - {id: widget}
nodes:
  - {id: supplier, kind: supplier}
  - {id: dc, count: 3, product: widget, from: supplier}
  - id: store
    kind: retailer
    product: widget
    sources:
      - dc
      - supplier
    from_members: all
lanes:
  - {from: supplier, to: dc}
  - {from: dc, to: store}
)";
  // Expanded, the store's sources are dc_1, dc_2, dc_3, supplier: the
  // fourth, written second.
  CHECK(errors_of(text) ==
        std::vector<std::string>{"s.yaml:13:9: error: nodes.store.sources.1.from: no lane from 'supplier' to 'store'"});
}

namespace {

// What loading `text` gives, counted first by the event parser or not: the
// scenario as run and its warnings, or the messages.
std::string load_outcome(const std::string& text, bool always_count) {
  LoadOptions options;
  options.always_count = always_count;
  try {
    const LoadedScenario s = load_scenario_text(text, "s.yaml", ".", options);
    std::string out = "loaded:\n" + to_yaml(s.document);
    for (const Diagnostic& d : s.warnings) out += d.format() + "\n";
    return out;
  } catch (const LoadError& e) {
    return std::string("refused:\n") + e.what();
  }
}

}  // namespace

TEST_CASE("a small plain file parsed once loads as it loads counted first, every message the same") {
  // Pieces that change what the count refuses: document markers, merge keys,
  // anchors, control characters (escaped, raw, in a description or not),
  // flow roots, stray brackets and indentation.
  const std::vector<std::string> pieces = {
      "---\n", "...\n", "\n---\nhorizon: 4\n", "<<: {a: 1}\n", "x: &a 1\n", "y: *a\n", "\t", "\"a\\e[2Jb\"",
      "\"a\\tb\"", "'a\tb'", "\r", "\r\n", "{", "}", "[", "]", ",", "?", ": ", "\n", "  ", "- ", "#",
      "description: \"a\\tb\\nc\"\n", "description: \"a\\x01\"\n", "description: |\n  a\n  \tb\n",
      "notes: {description: \"a\\nb\"}\n", "{,,,}", "%YAML 1.2\n", "\xEF\xBB\xBF", "!!str ", "|\n", ">\n",
      "\"\\u202E\"", "name: \"n\\u0085\"\n"};
  const std::vector<std::string> wholes = {
      "", "x", "- a\n- b\n", "{name: a}\n{horizon: 4}\n", "[1]\n[2]\n", "name: a\n[2]\n", "{name: a, horizon: 2}\n",
      kBase + "description: |\n  two\n  \tlines\n", kBase + "x:\n  <<: {a: 1}\n", "a: 1\n  b: 2\n",
      kBase + "description: \"a\\tb\"\n", replace(kBase, "name: small", "name: \"sm\\tall\""),
      replace(kBase, "horizon: 10", "horizon: 10\n%YAML 1.2"), kBase + "...\n", "---\n" + kBase,
      "  name: a\nhorizon: 4\n"};
  std::vector<std::string> texts = wholes;
  texts.push_back(kBase);
  std::mt19937_64 rng(20261208);
  for (int i = 0; i < 400; ++i) {
    std::string text = kBase;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const std::string& piece = pieces[rng() % pieces.size()];
      std::size_t at = rng() % (text.size() + 1);
      if (rng() % 2 == 0) {  // at a line start, where markers and keys count
        const std::size_t line = text.rfind('\n', at == 0 ? 0 : at - 1);
        at = line == std::string::npos ? 0 : line + 1;
      }
      text.insert(at, piece);
    }
    texts.push_back(text);
  }
  int loaded = 0;
  for (const std::string& text : texts) {
    const std::string counted = load_outcome(text, true);
    CAPTURE(text);
    CHECK(load_outcome(text, false) == counted);
    if (counted.rfind("loaded:", 0) == 0) ++loaded;
  }
  // Both kinds of outcome are compared.
  CHECK(loaded >= 10);
  CHECK(static_cast<std::size_t>(loaded) + 100 < texts.size());
}

TEST_CASE("a merge key is refused without an anchor, and a second document after a flow mapping") {
  CHECK(errors_of(kBase + "x:\n  <<: {a: 1}\n") ==
        std::vector<std::string>{"s.yaml:18:3: error: <<: YAML merge keys are not supported: write the keys out, use "
                                 "an alias for a whole value, or extends a baseline file"});
  CHECK(errors_of("{name: a, horizon: 2}\n{horizon: 4}\n") ==
        std::vector<std::string>{"s.yaml:2:1: error: a second YAML document starts here: a scenario file holds one "
                                 "document (remove the '---' or split the file)"});
}

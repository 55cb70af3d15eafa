// diff_scenarios (models/scenario/diff.h): mappings by key, lists by what
// names their items (id, product, from->to) or by position, numbers by
// value, and a value present on one side only as one change.
#include "models/scenario/diff.h"

#include <doctest/doctest.h>

#include "models/scenario/loader.h"

using namespace chainsim::models;
using Kind = ScenarioChange::Kind;

namespace {

std::vector<ScenarioChange> diff(const std::string& a, const std::string& b) {
  return diff_scenarios(YAML::Load(a), YAML::Load(b));
}

// "path: baseline -> variant" per change, for whole-list comparisons.
std::vector<std::string> lines(const std::vector<ScenarioChange>& changes) {
  std::vector<std::string> out;
  for (const ScenarioChange& c : changes) {
    const char* kind = c.kind == Kind::kAdded ? "+" : c.kind == Kind::kRemoved ? "-" : "~";
    out.push_back(std::string(kind) + " " + c.path + ": " + c.baseline + " -> " + c.variant);
  }
  return out;
}

}  // namespace

TEST_CASE("equal documents have no differences, numbers compared by value") {
  CHECK(diff("a: 1\nb: {c: [1, 2]}\n", "b: {c: [1.0, 2]}\na: 1.0\n").empty());
  CHECK(diff("a: ~\n", "a: null\n").empty());
}

TEST_CASE("changed, added and removed keys are named by their dotted path") {
  CHECK(lines(diff("horizon: 100\npolicy: {type: base_stock, S: 20}\nseed: 1\n",
                   "horizon: 120\npolicy: {type: base_stock, S: 20, review: 7}\n")) ==
        std::vector<std::string>{"~ horizon: 100 -> 120", "+ policy.review:  -> 7", "- seed: 1 -> "});
}

TEST_CASE("list items pair by id, so a node inserted in the middle shifts nothing") {
  const std::string a = "nodes:\n  - {id: a, S: 1}\n  - {id: c, S: 3}\n";
  const std::string b = "nodes:\n  - {id: a, S: 1}\n  - {id: b, S: 2}\n  - {id: c, S: 4}\n";
  CHECK(lines(diff(a, b)) == std::vector<std::string>{"~ nodes.c.S: 3 -> 4", "+ nodes.b:  -> {id: b, S: 2}"});
}

TEST_CASE("lanes pair by from->to, a second lane between the same nodes as from->to#2") {
  const std::string a = "lanes:\n  - {from: f, to: s, transport_time: 2}\n  - {from: f, to: t, transport_time: 1}\n";
  const std::string b =
      "lanes:\n  - {from: f, to: t, transport_time: 1}\n  - {from: f, to: s, transport_time: 3}\n"
      "  - {from: f, to: s, transport_time: 5}\n";
  CHECK(lines(diff(a, b)) == std::vector<std::string>{"~ lanes.f->s.transport_time: 2 -> 3",
                                                      "+ lanes.f->s#2:  -> {from: f, to: s, transport_time: 5}"});
}

TEST_CASE("a node's stocks pair by product, and lists without names pair by position") {
  CHECK(lines(diff("stocks: [{product: x, S: 1}, {product: y, S: 2}]\nv: [1, 2, 3]\n",
                   "stocks: [{product: y, S: 5}, {product: x, S: 1}]\nv: [1, 9]\n")) ==
        std::vector<std::string>{"~ stocks.y.S: 2 -> 5", "~ v.1: 2 -> 9", "- v.2: 3 -> "});
  // Items keyed differently on the two sides fall back to positions.
  CHECK(lines(diff("l: [{id: a, S: 1}]\n", "l: [{S: 1}]\n")) == std::vector<std::string>{"- l.0.id: a -> "});
}

TEST_CASE("a value that changes shape is one change of the whole value, long values cut") {
  const auto c = diff("demand: 5\n", "demand: {type: poisson, mean: 5}\n");
  REQUIRE(c.size() == 1);
  CHECK(c[0].kind == Kind::kChanged);
  CHECK(c[0].path == "demand");
  CHECK(c[0].variant == "{type: poisson, mean: 5}");
  std::string big = "v: [";
  for (int i = 0; i < 200; ++i) big += std::to_string(i) + ", ";
  big += "0]\n";
  const auto d = diff("v: 1\n", big);
  REQUIRE(d.size() == 1);
  CHECK(d[0].variant.size() < 260);
  CHECK(d[0].variant.substr(d[0].variant.size() - 3) == "…");
}

TEST_CASE("payment_terms_net60 as run differs from payment_terms in its name, description and two net terms") {
  const LoadedScenario a = load_scenario("scenarios/payment_terms.yaml");
  const LoadedScenario b = load_scenario("scenarios/payment_terms_net60.yaml");
  std::vector<std::string> paths;
  for (const ScenarioChange& c : diff_scenarios(a.document, b.document)) paths.push_back(c.path);
  CHECK(paths == std::vector<std::string>{"name", "description", "nodes.distributor.payment_terms.net",
                                          "nodes.retailer.payment_terms.net"});
}

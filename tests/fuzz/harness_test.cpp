// The fuzzers' own checks, so that a harness that accepts everything or
// refuses everything is caught.
#include <doctest/doctest.h>

#include <string>

#include "models/scenario/loader.h"
#include "tests/fuzz/harness.h"

using namespace chainsim;

TEST_CASE("the fuzzers' message check accepts diagnostics and refuses what is not one") {
  CHECK(fuzz::malformed("s.yaml:3:1: error: seeed: unknown key (did you mean seed?)").empty());
  CHECK(fuzz::malformed("s.yaml: error: horizon: must be a whole number (from --set horizon=x)").empty());
  CHECK(fuzz::malformed("s.yaml:2:3: warning: nodes.a: x").empty());
  CHECK(fuzz::malformed("error: no file") == "a message without 'file: error: '");
  CHECK(fuzz::malformed("s.yaml:3:1: error: a\nerror: forged") == "a message of several lines");
  CHECK(fuzz::malformed("s.yaml:3:1: error: \x1b[2J") == "a message with a control character");
  CHECK(fuzz::malformed("s.yaml:3:1: error: \xff") == "a message that is not UTF-8");
  CHECK(fuzz::malformed("s.yaml:0:1: error: at nothing") == "a position at 0");
  CHECK(fuzz::malformed("s.yaml:x:1: error: at nothing") == "a message with a malformed position");
  CHECK(fuzz::malformed("s.yaml: error: ") == "a message with nothing after 'error:'");
}

TEST_CASE("the --set fuzzer's scenario loads and runs, so that its inputs reach the run") {
  const models::LoadedScenario s = models::load_scenario_text(std::string(fuzz::set_base_scenario()), "b.yaml", ".");
  CHECK(s.spec.nodes.size() == 4);
  CHECK(fuzz::check_set_arguments("horizon=40\nnodes.store.policy.S=12").empty());
  CHECK(fuzz::check_scenario_text(std::string(fuzz::set_base_scenario())).empty());
}

// optimize.html (models/report/optimize_report.h): the answer, its guarantee
// and the search, self-contained, from a real search.
#include <doctest/doctest.h>

#include <fmt/core.h>
#include <string>

#include "models/experiment/optimize.h"
#include "models/report/optimize_report.h"

using namespace chainsim;
using namespace chainsim::models;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("optimize.html shows the answer, its guarantee, the runners-up and the search, with no script") {
  OptimizeSpec s;
  s.scenario = std::string(CHAINSIM_SOURCE_DIR) + "/scenarios/serial_base_stock.yaml";
  s.sets = {"horizon=200"};
  s.params = {sim::parse_param_spec("nodes.store.policy.S", "16:44:2")};
  s.objective = "network.total_cost";
  s.constraints = {parse_constraint("stock.store/widget.fill_rate>=0.99", 0.002)};
  s.delta = 100;
  s.jobs = 2;
  const OptimizeResult r = run_optimize(s);
  REQUIRE(r.found);
  OptimizeMeta m;
  m.version = "9.9.9";
  m.scenario_file = "scenarios/serial_base_stock.yaml";
  const std::string html = optimize_report_html(s, r, m);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(count(html, "<script") == 0);
  CHECK(count(html, "<svg") == 2);  // each point with its interval; the best mean so far
  CHECK(r.guarantee);
  CHECK(html.find("Guarantee: with probability at least 95%, the point selected is within 100 of the best point") !=
        std::string::npos);
  CHECK(html.find("<td class=\"num\">" + r.best.values[0] + "</td>") != std::string::npos);
  CHECK(count(html, "meets them") == 1);
  // One table row per point visited, in the table of the search.
  CHECK(html.find(fmt::format("{} in the grid, {} visited", r.points, r.visited)) != std::string::npos);
  for (const OptimizeCandidate& c : r.runners_up) {
    CHECK(html.find("nodes.store.policy.S = " + c.values[0]) != std::string::npos);
  }
}

// What the tests of the teaching scenarios' `Expect:` lines share: a shipped
// scenario loaded (with --set overrides), two compared under common random
// numbers with the baseline's own seed and replications, and one KPI's row
// of the comparison.
#pragma once

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "models/experiment/compare.h"
#include "models/scenario/loader.h"

namespace chainsim::models::testing {

inline ScenarioSpec scenario(const std::string& name, std::vector<std::string> sets = {}) {
  LoadOptions o;
  o.overrides = std::move(sets);
  return load_scenario(std::string(CHAINSIM_SOURCE_DIR) + "/scenarios/" + name + ".yaml", o).spec;
}

inline Comparison compare(const ScenarioSpec& baseline, const ScenarioSpec& variant) {
  CompareOptions o;
  o.seed = baseline.seed;
  o.replications = baseline.replications;
  return compare_scenarios(baseline, variant, o);
}

inline const KpiComparison& kpi(const Comparison& c, const std::string& column) {
  for (const KpiComparison& k : c.kpis) {
    if (k.column == column) return k;
  }
  FAIL("no KPI " << column);
  throw std::logic_error("unreachable");
}

}  // namespace chainsim::models::testing

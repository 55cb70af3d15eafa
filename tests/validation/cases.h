// The validation cases: long chainsim runs compared with published results
// (tests/validation/theory.h), in one place for both the doctest suite
// (validation_test.cpp) and the table a student prints (check_main.cpp,
// scripts/check.sh). docs/validation.md lists the cases and derives the
// formulas for chainsim's timing convention.
//
// Tolerances. A stochastic comparison passes when |simulated - theory| is
// within the half-width of a confidence interval computed from the run
// itself: one long run with fixed seed, cut into equal consecutive batches
// after the warm-up (batch means: successive periods are correlated, batch
// values nearly independent), each batch measured by its own KpiCollector,
// half-width t_{B-1} * sd(batch values) / sqrt(B). The level is Bonferroni-
// corrected for the number of stochastic checks in the whole suite, so that a
// correct model fails any of them with probability at most 5%:
// level = 1 - 0.05 / (number of checks). Runs are long enough that every
// half-width is within 1% of the theoretical value (checked too), so a wrong
// model cannot hide in a wide interval. Deterministic comparisons (the beer
// game) allow round-off only.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace chainsim::validation {

struct Comparison {
  enum class Kind {
    kEqual,     // |simulated - theory| <= tolerance
    kPositive,  // simulated - tolerance > 0 (the lower confidence bound is above 0)
  };
  std::string quantity;  // what is compared, e.g. "stock fill_rate"
  double simulated = 0;
  double theory = 0;
  double difference = 0;  // simulated - theory, or the largest such difference over a trajectory
  double tolerance = 0;   // the half-width (stochastic) or the round-off allowed (exact)
  double max_tolerance = 0;  // stochastic: the largest half-width the run may have (1% of |theory|)
  bool stochastic = false;
  Kind kind = Kind::kEqual;
  // The relation holds: |difference| <= tolerance, or the lower bound > 0.
  bool holds() const;
  // It holds and, when stochastic, the run was precise enough.
  bool within() const { return holds() && precise_enough(); }
  bool precise_enough() const { return !stochastic || tolerance <= max_tolerance; }
};

struct CaseResult {
  std::string name;
  std::string inputs;  // parameters, seed, run length, batches, level: printed when a check fails
  std::vector<Comparison> rows;
};

struct ValidationCase {
  std::string name;
  std::string reference;  // the published result
  int stochastic_checks;  // how many stochastic rows run() returns (the Bonferroni count)
  std::function<CaseResult(double level)> run;
};

// Every case, in the order of docs/validation.md.
const std::vector<ValidationCase>& validation_cases();
// The case named `name`, or nullptr.
const ValidationCase* find_case(const std::string& name);

// The suite's family-wise error rate (0.05) and the per-check confidence
// level 1 - 0.05 / (sum of the cases' stochastic_checks).
inline constexpr double kFamilyError = 0.05;
double suite_confidence_level();

// The comparisons as a fixed-width table: case, quantity, simulated, theory,
// difference, tolerance, within.
std::string format_table(const std::vector<CaseResult>& results);

}  // namespace chainsim::validation

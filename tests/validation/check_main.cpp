// chainsim_check: runs the validation suite's cases (tests/validation/cases.h)
// and prints every comparison with theory as a table, for students and for
// anyone who wants to see the numbers the tests check. scripts/check.sh builds
// and runs it; docs/validation.md explains each case.
//
//   chainsim_check [case name ...]    (default: every case)
//
// Exit status 0 when every comparison holds, 1 otherwise, 2 for an unknown case.
#include <chrono>
#include <fmt/core.h>
#include <iostream>

#include "tests/validation/cases.h"

using namespace chainsim::validation;

int main(int argc, char** argv) try {
  std::vector<const ValidationCase*> todo;
  for (int i = 1; i < argc; ++i) {
    const ValidationCase* c = find_case(argv[i]);
    if (c == nullptr) {
      std::cerr << "chainsim_check: error: no case " << argv[i] << "; the cases are:";
      for (const ValidationCase& k : validation_cases()) std::cerr << " " << k.name;
      std::cerr << "\n";
      return 2;
    }
    todo.push_back(c);
  }
  if (todo.empty()) {
    for (const ValidationCase& c : validation_cases()) todo.push_back(&c);
  }
  const double level = suite_confidence_level();
  std::vector<CaseResult> results;
  bool ok = true;
  const auto start = std::chrono::steady_clock::now();
  for (const ValidationCase* c : todo) {
    std::cerr << "running " << c->name << "\n";
    results.push_back(c->run(level));
    for (const Comparison& row : results.back().rows) ok = ok && row.within();
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << format_table(results) << "\n";
  std::cout << fmt::format("Stochastic rows: tolerance = half-width of the batch-means interval at level {:.5f} "
                           "(5% family-wise, Bonferroni over the suite's checks); exact rows: round-off.\n\n",
                           level);
  for (std::size_t i = 0; i < results.size(); ++i) {
    std::cout << fmt::format("{}: {}\n  {}\n", results[i].name, todo[i]->reference, results[i].inputs);
  }
  std::cout << fmt::format("\n{} in {:.1f} s\n", ok ? "every comparison holds" : "SOME COMPARISONS FAIL", secs);
  return ok ? 0 : 1;
} catch (const std::exception& e) {
  std::cerr << "chainsim_check: error: " << e.what() << "\n";
  return 1;
}

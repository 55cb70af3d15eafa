// A variant against its baseline, KPI by KPI, under common random numbers
// (docs/experiments.md, "compare").
//
// Both scenarios run the same replication indices with the same seed, so
// replication r of each draws from the same streams (seed, r, source name):
// a source the variant leaves alone produces the same numbers in both. For
// every KPI both report, the paired differences d_r = variant_r - baseline_r
// (replications where either value is undefined are left out) give a
// Student-t interval for the mean difference (the paired t interval, which
// is narrower than comparing two independent intervals whenever the two runs
// are positively correlated, which common random numbers make them). A KPI is
// marked when its interval excludes zero. With two or more variants one would
// adjust the level (Bonferroni); this compares one variant.
//
// compare_replications() produces the data from replications already run:
// the terminal table, compare.json and compare.csv are written from it;
// run_comparison() also keeps both runs (their networks and, on request, mean
// time series) for the comparison page (models/report/compare_report.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/experiment/experiment.h"
#include "models/measure/kpi.h"
#include "models/chain/spec.h"
#include "sim/statistics.h"

namespace chainsim::models {

struct KpiComparison {
  std::string scope, name, kpi;
  std::string column;             // as in sweep.csv: "network.fill_rate", "stock.store/widget.fill_rate"
  sim::Interval baseline, variant;  // each on its own (95% Student t)
  sim::Interval difference;       // paired: variant - baseline
  // The paired difference is exact: the comparison is deterministic (so it
  // is the same in every replication, n >= 1). Its interval is the point
  // (half-width 0).
  bool exact = false;
  bool excludes_zero = false;     // the difference's interval excludes 0 (n >= 2, or exact and not 0)
  double relative = 0.0;          // difference / |baseline mean|; NaN when the baseline mean is 0
};

struct Comparison {
  std::string baseline_name, variant_name;
  std::uint64_t seed = 1;
  int replications = 0;
  double level = 0.95;
  // Neither run's results depend on its random numbers
  // (ExperimentResult::deterministic): every difference is exact, and one
  // replication is enough.
  bool deterministic = false;
  std::vector<KpiComparison> kpis;         // KPIs both report, in the baseline's order
  std::vector<std::string> only_baseline;  // columns one of them lacks (a node added or removed)
  std::vector<std::string> only_variant;
  // Their values in the run that has them (each column's interval, same order).
  std::vector<sim::Interval> only_baseline_values, only_variant_values;
};

struct CompareOptions {
  std::uint64_t seed = 1;
  int replications = 10;  // >= 2, or >= 1 when both runs are deterministic
  int jobs = 1;
  double level = 0.95;
  // Keep each run's mean time series (SeriesMode::kMean) in run_comparison();
  // they cost memory in proportion to periods x stocks x columns.
  bool keep_series = false;
  std::vector<std::string> series_columns;  // the columns kept (empty: all)
};

// The comparison from replications run with the same seed and indices;
// `deterministic` when neither run's results depend on its random numbers.
// REQUIRES: both have the same number of replications.
Comparison compare_replications(const std::vector<KpiSet>& baseline, const std::vector<KpiSet>& variant,
                                double level = 0.95, bool deterministic = false);

// Both runs of a comparison and the comparison itself. `baseline.series` and
// `variant.series` are set when options.keep_series was.
struct ComparedRuns {
  ExperimentResult baseline, variant;
  Comparison comparison;
};

// Runs both scenarios (replications 0..R-1, seed options.seed) and compares
// them. Throws SpecError, ModelError.
ComparedRuns run_comparison(const ScenarioSpec& baseline, const ScenarioSpec& variant,
                            const CompareOptions& options);
// run_comparison() without the runs.
Comparison compare_scenarios(const ScenarioSpec& baseline, const ScenarioSpec& variant,
                             const CompareOptions& options);

struct CompareMeta {
  std::string version, git;
  std::string baseline_file, variant_file;  // variant_file "" when the variant is the baseline with overrides
  std::vector<std::string> sets, variant_sets;
  std::string baseline_yaml, variant_yaml;  // as run
};

// The terminal table: one line per KPI (only the marked ones when
// `only_marked`), "*" where the interval excludes zero; an exact difference
// shows "exact" in place of its half-width.
std::string compare_table(const Comparison& c, bool only_marked = false);
// compare.json: how it was made, then per KPI the three intervals.
std::string compare_json(const Comparison& c, const CompareMeta& meta);
// compare.csv: one row per KPI.
std::string compare_csv(const Comparison& c);

}  // namespace chainsim::models

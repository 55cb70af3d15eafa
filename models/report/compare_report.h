// compare.html: the page `chainsim compare` writes beside compare.json and
// compare.csv, for an analyst to hand to someone else (docs/report.md,
// "compare.html").
//
// In the style of the run report (models/report/run_report.h) and built from the same
// pieces (models/report/): one self-contained HTML document (inline CSS and
// SVG, no script, nothing fetched), deterministic, readable in greyscale and
// print. Sections: what was compared (the two scenarios as run and what the
// variant changes, key by key, with the network(s) and what changed in them
// marked), the headline (the KPIs whose paired interval excludes zero,
// network first), every difference with its interval as forest plots (one
// per scope; each KPI on its own scale, symmetric about zero), the mean time
// series of the stocks and nodes that differ most, both runs overlaid, and
// the full KPI table.
#pragma once

#include <cstddef>
#include <string>

#include "models/experiment/compare.h"
#include "models/report/chart.h"

namespace chainsim::models {

struct CompareReportOptions {
  // Points per drawn series before it is decimated (min and max per bucket).
  std::size_t point_budget = report::kDefaultPointBudget;
  // At most this many overlaid time-series charts of on-hand stock and as
  // many of cash: the stocks and nodes whose mean series differ most.
  std::size_t max_time_charts = 4;
  // A scope with more changed KPIs than this shows in its forest plot only
  // those whose interval excludes zero (and, if still more, the ones with the
  // largest |difference| / half-width); the page says how many it left out.
  std::size_t max_forest_rows = 60;
};

// A KPI whose paired difference is 0 in every replication, up to rounding:
// |mean| + sd of the differences at most 1e-9 times the larger of the two
// means' magnitudes (sums taken in another order differ in the last bits).
// Such KPIs are left out of the forest plots (the table keeps them).
bool unchanged(const KpiComparison& k);

// The page. `meta` says how it was made (files, overrides, the scenarios as
// run, whose YAML the page diffs). Without time series in `runs` (made
// without CompareOptions::keep_series) the time-series section says so.
// Never throws for a well-formed comparison.
std::string compare_report_html(const ComparedRuns& runs, const CompareMeta& meta,
                                const CompareReportOptions& options = {});

}  // namespace chainsim::models

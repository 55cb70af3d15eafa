// report.html: the page `chainsim run` writes beside summary.json, for people
// who would rather look than read tables (docs/report.md).
//
// One self-contained HTML document (inline CSS and SVG, no script, nothing
// fetched), deterministic (same result, same bytes), bounded in size (series
// longer than the point budget are decimated, and the chart says so). It is
// assembled from the reusable pieces of models/report/: page.h (skeleton,
// tables), chart.h (line and bar charts), kpi_table.h, network_graph.h and
// run_charts.h.
#pragma once

#include <cstdint>
#include <string>

#include "models/experiment/experiment.h"
#include "models/report/chart.h"
#include "models/report/group_series.h"

namespace chainsim::models {

// How the run was made (the page's header).
struct ReportMetadata {
  std::string version;        // chainsim version
  std::string git;            // git commit of the build
  std::string scenario_file;  // as given on the command line
  std::string description;    // the scenario's description
  std::uint64_t seed = 1;
  int replications = 1;
  std::string currency = "money";  // what money amounts are labelled in
};

struct ReportOptions {
  // Points per drawn series before it is decimated (min and max per bucket).
  std::size_t point_budget = report::kDefaultPointBudget;
  // Up to this many finite stocks (nodes, for cash) get one chart each; more
  // are grouped by echelon with a band across the nodes.
  std::size_t max_small_multiples = 12;
};

// The time-series columns the run report and the comparison page draw:
// a run that keeps only these (ExperimentOptions::series_columns) loses no
// chart.
const std::vector<std::string>& report_series_columns();

// The page. Without time series (result.series null) the time-series charts
// are replaced by a sentence saying why. Never throws for a well-formed
// result.
// `groups`, when given, holds the echelon totals of the same run (every
// replication added), for exact bands on echelons of several nodes; without
// it those bands are conservative (models/report/run_charts.h).
std::string run_report_html(const ExperimentResult& result, const ReportMetadata& meta,
                            const ReportOptions& options = {}, const report::GroupSeries* groups = nullptr);

}  // namespace chainsim::models

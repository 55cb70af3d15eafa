// The text of the sweep's files (docs/experiments.md): CSV fields and rows,
// the summary rows of a point, sweep.json and sweep_model.json, and reading
// sweep.csv back on resume. Internal to models/experiment/sweep.cpp; formatting only, no
// file access.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/measure/kpi.h"
#include "sim/response_surface.h"
#include "sim/sweep_design.h"

namespace chainsim::models::detail {

// A CSV field: quoted (with "" for ") when it holds a comma, quote or newline.
std::string csv_text(std::string_view s);
// A number as the shortest text that reads back exactly; "" for NaN.
std::string csv_number(double x);
// Splits one CSV line (no newline) into fields, undoing csv_text. Returns
// false when a quote is not closed.
bool split_csv(std::string_view line, std::vector<std::string>& fields);
// A field back to a number: "" is NaN; false when it is not a number.
bool read_csv_number(std::string_view field, double& x);

// The column name of a KPI: "network.fill_rate", "stock.retailer/beer.fill_rate",
// "node.retailer.total_cost", "lane.plant->store.shipped".
std::string kpi_column(const KpiValue& v);

// 64-bit FNV-1a of `text`, as 16 hex digits.
std::string text_hash(std::string_view text);
// text_hash of the file at `path`; nullopt when it cannot be read.
std::optional<std::string> file_hash(const std::string& path);

std::string sweep_header(const sim::Design& design, const std::vector<std::string>& columns);
std::string summary_header(const sim::Design& design);
// ",v1,v2,..." : point p's parameter values as CSV fields.
std::string params_fields(const sim::Design& design, std::size_t point);

// The summary rows of one point: one per column, "point,params,kpi,n,mean,sd,
// half_width" (95% Student t over the replications, NaN values left out; empty
// cells where undefined). `values` holds the point's rows, replication-major.
std::string summary_rows(const sim::Design& design, std::size_t point, const std::vector<std::string>& columns,
                         const std::vector<double>& values, std::size_t replications);

struct SweepMeta {
  std::string version, git;
  std::string scenario_file, scenario_name, scenario_yaml, scenario_hash;
  std::string design_file;  // "" from the command line
  // The files the scenario reads (trace CSVs) over all points: (file as the
  // scenario names it, text_hash of its contents), sorted by file.
  std::vector<std::pair<std::string, std::string>> inputs;
  std::uint64_t seed = 1;
  std::size_t replications = 1;
  std::vector<std::string> columns;
  std::vector<std::string> units;  // per column: its KPI's unit (kpi_definitions), "" when none
};
std::string sweep_json(const sim::Design& design, const SweepMeta& meta);

// sweep_model.json: `values` holds every run's row (run-major, point * R + r).
// Notes what was skipped and why.
std::string sweep_model_json(const sim::Design& design, const std::vector<std::string>& columns,
                             const std::vector<double>& values, std::size_t replications, std::size_t& fitted,
                             std::string& note);

}  // namespace chainsim::models::detail

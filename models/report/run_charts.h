// The charts of a run report, built from an ExperimentResult: inventory and
// backlog per stock (or per echelon), orders against demand per echelon (the
// bullwhip picture), bullwhip ratios, cash per node and costs by kind.
//
// Time series come from the SeriesAccumulator: per period and stock, the mean
// and sd across n replications of each column of series_columns(), read by
// column name. With n > 1 every line has its 95% band, mean ± t(0.975, n-1)
// sd / sqrt(n). A line that sums several stocks (an echelon's orders) adds
// their sds, an upper bound on the sd of the sum (Minkowski), exact for one
// stock, so its band is conservative; an echelon mean likewise divides that
// by the number of stocks. With a GroupSeries (models/report/group_series.h)
// the totals are accumulated per replication instead, and their bands are
// exact. Echelon groups also show the range (min to max)
// of the stocks' mean lines, which is a spread across nodes, not a
// confidence band.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/experiment/experiment.h"
#include "models/report/chart.h"
#include "models/report/kpi_table.h"

namespace chainsim::models::report {

// The stocks of one echelon and product (the unit of the bullwhip picture),
// or the nodes of one echelon (for cash).
struct Group {
  int depth = 0;
  std::string product;               // empty for node groups
  std::vector<std::size_t> members;  // stock indices (or node indices), in info order
  std::string label;                 // "retailer", "12 retailers", "echelon 2 (3 nodes)"
};

// Finite stocks grouped by (node depth, product), upstream first.
std::vector<Group> stock_groups(const NetworkInfo& info, const std::vector<int>& depths);
// Nodes grouped by depth, upstream first.
std::vector<Group> node_groups(const NetworkInfo& info, const std::vector<int>& depths);

// A display name for stock s: the node's name in a one-product network, else
// "node/product".
std::string stock_label(const NetworkInfo& info, std::size_t s);

// "365 periods of 1 day": the horizon for a page's facts.
std::string horizon_text(const NetworkInfo& info);

// The sentence a page's notes give on telling series apart without colour.
std::string series_style_note();

// Per period, the mean and sd across replications of one column.
struct Trace {
  std::vector<double> mean, sd;
};

class GroupSeries;

struct RunChartsInput {
  const ExperimentResult* result = nullptr;  // REQUIRES: result->series set
  // Echelon totals per replication (exact bands for groups of several
  // stocks); without them such bands add the stocks' sds (conservative).
  const GroupSeries* groups = nullptr;
  std::vector<int> depths;                   // node_depths(result->info)
  UnitNames units;
  std::size_t point_budget = kDefaultPointBudget;
  std::size_t max_small_multiples = 12;      // more finite stocks (nodes): grouped by echelon
};

// The stock's (or stocks' summed) trace of `column`; empty when the column
// does not exist.
Trace stock_trace(const ExperimentResult& r, const std::vector<std::size_t>& stocks, const std::string& column);

// The 95% band of a trace over n replications. REQUIRES: n >= 2.
void confidence_band(const Trace& t, std::uint64_t n, std::vector<double>& lo, std::vector<double>& hi);

// A time-series chart with the settings every such chart of a run shares:
// time on x in the scenario's unit, the warm-up shaded, the point budget.
// REQUIRES: in.result set.
LineChart time_chart(const RunChartsInput& in, std::string id, std::string title, std::string y_label);

// Adds the line of trace `t` in palette style `style` to `c`, and with more
// than one replication in `r` its 95% band (named `band_name`). The band of a
// quantity that cannot be negative (units; not cash) is cut at 0, where its
// mean cannot go. REQUIRES: r.series set; t has r.series->periods() values.
void add_trace(LineChart& c, const ExperimentResult& r, const std::string& name, const Trace& t, std::size_t style,
               const std::string& band_name, bool non_negative = true);

// A grid of small multiples with one legend (the first chart's) above it: two
// columns for up to four charts (a serial chain reads as a 2 x 2 block), three
// beyond; all share the time axis, and the vertical one when `shared_y`.
std::string small_multiples(std::vector<LineChart>& charts, bool shared_y, const std::string& legend_id);

// A bar's text: its value with the 95% half-width of its whisker, when it
// has one (format_estimate).
std::string estimate_text(const BarChart::Row& row);

// The HTML (figures with captions) of each part of the report.
std::string inventory_charts(const RunChartsInput& in);
std::string bullwhip_charts(const RunChartsInput& in);
// Inventory velocity: the network's turns (and a year's), days of supply,
// flow time and cash-to-cash, then each echelon's stock on hand over time in
// time units of its own mean shipments (needs series); the stock points'
// turns and time out of stock.
std::string velocity_panel(const RunChartsInput& in, bool series);
std::string bullwhip_ratio_chart(const RunChartsInput& in);
std::string cash_charts(const RunChartsInput& in);
std::string cost_chart(const RunChartsInput& in);

}  // namespace chainsim::models::report

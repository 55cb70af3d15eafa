// KPI tables for the HTML reports, read generically from the KPI summary:
// every KPI the summary holds is shown, in the summary's order, with the unit
// and definition of kpi_definitions() (a KPI added to models/measure/kpi.cpp shows up
// without a change here; one without a definition shows without a unit).
#pragma once

#include <string>
#include <vector>

#include "models/measure/kpi.h"
#include "models/report/page.h"
#include "sim/statistics.h"

namespace chainsim::models::report {

// How the units of kpi_definitions() read in a given scenario.
struct UnitNames {
  std::string time_unit = "period";  // the scenario's time unit, singular
  std::string currency = "money";    // what money amounts are counted in
};

// The plural of a time unit ("week" -> "weeks", "day" -> "days").
std::string plural_unit(const std::string& unit);

// A KPI unit for display: "time units" becomes the plural time unit, "money"
// the currency, "units/period" stays; anything else is returned unchanged.
std::string display_unit(const std::string& unit, const UnitNames& names);

// The definition of `kpi`, or nullptr when kpi_definitions() has none.
const KpiDefinition* find_definition(const std::string& kpi);

// A KPI name for display: underscores become spaces ("fill_rate" -> "fill rate").
std::string kpi_label(const std::string& kpi);
// The same in the scenario's time unit: days_of_supply is "weeks of supply"
// in a scenario counted in weeks.
std::string kpi_label(const std::string& kpi, const UnitNames& names);

// "12.35 ± 0.41": the mean with decimals by magnitude (as the terminal
// table), then the 95% half-width when n > 1 and it is finite; "-" when the
// mean is undefined (NaN).
std::string format_estimate(const sim::Interval& interval);

// "-36 700 ± 2 500": an estimate rounded to its uncertainty, the half-width
// to two significant digits and the mean to the same place, thousands
// grouped (thin space) from 10 000; only the mean (so rounded) when not
// `half_width`; "+" before a positive value when `sign` (for differences).
// Falls back to format_estimate() when there is no positive, finite
// half-width (n < 2, or the same value in every replication, up to a
// half-width below 1e-9 of the mean).
std::string format_rounded(const sim::Interval& interval, bool sign = false, bool half_width = true);
// `x` rounded to the place format_rounded() would give `reference` (to
// compare means at the precision of their difference); format_number(x, 6)
// when `reference` has no positive, finite half-width.
std::string format_rounded_as(double x, const sim::Interval& reference);

// A table cell of an estimate, with the exact mean, sd and n as its tooltip.
Cell estimate_cell(const sim::Interval& interval);

// The network's KPIs, one row each: KPI, value, unit, definition.
Table network_kpi_table(const std::vector<KpiSummary>& summary, const UnitNames& names);

// The KPIs of one scope ("stock", "node" or "lane") as tables with one row
// per entity and one column per KPI, at most `max_columns` KPI columns each
// (wide sets are split into several tables that each print on a page).
// Entities follow `order` (display labels in `labels`, parallel to it; names
// not in `order` follow in summary order). KPIs that are exactly 0 (or
// undefined) for every entity are left out when `omitted` is given, and
// their names appended to it. Empty when the scope has no KPI.
// REQUIRES: labels is empty or labels.size() == order.size(); max_columns >= 1.
std::vector<Table> scope_kpi_tables(const std::vector<KpiSummary>& summary, const std::string& scope,
                                    const std::vector<std::string>& order, const std::vector<std::string>& labels,
                                    const UnitNames& names, std::size_t max_columns = 6,
                                    std::vector<std::string>* omitted = nullptr);

// The summary entry of (scope, name, kpi), or nullptr.
const KpiSummary* find_kpi(const std::vector<KpiSummary>& summary, const std::string& scope, const std::string& name,
                           const std::string& kpi);

}  // namespace chainsim::models::report

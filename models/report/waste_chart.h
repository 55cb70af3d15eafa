// The Waste section of report.html (models/report/run_report.h), for runs
// with perishable products (docs/perishables.md): the share of each
// perishable stock's outflow that expired, with its 95% interval, the units
// and what they were worth.
#pragma once

#include <string>

#include "models/report/run_charts.h"

namespace chainsim::models::report {

// True when the run reports waste KPIs (some stock keeps a perishable product).
bool has_waste(const ExperimentResult& r);
// The section's HTML. REQUIRES: in.result set.
std::string waste_chart(const RunChartsInput& in);

}  // namespace chainsim::models::report

// The Returns section of report.html (models/report/run_report.h), for runs
// with a returns centre (docs/returns.md): where the graded units went,
// route by route, with 95% intervals, and what the reverse flow recovered
// and cost.
#pragma once

#include <string>

#include "models/report/run_charts.h"

namespace chainsim::models::report {

// True when the run reports the reverse flow's KPIs (it has a returns centre).
bool has_returns_centre(const ExperimentResult& r);
// The section's HTML. REQUIRES: in.result set.
std::string returns_chart(const RunChartsInput& in);

}  // namespace chainsim::models::report

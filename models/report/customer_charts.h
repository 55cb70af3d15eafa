// The Customers section of report.html (models/report/run_report.h): the
// active customers of each segment over time with their 95% band, the
// customers who left per period and the segments' satisfaction, then bars of
// who left (for the service or anyway) and who came (acquired, won back),
// and each segment's lifetime value measured against its closed form
// (docs/customers.md).
#pragma once

#include <string>

#include "models/report/run_charts.h"

namespace chainsim::models::report {

// The section's HTML; empty when the run has no customer segments.
// REQUIRES: in.result set; its time charts need in.result->series.
std::string customer_charts(const RunChartsInput& in);

}  // namespace chainsim::models::report

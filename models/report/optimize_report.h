// optimize.html: the page of a `chainsim optimize` search (docs/optimize.md):
// the answer and its guarantee, the runners-up, every point visited with its
// interval, and how the search went (the best mean so far, run by run).
// Self-contained like the other pages: inline CSS and SVG, no script.
#pragma once

#include <string>

#include "models/experiment/optimize.h"

namespace chainsim::models {

std::string optimize_report_html(const OptimizeSpec& spec, const OptimizeResult& result, const OptimizeMeta& meta);

}  // namespace chainsim::models

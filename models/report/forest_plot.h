// A forest plot for the HTML reports: per row an estimate with its interval
// (a dot on a whisker) against a vertical zero line, rows in blocks under a
// heading. Estimates of different units cannot share an axis, so each block
// has its own scale, and every scale is symmetric about zero: the zero line
// is one vertical through all blocks, left of it is "lower", right "higher",
// and each block's rows read against their own tick labels, printed under
// the block with its unit.
//
// Marked rows (in the comparison page: the interval excludes zero) have a
// filled dot, a dark whisker and a bold label; the others an open dot and a
// grey whisker, so the marking survives black-and-white print. Inspectable
// like the other charts: <svg data-chart="forest" data-rows="N"
// data-blocks="B" data-marked="M">, one <g class="forest-row"
// data-estimate data-lower data-upper data-marked> per row holding its
// <line class="ci"> (the interval) and <circle class="est">.
#pragma once

#include <string>
#include <vector>

namespace chainsim::models::report {

struct ForestPlot {
  struct Row {
    std::string label;
    // REQUIRES: finite, lower <= estimate <= upper.
    double estimate = 0.0, lower = 0.0, upper = 0.0;
    bool marked = false;
    std::string value_text;  // right of the plot ("30.11 ± 0.06 (+100%)")
    std::string tooltip;     // on hover, after the label
  };
  struct Block {
    std::string heading;  // a bold line above the rows; "" for none
    std::string unit;     // after the block's tick labels; "" for none
    std::vector<Row> rows;
  };
  std::string id;     // unique in the page; [A-Za-z0-9_-]
  std::string title;  // drawn at the top; also the <title>
  std::string desc;   // a sentence for screen readers; the chart adds its shape
  std::vector<Block> blocks;
  std::string marked_legend = "interval excludes 0";
  std::string unmarked_legend = "interval includes 0";
  double width = 800.0;
  double row_height = 18.0;
};

// The <svg> of the plot. Blocks without rows are skipped; a plot without
// rows is an <svg> with its title and a note.
std::string render(const ForestPlot& plot);

}  // namespace chainsim::models::report

// Charts for the HTML reports, as inline SVG: line charts with bands (a
// confidence band, a range across nodes), horizontal bar charts (stacked,
// with error whiskers), legends and grids of small multiples on shared axes.
//
// A chart is plain data (the structs below) rendered to one <svg> element.
// Every chart is accessible (role="img", aria-labelledby pointing at its
// <title> and <desc>) and inspectable: each series is a <polyline
// class="series" data-points="N"> with exactly N points, each band a
// <polygon class="band" data-points="N"> with 2 N points (upper edge, then
// lower edge back), each bar a <rect class="bar" data-value="v">, and the
// <svg> carries data-chart="line|bar" with data-series / data-bars counts.
// Ids (markers, patterns) are prefixed with the chart's id, so one page can
// hold many charts. Series are told apart by colour, dash and marker, so the
// charts read in black-and-white print.
#pragma once

#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/report/svg.h"

namespace chainsim::models::report {

// The default number of points a series may have before it is decimated.
inline constexpr std::size_t kDefaultPointBudget = 800;

// A line. `x` and `y` are parallel; NaN values are drawn as 0 (callers skip
// undefined series instead).
struct Series {
  std::string name;
  std::vector<double> x, y;
  Style style;
};

// A filled band between `lo` and `hi` (parallel to `x`), drawn under the
// lines: a confidence band, or the range of a group.
struct Band {
  std::string name;
  std::vector<double> x, lo, hi;
  std::string color = "#0b4f8a";
  double opacity = 0.18;
  bool outline = false;  // dotted edges, for a band that must read without fill (print)
};

// A shaded span of the x axis (the warm-up), labelled at its top.
struct Shade {
  double x0 = 0.0, x1 = 0.0;
  std::string label;
};

struct LineChart {
  std::string id;        // unique in the page; [A-Za-z0-9_-] only
  std::string title;     // drawn at the top and used as the <title>
  std::string desc;      // a sentence for screen readers; the chart adds its shape
  std::string x_label;   // with its unit, e.g. "time (week)"
  std::string y_label;   // with its unit, e.g. "units"
  double width = 640.0;  // viewBox size; the SVG scales to its container
  double height = 240.0;
  std::vector<Band> bands;
  std::vector<Series> series;
  std::vector<Shade> shades;
  std::optional<double> reference;  // a horizontal line (e.g. 0 or 1)
  std::optional<std::pair<double, double>> x_domain;  // else the data's extent
  std::optional<std::pair<double, double>> y_domain;  // else nice ticks over the data
  bool include_zero = true;      // the y axis reaches 0
  bool legend = true;            // a legend row under the title
  bool x_tick_labels = true;     // off for the upper panels of a stack
  std::size_t point_budget = kDefaultPointBudget;  // per series and band; >= 2
  std::string point_noun = "points";               // "periods" in the notes on decimation
  std::size_t marker_limit = 60;  // markers only on series with at most this many points
};

// The x and y extent of a chart's data (series and bands); NaN when empty.
struct Extent {
  double x0 = std::numeric_limits<double>::quiet_NaN(), x1 = x0, y0 = x0, y1 = x0;
  void add_x(double x);
  void add_y(double y);
  void merge(const Extent& o);
};
Extent data_extent(const LineChart& chart);

// The <svg> of a line chart. When a series or band has more points than the
// chart's point budget it is reduced (decimate_min_max / decimate_band) and
// the chart says so in a note under the plot and in data-decimated="bucket".
std::string render(const LineChart& chart);

// A horizontal bar chart: one row per category, `layers` stacked in each
// (one layer: plain bars, with optional error whiskers).
struct BarChart {
  struct Row {
    std::string label;
    std::vector<double> values;  // one per layer; NaN: no value ("n/a")
    double error = std::numeric_limits<double>::quiet_NaN();  // whisker half-width (one layer)
    std::string group;           // rows of one group follow each other under a heading
    std::string tooltip;         // extra text on hover
  };
  std::string id, title, desc;
  std::string value_label;              // the value axis, with its unit
  std::vector<std::string> layers;      // names of the stacked layers, in order
  std::vector<Row> rows;
  std::optional<double> reference;      // a vertical line (e.g. ratio 1)
  std::string reference_label;
  double width = 640.0;
  double row_height = 20.0;
  bool legend = true;                   // shown when there are two or more layers
  // The text after a row's bar; default: the total (with "± error" for one
  // layer), thousands grouped; "n/a" when the row has no value.
  std::function<std::string(const Row&)> value_text;
};

// The <svg> of a bar chart. Zero-width segments are not drawn.
std::string render(const BarChart& chart);

// A legend on its own (for a grid of small multiples that share one).
struct LegendEntry {
  std::string name;
  std::optional<Style> line;            // a line swatch
  std::optional<Band> band;             // else a filled swatch
};
std::string render_legend(const std::string& id, const std::vector<LegendEntry>& entries, double width = 640.0);
// The legend entries of a chart: bands first, then series.
std::vector<LegendEntry> legend_entries(const LineChart& chart);

// The pieces every chart kind shares (for charts defined elsewhere, such as
// models/report/forest_plot.h):
// the opening <svg class="chart" id=ID data-chart=KIND role="img"
// aria-labelledby="ID-t ID-d"> of a chart of viewBox size `width` x `height`,
// with `extra` attributes (" data-bars=\"3\"") appended;
std::string svg_open(const std::string& id, const char* kind, double width, double height,
                     const std::string& extra = "");
// its <title id="ID-t"> and <desc id="ID-d">, escaped;
std::string title_desc(const std::string& id, const std::string& title, const std::string& desc);
// and how many tick intervals suit an axis `length` viewBox units long (2 to 8).
int tick_target(double length);

// Sets one x domain on every chart (and one y domain when `shared_y`), the
// union of their data, rounded to nice ticks for y. Charts that already have
// a domain keep it.
void share_axes(std::vector<LineChart>& charts, bool shared_y);

}  // namespace chainsim::models::report

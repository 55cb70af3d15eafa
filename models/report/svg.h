// SVG primitives for the HTML reports: escaping, number formatting, linear
// scales with "nice" ticks, the series styles of the palette, and the
// decimation that keeps a long series within a point budget.
//
// Everything here is domain-free and deterministic: the same input gives the
// same bytes (coordinates are printed with one decimal, numbers with fmt), so
// a report is as reproducible as summary.json. Charts (models/report/chart.h)
// and pages (models/report/page.h) are built from these pieces.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace chainsim::models::report {

// Escapes `text` for HTML or SVG text content and attribute values (double-
// or single-quoted): & < > " ' become entities. Every string that comes from
// a scenario (names, descriptions) goes through this.
std::string escape(std::string_view text);

// An SVG coordinate: one decimal, no "-0.0". Non-finite values print as 0
// (callers clamp first; this only keeps the markup valid).
std::string coord(double v);

// A number for labels and tables: `digits` significant digits at most, no
// exponent for |x| in [1e-4, 1e15), no trailing zeros, "-" for NaN, "∞" and
// "-∞" for infinities. REQUIRES: 1 <= digits <= 15.
std::string format_number(double x, int digits = 4);

// format_number with the thousands of the integer part grouped by a thin
// space when |x| >= 10000 ("395 381"), for labels people read.
std::string format_label(double x, int digits = 4);

// `s`, a formatted number, with the thousands of its integer part grouped by
// a thin space (U+2009): "-36700.5" -> "-36 700.5".
std::string group_thousands(std::string s);

// A tick label for `x` on an axis whose ticks are `step` apart: as many
// decimals as the step needs (0.25 -> 2), thousands with a thin space.
std::string format_tick(double x, double step);

// Ticks for an axis: `values` run from `lo` to `hi` in steps of `step`, where
// lo <= the data's minimum, hi >= its maximum, and step is 1, 2, 2.5 or 5
// times a power of ten, chosen so that there are about `target` intervals.
struct Ticks {
  double lo = 0.0;
  double hi = 1.0;
  double step = 1.0;
  std::vector<double> values;
};
// REQUIRES: target >= 1. A degenerate or non-finite range is widened to a
// unit interval around its value (0..1 when nothing is finite).
Ticks nice_ticks(double lo, double hi, int target = 5);

// Maps the domain [d0, d1] linearly onto the range [r0, r1] (either may be
// reversed, as the y axis is). A zero-width domain maps everything to the
// middle of the range.
class LinearScale {
 public:
  LinearScale(double d0, double d1, double r0, double r1) : d0_(d0), d1_(d1), r0_(r0), r1_(r1) {}
  double operator()(double x) const;
  double domain_lo() const { return d0_; }
  double domain_hi() const { return d1_; }
  double range_lo() const { return r0_; }
  double range_hi() const { return r1_; }

 private:
  double d0_, d1_, r0_, r1_;
};

// Line dash patterns and point markers: with the colour, they tell series
// apart; without it (black-and-white print), dash and marker still do.
enum class Dash { kSolid, kDashed, kDotted, kDashDot, kLongDash, kDenseDash };
enum class Marker { kNone, kCircle, kSquare, kTriangle, kDiamond, kCross };

// The stroke-dasharray of a dash (empty for solid).
const char* dash_array(Dash d);

struct Style {
  std::string color = "#1f4e79";
  Dash dash = Dash::kSolid;
  Marker marker = Marker::kNone;
  double width = 1.8;  // stroke width in viewBox units
};

// The i-th style of the report palette (Okabe-Ito colours of distinct
// lightness; each neighbour differs in colour, dash and marker). Cycles after
// six styles with heavier strokes.
Style palette_style(std::size_t i);
// The i-th fill colour for bars and bands (the same colours as the lines).
std::string palette_color(std::size_t i);

// A series reduced to a point budget. `index` lists the kept positions of
// the original series in increasing order; `bucket` is the number of
// original points each bucket spans (1 when nothing was reduced).
struct Decimation {
  std::vector<std::size_t> index;
  std::size_t bucket = 1;
  bool reduced() const { return bucket > 1; }
};

// Keeps at most `budget` points of `y`: all of them when y.size() <= budget,
// else y is cut into consecutive buckets of ceil(2 n / budget) points and
// each bucket keeps its minimum and its maximum (in their original order), so
// the drawn line keeps every peak and trough at chart resolution.
// REQUIRES: budget >= 2.
Decimation decimate_min_max(const std::vector<double>& y, std::size_t budget);

// The band [lo, hi] reduced the same way: per bucket of `bucket` points, the
// smallest lo and the largest hi, placed at the bucket's first and last
// positions (an envelope that contains the band everywhere). Outputs are
// parallel vectors; with bucket == 1 they are copies of the inputs.
// REQUIRES: x, lo and hi have one size; bucket >= 1.
void decimate_band(const std::vector<double>& x, const std::vector<double>& lo, const std::vector<double>& hi,
                   std::size_t bucket, std::vector<double>& x_out, std::vector<double>& lo_out,
                   std::vector<double>& hi_out);

// The width of `text` in a sans-serif font of `font_size`, estimated (for
// laying out legends and labels without measuring fonts).
double text_width(std::string_view text, double font_size);

}  // namespace chainsim::models::report

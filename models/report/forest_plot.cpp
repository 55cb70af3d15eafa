// Layout, top to bottom: the title, a legend (filled and open dot), then per
// block its heading, its rows (alternate rows lightly shaded so the eye can
// follow a row from its label to its value) and its axis (tick labels, the
// unit under the row labels). Three columns: labels (right-aligned against
// the plot), the plot, and the value texts. Each block's domain is [-m, m]
// for m the largest |bound| of its rows, rounded up to a nice tick, so its
// zero line stands in the middle of the plot, in line with every other
// block's (broken only by the tick labels between blocks).
#include "models/report/forest_plot.h"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>

#include "models/report/chart.h"
#include "models/report/svg.h"

namespace chainsim::models::report {

namespace {

constexpr double kFont = 11.0;
constexpr double kValueFont = 10.5;
constexpr double kAxisH = 22.0;
constexpr double kBlockGap = 8.0;
constexpr const char* kMarkedColor = "#0b4f8a";
constexpr const char* kPlainColor = "#6b6b6b";

// `text` cut with "…" to about `width` viewBox units.
std::string fit(const std::string& text, double width, double font) {
  if (text_width(text, font) <= width) return text;
  std::string s = text;
  while (!s.empty() && text_width(s + "…", font) > width) {
    s.pop_back();
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();  // whole UTF-8
  }
  return s + "…";
}

std::string dot(double x, double y, bool marked) {
  return fmt::format(
      "<circle class=\"est\" cx=\"{}\" cy=\"{}\" r=\"3.6\" fill=\"{}\" stroke=\"{}\" "
      "stroke-width=\"1.4\"/>",
      coord(x), coord(y), marked ? kMarkedColor : "#fff", marked ? kMarkedColor : kPlainColor);
}

// Symmetric ticks covering [-m, m]: the smallest step of 1, 2, 2.5 or 5
// times a power of ten that covers m in at most three steps, mirrored, so
// that an axis has four to six intervals and its labels never crowd.
Ticks symmetric_ticks(double m) {
  if (!(m > 0) || !std::isfinite(m)) m = 1.0;
  const double mag = std::pow(10.0, std::floor(std::log10(m / 3)));
  double step = 10 * mag;
  for (double f : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (f * mag * 3 >= m * (1 - 1e-12)) {
      step = f * mag;
      break;
    }
  }
  const auto k = static_cast<long>(std::ceil(m / step - 1e-9));
  Ticks t;
  t.step = step;
  t.lo = -static_cast<double>(k) * step;
  t.hi = static_cast<double>(k) * step;
  for (long i = -k; i <= k; ++i) t.values.push_back(static_cast<double>(i) * step);
  return t;
}

// The plot's columns, from the widest row label and value text (each capped
// at a third of the width), and the counts its <svg> carries.
struct ForestLayout {
  std::size_t rows = 0, marked = 0, blocks = 0;
  double label_w = 60.0, value_w = 40.0;
  double left = 0.0, plot_w = 0.0;
  double zero_x = 0.0;  // every block's domain is symmetric
};

// Measures the rows of `p` (blocks without rows are skipped, as in render).
ForestLayout forest_layout(const ForestPlot& p) {
  ForestLayout f;
  for (const auto& b : p.blocks) {
    if (b.rows.empty()) continue;
    ++f.blocks;
    for (const auto& r : b.rows) {
      ++f.rows;
      f.marked += r.marked ? 1 : 0;
      f.label_w = std::max(f.label_w, text_width(r.label, kFont) * (r.marked ? 1.07 : 1.0));
      // Bold text runs wider than text_width() estimates.
      f.value_w = std::max(f.value_w, text_width(r.value_text, kValueFont) * (r.marked ? 1.16 : 1.06));
    }
  }
  f.label_w = std::min(f.label_w, 0.34 * p.width);
  f.value_w = std::min(f.value_w, 0.34 * p.width);
  f.left = 12.0 + f.label_w + 10.0;
  f.plot_w = p.width - f.left - (f.value_w + 22.0);
  f.zero_x = f.left + f.plot_w / 2;
  return f;
}

// The legend's contents, at `ly`: a whisker with a filled dot for marked
// rows, one with an open dot for the others.
std::string forest_legend(const ForestPlot& p, double left, double ly) {
  std::string legend;
  double x = left;
  for (bool m : {true, false}) {
    const std::string& text = m ? p.marked_legend : p.unmarked_legend;
    legend += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.6\"/>",
                          coord(x), coord(ly), coord(x + 22), coord(ly), m ? "#1b1b1b" : kPlainColor);
    legend += dot(x + 11, ly, m);
    legend +=
        fmt::format("<text class=\"lg\" x=\"{}\" y=\"{}\">{}</text>", coord(x + 28), coord(ly + 3.8), escape(text));
    x += 28 + text_width(text, kFont) + 22;
  }
  return legend;
}

// The layers of the plot, drawn back to front: zebra stripes, grid, zero
// lines, then the rows and axes.
struct ForestLayers {
  std::string zebra, grid, zero, body;
};

// One row at `y` (the `i`th of its block): its stripe, and its
// <g class="forest-row"> with label, whisker, dot and value text.
void forest_row(const ForestPlot& p, const ForestPlot::Row& r, std::size_t i, double y, const ForestLayout& f,
                const LinearScale& sx, ForestLayers& out) {
  const double rh = p.row_height;
  const double cy = y + rh / 2;
  if (i % 2 == 1) {
    out.zebra +=
        fmt::format("<rect x=\"4\" y=\"{}\" width=\"{}\" height=\"{}\"/>", coord(y), coord(p.width - 8), coord(rh));
  }
  const double a = sx(r.lower), c = sx(r.upper);
  const char* ink = r.marked ? "#1b1b1b" : kPlainColor;
  std::string& body = out.body;
  body += fmt::format(
      "<g class=\"forest-row\" data-row=\"{}\" data-estimate=\"{}\" data-lower=\"{}\" "
      "data-upper=\"{}\" data-marked=\"{}\"><title>{}{}</title>",
      escape(r.label), format_number(r.estimate, 8), format_number(r.lower, 8), format_number(r.upper, 8),
      r.marked ? "true" : "false", escape(r.label), r.tooltip.empty() ? "" : ": " + escape(r.tooltip));
  body += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\"{}>{}</text>", coord(f.left - 10), coord(cy + 3.8),
                      r.marked ? " font-weight=\"600\"" : "", escape(fit(r.label, f.label_w, kFont)));
  body += fmt::format(
      "<line class=\"ci\" x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"{3}\" "
      "stroke-width=\"1.6\"/><path d=\"M{0},{4} V{5} M{1},{4} V{5}\" stroke=\"{3}\" "
      "stroke-width=\"1.2\" fill=\"none\"/>",
      coord(a), coord(c), coord(cy), ink, coord(cy - 4), coord(cy + 4));
  body += dot(sx(r.estimate), cy, r.marked);
  body += fmt::format("<text class=\"bv\" x=\"{}\" y=\"{}\"{}>{}</text></g>", coord(f.left + f.plot_w + 14),
                      coord(cy + 3.8), r.marked ? " font-weight=\"600\"" : "",
                      escape(fit(r.value_text, f.value_w, kValueFont)));
}

// A block from `y` down, on its own symmetric scale: heading, rows, then its
// grid and zero line over the rows and its axis under them. Moves `y` past
// the block and the gap after it.
void forest_block(const ForestPlot& p, const ForestPlot::Block& b, const ForestLayout& f, double& y,
                  ForestLayers& out) {
  const double left = f.left, plot_w = f.plot_w;
  double m = 0.0;
  for (const auto& r : b.rows) m = std::max({m, std::abs(r.lower), std::abs(r.upper), std::abs(r.estimate)});
  const Ticks t = symmetric_ticks(m);
  const LinearScale sx(t.lo, t.hi, left, left + plot_w);
  if (!b.heading.empty()) {
    out.body += fmt::format("<text class=\"gh\" x=\"12\" y=\"{}\">{}</text>", coord(y + p.row_height * 0.72),
                            escape(b.heading));
    y += p.row_height;
  }
  const double rows_top = y;
  for (std::size_t i = 0; i < b.rows.size(); ++i) {
    forest_row(p, b.rows[i], i, y, f, sx, out);
    y += p.row_height;
  }
  for (double v : t.values) {
    if (v == 0.0) continue;
    out.grid +=
        fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", coord(sx(v)), coord(rows_top), coord(y));
  }
  out.zero += fmt::format("<line class=\"zero\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", coord(f.zero_x),
                          coord(rows_top), coord(y + 4));
  out.body += fmt::format("<path class=\"axis\" d=\"M{},{} H{}\"/>", coord(left), coord(y + 1), coord(left + plot_w));
  for (double v : t.values) {
    out.body += fmt::format(
        "<path class=\"tk\" d=\"M{0},{1} V{2}\"/><text class=\"tkl\" x=\"{0}\" y=\"{3}\" "
        "text-anchor=\"middle\">{4}</text>",
        coord(sx(v)), coord(y + 1), coord(y + 4), coord(y + 14), format_tick(v, t.step));
  }
  if (!b.unit.empty()) {  // under the labels, clear of the first tick label
    const double clear = text_width(format_tick(t.lo, t.step), 9.5) / 2 + 8;
    out.body += fmt::format("<text class=\"note\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                            coord(left - clear), coord(y + 14), escape(b.unit));
  }
  y += kAxisH + kBlockGap;
}

}  // namespace

std::string render(const ForestPlot& p) {
  const ForestLayout f = forest_layout(p);
  double y = p.title.empty() ? 10.0 : 26.0;
  std::string legend;
  if (f.rows > 0) {
    legend = forest_legend(p, f.left, y + 6.0);
    y += 22.0;
  }

  ForestLayers layers;
  for (const auto& b : p.blocks) {
    if (!b.rows.empty()) forest_block(p, b, f, y, layers);
  }
  if (f.rows == 0) {
    layers.body += fmt::format("<text class=\"note\" x=\"12\" y=\"{}\">no rows</text>", coord(y + 12));
    y += 20;
  }
  const double height = y + 2.0;

  std::string desc = p.desc;
  desc += fmt::format(
      "{}Forest plot of {} estimates with their intervals in {} blocks, each block on its own scale, "
      "symmetric about the zero line; {} marked ({}).",
      desc.empty() ? "" : " ", f.rows, f.blocks, f.marked, p.marked_legend);
  std::string o =
      svg_open(p.id, "forest", p.width, height,
               fmt::format(" data-rows=\"{}\" data-blocks=\"{}\" data-marked=\"{}\"", f.rows, f.blocks, f.marked));
  o += title_desc(p.id, p.title, desc);
  if (!p.title.empty()) o += fmt::format("<text x=\"12\" y=\"15\" class=\"ct\">{}</text>", escape(p.title));
  o += "<g class=\"legend\">" + legend + "</g>";
  o += "<g class=\"zebra\">" + layers.zebra + "</g><g class=\"grid\">" + layers.grid + "</g>" + layers.zero +
       layers.body + "</svg>";
  return o;
}

}  // namespace chainsim::models::report

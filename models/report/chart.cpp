// Layout of a chart, top to bottom: the title (12 px, bold), a legend that
// wraps onto as many rows as it needs, the plot area, the x tick labels and
// axis label, and a note when series were decimated. The left margin fits the
// widest y tick label. Sizes are in viewBox units; the <svg> scales with the
// page, so text keeps its proportion to the plot.
#include "models/report/chart.h"

#include <algorithm>
#include <fmt/core.h>

namespace chainsim::models::report {

namespace {

constexpr double kFont = 11.0;

std::string points_attr(const std::vector<double>& xs, const std::vector<double>& ys, const LinearScale& sx,
                        const LinearScale& sy) {
  std::string out;
  out.reserve(xs.size() * 12);
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (i) out += ' ';
    const double y = std::isfinite(ys[i]) ? ys[i] : 0.0;
    out += coord(sx(xs[i]));
    out += ',';
    out += coord(sy(y));
  }
  return out;
}

std::string marker_shape(Marker m, const std::string& color) {
  switch (m) {
    case Marker::kNone: return "";
    case Marker::kCircle:
      return fmt::format("<circle r=\"3.2\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"0.8\"/>", color);
    case Marker::kSquare:
      return fmt::format("<rect x=\"-3\" y=\"-3\" width=\"6\" height=\"6\" fill=\"{}\" stroke=\"#fff\" "
                         "stroke-width=\"0.8\"/>", color);
    case Marker::kTriangle:
      return fmt::format("<path d=\"M0,-4 L3.6,2.8 L-3.6,2.8Z\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"0.8\"/>",
                         color);
    case Marker::kDiamond:
      return fmt::format("<path d=\"M0,-4.2 L4.2,0 L0,4.2 L-4.2,0Z\" fill=\"#fff\" stroke=\"{}\" "
                         "stroke-width=\"1.4\"/>", color);
    case Marker::kCross:
      return fmt::format("<path d=\"M-3,-3 L3,3 M3,-3 L-3,3\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.6\"/>",
                         color);
  }
  return "";
}

std::string marker_def(const std::string& id, const Style& s) {
  return fmt::format("<marker id=\"{}\" viewBox=\"-5 -5 10 10\" markerWidth=\"10\" markerHeight=\"10\" "
                     "markerUnits=\"userSpaceOnUse\" refX=\"0\" refY=\"0\" orient=\"0\">{}</marker>",
                     id, marker_shape(s.marker, s.color));
}

std::string stroke_attrs(const Style& s) {
  std::string a = fmt::format("fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\"", s.color,
                              coord(s.width));
  if (*dash_array(s.dash)) a += fmt::format(" stroke-dasharray=\"{}\"", dash_array(s.dash));
  return a;
}

std::string marker_attrs(const std::string& id) {
  return fmt::format(" marker-start=\"url(#{0})\" marker-mid=\"url(#{0})\" marker-end=\"url(#{0})\"", id);
}

// The legend rows from (x0, y0) within `max_width`; returns the markup and
// sets `height` to the rows' total height.
std::string legend_markup(const std::string& id, const std::vector<LegendEntry>& entries, double x0, double y0,
                          double max_width, double& height) {
  std::string out = "<g class=\"legend\">";
  double x = x0, y = y0;
  const double row = 16.0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const LegendEntry& e = entries[i];
    const double w = 26.0 + text_width(e.name, kFont) + 16.0;
    if (x > x0 && x + w > x0 + max_width) {
      x = x0;
      y += row;
    }
    if (e.line) {
      const std::string mid = fmt::format("{}-lg{}", id, i);
      if (e.line->marker != Marker::kNone) out += "<defs>" + marker_def(mid, *e.line) + "</defs>";
      out += fmt::format("<polyline points=\"{},{} {},{} {},{}\" {}{}/>", coord(x), coord(y), coord(x + 11),
                         coord(y), coord(x + 22), coord(y), stroke_attrs(*e.line),
                         e.line->marker != Marker::kNone ? fmt::format(" marker-mid=\"url(#{})\"", mid) : "");
    } else if (e.band) {
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"22\" height=\"9\" fill=\"{}\" fill-opacity=\"{}\"{}/>",
                         coord(x), coord(y - 4.5), e.band->color, format_number(std::max(e.band->opacity, 0.25), 3),
                         e.band->outline ? fmt::format(" stroke=\"{}\" stroke-dasharray=\"1.5 2\"", e.band->color) : "");
    }
    out += fmt::format("<text x=\"{}\" y=\"{}\" class=\"lg\">{}</text>", coord(x + 26), coord(y + 3.8),
                       escape(e.name));
    x += w;
  }
  out += "</g>";
  height = entries.empty() ? 0.0 : (y - y0) + row;
  return out;
}

double legend_height(const std::vector<LegendEntry>& entries, double max_width) {
  double h = 0.0;
  legend_markup("", entries, 0.0, 0.0, max_width, h);
  return h;
}

// A bar layer's fill: layer 0 solid, the others a colour with a white
// pattern over it (diagonal hatch, dots, grid, horizontal lines, the other
// diagonal), so neighbouring layers differ in print.
std::string pattern_def(const std::string& id, std::size_t layer) {
  const std::string color = palette_color(layer);
  const std::size_t kind = (layer + layer / 6) % 6;
  std::string body;
  switch (kind) {
    case 0: break;
    case 1: body = "<path d=\"M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5\" stroke=\"#fff\" stroke-width=\"1.3\"/>"; break;
    case 2: body = "<circle cx=\"3\" cy=\"3\" r=\"1.2\" fill=\"#fff\"/>"; break;
    case 3: body = "<path d=\"M0,3 H6 M3,0 V6\" stroke=\"#fff\" stroke-width=\"1\"/>"; break;
    case 4: body = "<path d=\"M0,1.5 H6 M0,4.5 H6\" stroke=\"#fff\" stroke-width=\"0.9\"/>"; break;
    default: body = "<path d=\"M0,0 L6,6 M-1,5 L1,7 M5,-1 L7,1\" stroke=\"#fff\" stroke-width=\"1.3\"/>"; break;
  }
  return fmt::format("<pattern id=\"{}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
                     "<rect width=\"6\" height=\"6\" fill=\"{}\"/>{}</pattern>",
                     id, color, body);
}

}  // namespace

std::string svg_open(const std::string& id, const char* kind, double w, double h, const std::string& extra) {
  return fmt::format("<svg class=\"chart\" id=\"{0}\" data-chart=\"{1}\" role=\"img\" aria-labelledby=\"{0}-t "
                     "{0}-d\" viewBox=\"0 0 {2} {3}\" preserveAspectRatio=\"xMinYMin meet\" "
                     "style=\"max-width:{5}px\"{4}>",
                     id, kind, coord(w), coord(h), extra, coord(w * 1.3));
}

std::string title_desc(const std::string& id, const std::string& title, const std::string& desc) {
  return fmt::format("<title id=\"{}-t\">{}</title><desc id=\"{}-d\">{}</desc>", id, escape(title), id, escape(desc));
}

int tick_target(double length) { return std::clamp(static_cast<int>(length / 45.0), 2, 8); }

void Extent::add_x(double x) {
  if (!std::isfinite(x)) return;
  x0 = std::isnan(x0) ? x : std::min(x0, x);
  x1 = std::isnan(x1) ? x : std::max(x1, x);
}

void Extent::add_y(double y) {
  if (!std::isfinite(y)) return;
  y0 = std::isnan(y0) ? y : std::min(y0, y);
  y1 = std::isnan(y1) ? y : std::max(y1, y);
}

void Extent::merge(const Extent& o) {
  add_x(o.x0);
  add_x(o.x1);
  add_y(o.y0);
  add_y(o.y1);
}

Extent data_extent(const LineChart& c) {
  Extent e;
  for (const Series& s : c.series) {
    for (double x : s.x) e.add_x(x);
    for (double y : s.y) e.add_y(y);
  }
  for (const Band& b : c.bands) {
    for (double x : b.x) e.add_x(x);
    for (double y : b.lo) e.add_y(y);
    for (double y : b.hi) e.add_y(y);
  }
  return e;
}

std::vector<LegendEntry> legend_entries(const LineChart& c) {
  std::vector<LegendEntry> out;
  for (const Band& b : c.bands) out.push_back({b.name, std::nullopt, b});
  for (const Series& s : c.series) {
    Style st = s.style;
    if (s.x.size() > c.marker_limit) st.marker = Marker::kNone;
    out.push_back({s.name, st, std::nullopt});
  }
  return out;
}

namespace {

// A line chart's data as drawn: series and bands cut to the point budget,
// with the widest bucket and the longest original, for the note under the
// plot.
struct DrawnData {
  struct Line {
    std::vector<double> x, y;
  };
  std::vector<Line> lines;
  std::vector<Band> bands;
  std::size_t bucket = 1, original = 0;
  bool reduced() const { return bucket > 1; }
};

// Decimate first: the drawn data, its extent and the note all follow.
DrawnData drawn_data(const LineChart& c) {
  DrawnData d;
  for (const Series& s : c.series) {
    const Decimation dm = decimate_min_max(s.y, std::max<std::size_t>(c.point_budget, 2));
    DrawnData::Line l;
    for (std::size_t i : dm.index) {
      l.x.push_back(s.x[i]);
      l.y.push_back(s.y[i]);
    }
    d.bucket = std::max(d.bucket, dm.bucket);
    d.original = std::max(d.original, s.y.size());
    d.lines.push_back(std::move(l));
  }
  for (const Band& b : c.bands) {
    const std::size_t n = b.x.size(), budget = std::max<std::size_t>(c.point_budget, 2);
    const std::size_t bb = n > budget ? (2 * n + budget - 1) / budget : 1;
    Band r = b;
    decimate_band(b.x, b.lo, b.hi, bb, r.x, r.lo, r.hi);
    d.bucket = std::max(d.bucket, bb);
    d.original = std::max(d.original, n);
    d.bands.push_back(std::move(r));
  }
  return d;
}

// Where a line chart's plot sits in its viewBox, and its scales.
struct LinePlot {
  double x0 = 0.0, x1 = 1.0;  // the x domain
  double top = 0.0, left = 0.0, plot_w = 0.0, plot_h = 0.0;
  Ticks yt;
  LinearScale sx{0.0, 1.0, 0.0, 1.0}, sy{0.0, 1.0, 0.0, 1.0};
  std::vector<LegendEntry> entries;
};

// The y ticks: a given domain keeps its ends (ticks outside it dropped),
// else nice ticks over the data, zero and the reference line.
Ticks line_y_ticks(const LineChart& c, const Extent& e, double plot_h) {
  Ticks yt;
  if (c.y_domain) {
    yt = nice_ticks(c.y_domain->first, c.y_domain->second, tick_target(plot_h));
    yt.lo = c.y_domain->first;
    yt.hi = c.y_domain->second;
    std::erase_if(yt.values, [&](double v) { return v < yt.lo - 1e-9 * yt.step || v > yt.hi + 1e-9 * yt.step; });
  } else {
    double y0 = std::isnan(e.y0) ? 0.0 : e.y0, y1 = std::isnan(e.y1) ? 1.0 : e.y1;
    if (c.include_zero) y0 = std::min(y0, 0.0), y1 = std::max(y1, 0.0);
    if (c.reference) y0 = std::min(y0, *c.reference), y1 = std::max(y1, *c.reference);
    yt = nice_ticks(y0, y1, tick_target(plot_h));
  }
  return yt;
}

// The layout of a line chart; `reduced` leaves room for the decimation note.
LinePlot line_plot(const LineChart& c, bool reduced) {
  LinePlot p;
  const Extent e = data_extent(c);
  p.x0 = c.x_domain ? c.x_domain->first : (std::isnan(e.x0) ? 0.0 : e.x0);
  p.x1 = c.x_domain ? c.x_domain->second : (std::isnan(e.x1) ? 1.0 : e.x1);
  if (p.x1 <= p.x0) p.x1 = p.x0 + 1.0;

  p.entries = c.legend ? legend_entries(c) : std::vector<LegendEntry>{};
  p.top = c.title.empty() ? 8.0 : 24.0;
  const double provisional_left = 60.0;
  const double lh = legend_height(p.entries, c.width - provisional_left - 10.0);
  if (lh > 0) p.top += lh + 4.0;
  double bottom = c.x_tick_labels ? (c.x_label.empty() ? 20.0 : 34.0) : 6.0;
  if (reduced) bottom += 13.0;
  p.plot_h = std::max(30.0, c.height - p.top - bottom);

  p.yt = line_y_ticks(c, e, p.plot_h);
  double label_w = 0.0;
  for (double v : p.yt.values) label_w = std::max(label_w, text_width(format_tick(v, p.yt.step), kFont));
  p.left = (c.y_label.empty() ? 6.0 : 20.0) + label_w + 6.0;
  const double right = 12.0;
  p.plot_w = c.width - p.left - right;
  p.sx = LinearScale(p.x0, p.x1, p.left, p.left + p.plot_w);
  p.sy = LinearScale(p.yt.lo, p.yt.hi, p.top + p.plot_h, p.top);
  return p;
}

// The opening <svg> of a line chart through its title and legend: the
// description states the chart's shape for screen readers, and markers are
// defined only for the series sparse enough to carry them.
std::string line_head(const LineChart& c, const DrawnData& d, const LinePlot& p) {
  std::string extra = fmt::format(" data-series=\"{}\" data-bands=\"{}\"", c.series.size(), c.bands.size());
  if (d.reduced()) extra += fmt::format(" data-decimated=\"{}\"", d.bucket);
  std::string names;
  for (const Series& s : c.series) names += (names.empty() ? "" : ", ") + s.name;
  std::string desc = c.desc;
  desc += fmt::format("{}Line chart of {} against {}; {} from {} to {}.", desc.empty() ? "" : " ",
                      names.empty() ? "no series" : names, c.x_label.empty() ? "x" : c.x_label,
                      c.y_label.empty() ? "values" : c.y_label, format_tick(p.yt.lo, p.yt.step),
                      format_tick(p.yt.hi, p.yt.step));
  if (d.reduced()) {
    desc += fmt::format(" Long series shown as bucket minima and maxima of {} {}.", d.bucket, c.point_noun);
  }

  std::string o = svg_open(c.id, "line", c.width, c.height, extra);
  o += title_desc(c.id, c.title, desc);
  std::string defs;
  for (std::size_t i = 0; i < c.series.size(); ++i) {
    if (c.series[i].style.marker != Marker::kNone && d.lines[i].x.size() <= c.marker_limit) {
      defs += marker_def(fmt::format("{}-m{}", c.id, i), c.series[i].style);
    }
  }
  if (!defs.empty()) o += "<defs>" + defs + "</defs>";
  if (!c.title.empty()) {
    o += fmt::format("<text x=\"{}\" y=\"15\" class=\"ct\">{}</text>", coord(p.left), escape(c.title));
  }
  if (!p.entries.empty()) {
    double h = 0.0;
    o += legend_markup(c.id, p.entries, p.left, c.title.empty() ? 12.0 : 32.0, p.plot_w, h);
  }
  return o;
}

// The horizontal grid, the y tick labels and the x ticks (labelled unless
// the chart is an upper panel of a stack).
std::string line_axes(const LineChart& c, const LinePlot& p) {
  const double top = p.top, plot_h = p.plot_h;
  std::string o = "<g class=\"grid\">";
  for (double v : p.yt.values) {
    const double y = p.sy(v);
    o += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", coord(p.left), coord(y),
                     coord(p.left + p.plot_w), coord(y));
  }
  o += "</g><g class=\"ticks\">";
  for (double v : p.yt.values) {
    o += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", coord(p.left - 5),
                     coord(p.sy(v) + 3.8), format_tick(v, p.yt.step));
  }
  const Ticks xt = nice_ticks(p.x0, p.x1, tick_target(p.plot_w * 0.8));
  for (double v : xt.values) {
    if (v < p.x0 - 1e-9 * xt.step || v > p.x1 + 1e-9 * xt.step) continue;
    const double x = p.sx(v);
    o += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" class=\"tk\"/>", coord(x), coord(top + plot_h),
                     coord(top + plot_h + 4));
    if (c.x_tick_labels) {
      o += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", coord(x), coord(top + plot_h + 15),
                       format_tick(v, xt.step));
    }
  }
  o += "</g>";
  return o;
}

// The data, back to front: shaded spans, bands, the reference line, then the
// series on top.
std::string line_marks(const LineChart& c, const DrawnData& d, const LinePlot& p) {
  std::string o;
  for (const Shade& s : c.shades) {
    const double a = p.sx(std::max(s.x0, p.x0)), b = p.sx(std::min(s.x1, p.x1));
    if (b <= a) continue;
    o += fmt::format("<g class=\"shade\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/><text x=\"{}\" y=\"{}\">{}"
                     "</text></g>",
                     coord(a), coord(p.top), coord(b - a), coord(p.plot_h), coord(a + 3), coord(p.top + 10),
                     escape(s.label));
  }
  for (const Band& b : d.bands) {
    std::vector<double> xs = b.x, ys = b.hi;
    for (std::size_t k = b.x.size(); k-- > 0;) {
      xs.push_back(b.x[k]);
      ys.push_back(b.lo[k]);
    }
    o += fmt::format("<polygon class=\"band\" data-band=\"{}\" data-points=\"{}\" points=\"{}\" fill=\"{}\" "
                     "fill-opacity=\"{}\"{}><title>{}</title></polygon>",
                     escape(b.name), b.x.size(), points_attr(xs, ys, p.sx, p.sy), b.color, format_number(b.opacity, 3),
                     b.outline ? fmt::format(" stroke=\"{}\" stroke-width=\"0.8\" stroke-dasharray=\"1.5 2\"", b.color)
                               : "",
                     escape(b.name));
  }
  if (c.reference) {
    const double y = p.sy(*c.reference);
    o += fmt::format("<line class=\"ref\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", coord(p.left), coord(y),
                     coord(p.left + p.plot_w), coord(y));
  }
  for (std::size_t i = 0; i < c.series.size(); ++i) {
    const Series& s = c.series[i];
    const DrawnData::Line& l = d.lines[i];
    const bool markers = s.style.marker != Marker::kNone && l.x.size() <= c.marker_limit;
    o += fmt::format("<polyline class=\"series\" data-series=\"{}\" data-points=\"{}\" points=\"{}\" {}{}><title>{}"
                     "</title></polyline>",
                     escape(s.name), l.x.size(), points_attr(l.x, l.y, p.sx, p.sy), stroke_attrs(s.style),
                     markers ? marker_attrs(fmt::format("{}-m{}", c.id, i)) : "", escape(s.name));
  }
  return o;
}

// The axis lines, the axis labels and, under everything, the note on
// decimation.
std::string line_labels(const LineChart& c, const DrawnData& d, const LinePlot& p) {
  const double top = p.top, plot_h = p.plot_h, left = p.left, plot_w = p.plot_w;
  std::string o = fmt::format("<path class=\"axis\" d=\"M{0},{1} V{2} H{3}\"/>", coord(left), coord(top),
                              coord(top + plot_h), coord(left + plot_w));
  if (!c.y_label.empty()) {
    const double cy = top + plot_h / 2;
    o += fmt::format("<text class=\"al\" x=\"11\" y=\"{0}\" transform=\"rotate(-90 11 {0})\" text-anchor=\"middle\">"
                     "{1}</text>",
                     coord(cy), escape(c.y_label));
  }
  double y_text = top + plot_h + (c.x_tick_labels ? 15.0 : 0.0);
  if (c.x_tick_labels && !c.x_label.empty()) {
    y_text += 14.0;
    o += fmt::format("<text class=\"al\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                     coord(left + plot_w / 2), coord(y_text), escape(c.x_label));
  }
  if (d.reduced()) {
    o += fmt::format("<text class=\"note\" x=\"{}\" y=\"{}\">{} {} shown as the minimum and maximum of every {} {}"
                     "</text>",
                     coord(left), coord(y_text + 13.0), d.original, c.point_noun, d.bucket, c.point_noun);
  }
  return o;
}

}  // namespace

std::string render(const LineChart& c) {
  const DrawnData d = drawn_data(c);
  const LinePlot p = line_plot(c, d.reduced());
  return line_head(c, d, p) + line_axes(c, p) + line_marks(c, d, p) + line_labels(c, d, p) + "</svg>";
}

namespace {

// A row of a bar chart, or the heading of a group of rows.
struct BarSlot {
  const BarChart::Row* row;
  std::string heading;
};

// Rows and group headings, top to bottom.
std::vector<BarSlot> bar_slots(const BarChart& c) {
  std::vector<BarSlot> slots;
  std::string group;
  for (const auto& r : c.rows) {
    if (!r.group.empty() && (slots.empty() || r.group != group)) slots.push_back({nullptr, r.group});
    group = r.group;
    slots.push_back({&r, ""});
  }
  return slots;
}

// A stacked chart's legend: one swatch per layer, in the layer's pattern.
std::vector<LegendEntry> bar_legend_entries(const BarChart& c, bool stacked) {
  std::vector<LegendEntry> entries;
  if (stacked && c.legend) {
    for (std::size_t i = 0; i < c.layers.size(); ++i) {
      Band swatch;
      swatch.color = fmt::format("url(#{}-p{})", c.id, i);
      swatch.opacity = 1.0;
      entries.push_back({c.layers[i], std::nullopt, swatch});
    }
  }
  return entries;
}

// The value axis's ticks: over 0, the positive and negative stacks of every
// row, its error whisker and the reference line.
Ticks bar_ticks(const BarChart& c, bool stacked, double plot_w) {
  double lo = 0.0, hi = 0.0;
  for (const auto& r : c.rows) {
    double pos = 0.0, neg = 0.0;
    for (double v : r.values) {
      if (!std::isfinite(v)) continue;
      (v >= 0 ? pos : neg) += v;
    }
    hi = std::max(hi, pos);
    lo = std::min(lo, neg);
    if (!stacked && !r.values.empty() && std::isfinite(r.values[0]) && std::isfinite(r.error)) {
      lo = std::min(lo, r.values[0] - r.error);
      hi = std::max(hi, r.values[0] + r.error);
    }
  }
  if (c.reference) lo = std::min(lo, *c.reference), hi = std::max(hi, *c.reference);
  return nice_ticks(lo, hi, tick_target(plot_w * 0.45));
}

// One row at `y`: its label, its bars (positive ones stacked right of 0,
// negative ones left), its whisker and its value text. Adds the bars drawn
// to `bars`.
std::string bar_row(const BarChart& c, const BarChart::Row& r, double y, double left, const LinearScale& sx,
                    std::size_t& bars) {
  const bool stacked = c.layers.size() > 1;
  const double bh = c.row_height * 0.64, by = y + (c.row_height - bh) / 2;
  std::string body = fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", coord(left - 6),
                                 coord(y + c.row_height / 2 + 3.8), escape(r.label));
  double pos = 0.0, neg = 0.0, total = 0.0;
  bool any = false;
  for (std::size_t i = 0; i < r.values.size() && i < std::max<std::size_t>(c.layers.size(), 1); ++i) {
    const double v = r.values[i];
    if (!std::isfinite(v)) continue;
    any = true;
    total += v;
    if (v == 0.0) continue;
    const double a = v >= 0 ? pos : neg + v, b = v >= 0 ? pos + v : neg;
    (v >= 0 ? pos : neg) += v;
    const std::string fill = stacked ? fmt::format("url(#{}-p{})", c.id, i) : palette_color(0);
    const std::string layer = c.layers.empty() ? std::string() : c.layers[i];
    body += fmt::format("<rect class=\"bar\" data-row=\"{}\" data-layer=\"{}\" data-value=\"{}\" x=\"{}\" y=\"{}\" "
                        "width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}{}: {}{}</title></rect>",
                        escape(r.label), escape(layer), format_number(v, 6), coord(sx(a)), coord(by),
                        coord(std::max(0.4, sx(b) - sx(a))), coord(bh), fill, escape(r.label),
                        layer.empty() ? "" : " — " + escape(layer), format_number(v, 4),
                        r.tooltip.empty() ? "" : " (" + escape(r.tooltip) + ")");
    ++bars;
  }
  std::string value = any ? format_label(total, 4) : "n/a";
  if (!stacked && any && std::isfinite(r.error)) {
    const double v = r.values[0];
    const double ya = y + c.row_height / 2;
    body += fmt::format("<path class=\"err\" d=\"M{0},{2} H{1} M{0},{3} V{4} M{1},{3} V{4}\"/>",
                        coord(sx(v - r.error)), coord(sx(v + r.error)), coord(ya), coord(ya - 4), coord(ya + 4));
    value += " ± " + format_label(r.error, 2);
  }
  if (any && c.value_text) value = c.value_text(r);
  const double end = std::max(sx(pos), sx(any && !stacked && std::isfinite(r.error) ? r.values[0] + r.error : pos));
  body += fmt::format("<text class=\"bv\" x=\"{}\" y=\"{}\">{}</text>", coord(end + 4),
                      coord(y + c.row_height / 2 + 3.8), value);
  return body;
}

// The vertical grid and the tick labels under the plot.
std::string bar_grid(const Ticks& t, const LinearScale& sx, double top, double plot_h) {
  std::string o = "<g class=\"grid\">";
  for (double v : t.values) {
    o += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", coord(sx(v)), coord(top),
                     coord(top + plot_h));
  }
  o += "</g><g class=\"ticks\">";
  for (double v : t.values) {
    o += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", coord(sx(v)),
                     coord(top + plot_h + 14), format_tick(v, t.step));
  }
  o += "</g>";
  return o;
}

// Over the bars: the axis at 0 (or the domain's end nearer to it), the
// reference line with its label, and the value axis's label.
std::string bar_overlay(const BarChart& c, const Ticks& t, const LinearScale& sx, double top, double plot_h,
                        double left, double plot_w) {
  std::string o = fmt::format("<path class=\"axis\" d=\"M{0},{1} V{2}\"/>",
                              coord(sx(std::max(t.lo, std::min(0.0, t.hi)))), coord(top), coord(top + plot_h));
  if (c.reference) {
    const double x = sx(*c.reference);
    o += fmt::format("<line class=\"ref\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", coord(x), coord(top - 2),
                     coord(top + plot_h));
    if (!c.reference_label.empty()) {
      o += fmt::format("<text class=\"note\" x=\"{}\" y=\"{}\">{}</text>", coord(x + 4), coord(top - 4),
                       escape(c.reference_label));
    }
  }
  if (!c.value_label.empty()) {
    o += fmt::format("<text class=\"al\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                     coord(left + plot_w / 2), coord(top + plot_h + 29), escape(c.value_label));
  }
  return o;
}

}  // namespace

std::string render(const BarChart& c) {
  const bool stacked = c.layers.size() > 1;
  double label_w = 40.0;
  for (const auto& r : c.rows) label_w = std::max(label_w, text_width(r.label, kFont));
  const double left = label_w + 14.0, right = 78.0;
  const double plot_w = c.width - left - right;
  const std::vector<BarSlot> slots = bar_slots(c);
  const std::vector<LegendEntry> entries = bar_legend_entries(c, stacked);
  double top = c.title.empty() ? 8.0 : 24.0;
  const double lh = legend_height(entries, c.width - 20.0);
  if (lh > 0) top += lh + 4.0;
  if (c.reference && !c.reference_label.empty()) top += 12.0;
  const double plot_h = static_cast<double>(slots.size()) * c.row_height;
  const double height = top + plot_h + (c.value_label.empty() ? 22.0 : 36.0);
  const Ticks t = bar_ticks(c, stacked, plot_w);
  const LinearScale sx(t.lo, t.hi, left, left + plot_w);

  std::size_t bars = 0;
  std::string body;
  for (std::size_t k = 0; k < slots.size(); ++k) {
    const double y = top + static_cast<double>(k) * c.row_height;
    if (slots[k].row) {
      body += bar_row(c, *slots[k].row, y, left, sx, bars);
    } else {
      body += fmt::format("<text class=\"gh\" x=\"4\" y=\"{}\">{}</text>", coord(y + c.row_height * 0.7),
                          escape(slots[k].heading));
    }
  }

  std::string desc = c.desc;
  desc += fmt::format("{}Horizontal bar chart, {} rows{}; {} from {} to {}.", desc.empty() ? "" : " ", c.rows.size(),
                      stacked ? fmt::format(", {} stacked layers", c.layers.size()) : "",
                      c.value_label.empty() ? "values" : c.value_label, format_tick(t.lo, t.step),
                      format_tick(t.hi, t.step));
  std::string o = svg_open(c.id, "bar", c.width, height, fmt::format(" data-bars=\"{}\"", bars));
  o += title_desc(c.id, c.title, desc);
  if (stacked) {
    o += "<defs>";
    for (std::size_t i = 0; i < c.layers.size(); ++i) o += pattern_def(fmt::format("{}-p{}", c.id, i), i);
    o += "</defs>";
  }
  if (!c.title.empty()) o += fmt::format("<text x=\"4\" y=\"15\" class=\"ct\">{}</text>", escape(c.title));
  if (!entries.empty()) {
    double h = 0.0;
    o += legend_markup(c.id, entries, 4.0, c.title.empty() ? 12.0 : 32.0, c.width - 20.0, h);
  }
  o += bar_grid(t, sx, top, plot_h) + body;
  o += bar_overlay(c, t, sx, top, plot_h, left, plot_w);
  o += "</svg>";
  return o;
}

std::string render_legend(const std::string& id, const std::vector<LegendEntry>& entries, double width) {
  double h = 0.0;
  const std::string body = legend_markup(id, entries, 4.0, 10.0, width - 8.0, h);
  std::string names;
  for (const auto& e : entries) names += (names.empty() ? "" : ", ") + e.name;
  return fmt::format("<svg class=\"legend-svg\" id=\"{}\" role=\"img\" aria-label=\"Legend: {}\" viewBox=\"0 0 {} {}\">"
                     "{}</svg>",
                     id, escape(names), coord(width), coord(h + 4.0), body);
}

void share_axes(std::vector<LineChart>& charts, bool shared_y) {
  Extent all;
  bool zero = false;
  for (const LineChart& c : charts) {
    all.merge(data_extent(c));
    zero = zero || c.include_zero;
  }
  if (std::isnan(all.x0)) return;
  double y0 = all.y0, y1 = all.y1;
  if (zero) y0 = std::min(y0, 0.0), y1 = std::max(y1, 0.0);
  const Ticks t = nice_ticks(y0, y1, 4);
  for (LineChart& c : charts) {
    if (!c.x_domain) c.x_domain = std::make_pair(all.x0, all.x1 > all.x0 ? all.x1 : all.x0 + 1.0);
    if (shared_y && !c.y_domain) c.y_domain = std::make_pair(t.lo, t.hi);
  }
}

}  // namespace chainsim::models::report

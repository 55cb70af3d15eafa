#include "models/report/run_charts.h"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>
#include <map>

#include "models/report/group_series.h"
#include "models/report/page.h"
#include "models/chain/types.h"
#include "sim/statistics.h"

namespace chainsim::models::report {

namespace {

std::size_t column_index(const std::string& name) {
  const auto& cols = series_columns();
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].name == name) return i;
  }
  return cols.size();
}

std::string kind_plural(const std::string& kind, std::size_t n) {
  if (n == 1) return kind;
  return fmt::format("{} {}", n, plural_unit(kind));
}

std::vector<double> times(const ExperimentResult& r) {
  std::vector<double> t(r.series->periods());
  for (std::size_t k = 0; k < t.size(); ++k) t[k] = static_cast<double>(k) * r.info.period;
  return t;
}

// Replications of the run (the series hold as many).
std::uint64_t reps(const ExperimentResult& r) { return r.kpis.size(); }

std::string time_label(const UnitNames& u) { return fmt::format("time ({})", u.time_unit); }

std::vector<Shade> warmup_shade(const ExperimentResult& r) {
  if (r.info.warmup <= 0) return {};
  return {Shade{0.0, static_cast<double>(r.info.warmup) * r.info.period, "warm-up"}};
}

// The total of `column` over group `gi` of `groups` (stock groups, or node
// groups when `nodes`): exact with the input's GroupSeries, else the sum of
// the members' traces (sds added: conservative).
Trace group_total(const RunChartsInput& in, std::size_t gi, const Group& g, const std::vector<std::size_t>& stocks,
                  const std::string& column, bool nodes) {
  if (stocks.size() > 1 && in.groups) {
    Trace t = nodes ? in.groups->node_group(gi, column) : in.groups->stock_group(gi, column);
    if (!t.mean.empty()) return t;
  }
  (void)g;
  return stock_trace(*in.result, stocks, column);
}

// The echelon view of `column` over `stocks`: the range of their mean lines
// (a spread across nodes), their mean, and its 95% band.
void add_group_lines(LineChart& c, const RunChartsInput& in, std::size_t gi, const Group& g,
                     const std::vector<std::size_t>& stocks, const std::string& column, std::size_t style,
                     bool nodes) {
  const ExperimentResult& r = *in.result;
  const std::string name = column == "on_hand" ? "on hand" : kpi_label(column);
  if (stocks.size() == 1) {
    add_trace(c, r, name, stock_trace(r, stocks, column), style, "95% band, " + name, !nodes);
    return;
  }
  const std::size_t m = stocks.size();
  Band range;
  range.name = "range across the nodes";
  range.x = times(r);
  range.lo.assign(range.x.size(), std::numeric_limits<double>::infinity());
  range.hi.assign(range.x.size(), -std::numeric_limits<double>::infinity());
  for (std::size_t s : stocks) {
    const Trace t = stock_trace(r, {s}, column);
    for (std::size_t k = 0; k < t.mean.size(); ++k) {
      range.lo[k] = std::min(range.lo[k], t.mean[k]);
      range.hi[k] = std::max(range.hi[k], t.mean[k]);
    }
  }
  range.color = "#6b6b6b";
  range.opacity = 0.14;
  range.outline = true;
  c.bands.push_back(std::move(range));
  Trace mean = group_total(in, gi, g, stocks, column, nodes);
  for (double& v : mean.mean) v /= static_cast<double>(m);
  for (double& v : mean.sd) v /= static_cast<double>(m);
  add_trace(c, r, "echelon mean, " + name, mean, style, "95% band of the mean", !nodes);
}

std::string band_sentence(const RunChartsInput& in, bool summed) {
  const ExperimentResult& r = *in.result;
  if (reps(r) < 2) return "One replication, so there are no confidence bands.";
  std::string s = fmt::format("Lines are means over {} replications; coloured bands are 95% confidence intervals "
                              "(Student t with {} degrees of freedom).",
                              reps(r), reps(r) - 1);
  if (summed && !in.groups) s += " Bands of echelon totals add the nodes' standard deviations (conservative).";
  return s;
}

}  // namespace

LineChart time_chart(const RunChartsInput& in, std::string id, std::string title, std::string y_label) {
  LineChart c;
  c.id = std::move(id);
  c.title = std::move(title);
  c.x_label = time_label(in.units);
  c.y_label = std::move(y_label);
  c.shades = warmup_shade(*in.result);
  c.point_budget = in.point_budget;
  c.point_noun = "periods";
  return c;
}

void add_trace(LineChart& c, const ExperimentResult& r, const std::string& name, const Trace& t, std::size_t style,
              const std::string& band_name, bool non_negative) {
  const std::vector<double> x = times(r);
  if (reps(r) > 1) {
    Band b;
    b.name = band_name;
    b.x = x;
    confidence_band(t, reps(r), b.lo, b.hi);
    if (non_negative) {
      for (double& v : b.lo) v = std::max(v, 0.0);
    }
    b.color = palette_color(style);
    b.opacity = 0.16;
    c.bands.push_back(std::move(b));
  }
  c.series.push_back({name, x, t.mean, palette_style(style)});
}

std::string small_multiples(std::vector<LineChart>& charts, bool shared_y, const std::string& legend_id) {
  const bool two = charts.size() <= 4;
  for (LineChart& c : charts) {
    if (two) c.width = 420, c.height *= 1.05;
  }
  share_axes(charts, shared_y);
  std::string o;
  if (!charts.empty()) o += render_legend(legend_id, legend_entries(charts.front()));
  o += two ? "<div class=\"multiples two\">" : "<div class=\"multiples\">";
  for (const LineChart& c : charts) o += render(c);
  return o + "</div>";
}

std::string horizon_text(const NetworkInfo& info) {
  return fmt::format("{} periods of {} {}", info.horizon, format_number(info.period, 6),
                     info.period == 1.0 ? info.time_unit : plural_unit(info.time_unit));
}

std::string series_style_note() {
  return "Series are told apart by dash pattern and marker as well as colour, so the page reads in black and white.";
}

std::string stock_label(const NetworkInfo& info, std::size_t s) {
  return info.products.size() <= 1 ? info.stocks[s].node : info.stocks[s].name;
}

std::vector<Group> stock_groups(const NetworkInfo& info, const std::vector<int>& depths) {
  std::map<std::string, std::size_t> node_index, product_index;
  for (std::size_t i = 0; i < info.nodes.size(); ++i) node_index[info.nodes[i].name] = i;
  for (std::size_t i = 0; i < info.products.size(); ++i) product_index[info.products[i]] = i;
  std::map<std::pair<int, std::size_t>, Group> groups;
  for (std::size_t s = 0; s < info.stocks.size(); ++s) {
    const auto& st = info.stocks[s];
    if (st.infinite) continue;
    const int d = depths[node_index.at(st.node)];
    Group& g = groups[{d, product_index[st.product]}];
    g.depth = d;
    g.product = st.product;
    g.members.push_back(s);
  }
  std::vector<Group> out;
  for (auto& [key, g] : groups) {
    std::map<std::string, int> kinds;
    for (std::size_t s : g.members) ++kinds[info.nodes[node_index.at(info.stocks[s].node)].kind];
    if (g.members.size() == 1) {
      g.label = stock_label(info, g.members[0]);
    } else {
      g.label = kinds.size() == 1 ? kind_plural(kinds.begin()->first, g.members.size())
                                  : fmt::format("echelon {} ({} stocks)", g.depth + 1, g.members.size());
      if (info.products.size() > 1) g.label += " · " + g.product;
    }
    out.push_back(std::move(g));
  }
  return out;
}

std::vector<Group> node_groups(const NetworkInfo& info, const std::vector<int>& depths) {
  std::map<int, Group> groups;
  for (std::size_t i = 0; i < info.nodes.size(); ++i) {
    Group& g = groups[depths[i]];
    g.depth = depths[i];
    g.members.push_back(i);
  }
  std::vector<Group> out;
  for (auto& [d, g] : groups) {
    std::map<std::string, int> kinds;
    for (std::size_t i : g.members) ++kinds[info.nodes[i].kind];
    g.label = g.members.size() == 1  ? info.nodes[g.members[0]].name
              : kinds.size() == 1    ? kind_plural(kinds.begin()->first, g.members.size())
                                     : fmt::format("echelon {} ({} nodes)", d + 1, g.members.size());
    out.push_back(std::move(g));
  }
  return out;
}

Trace stock_trace(const ExperimentResult& r, const std::vector<std::size_t>& stocks, const std::string& column) {
  Trace t;
  const std::size_t c = column_index(column);
  if (!r.series || !r.series->has(c)) return t;
  const SeriesAccumulator& acc = *r.series;
  t.mean.assign(acc.periods(), 0.0);
  t.sd.assign(acc.periods(), 0.0);
  for (std::size_t k = 0; k < acc.periods(); ++k) {
    for (std::size_t s : stocks) {
      const CellStats st = acc.at(k, s, c);
      t.mean[k] += st.mean();
      t.sd[k] += st.stddev();
    }
  }
  return t;
}

void confidence_band(const Trace& t, std::uint64_t n, std::vector<double>& lo, std::vector<double>& hi) {
  const double f = sim::student_t_critical(0.95, static_cast<double>(n - 1)) / std::sqrt(static_cast<double>(n));
  lo.resize(t.mean.size());
  hi.resize(t.mean.size());
  for (std::size_t k = 0; k < t.mean.size(); ++k) {
    lo[k] = t.mean[k] - f * t.sd[k];
    hi[k] = t.mean[k] + f * t.sd[k];
  }
}

std::string inventory_charts(const RunChartsInput& in) {
  const ExperimentResult& r = *in.result;
  const std::vector<Group> groups = stock_groups(r.info, in.depths);
  std::size_t finite = 0;
  for (const Group& g : groups) finite += g.members.size();
  std::string o;
  if (finite <= in.max_small_multiples) {
    std::vector<LineChart> charts;
    for (const Group& g : groups) {
      for (std::size_t s : g.members) {
        LineChart c = time_chart(in, fmt::format("inv-{}", s), stock_label(r.info, s), "units");
        c.width = 360;
        c.height = 210;
        c.legend = false;
        add_trace(c, r, "on hand", stock_trace(r, {s}, "on_hand"), 0, "95% band, on hand");
        add_trace(c, r, "backlog", stock_trace(r, {s}, "backlog"), 1, "95% band, backlog");
        charts.push_back(std::move(c));
      }
    }
    o += small_multiples(charts, true, "inv-legend");
    o += paragraph(fmt::format("Stock on hand and backlog at the end of each period, one chart per stock point, "
                               "upstream first; all charts share both axes. {}",
                               band_sentence(in, true)),
                   true);
    return o;
  }
  // Many stocks: one row per echelon, on hand and backlog side by side.
  std::vector<LineChart> charts;
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& g = groups[gi];
    for (const char* col : {"on_hand", "backlog"}) {
      LineChart c = time_chart(in, fmt::format("inv-g{}-{}", gi, col),
                               fmt::format("{}: {}", g.label, col == std::string("on_hand") ? "on hand" : col), "units");
      c.width = 440;
      c.height = 240;
      add_group_lines(c, in, gi, g, g.members, col, col == std::string("on_hand") ? 0 : 1, false);
      charts.push_back(std::move(c));
    }
  }
  share_axes(charts, false);
  for (std::size_t i = 0; i + 1 < charts.size(); i += 2) {  // one y scale per echelon
    Extent e = data_extent(charts[i]);
    e.merge(data_extent(charts[i + 1]));
    const Ticks t = nice_ticks(std::min(0.0, e.y0), std::max(0.0, e.y1), 4);
    charts[i].y_domain = charts[i + 1].y_domain = std::make_pair(t.lo, t.hi);
    o += "<div class=\"pair\">" + render(charts[i]) + render(charts[i + 1]) + "</div>";
  }
  o += paragraph(fmt::format("{} stock points, grouped by echelon: the dotted grey band spans the lowest to the highest "
                             "node of the echelon in each period and the line is their mean. The two charts of an "
                             "echelon share a vertical scale; all share the time axis. {}",
                             finite, band_sentence(in, true)),
                 true);
  return o;
}

std::string bullwhip_charts(const RunChartsInput& in) {
  const ExperimentResult& r = *in.result;
  const std::vector<Group> groups = stock_groups(r.info, in.depths);
  std::vector<LineChart> charts;
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& g = groups[gi];
    std::string ratio;
    std::vector<double> ratios;
    for (std::size_t s : g.members) {
      const KpiSummary* k = find_kpi(r.summary, "stock", r.info.stocks[s].name, "bullwhip_cumulative");
      if (k && std::isfinite(k->interval.mean)) ratios.push_back(k->interval.mean);
    }
    if (ratios.size() == 1 && g.members.size() == 1) {
      ratio = fmt::format(" — orders vary {}× end-customer demand",
                          format_estimate(find_kpi(r.summary, "stock", r.info.stocks[g.members[0]].name,
                                                   "bullwhip_cumulative")
                                              ->interval));
    } else if (!ratios.empty()) {
      const auto [lo, hi] = std::minmax_element(ratios.begin(), ratios.end());
      const std::string a = fmt::format("{:.2f}", *lo), b = fmt::format("{:.2f}", *hi);
      ratio = a == b ? fmt::format(" — orders vary {}× end-customer demand at each", a)
                     : fmt::format(" — orders vary {}× to {}× end-customer demand", a, b);
    }
    LineChart c = time_chart(in, fmt::format("bw-{}", gi), g.label + ratio, "units / period");
    c.width = 800;
    c.height = 132;
    c.legend = false;
    c.x_tick_labels = false;
    // Orders under demand: where they coincide (no amplification) the dashed
    // demand line still shows on top of the solid one.
    add_trace(c, r, "orders placed", group_total(in, gi, g, g.members, "ordered", false), 0, "95% band, orders");
    add_trace(c, r, "demand received", group_total(in, gi, g, g.members, "demand", false), 1, "95% band, demand");
    charts.push_back(std::move(c));
  }
  if (charts.empty()) return paragraph("The network has no stock points that order.", true);
  charts.back().x_tick_labels = true;
  charts.back().height += 34;
  share_axes(charts, true);
  std::string o = render_legend("bw-legend", legend_entries(charts.front()));
  o += "<div class=\"stack\">";
  for (const LineChart& c : charts) o += render(c);
  o += "</div>";
  std::string net;
  if (const KpiSummary* k = find_kpi(r.summary, "network", "", "bullwhip_amplification");
      k && std::isfinite(k->interval.mean)) {
    net = fmt::format(" Across the whole chain, the most upstream orders vary {} times as much as end-customer "
                      "demand (bullwhip_amplification).",
                      format_estimate(k->interval));
  }
  o += paragraph(fmt::format("Units per period demanded from each echelon (dashed) and ordered by it (solid), upstream at "
                             "the top, all on one vertical scale: where the solid line swings wider than the dashed "
                             "one, the echelon amplifies the variability it receives, and each echelon's demand is "
                             "the orders of the one below it, a lead time later. An echelon of several nodes shows "
                             "their totals.{} {}",
                             net, band_sentence(in, true)),
                 true);
  return o;
}

namespace {

// Each echelon's stock on hand over time, in time units of its mean
// shipments per period over the measured span.
std::string supply_chart(const RunChartsInput& in) {
  const ExperimentResult& r = *in.result;
  const std::vector<Group> groups = stock_groups(r.info, in.depths);
  const std::string unit = plural_unit(in.units.time_unit);
  LineChart c = time_chart(in, "velocity-supply", fmt::format("Time of supply per echelon ({})", unit), unit);
  const double n = static_cast<double>(r.info.horizon - r.info.warmup);
  std::size_t style = 0;
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& g = groups[gi];
    double shipped = 0;  // per period, over the measured span: turns x on hand = units shipped
    for (std::size_t s : g.members) {
      const KpiSummary* turns = find_kpi(r.summary, "stock", r.info.stocks[s].name, "inventory_turns");
      const KpiSummary* on_hand = find_kpi(r.summary, "stock", r.info.stocks[s].name, "on_hand_mean");
      if (turns && on_hand && std::isfinite(turns->interval.mean)) shipped += turns->interval.mean * on_hand->interval.mean;
    }
    if (!(shipped > 0) || n <= 0) continue;
    Trace t = group_total(in, gi, g, g.members, "on_hand", false);
    const double scale = r.info.period * n / shipped;
    for (double& v : t.mean) v *= scale;
    for (double& v : t.sd) v *= scale;
    add_trace(c, r, g.label, t, style++, "95% band, " + g.label);
  }
  if (c.series.empty()) return paragraph("No echelon shipped anything, so there is no time of supply to draw.", true);
  return render(c) + paragraph(fmt::format("Each echelon's stock on hand at each period's end over the units it ships "
                                           "in a {} on average (over the measured span): how many {} its stock would "
                                           "last at its usual pace. Lower is faster-moving inventory. {}",
                                           in.units.time_unit, unit, band_sentence(in, true)),
                               true);
}

}  // namespace

std::string velocity_panel(const RunChartsInput& in, bool series) {
  const ExperimentResult& r = *in.result;
  auto value = [&](const char* kpi) {
    const KpiSummary* k = find_kpi(r.summary, "network", "", kpi);
    return k ? format_estimate(k->interval) : std::string("-");
  };
  const std::string unit = plural_unit(in.units.time_unit);
  const double T = static_cast<double>(r.info.horizon - r.info.warmup) * r.info.period;
  const KpiSummary* turns = find_kpi(r.summary, "network", "", "inventory_turns");
  const double a_year = turns ? per_year(turns->interval.mean, T, in.units.time_unit)
                              : std::numeric_limits<double>::quiet_NaN();
  const std::string annual = std::isfinite(a_year) ? fmt::format(", {:.3g} a year", a_year) : "";
  std::string o = paragraph(fmt::format(
      "Over the {:g} {} measured the network turned its inventory {} times{}: cost of goods sold over the mean "
      "value on hand ({} in units). Its stock would last {} {} at the rate it sells (days of supply), a unit spends "
      "{} {} in it on a shelf or a lane (flow time, by Little's law), and its cash-to-cash cycle is {} {} (days of "
      "supply less what it owes its suppliers outside, in {}).",
      T, unit, value("inventory_turns"), annual, value("inventory_turns_units"), value("days_of_supply"), unit,
      value("flow_time"), unit, value("cash_to_cash"), unit, unit));
  if (series) o += supply_chart(in);
  return o;
}

std::string estimate_text(const BarChart::Row& row) {
  sim::Interval i;
  i.mean = row.values.empty() ? std::numeric_limits<double>::quiet_NaN() : row.values[0];
  i.half_width = row.error;
  i.n = std::isfinite(row.error) ? 2 : 1;
  return format_estimate(i);
}

// The cumulative ratio per stock point (against end-customer demand), with
// each stage's own ratio after it; stocks serving no end customer show their
// own ratio alone.
std::string bullwhip_ratio_chart(const RunChartsInput& in) {
  const ExperimentResult& r = *in.result;
  const std::vector<Group> groups = stock_groups(r.info, in.depths);
  BarChart b;
  b.id = "bullwhip-ratios";
  b.title = "Bullwhip ratio per stock point, against end-customer demand";
  b.width = 800;
  b.row_height = 22;
  b.value_label = "variance of orders placed / variance of the end-customer demand served";
  b.reference = 1.0;
  b.reference_label = "1 = no amplification";
  bool grouped = false;
  for (const Group& g : groups) grouped = grouped || g.members.size() > 1;
  std::size_t local_only = 0;
  std::map<std::string, std::string> own_text;  // by row label: the stage alone, after the bar
  for (const Group& g : groups) {
    for (std::size_t s : g.members) {
      const std::string& name = r.info.stocks[s].name;
      const KpiSummary* cum = find_kpi(r.summary, "stock", name, "bullwhip_cumulative");
      const KpiSummary* own = find_kpi(r.summary, "stock", name, "bullwhip_ratio");
      if (!own) continue;
      const bool served = cum && std::isfinite(cum->interval.mean);
      local_only += served ? 0 : 1;
      const KpiSummary* shown = served ? cum : own;
      BarChart::Row row;
      row.label = stock_label(r.info, s) + (served ? "" : " (own stage)");
      row.values = {shown->interval.mean};
      if (shown->interval.n > 1) row.error = shown->interval.half_width;
      row.group = grouped ? g.label : "";
      row.tooltip = fmt::format("this stage alone (orders placed / orders received): {}",
                                format_estimate(own->interval));
      if (served) own_text[row.label] = format_estimate(own->interval);
      b.rows.push_back(std::move(row));
    }
  }
  if (b.rows.empty()) return paragraph("No bullwhip ratio in this run.", true);
  b.value_text = [own_text](const BarChart::Row& row) {
    const auto it = own_text.find(row.label);
    return estimate_text(row) + (it == own_text.end() ? "" : "  (stage alone " + it->second + ")");
  };
  std::string o = render(b);
  o += paragraph(
      fmt::format("Each bar is the variance of the units a stock point ordered over the variance of the "
                  "end-customer demand it serves (bullwhip_cumulative): how much the chain up to and including "
                  "it has amplified what customers bought. In brackets, its stage alone (bullwhip_ratio): its "
                  "orders over the orders it received. A stage can amplify less than the one below it and still "
                  "pass on far larger swings, because it receives them already amplified.{}{}",
                  local_only ? " Stock points that serve no end customer show their stage alone." : "",
                  reps(r) > 1 ? " Whiskers are 95% confidence intervals across replications." : ""),
      true);
  return o;
}

std::string cash_charts(const RunChartsInput& in) {
  const ExperimentResult& r = *in.result;
  // A node's cash is repeated on each of its stock rows: read its first.
  std::vector<std::size_t> first(r.info.nodes.size(), r.info.stocks.size());
  for (std::size_t s = r.info.stocks.size(); s-- > 0;) {
    for (std::size_t i = 0; i < r.info.nodes.size(); ++i) {
      if (r.info.nodes[i].name == r.info.stocks[s].node) first[i] = s;
    }
  }
  const std::string unit = in.units.currency;
  std::vector<LineChart> charts;
  const std::vector<Group> groups = node_groups(r.info, in.depths);
  const bool each = r.info.nodes.size() <= in.max_small_multiples;
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& g = groups[gi];
    std::vector<std::size_t> stocks;
    for (std::size_t i : g.members) {
      if (first[i] < r.info.stocks.size()) stocks.push_back(first[i]);
    }
    if (stocks.empty()) continue;
    if (each) {
      for (std::size_t k = 0; k < g.members.size(); ++k) {
        const std::size_t node = g.members[k];
        if (first[node] >= r.info.stocks.size()) continue;
        LineChart c = time_chart(in, fmt::format("cash-{}", node), r.info.nodes[node].name, unit);
        c.width = 360;
        c.height = 200;
        c.legend = false;
        add_trace(c, r, "cash", stock_trace(r, {first[node]}, "cash"), 0, "95% band", false);
        charts.push_back(std::move(c));
      }
    } else {
      LineChart c = time_chart(in, fmt::format("cash-g{}", gi), g.label, unit);
      c.width = 360;
      c.height = 230;
      c.legend = false;
      add_group_lines(c, in, gi, g, stocks, "cash", 0, true);
      charts.push_back(std::move(c));
    }
  }
  std::string o;
  if (each) {
    o += small_multiples(charts, false, "cash-legend");
  } else {
    // The legend of a group of several nodes (the first may be a lone node).
    std::size_t widest = 0;
    for (std::size_t i = 0; i < charts.size(); ++i) {
      if (charts[i].bands.size() + charts[i].series.size() >
          charts[widest].bands.size() + charts[widest].series.size()) {
        widest = i;
      }
    }
    share_axes(charts, false);
    o += render_legend("cash-legend", legend_entries(charts[widest]));
    o += "<div class=\"multiples\">";
    for (const LineChart& c : charts) o += render(c);
    o += "</div>";
  }
  o += paragraph(fmt::format("Cash at the end of each period ({}), {}; each chart has its own vertical scale. {}", unit,
                             each ? "one chart per node" : "per echelon, with the range across its nodes",
                             band_sentence(in, true)),
                 true);
  return o;
}

std::string cost_chart(const RunChartsInput& in) {
  const ExperimentResult& r = *in.result;
  BarChart b;
  b.id = "costs";
  b.title = "Costs by kind per node";
  b.width = 800;
  b.row_height = 22;
  b.value_label = fmt::format("cost over the measured horizon ({})", in.units.currency);
  std::vector<std::string> kinds;
  for (int k = 0; k < kCostKinds; ++k) {
    const std::string kpi = std::string("cost_") + cost_kind_name(static_cast<CostKind>(k));
    bool any = false;
    for (const auto& n : r.info.nodes) {
      const KpiSummary* s = find_kpi(r.summary, "node", n.name, kpi);
      any = any || (s && std::isfinite(s->interval.mean) && s->interval.mean != 0.0);
    }
    if (any) kinds.push_back(kpi);
  }
  if (kinds.empty()) return paragraph("No costs were booked in this run.", true);
  for (const std::string& k : kinds) b.layers.push_back(k.substr(5));
  if (b.layers.size() == 1) b.title += " (" + b.layers[0] + ")";
  const bool grouped = r.info.nodes.size() > in.max_small_multiples;
  for (const Group& g : node_groups(r.info, in.depths)) {
    for (std::size_t i : g.members) {
      BarChart::Row row;
      row.label = r.info.nodes[i].name;
      for (const std::string& k : kinds) {
        const KpiSummary* s = find_kpi(r.summary, "node", row.label, k);
        row.values.push_back(s ? s->interval.mean : std::numeric_limits<double>::quiet_NaN());
      }
      row.group = grouped ? g.label : "";
      b.rows.push_back(std::move(row));
    }
  }
  std::string o = render(b);
  o += paragraph("Each bar stacks a node's costs by kind, from the end of the warm-up to the horizon (means across "
                 "replications). Backorder and lost-sale costs are penalties: they count in total_cost but move no "
                 "cash.",
                 true);
  return o;
}

}  // namespace chainsim::models::report

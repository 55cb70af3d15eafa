#include "models/report/network_graph.h"

#include <algorithm>
#include <fmt/core.h>
#include <map>

#include "models/report/kpi_table.h"
#include "models/report/svg.h"

namespace chainsim::models::report {

namespace {

constexpr double kNodeH = 30.0;
constexpr double kPitch = 44.0;     // vertical distance between nodes of a column
constexpr double kColumnGap = 150.0;  // room for the lane labels
constexpr double kMargin = 16.0;

struct Placed {
  double x0 = 0, y0 = 0, w = 0;
  double cx() const { return x0 + w / 2; }
  double cy() const { return y0 + kNodeH / 2; }
  double x1() const { return x0 + w; }
};

// `kind`'s outline at p (a kind without one of its own: a square-cornered
// box); `extra` classes after "node-shape".
std::string shape(const std::string& kind, const Placed& p, const char* extra = "") {
  const double x0 = p.x0, x1 = p.x1(), y0 = p.y0, y1 = p.y0 + kNodeH, cy = p.cy();
  if (kind == "supplier") {
    return fmt::format("<polygon class=\"node-shape{}\" points=\"{},{} {},{} {},{} {},{} {},{} {},{}\"/>", extra,
                       coord(x0 + 9), coord(y0), coord(x1 - 9), coord(y0), coord(x1), coord(cy), coord(x1 - 9),
                       coord(y1), coord(x0 + 9), coord(y1), coord(x0), coord(cy));
  }
  if (kind == "factory") {
    const double t = p.w / 3, roof = y0 + 7;
    return fmt::format("<path class=\"node-shape{7}\" "
                       "d=\"M{0},{1} V{2} L{3},{4} V{2} L{5},{4} V{2} L{6},{4} V{1} Z\"/>",
                       coord(x0), coord(y1), coord(roof), coord(x0 + t), coord(y0 - 2), coord(x0 + 2 * t), coord(x1),
                       extra);
  }
  if (kind == "retailer") {
    return fmt::format("<rect class=\"node-shape{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"15\"/>", extra,
                       coord(x0), coord(y0), coord(p.w), coord(kNodeH));
  }
  return fmt::format("<rect class=\"node-shape{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"1.5\"/>", extra,
                     coord(x0), coord(y0), coord(p.w), coord(kNodeH));
}

double bezier(double a, double b, double c, double d, double t) {
  const double u = 1 - t;
  return u * u * u * a + 3 * u * u * t * b + 3 * u * t * t * c + t * t * t * d;
}

}  // namespace

std::vector<int> node_depths(const NetworkInfo& info) {
  const std::size_t n = info.nodes.size();
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < n; ++i) index[info.nodes[i].name] = i;
  std::vector<int> depth(n, 0);
  // Longest path by relaxation; at most n rounds, so a cycle cannot loop.
  for (std::size_t round = 0; round < n; ++round) {
    bool changed = false;
    for (const auto& l : info.lanes) {
      const auto f = index.find(l.from), t = index.find(l.to);
      if (f == index.end() || t == index.end() || f->second == t->second) continue;
      const int want = depth[f->second] + 1;
      if (want > depth[t->second] && want < static_cast<int>(n)) {
        depth[t->second] = want;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return depth;
}

namespace {

// Whether `name` is among the marked `names` (short lists: a scan will do).
bool is_marked(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The position of each node by name, for lanes to find their ends.
std::map<std::string, std::size_t> node_index(const NetworkInfo& info) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < info.nodes.size(); ++i) index[info.nodes[i].name] = i;
  return index;
}

// The nodes of each depth, top to bottom: the first column in the order of
// `info`, each later one by the mean rank of the nodes that ship to it.
std::vector<std::vector<std::size_t>> ordered_columns(const NetworkInfo& info,
                                                      const std::map<std::string, std::size_t>& index,
                                                      const std::vector<int>& depth) {
  const std::size_t n = info.nodes.size();
  const int layers = n == 0 ? 0 : *std::max_element(depth.begin(), depth.end()) + 1;
  std::vector<std::vector<std::size_t>> column(static_cast<std::size_t>(layers));
  for (std::size_t i = 0; i < n; ++i) column[static_cast<std::size_t>(depth[i])].push_back(i);

  std::vector<double> rank(n, 0.0);
  for (std::size_t d = 0; d < column.size(); ++d) {
    auto& col = column[d];
    if (d > 0) {
      std::vector<double> key(n, 0.0);
      for (std::size_t i : col) {
        double sum = 0;
        int count = 0;
        for (const auto& l : info.lanes) {
          if (l.to != info.nodes[i].name) continue;
          sum += rank[index.at(l.from)];
          ++count;
        }
        key[i] = count ? sum / count : 1e9;
      }
      std::stable_sort(col.begin(), col.end(), [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
    }
    for (std::size_t r = 0; r < col.size(); ++r) rank[col[r]] = static_cast<double>(r) / std::max<std::size_t>(col.size(), 1);
  }
  return column;
}

// Where each node is drawn: columns left to right, each as wide as its
// longest name and centred on the tallest column's height `plot_h`. Sets
// `right` to the x after the last column's gap.
std::vector<Placed> place_nodes(const NetworkInfo& info, const std::vector<std::vector<std::size_t>>& column,
                                double top, double plot_h, double& right) {
  std::vector<Placed> at(info.nodes.size());
  double x = kMargin;
  for (const auto& col : column) {
    double w = 70.0;
    for (std::size_t i : col) w = std::max(w, text_width(info.nodes[i].name, 11.0) + 26.0);
    const double offset = (plot_h - static_cast<double>(col.size()) * kPitch) / 2;
    for (std::size_t r = 0; r < col.size(); ++r) {
      at[col[r]] = {x, top + offset + static_cast<double>(r) * kPitch + (kPitch - kNodeH) / 2, w};
    }
    x += w + kColumnGap;
  }
  right = x;
  return at;
}

// The sentence for screen readers: the network's size, and what is marked.
std::string network_desc(const NetworkInfo& info, int layers, const NetworkMarks& marks, std::size_t marked_count) {
  std::string desc = fmt::format("{} nodes in {} echelons and {} lanes; product flows left to right.",
                                 info.nodes.size(), layers, info.lanes.size());
  if (marked_count > 0) {
    std::string names;
    for (const auto& node : info.nodes) {
      if (is_marked(marks.nodes, node.name)) names += (names.empty() ? "" : ", ") + node.name;
    }
    for (const auto& l : info.lanes) {
      if (is_marked(marks.lanes, l.name)) names += (names.empty() ? "" : ", ") + l.name;
    }
    desc += fmt::format(" Marked, {}: {}.", marks.label, names);
  }
  return desc;
}

// The lanes as curves, then their labels, so that no curve covers a label.
std::string lanes_markup(const NetworkInfo& info, const std::map<std::string, std::size_t>& index,
                         const std::vector<Placed>& at, const std::string& id, const NetworkMarks& marks) {
  const std::size_t n = info.nodes.size();
  std::vector<int> fan_in(n, 0), fan_out(n, 0);
  for (const auto& l : info.lanes) {
    const auto f = index.find(l.from), t = index.find(l.to);
    if (f == index.end() || t == index.end()) continue;
    ++fan_out[f->second];
    ++fan_in[t->second];
  }
  std::string o, labels;
  std::map<std::pair<std::size_t, std::size_t>, int> seen;
  for (const auto& l : info.lanes) {
    const auto f = index.find(l.from), t = index.find(l.to);
    if (f == index.end() || t == index.end()) continue;
    const Placed& a = at[f->second];
    const Placed& b = at[t->second];
    const int dup = seen[{f->second, t->second}]++;
    double p[4][2];
    if (b.x0 > a.x1()) {
      const double mx = (a.x1() + b.x0) / 2;
      p[0][0] = a.x1(), p[0][1] = a.cy(), p[1][0] = mx, p[1][1] = a.cy();
      p[2][0] = mx, p[2][1] = b.cy(), p[3][0] = b.x0 - 2, p[3][1] = b.cy();
    } else {  // against the layering (a cycle): loop below the nodes
      const double low = std::max(a.y0, b.y0) + kNodeH + 24;
      p[0][0] = a.cx(), p[0][1] = a.y0 + kNodeH, p[1][0] = a.cx(), p[1][1] = low;
      p[2][0] = b.cx(), p[2][1] = low, p[3][0] = b.cx(), p[3][1] = b.y0 + kNodeH + 2;
    }
    o += fmt::format("<path class=\"lane{}\" data-lane=\"{}\" d=\"M{},{} C{},{} {},{} {},{}\" "
                     "marker-end=\"url(#{}-arrow)\">"
                     "<title>{} → {}</title></path>",
                     is_marked(marks.lanes, l.name) ? " marked" : "", escape(l.name), coord(p[0][0]), coord(p[0][1]),
                     coord(p[1][0]), coord(p[1][1]), coord(p[2][0]), coord(p[2][1]), coord(p[3][0]), coord(p[3][1]), id,
                     escape(l.from), escape(l.to));
    // A straight lane is labelled in its middle; a curved one at the end
    // where it is one row apart from its neighbours: near the buyer in a
    // fan-out, near the seller in a fan-in.
    const double t_label = std::abs(p[0][1] - p[3][1]) < 1.0              ? 0.5
                           : fan_in[t->second] > fan_out[f->second] ? 0.24
                                                                    : 0.78;
    const double lx = bezier(p[0][0], p[1][0], p[2][0], p[3][0], t_label);
    const double ly = bezier(p[0][1], p[1][1], p[2][1], p[3][1], t_label) - 4 + 11.0 * dup;
    std::string text = "ship " + format_number(l.transit_mean, 3);
    if (l.order_delay > 0) text += " · order " + format_number(l.order_delay, 3);
    labels += fmt::format("<text class=\"lane-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", coord(lx),
                          coord(ly), escape(text));
  }
  return o + labels;
}

// One <g class="node"> per node: its shape and name, its stock points on
// hover.
std::string nodes_markup(const NetworkInfo& info, const std::vector<Placed>& at, const NetworkMarks& marks) {
  std::string o;
  for (std::size_t i = 0; i < info.nodes.size(); ++i) {
    const auto& node = info.nodes[i];
    std::string stocks;
    for (const auto& s : info.stocks) {
      if (s.node == node.name) stocks += (stocks.empty() ? "" : ", ") + s.product + (s.infinite ? " (unlimited)" : "");
    }
    const bool m = is_marked(marks.nodes, node.name);
    o += fmt::format("<g class=\"node{6}\" data-node=\"{0}\" data-kind=\"{1}\"><title>{0} ({1}): {2}{7}</title>{3}"
                     "<text class=\"node-label\" x=\"{4}\" y=\"{5}\" text-anchor=\"middle\">{0}</text></g>",
                     escape(node.name), escape(node.kind), escape(stocks), shape(node.kind, at[i], m ? " marked" : ""),
                     coord(at[i].cx()), coord(at[i].cy() + (node.kind == "factory" ? 6.5 : 4)), m ? " marked" : "",
                     m ? " — " + escape(marks.label) : "");
  }
  return o;
}

// The legend row at `legend_y`: the shapes of the kinds present, the marked
// outline when something is marked, then how lanes read.
std::string network_legend(const std::map<std::string, int>& kinds, double legend_y, bool any_marked,
                           const NetworkMarks& marks, const std::string& lane_legend) {
  std::string o;
  double lx = kMargin;
  for (const std::string_view name : enum_names<NodeKind>()) {  // every kind of the table, in its order
    const std::string kind(name);
    if (!kinds.count(kind)) continue;
    Placed p{lx, legend_y - 9, 40};
    std::string s = shape(kind, p);
    // A smaller copy: scale the swatch about its own corner.
    o += fmt::format("<g transform=\"translate({} {}) scale(0.6) translate({} {})\">{}</g>", coord(lx), coord(legend_y - 9),
                     coord(-lx), coord(-(legend_y - 9)), s);
    o += fmt::format("<text class=\"lg\" x=\"{}\" y=\"{}\">{}</text>", coord(lx + 30), coord(legend_y + 4), kind);
    lx += 34 + text_width(kind, 11.0) + 18;
  }
  if (any_marked) {
    o += fmt::format("<rect class=\"node-shape marked\" x=\"{}\" y=\"{}\" width=\"30\" height=\"14\" rx=\"1.5\"/>"
                     "<text class=\"lg\" x=\"{}\" y=\"{}\">{}</text>",
                     coord(lx), coord(legend_y - 6), coord(lx + 38), coord(legend_y + 4), escape(marks.label));
    lx += 40 + text_width(marks.label, 11.0) + 18;
  }
  o += fmt::format("<text class=\"lg\" x=\"{}\" y=\"{}\">{}</text>", coord(lx + 6), coord(legend_y + 4),
                   escape(lane_legend));
  return o;
}

}  // namespace

std::string render_network(const NetworkInfo& info, const std::string& id, const NetworkMarks& marks) {
  std::size_t marked_count = 0;
  for (const auto& node : info.nodes) marked_count += is_marked(marks.nodes, node.name) ? 1 : 0;
  for (const auto& l : info.lanes) marked_count += is_marked(marks.lanes, l.name) ? 1 : 0;
  const std::size_t n = info.nodes.size();
  const std::map<std::string, std::size_t> index = node_index(info);
  const std::vector<int> depth = node_depths(info);
  const std::vector<std::vector<std::size_t>> column = ordered_columns(info, index, depth);
  const int layers = static_cast<int>(column.size());

  std::size_t tallest = 1;
  for (const auto& col : column) tallest = std::max(tallest, col.size());
  const double plot_h = static_cast<double>(tallest) * kPitch;
  const double top = kMargin + 4;
  double right = kMargin;
  const std::vector<Placed> at = place_nodes(info, column, top, plot_h, right);
  const std::string lane_legend = fmt::format("lane label: ship (mean transit) · order (order delay), in {}",
                                              plural_unit(info.time_unit));
  double legend_w = kMargin + text_width(lane_legend, 11.0) + 12;
  std::map<std::string, int> kinds;
  for (const auto& node : info.nodes) ++kinds[node.kind];
  for (const auto& [kind, count] : kinds) legend_w += 34 + text_width(kind, 11.0) + 18;
  if (marked_count > 0) legend_w += 40 + text_width(marks.label, 11.0) + 18;
  const double width = std::max({480.0, right - kColumnGap + kMargin, legend_w});
  const double legend_y = top + plot_h + 18;
  const double height = legend_y + 22;

  std::string o = fmt::format("<svg class=\"chart network\" id=\"{0}\" data-chart=\"network\" data-nodes=\"{1}\" "
                              "data-lanes=\"{2}\" data-marked=\"{6}\" role=\"img\" aria-labelledby=\"{0}-t {0}-d\" "
                              "viewBox=\"0 0 {3} {4}\" style=\"max-width:{5}px\">",
                              id, n, info.lanes.size(), coord(width), coord(height), coord(width * 1.25), marked_count);
  o += fmt::format("<title id=\"{0}-t\">The network of {1}</title><desc id=\"{0}-d\">{2}</desc>", id,
                   escape(info.name), escape(network_desc(info, layers, marks, marked_count)));
  o += fmt::format("<defs><marker id=\"{}-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
                   "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/>"
                   "</marker></defs>",
                   id);
  o += lanes_markup(info, index, at, id, marks);
  o += nodes_markup(info, at, marks);
  o += network_legend(kinds, legend_y, marked_count > 0, marks, lane_legend);
  o += "</svg>";
  return o;
}

}  // namespace chainsim::models::report

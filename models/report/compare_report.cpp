// The comparison page's sections, in reading order: what was compared (the
// scenarios, the key paths the variant changes, the network), the headline,
// the forest plots, the overlaid time series, all KPIs, how to read the page.
//
// Everything is read from the Comparison (the paired intervals), the two
// ExperimentResults (networks and mean series) and the scenarios as run
// (CompareMeta's YAML, diffed by models/scenario/diff.h). KPIs keep the
// Comparison's order (the baseline's: network, stock points, nodes, lanes),
// except where a section groups them by scope.
#include "models/report/compare_report.h"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>
#include <limits>
#include <map>
#include <set>

#include "models/report/forest_plot.h"
#include "models/report/kpi_table.h"
#include "models/report/network_graph.h"
#include "models/report/page.h"
#include "models/report/run_charts.h"
#include "models/scenario/diff.h"

namespace chainsim::models {

namespace {

using namespace report;

struct Scope {
  std::string scope, heading, noun;
  std::string all;  // "the network", "the nodes"
};

// The scopes of the comparison's KPIs: network, stock points, nodes, lanes,
// then any other in first-seen order (customer segments, when there are
// some; a KPI the page has not heard of still shows).
std::vector<Scope> scopes(const Comparison& c) {
  std::vector<Scope> out = {{"network", "Network", "network", "the network"},
                            {"stock", "Stock points", "stock point", "the stock points"},
                            {"node", "Nodes", "node", "the nodes"},
                            {"lane", "Lanes", "lane", "the lanes"}};
  for (const KpiComparison& k : c.kpis) {
    if (std::none_of(out.begin(), out.end(), [&](const Scope& s) { return s.scope == k.scope; })) {
      if (k.scope == "segment") {
        out.push_back({"segment", "Customer segments", "segment", "the customer segments"});
      } else if (k.scope == "firm") {
        out.push_back({"firm", "Firms", "firm", "the firms"});
      } else {
        out.push_back({k.scope, k.scope, k.scope, "the " + k.scope + " scope"});
      }
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string o;
  for (const std::string& s : items) o += (o.empty() ? "" : sep) + s;
  return o;
}

std::string percent(double level) { return format_number(100 * level, 4) + "%"; }

// Display names: a stock point by its node in a one-product network.
class Names {
 public:
  Names(const NetworkInfo& baseline, const NetworkInfo& variant) {
    add(variant);
    add(baseline);  // the baseline's label wins
  }
  std::string entity(const KpiComparison& k) const {
    if (k.scope != "stock") return k.name;
    const auto it = stock_.find(k.name);
    return it == stock_.end() ? k.name : it->second;
  }

 private:
  void add(const NetworkInfo& info) {
    for (std::size_t s = 0; s < info.stocks.size(); ++s) stock_[info.stocks[s].name] = stock_label(info, s);
  }
  std::map<std::string, std::string> stock_;
};

std::string unit_of(const std::string& kpi, const UnitNames& u) {
  const KpiDefinition* d = find_definition(kpi);
  return d ? display_unit(d->unit, u) : "";
}

// An interval, or an exact difference (a point).
bool has_interval(const KpiComparison& k) {
  const sim::Interval& d = k.difference;
  return k.exact || (d.n >= 2 && std::isfinite(d.mean) && std::isfinite(d.half_width));
}

// "+12.3%", "-0.018%" (two significant digits below 1%), "0%" below 0.001%.
std::string relative_text(const KpiComparison& k) {
  if (std::isnan(k.relative)) return "";
  const double pct = 100 * k.relative;
  if (std::abs(pct) < 1e-3) return "0%";
  if (std::abs(pct) < 1) return (pct > 0 ? "+" : "") + format_number(pct, 2) + "%";
  return fmt::format("{:+.1f}%", pct);
}

// A rounded estimate with the exact figures as its tooltip.
Cell rounded_cell(const sim::Interval& k) {
  Cell c = estimate_cell(k);
  c.text = format_rounded(k);
  return c;
}

Cell difference_cell(const KpiComparison& k) {
  Cell c{format_rounded(k.difference, true), "", true};
  const sim::Interval& d = k.difference;
  if (unchanged(k)) {
    c.text = "0";
    c.title = fmt::format("the same in every replication (mean difference {})", format_number(d.mean, 6));
  } else if (k.exact) {
    c.title = fmt::format("exact: the same difference {} in every one of {} replications", format_number(d.mean, 8),
                          d.n);
  } else if (has_interval(k)) {
    c.title = fmt::format("mean difference {}, sd {}, 95% interval [{}, {}], n = {} paired replications",
                          format_number(d.mean, 8), format_number(d.stddev, 6), format_number(d.lower(), 8),
                          format_number(d.upper(), 8), d.n);
  } else {
    c.title = "no interval: fewer than two replications where both are defined";
  }
  return c;
}

// --- What was compared --------------------------------------------------

struct Documents {
  bool ok = false;  // both scenarios as run were given and parsed
  std::string baseline_description, variant_description;
  std::vector<ScenarioChange> changes;
};

Documents read_documents(const CompareMeta& meta) {
  Documents d;
  if (meta.baseline_yaml.empty() || meta.variant_yaml.empty()) return d;
  try {
    const YAML::Node b = YAML::Load(meta.baseline_yaml), v = YAML::Load(meta.variant_yaml);
    auto description = [](const YAML::Node& n) {
      return n.IsMap() && n["description"] && n["description"].IsScalar() ? n["description"].Scalar() : "";
    };
    d.baseline_description = description(b);
    d.variant_description = description(v);
    d.changes = diff_scenarios(b, v);
    d.ok = true;
  } catch (const YAML::Exception&) {
    d.ok = false;
  }
  return d;
}

// The node and lane names the changes touch ("nodes.retailer.S" -> retailer).
void touched(const std::vector<ScenarioChange>& changes, std::vector<std::string>& nodes,
             std::vector<std::string>& lanes) {
  for (const ScenarioChange& c : changes) {
    const std::size_t a = c.path.find('.');
    if (a == std::string::npos) continue;
    const std::string top = c.path.substr(0, a);
    const std::size_t b = c.path.find('.', a + 1);
    const std::string key = c.path.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
    std::vector<std::string>* into = top == "nodes" ? &nodes : top == "lanes" ? &lanes : nullptr;
    if (into && std::find(into->begin(), into->end(), key) == into->end()) into->push_back(key);
  }
}

struct NetworkDelta {
  std::vector<std::string> added_nodes, removed_nodes, added_lanes, removed_lanes, changed_lanes;
  bool same() const {
    return added_nodes.empty() && removed_nodes.empty() && added_lanes.empty() && removed_lanes.empty() &&
           changed_lanes.empty();
  }
};

NetworkDelta network_delta(const NetworkInfo& b, const NetworkInfo& v) {
  NetworkDelta d;
  std::map<std::string, std::string> kind_b, kind_v;
  for (const auto& n : b.nodes) kind_b[n.name] = n.kind;
  for (const auto& n : v.nodes) kind_v[n.name] = n.kind;
  for (const auto& n : b.nodes) {
    const auto it = kind_v.find(n.name);
    if (it == kind_v.end() || it->second != n.kind) d.removed_nodes.push_back(n.name);
  }
  for (const auto& n : v.nodes) {
    const auto it = kind_b.find(n.name);
    if (it == kind_b.end() || it->second != n.kind) d.added_nodes.push_back(n.name);
  }
  std::map<std::string, const NetworkInfo::LaneInfo*> lanes_v;
  for (const auto& l : v.lanes) lanes_v[l.name] = &l;
  std::set<std::string> in_b;
  for (const auto& l : b.lanes) {
    in_b.insert(l.name);
    const auto it = lanes_v.find(l.name);
    if (it == lanes_v.end() || it->second->from != l.from || it->second->to != l.to) {
      d.removed_lanes.push_back(l.name);
    } else if (it->second->transit_mean != l.transit_mean || it->second->order_delay != l.order_delay) {
      d.changed_lanes.push_back(l.name);
    }
  }
  for (const auto& l : v.lanes) {
    if (!in_b.count(l.name) ||
        std::find(d.removed_lanes.begin(), d.removed_lanes.end(), l.name) != d.removed_lanes.end()) {
      d.added_lanes.push_back(l.name);
    }
  }
  return d;
}

Table scenarios_table(const Comparison& c, const CompareMeta& meta, const Documents& docs) {
  Table t;
  t.css_class = "kpi";
  t.head = {{"", "", false}, {"baseline", "", false}, {"variant", "", false}};
  t.rows.push_back({{"scenario", "", false}, {c.baseline_name, "", false}, {c.variant_name, "", false}});
  t.rows.push_back(
      {{"file", "", false},
       {meta.baseline_file, "", false},
       {meta.variant_file.empty() ? meta.baseline_file + " (the baseline's)" : meta.variant_file, "", false}});
  if (docs.ok) {
    t.rows.push_back(
        {{"description", "", false}, {docs.baseline_description, "", false}, {docs.variant_description, "", false}});
  }
  if (!meta.variant_sets.empty()) {
    t.rows.push_back({{"--variant", "overrides that make the variant", false},
                      {"", "", false},
                      {join(meta.variant_sets), "", false}});
  }
  if (!meta.sets.empty()) {
    const std::string s = join(meta.sets);
    t.rows.push_back({{"--set", "overrides applied to both", false}, {s, "", false}, {s, "", false}});
  }
  return t;
}

std::string changes_markup(const Comparison& c, const Documents& docs) {
  if (!docs.ok) return paragraph("The scenarios as run were not recorded, so what differs cannot be shown.", true);
  Table t;
  t.css_class = "kpi scenario-diff";
  t.head = {{"key path", "", false}, {"baseline", "", false}, {"variant", "", false}};
  std::size_t shown = 0;
  for (const ScenarioChange& ch : docs.changes) {
    if (ch.path == "name" || ch.path == "description") continue;  // in the table above
    std::string path = ch.path;
    std::string note;
    if (ch.path == "seed") note = fmt::format(" (not used: both ran with seed {})", c.seed);
    if (ch.path == "replications") note = fmt::format(" (not used: both ran {} replications)", c.replications);
    const bool added = ch.kind == ScenarioChange::Kind::kAdded, removed = ch.kind == ScenarioChange::Kind::kRemoved;
    t.rows.push_back({{path + note,
                       added     ? "only in the variant"
                       : removed ? "only in the baseline"
                                 : "",
                       false},
                      {added ? "—" : ch.baseline, added ? "not in the baseline" : "", false},
                      {removed ? "—" : ch.variant, removed ? "not in the variant" : "", false}});
    ++shown;
  }
  if (shown == 0) {
    return paragraph(
        "The two scenarios as run are the same but for their names: every difference below is noise "
        "that common random numbers remove, so all of them should be exactly 0.",
        true);
  }
  return render(t) + paragraph(fmt::format("{} key {} of the scenarios as run (after extends: and the overrides) "
                                           "differ; list items are named by their id (lanes by from->to). "
                                           "\"—\": the key is absent on that side.",
                                           shown, shown == 1 ? "path" : "paths"),
                               true);
}

std::string networks_markup(const ComparedRuns& runs, const Documents& docs) {
  const NetworkInfo& b = runs.baseline.info;
  const NetworkInfo& v = runs.variant.info;
  const NetworkDelta d = network_delta(b, v);
  std::vector<std::string> nodes, lanes;
  touched(docs.changes, nodes, lanes);
  auto marks = [&](const std::vector<std::string>& extra_nodes, const std::vector<std::string>& extra_lanes,
                   std::string label) {
    NetworkMarks m{nodes, lanes, std::move(label)};
    m.nodes.insert(m.nodes.end(), extra_nodes.begin(), extra_nodes.end());
    m.lanes.insert(m.lanes.end(), extra_lanes.begin(), extra_lanes.end());
    return m;
  };
  if (d.same()) {
    const NetworkMarks m = marks({}, {}, "settings changed in the variant");
    return figure(render_network(b, "network", m),
                  fmt::format("The network, the same in both scenarios{}. Columns are echelons from the sources on "
                              "the left; arrows point the way product flows.",
                              nodes.empty() && lanes.empty() ? ""
                                                             : "; marked: the nodes and lanes whose settings the "
                                                               "variant changes"));
  }
  std::vector<std::string> facts;
  if (!d.added_nodes.empty()) facts.push_back("nodes added: " + join(d.added_nodes));
  if (!d.removed_nodes.empty()) facts.push_back("nodes removed: " + join(d.removed_nodes));
  if (!d.added_lanes.empty()) facts.push_back("lanes added: " + join(d.added_lanes));
  if (!d.removed_lanes.empty()) facts.push_back("lanes removed: " + join(d.removed_lanes));
  if (!d.changed_lanes.empty()) facts.push_back("lead times changed: " + join(d.changed_lanes));
  std::vector<std::string> lanes_b = d.removed_lanes, lanes_v = d.added_lanes;
  lanes_b.insert(lanes_b.end(), d.changed_lanes.begin(), d.changed_lanes.end());
  lanes_v.insert(lanes_v.end(), d.changed_lanes.begin(), d.changed_lanes.end());
  std::string o = paragraph("The variant changes the network: " + join(facts, "; ") + ".");
  o += figure(
      render_network(b, "network-baseline", marks(d.removed_nodes, lanes_b, "removed or changed in the variant")),
      "The baseline's network; marked: what the variant removes or changes.");
  o += figure(render_network(v, "network-variant", marks(d.added_nodes, lanes_v, "added or changed in the variant")),
              "The variant's network; marked: what it adds or changes.");
  return o;
}

// --- Headline ---------------------------------------------------------------

// A KPI table of scope `s` (its heading the caption): a column naming the
// entity unless the scope is the network, then `columns`.
Table scope_table(const Scope& s, std::vector<Cell> columns) {
  Table t;
  t.css_class = "kpi compare-kpis";
  t.caption = s.heading;
  if (s.scope != "network") t.head.push_back({s.noun, "", false});
  t.head.insert(t.head.end(), columns.begin(), columns.end());
  return t;
}

Cell kpi_cell(const std::string& kpi) {
  const KpiDefinition* d = find_definition(kpi);
  return {kpi_label(kpi), d ? fmt::format("{}: {}", kpi, d->definition) : kpi, false};
}

std::string headline_markup(const Comparison& c, const Names& names, const UnitNames& units) {
  std::size_t marked = 0, same = 0;
  for (const KpiComparison& k : c.kpis) {
    marked += k.excludes_zero ? 1 : 0;
    same += unchanged(k) ? 1 : 0;
  }
  std::string o =
      c.deterministic
          ? paragraph(fmt::format("{} of {} KPIs differ between the variant and the baseline. Neither depends on random "
                                  "numbers, so each difference is exact: another replication or seed gives the same. "
                                  "{} are the same in both.",
                                  marked, c.kpis.size(), same))
          : paragraph(fmt::format("{} of {} KPIs differ between the variant and the baseline: the paired {} interval of "
                                  "their difference excludes zero. {} are the same in every replication.",
                                  marked, c.kpis.size(), percent(c.level), same));
  if (marked == 0 && c.deterministic) {
    return o + paragraph("The variant gives the same value as the baseline for every KPI.", true);
  }
  if (marked == 0) {
    return o + paragraph(fmt::format("With {} replications no KPI tells the variant from the baseline. More "
                                     "replications narrow the intervals: a half-width shrinks as 1/√n.",
                                     c.replications),
                         true);
  }
  // One table per scope, network first; means, then the difference.
  for (const Scope& s : scopes(c)) {
    const bool network = s.scope == "network";
    Table t =
        scope_table(s, {{"KPI", "", false},
                        {"baseline", "the baseline's mean (hover for its interval)", true},
                        {"variant", "the variant's mean (hover for its interval)", true},
                        {"difference", "variant − baseline: mean of the paired differences ± the 95% half-width", true},
                        {"unit", "", false},
                        {"change", "difference / |baseline mean|", true}});
    for (const KpiComparison& k : c.kpis) {
      if (k.scope != s.scope || !k.excludes_zero) continue;
      std::vector<Cell> row;
      if (network) {  // the first cell names the KPI by its column, as the others do
        Cell kc = kpi_cell(k.kpi);
        kc.title = k.column + " — " + kc.title;
        row.push_back(std::move(kc));
      } else {
        row.push_back({names.entity(k), k.column, false});
        row.push_back(kpi_cell(k.kpi));
      }
      // Means at the precision of their difference, so that they subtract.
      Cell b = estimate_cell(k.baseline), v = estimate_cell(k.variant);
      b.text = format_rounded_as(k.baseline.mean, k.difference);
      v.text = format_rounded_as(k.variant.mean, k.difference);
      row.push_back(std::move(b));
      row.push_back(std::move(v));
      row.push_back(difference_cell(k));
      row.push_back({unit_of(k.kpi, units), "", false});
      row.push_back({relative_text(k), "", true});
      t.rows.push_back(std::move(row));
    }
    if (!t.rows.empty()) o += render(t);
  }
  return o;
}

// --- Forest plots -------------------------------------------------------------

ForestPlot::Row forest_row(const KpiComparison& k, std::string label) {
  ForestPlot::Row r;
  r.label = std::move(label);
  r.estimate = k.difference.mean;
  r.lower = k.difference.lower();
  r.upper = k.difference.upper();
  r.marked = k.excludes_zero;
  const std::string rel = relative_text(k);
  r.value_text = format_rounded(k.difference, true) + (rel.empty() ? "" : " (" + rel + ")");
  r.tooltip = fmt::format("baseline {}, variant {}, difference {} (95% interval [{}, {}], n = {})",
                          format_rounded(k.baseline), format_rounded(k.variant), format_rounded(k.difference, true),
                          format_number(r.lower, 6), format_number(r.upper, 6), k.difference.n);
  return r;
}

// The rows of one scope's plot: changed KPIs with an interval, cut to
// `limit` (marked first, then the largest |t|), in their original order.
std::vector<const KpiComparison*> forest_rows(const Comparison& c, const std::string& scope, std::size_t limit,
                                              std::size_t& changed, std::size_t& no_interval) {
  std::vector<const KpiComparison*> rows;
  changed = no_interval = 0;
  for (const KpiComparison& k : c.kpis) {
    if (k.scope != scope || unchanged(k)) continue;
    if (!has_interval(k)) {
      ++no_interval;
      continue;
    }
    ++changed;
    rows.push_back(&k);
  }
  if (rows.size() <= limit) return rows;
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto strength = [&](std::size_t i) {
    const sim::Interval& d = rows[i]->difference;
    return d.half_width > 0 ? std::abs(d.mean) / d.half_width : std::numeric_limits<double>::infinity();
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (rows[a]->excludes_zero != rows[b]->excludes_zero) return rows[a]->excludes_zero;
    return strength(a) > strength(b);
  });
  order.resize(limit);
  std::sort(order.begin(), order.end());
  std::vector<const KpiComparison*> kept;
  for (std::size_t i : order) kept.push_back(rows[i]);
  return kept;
}

std::string forest_markup(const Comparison& c, const Names& names, const UnitNames& units,
                          const CompareReportOptions& opt) {
  const std::string dots =
      c.deterministic
          ? std::string("Each dot is the exact difference variant − baseline (neither run depends on random numbers, "
                        "so there is no interval); filled dots with bold labels are the KPIs that differ.")
          : fmt::format("Each dot is the mean difference variant − baseline over the {} paired replications and its "
                        "whisker the {} interval; filled dots with bold labels are the KPIs whose interval excludes "
                        "zero.",
                        c.replications, percent(c.level));
  std::string o = paragraph(
      dots + " KPIs of different units cannot share an axis, so each KPI has its own scale, symmetric about the zero "
             "line, with its unit under its rows. KPIs that are the same in every replication are left out.");
  std::vector<std::string> quiet;  // scopes with nothing to plot
  for (const Scope& s : scopes(c)) {
    std::size_t changed = 0, no_interval = 0, same = 0, total = 0;
    for (const KpiComparison& k : c.kpis) {
      if (k.scope != s.scope) continue;
      ++total;
      same += unchanged(k) ? 1 : 0;
    }
    if (total == 0) continue;
    const std::vector<const KpiComparison*> rows = forest_rows(c, s.scope, opt.max_forest_rows, changed, no_interval);
    if (rows.empty()) {
      quiet.push_back(fmt::format("{} ({}{})", s.all, total,
                                  no_interval ? fmt::format(", {} of them undefined", no_interval) : ""));
      continue;
    }
    ForestPlot p;
    p.id = fmt::format("forest-{}", s.scope);
    p.title = c.deterministic ? fmt::format("{}: difference variant − baseline, exact", s.heading)
                              : fmt::format("{}: difference variant − baseline, {} interval", s.heading,
                                            percent(c.level));
    p.marked_legend = c.deterministic ? "differs" : "interval excludes 0";
    p.unmarked_legend = c.deterministic ? "the same" : "interval includes 0";
    std::vector<std::string> kpis;  // blocks in first-seen order
    for (const KpiComparison* k : rows) {
      if (std::find(kpis.begin(), kpis.end(), k->kpi) == kpis.end()) kpis.push_back(k->kpi);
    }
    // A KPI of several entities is a block under its name; a KPI of one (every
    // network KPI) is a block of one row that names both.
    for (const std::string& kpi : kpis) {
      std::vector<const KpiComparison*> of;
      for (const KpiComparison* k : rows) {
        if (k->kpi == kpi) of.push_back(k);
      }
      if (of.size() == 1) {
        const KpiComparison& k = *of.front();
        const std::string label = k.scope == "network" ? kpi_label(kpi) : names.entity(k) + " · " + kpi_label(kpi);
        p.blocks.push_back({"", unit_of(kpi, units), {forest_row(k, label)}});
        continue;
      }
      ForestPlot::Block b{kpi_label(kpi), unit_of(kpi, units), {}};
      for (const KpiComparison* k : of) b.rows.push_back(forest_row(*k, names.entity(*k)));
      p.blocks.push_back(std::move(b));
    }
    std::string caption = fmt::format("{} of the {} KPIs of this scope", rows.size(), total);
    if (rows.size() < changed) {
      caption += fmt::format(
          " (of {} that change: those whose interval excludes zero first, then the largest "
          "|difference| / half-width; the rest are in the table)",
          changed);
    }
    caption += fmt::format("; {} the same in every replication", same);
    if (no_interval) caption += fmt::format(", {} without an interval (undefined in most replications)", no_interval);
    o += figure(render(p), caption + ".");
  }
  if (!quiet.empty()) {
    std::string list = quiet.back();
    if (quiet.size() > 1) {
      list = join(std::vector<std::string>(quiet.begin(), quiet.end() - 1)) + " and " + quiet.back();
    }
    o += paragraph(fmt::format("Not plotted: every KPI of {} is the same in every replication (or undefined).", list),
                   true);
  }
  return o;
}

// --- Over time ------------------------------------------------------------------

// How much two mean series differ: sum |b - v| over sum (|b| + |v|); 0 when
// they are the same.
double series_distance(const Trace& b, const Trace& v) {
  double num = 0.0, den = 0.0;
  const std::size_t n = std::max(b.mean.size(), v.mean.size());
  for (std::size_t k = 0; k < n; ++k) {
    const double x = k < b.mean.size() ? b.mean[k] : 0.0, y = k < v.mean.size() ? v.mean[k] : 0.0;
    num += std::abs(x - y);
    den += std::abs(x) + std::abs(y);
  }
  return den > 0 ? num / den : 0.0;
}

struct Overlay {
  std::string label;
  std::size_t order;  // upstream first
  Trace baseline, variant;
  double distance;
};

// The overlays of `column` for the `limit` entities whose series differ
// most; `differ` is set to how many differ at all.
std::vector<Overlay> pick(std::vector<Overlay> all, std::size_t limit, std::size_t& differ) {
  std::erase_if(all, [](const Overlay& o) { return !(o.distance > 1e-9); });
  differ = all.size();
  std::stable_sort(all.begin(), all.end(), [](const Overlay& a, const Overlay& b) { return a.distance > b.distance; });
  if (all.size() > limit) all.resize(limit);
  std::sort(all.begin(), all.end(), [](const Overlay& a, const Overlay& b) { return a.order < b.order; });
  return all;
}

std::string overlay_charts(const RunChartsInput& in, const ComparedRuns& runs, const std::vector<Overlay>& overlays,
                           const std::string& prefix, const std::string& y_label, bool non_negative, bool shared_y) {
  std::vector<LineChart> charts;
  for (std::size_t i = 0; i < overlays.size(); ++i) {
    LineChart c = time_chart(in, fmt::format("{}-{}", prefix, i), overlays[i].label, y_label);
    c.width = 360;
    c.height = 210;
    c.legend = false;
    add_trace(c, runs.baseline, "baseline", overlays[i].baseline, 0, "95% band, baseline", non_negative);
    add_trace(c, runs.variant, "variant", overlays[i].variant, 1, "95% band, variant", non_negative);
    charts.push_back(std::move(c));
  }
  return small_multiples(charts, shared_y, prefix + "-legend");
}

std::string time_markup(const ComparedRuns& runs, const UnitNames& units, const CompareReportOptions& opt) {
  const ExperimentResult& B = runs.baseline;
  const ExperimentResult& V = runs.variant;
  if (!B.series || !V.series || B.series->periods() == 0 || V.series->periods() == 0) {
    return paragraph("These runs kept no time series, so there are no charts over time here.", true);
  }
  RunChartsInput in;
  in.result = &B;
  in.depths = node_depths(B.info);
  in.units = units;
  in.point_budget = opt.point_budget;
  std::map<std::string, std::size_t> stock_v, first_stock_v;
  for (std::size_t s = 0; s < V.info.stocks.size(); ++s) {
    stock_v.emplace(V.info.stocks[s].name, s);
    first_stock_v.emplace(V.info.stocks[s].node, s);  // a node's cash is on each of its stock rows
  }
  std::vector<Overlay> stocks, cash;
  std::size_t order = 0;
  for (const Group& g : stock_groups(B.info, in.depths)) {
    for (std::size_t s : g.members) {
      const auto it = stock_v.find(B.info.stocks[s].name);
      ++order;
      if (it == stock_v.end() || V.info.stocks[it->second].infinite) continue;
      Overlay o{stock_label(B.info, s), order, stock_trace(B, {s}, "on_hand"), stock_trace(V, {it->second}, "on_hand"),
                0.0};
      o.distance = series_distance(o.baseline, o.variant);
      stocks.push_back(std::move(o));
    }
  }
  std::map<std::string, std::size_t> first_stock_b;
  for (std::size_t s = 0; s < B.info.stocks.size(); ++s) first_stock_b.emplace(B.info.stocks[s].node, s);
  for (const Group& g : node_groups(B.info, in.depths)) {
    for (std::size_t i : g.members) {
      const std::string& node = B.info.nodes[i].name;
      const auto b = first_stock_b.find(node), v = first_stock_v.find(node);
      ++order;
      if (b == first_stock_b.end() || v == first_stock_v.end()) continue;
      Overlay o{node, order, stock_trace(B, {b->second}, "cash"), stock_trace(V, {v->second}, "cash"), 0.0};
      o.distance = series_distance(o.baseline, o.variant);
      cash.push_back(std::move(o));
    }
  }
  std::size_t stocks_differ = 0, cash_differ = 0;
  const std::size_t n_stocks = stocks.size(), n_nodes = cash.size();
  stocks = pick(std::move(stocks), opt.max_time_charts, stocks_differ);
  cash = pick(std::move(cash), opt.max_time_charts, cash_differ);
  const std::string bands = fmt::format(
      "Baseline solid, variant dashed: means over {} replications, each with its own 95% band. Under common random "
      "numbers a difference can be certain where the two bands overlap: the paired intervals are in the forest "
      "plots.",
      B.kpis.size());
  std::string o;
  o += subheading("Stock on hand");
  if (stocks.empty()) {
    o += paragraph(fmt::format("The mean on-hand series of all {} stock points both runs have are the same.", n_stocks),
                   true);
  } else {
    o += overlay_charts(in, runs, stocks, "ts-inv", "units", true, true);
    o += paragraph(fmt::format("On hand at the end of each period at the {} of {} stock points whose mean series "
                               "differ most between the runs (upstream first; {} differ at all); the charts share "
                               "both axes. {}",
                               stocks.size(), n_stocks, stocks_differ, bands),
                   true);
  }
  o += subheading("Cash");
  if (cash.empty()) {
    o += paragraph(fmt::format("The mean cash series of all {} nodes both runs have are the same.", n_nodes), true);
  } else {
    o += overlay_charts(in, runs, cash, "ts-cash", units.currency, false, false);
    o += paragraph(fmt::format("Cash at the end of each period ({}) at the {} of {} nodes whose mean series differ "
                               "most (upstream first; {} differ at all); each chart has its own vertical scale. {}",
                               units.currency, cash.size(), n_nodes, cash_differ, bands),
                   true);
  }
  return o;
}

// --- All KPIs ---------------------------------------------------------------------

// One table per scope (the scope its caption), so that it prints on a page.
std::string table_markup(const Comparison& c, const Names& names, const UnitNames& units) {
  std::string o;
  for (const Scope& s : scopes(c)) {
    const bool network = s.scope == "network";
    Table t = scope_table(s, {{"KPI", "", false},
                              {"unit", "", false},
                              {"baseline", "mean ± 95% half-width", true},
                              {"variant", "mean ± 95% half-width", true},
                              {"difference", "variant − baseline, paired: mean ± 95% half-width", true},
                              {"change", "difference / |baseline mean|", true},
                              {"excludes 0", "the 95% interval of the difference excludes zero", false}});
    for (const KpiComparison& k : c.kpis) {
      if (k.scope != s.scope) continue;
      std::vector<Cell> row;
      if (!network) row.push_back({names.entity(k), k.name, false});
      row.insert(row.end(), {kpi_cell(k.kpi),
                             {unit_of(k.kpi, units), "", false},
                             rounded_cell(k.baseline),
                             rounded_cell(k.variant),
                             difference_cell(k),
                             {relative_text(k), "", true},
                             {k.excludes_zero ? "yes" : "", "", false}});
      t.rows.push_back(std::move(row));
      t.row_classes.push_back(k.excludes_zero ? "marked" : unchanged(k) ? "same" : "");
    }
    if (!t.rows.empty()) o += render(t);
  }
  o += paragraph(
      "Marked rows (bold): the interval of the difference excludes zero. Grey rows: the same in every "
      "replication. Hover over a value for its exact mean, standard deviation and n.",
      true);
  auto only = [](const std::vector<std::string>& columns, const std::vector<sim::Interval>& values) {
    std::vector<std::string> items;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      items.push_back(i < values.size() ? columns[i] + " " + format_estimate(values[i]) : columns[i]);
    }
    return join(items);
  };
  if (!c.only_baseline.empty()) {
    o += paragraph("Only in the baseline (not compared): " + only(c.only_baseline, c.only_baseline_values) + ".");
  }
  if (!c.only_variant.empty()) {
    o += paragraph("Only in the variant (not compared): " + only(c.only_variant, c.only_variant_values) + ".");
  }
  return o;
}

std::string reading_markup(const Comparison& c, const CompareMeta& meta) {
  std::vector<std::string> items;
  if (c.deterministic) {
    items.push_back(
        "Neither scenario depends on random numbers (no demand noise, no lead time with a spread, no unreliable "
        "supplier, no random what-if, no customer segment): every replication and seed gives the same results, so "
        "each difference is exact and one replication is enough. The intervals below are points.");
  }
  items.push_back(fmt::format(
      "Both scenarios ran replications 0 to {} with seed {} under common random numbers: replication r of each draws "
      "from the same streams, so a source the variant leaves alone produces the same numbers in both.",
      c.replications - 1, c.seed));
  items.push_back(fmt::format(
      "A KPI's difference is the mean of the per-replication differences variant − baseline, with a paired Student t "
      "interval ({} level, n − 1 degrees of freedom, over the replications where both are defined). It is narrower "
      "than two separate intervals would suggest whenever the runs move together, which common random numbers make "
      "them do.",
      percent(c.level)));
  items.push_back(fmt::format(
      "Each KPI is tested on its own: among KPIs that truly do not change, about {} in 100 would be marked by chance. "
      "With {} KPIs, read a lone marked KPI far from the change with care; many KPIs also move together (a node's "
      "cash and the network's).",
      format_number(100 * (1 - c.level), 3), c.kpis.size()));
  items.push_back("Change is the difference over the magnitude of the baseline's mean; empty when that mean is 0.");
  items.push_back(series_style_note());
  items.push_back("compare.json and compare.csv beside this page hold the same numbers for pandas or R.");
  return bullet_list(items) +
         paragraph(fmt::format("Made by chainsim {} from {} and {}.", meta.version, meta.baseline_file,
                               meta.variant_file.empty() ? "overrides of it" : meta.variant_file),
                   true);
}

}  // namespace

bool unchanged(const KpiComparison& k) {
  const sim::Interval& d = k.difference;
  if (d.n == 0 || std::isnan(d.mean)) return false;
  const double spread = d.n >= 2 ? d.stddev : 0.0;
  const double scale = std::max(std::abs(k.baseline.mean), std::abs(k.variant.mean));
  return std::abs(d.mean) + spread <= 1e-9 * (std::isfinite(scale) ? scale : 0.0);
}

std::string compare_report_html(const ComparedRuns& runs, const CompareMeta& meta, const CompareReportOptions& opt) {
  const Comparison& c = runs.comparison;
  UnitNames units;
  units.time_unit = runs.baseline.info.time_unit.empty() ? "period" : runs.baseline.info.time_unit;
  const Names names(runs.baseline.info, runs.variant.info);
  const Documents docs = read_documents(meta);

  std::size_t marked = 0;
  for (const KpiComparison& k : c.kpis) marked += k.excludes_zero ? 1 : 0;
  Page page(fmt::format("{} against {}", c.variant_name, c.baseline_name));
  page.set_subtitle(
      c.deterministic
          ? fmt::format("A what-if comparison: {} of {} KPIs differ, exactly (neither run depends on random numbers).",
                        marked, c.kpis.size())
          : fmt::format("A what-if comparison: {} of {} KPIs differ with {} confidence ({} paired "
                        "replications under common random numbers).",
                        marked, c.kpis.size(), percent(c.level), c.replications));
  page.add_fact("baseline", meta.baseline_file, true);
  page.add_fact("variant", meta.variant_file.empty() ? "the baseline with --variant overrides" : meta.variant_file,
                true);
  if (!meta.variant_sets.empty()) page.add_fact("--variant", join(meta.variant_sets), true);
  if (!meta.sets.empty()) page.add_fact("--set (both)", join(meta.sets), true);
  page.add_fact("seed", fmt::format("{}", c.seed));
  page.add_fact("replications", fmt::format("{} of each", c.replications));
  page.add_fact("confidence level", percent(c.level) + ", paired t");
  page.add_fact("horizon", horizon_text(runs.baseline.info));
  page.add_fact("chainsim", version_text(meta.version, meta.git), true);

  page.add_section("compared", "What was compared",
                   render(scenarios_table(c, meta, docs)) + subheading("What the variant changes") +
                       changes_markup(c, docs) + networks_markup(runs, docs));
  page.add_section("headline", "Headline", headline_markup(c, names, units));
  page.add_section("differences", "Differences with their intervals", forest_markup(c, names, units, opt));
  page.add_section("time", "Over time", time_markup(runs, units, opt));
  page.add_section("kpis", "All KPIs", table_markup(c, names, units));
  page.add_section("reading", "Reading this page", reading_markup(c, meta));
  return page.html();
}

}  // namespace chainsim::models

#include "models/report/optimize_report.h"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>
#include <limits>
#include <map>

#include "models/report/chart.h"
#include "models/report/page.h"
#include "sim/statistics.h"

namespace chainsim::models {

namespace {

using namespace report;

// Every point's runs, in the order of the trace.
struct PointRuns {
  std::vector<std::string> values;
  std::vector<double> objective;
  std::vector<std::vector<double>> constraints;
  std::size_t first_run = 0;  // its first run's index in the trace
};

std::map<std::size_t, PointRuns> by_point(const OptimizeResult& r, std::size_t constraints) {
  std::map<std::size_t, PointRuns> out;
  for (std::size_t i = 0; i < r.trace.size(); ++i) {
    const OptimizeRun& run = r.trace[i];
    auto [it, fresh] = out.try_emplace(run.point);
    if (fresh) {
      it->second.values = run.values;
      it->second.first_run = i;
      it->second.constraints.resize(constraints);
    }
    it->second.objective.push_back(run.objective);
    for (std::size_t c = 0; c < constraints; ++c) it->second.constraints[c].push_back(run.constraints[c]);
  }
  return out;
}

Cell text(std::string s) {
  Cell c;
  c.text = std::move(s);
  return c;
}
Cell num(std::string s) {
  Cell c = text(std::move(s));
  c.numeric = true;
  return c;
}

std::string assignment(const OptimizeResult& r, const std::vector<std::string>& values) {
  std::string s;
  for (std::size_t j = 0; j < r.param_names.size(); ++j) s += fmt::format("{}{} = {}", j ? ", " : "", r.param_names[j], values[j]);
  return s;
}

std::string pm(const sim::Interval& i) {
  return i.n >= 2 && std::isfinite(i.half_width) ? fmt::format("{:.6g} ± {:.3g}", i.mean, i.half_width)
                                                 : fmt::format("{:.6g}", i.mean);
}

std::string answer_section(const OptimizeSpec& spec, const OptimizeResult& r) {
  std::string body = paragraph("Guarantee: " + r.guarantee_text + ".");
  body += paragraph("Stopped: " + r.stopped + ".", true);
  if (!r.found) return body + paragraph("No point was found that meets the constraints.");
  Table t;
  t.caption = "The point selected: each KPI's mean over its runs, ± the 95% half-width";
  t.head = {text("parameter or KPI"), num("value")};
  for (std::size_t j = 0; j < r.param_names.size(); ++j) t.rows.push_back({text(r.param_names[j]), num(r.best.values[j])});
  t.rows.push_back({text(spec.objective + (spec.maximize ? " (maximised)" : " (minimised)")), num(pm(r.best.objective))});
  for (std::size_t c = 0; c < spec.constraints.size(); ++c) {
    t.rows.push_back({text(spec.constraints[c].column + " (subject to " + spec.constraints[c].text + ")"),
                      num(pm(r.best.constraints[c]))});
  }
  t.rows.push_back({text("runs of this point"), num(fmt::format("{}", r.best.objective.n))});
  body += render(t);
  if (r.runners_up.empty()) return body + paragraph("No other point is indistinguishable from it.", true);
  Table u;
  u.caption = fmt::format("Runners-up the runs cannot tell from it: paired difference from the best (a {:.0f}% "
                          "interval) not shown to exceed the indifference zone, {}",
                          100.0 * (1.0 - spec.alpha), sim::format_number(spec.delta));
  u.head = {text("point"), num(spec.objective), num("difference from the best")};
  for (const OptimizeCandidate& c : r.runners_up) {
    u.rows.push_back({text(assignment(r, c.values)), num(pm(c.objective)), num(pm(c.difference))});
  }
  return body + render(u);
}

// The objective of every point visited, with its interval: by the first
// parameter's value when it is the only one, else in the order visited.
std::string points_chart(const OptimizeSpec& spec, const OptimizeResult& r, const std::map<std::size_t, PointRuns>& pts) {
  struct Row {
    double x;
    sim::Interval i;
  };
  std::vector<Row> rows;
  const bool one = r.param_names.size() == 1;
  for (const auto& [p, runs] : pts) {
    const double x = one ? sim::parse_number(runs.values[0]) : static_cast<double>(runs.first_run);
    rows.push_back({x, sim::confidence_interval(runs.objective)});
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.x < b.x; });
  if (one && std::any_of(rows.begin(), rows.end(), [](const Row& w) { return std::isnan(w.x); })) return "";
  LineChart c;
  c.id = "points";
  c.title = fmt::format("{} at every point visited", spec.objective);
  c.desc = "The mean of each visited point's runs, with its 95% interval.";
  c.x_label = one ? r.param_names[0] : "point, by the run that first visited it";
  c.y_label = spec.objective;
  c.include_zero = false;
  Band band;
  band.name = "95% interval";
  Series mean;
  mean.name = "mean over the point's runs";
  for (const Row& w : rows) {
    band.x.push_back(w.x);
    band.lo.push_back(w.i.n >= 2 ? w.i.lower() : w.i.mean);
    band.hi.push_back(w.i.n >= 2 ? w.i.upper() : w.i.mean);
    mean.x.push_back(w.x);
    mean.y.push_back(w.i.mean);
  }
  c.bands = {band};
  c.series = {mean};
  return figure(render(c), one ? "Each point's objective against its parameter."
                               : "Each point's objective, in the order the search reached it.");
}

// The best mean so far (among the points whose means meet the constraints),
// after each run: how the search converged.
std::string progress_chart(const OptimizeSpec& spec, const OptimizeResult& r) {
  std::map<std::size_t, std::pair<double, double>> sums;  // point -> (sum, n)
  std::map<std::size_t, std::vector<double>> csum;
  Series best;
  best.name = "best mean so far";
  for (std::size_t i = 0; i < r.trace.size(); ++i) {
    const OptimizeRun& run = r.trace[i];
    auto& s = sums[run.point];
    s.first += run.objective;
    s.second += 1.0;
    auto& cs = csum[run.point];
    cs.resize(run.constraints.size(), 0.0);
    for (std::size_t c = 0; c < run.constraints.size(); ++c) cs[c] += run.constraints[c];
    double incumbent = std::numeric_limits<double>::quiet_NaN();
    for (const auto& [p, v] : sums) {
      bool ok = true;
      for (std::size_t c = 0; c < spec.constraints.size(); ++c) {
        const double m = csum[p][c] / v.second;
        ok = ok && (spec.constraints[c].at_least ? m >= spec.constraints[c].bound : m <= spec.constraints[c].bound);
      }
      const double m = v.first / v.second;
      if (ok && (std::isnan(incumbent) || (spec.maximize ? m > incumbent : m < incumbent))) incumbent = m;
    }
    if (std::isnan(incumbent)) continue;
    best.x.push_back(static_cast<double>(i + 1));
    best.y.push_back(incumbent);
  }
  if (best.x.size() < 2) return "";
  LineChart c;
  c.id = "search";
  c.title = "The search, run by run";
  c.desc = "After each run, the best mean objective among the points whose means meet the constraints.";
  c.x_label = "runs";
  c.y_label = spec.objective;
  c.include_zero = false;
  c.series = {best};
  c.point_noun = "runs";
  return figure(render(c), "The best mean so far. It moves as the search finds better points, and as more runs "
                           "refine the means it rests on.");
}

std::string points_table(const OptimizeSpec& spec, const OptimizeResult& r, const std::map<std::size_t, PointRuns>& pts) {
  Table t;
  t.caption = spec.constraints.empty() ? "Every point visited, best mean first (up to 200)"
                                        : "Every point visited, best mean first (up to 200), and whether its means "
                                          "meet the constraints";
  t.head = {text("point"), num("runs"), num(spec.objective)};
  for (const OptimizeConstraint& c : spec.constraints) t.head.push_back(num(c.column));
  if (!spec.constraints.empty()) t.head.push_back(text("meets them"));
  std::vector<std::pair<double, const PointRuns*>> order;
  for (const auto& [p, runs] : pts) {
    double m = 0.0;
    for (const double v : runs.objective) m += v;
    m /= static_cast<double>(runs.objective.size());
    order.emplace_back(spec.maximize ? -m : m, &runs);
  }
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  if (order.size() > 200) order.resize(200);
  for (const auto& [key, runs] : order) {
    std::vector<Cell> row = {text(assignment(r, runs->values)),
                             num(fmt::format("{}", runs->objective.size())),
                             num(pm(sim::confidence_interval(runs->objective)))};
    bool meets = true;
    for (std::size_t c = 0; c < runs->constraints.size(); ++c) {
      const sim::Interval i = sim::confidence_interval(runs->constraints[c]);
      row.push_back(num(pm(i)));
      const OptimizeConstraint& k = spec.constraints[c];
      meets = meets && (k.at_least ? i.mean >= k.bound : i.mean <= k.bound);
    }
    if (!spec.constraints.empty()) row.push_back(text(meets ? "yes" : "no"));
    t.rows.push_back(std::move(row));
  }
  return render(t);
}

}  // namespace

std::string optimize_report_html(const OptimizeSpec& spec, const OptimizeResult& r, const OptimizeMeta& meta) {
  Page page(fmt::format("{} {} over {} points", spec.maximize ? "Maximising" : "Minimising", spec.objective, r.points));
  page.set_subtitle(fmt::format("chainsim optimize: {} ({})", meta.scenario_file, r.method));
  page.add_fact("scenario", meta.scenario_file, true);
  std::string sets;
  for (const std::string& s : meta.sets) sets += (sets.empty() ? "" : ", ") + s;
  if (!sets.empty()) page.add_fact("--set", sets, true);
  page.add_fact("method", r.method);
  page.add_fact("points", fmt::format("{} in the grid, {} visited", r.points, r.visited));
  page.add_fact("runs", fmt::format("{} (budget {})", r.runs, spec.budget));
  page.add_fact("indifference zone", sim::format_number(spec.delta));
  page.add_fact("probability of correct selection", fmt::format("{:.0f}%", 100.0 * (1.0 - spec.alpha)));
  page.add_fact("first stage", fmt::format("{} replications", spec.first_stage));
  page.add_fact("seed", fmt::format("{}", r.seed));
  page.add_fact("chainsim", version_text(meta.version, meta.git), true);
  page.add_section("answer", "The answer", answer_section(spec, r));
  const std::map<std::size_t, PointRuns> pts = by_point(r, spec.constraints.size());
  page.add_section("search", "The search", points_chart(spec, r, pts) + progress_chart(spec, r) + points_table(spec, r, pts));
  page.add_section("method", "How to read it",
                   paragraph("Replication r of every point meets the same random numbers (common random numbers), "
                             "so points are compared on the same demand and lead times. docs/optimize.md describes "
                             "the methods and their guarantees; optimize.csv has every run of the search, and "
                             "optimize.json the answer."));
  return page.html();
}

}  // namespace chainsim::models

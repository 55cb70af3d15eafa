#include "models/experiment/compare.h"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "models/experiment/detail/sweep_files.h"
#include "models/experiment/experiment.h"

namespace chainsim::models {

namespace {

using J = nlohmann::ordered_json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

J number(double x) { return std::isfinite(x) ? J(x) : J(nullptr); }

sim::Interval interval_of(const std::vector<double>& xs, double level) {
  sim::RunningStats s;
  for (double x : xs) {
    if (!std::isnan(x)) s.add(x);
  }
  sim::Interval iv = sim::confidence_interval(s, level);
  if (s.count() == 0) iv.mean = kNaN;
  return iv;
}

// Column i of the first R replications.
sim::Interval column_interval(const std::vector<KpiSet>& reps, std::size_t i, std::size_t R, double level) {
  std::vector<double> xs(R);
  for (std::size_t r = 0; r < R; ++r) xs[r] = reps[r].values[i].value;
  return interval_of(xs, level);
}

// "12.35", "0.9812", "1.2e+06": four significant digits, for the table.
std::string short_number(double x) {
  if (std::isnan(x)) return "-";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return fmt::format("{:.4g}", x);
}

J interval_json(const sim::Interval& iv, bool exact = false) {
  return {{"mean", number(iv.mean)},
          {"sd", number(iv.n >= 2 || exact ? iv.stddev : kNaN)},
          {"half_width", number(iv.half_width)},
          {"n", iv.n}};
}

}  // namespace

Comparison compare_replications(const std::vector<KpiSet>& baseline, const std::vector<KpiSet>& variant,
                                double level, bool deterministic) {
  Comparison c;
  c.level = level;
  c.deterministic = deterministic;
  c.replications = static_cast<int>(baseline.size());
  if (baseline.empty() || variant.empty()) return c;
  const std::size_t R = std::min(baseline.size(), variant.size());
  std::map<std::string, std::size_t> in_variant;
  for (std::size_t i = 0; i < variant.front().values.size(); ++i) {
    in_variant[detail::kpi_column(variant.front().values[i])] = i;
  }
  std::map<std::string, bool> matched;
  for (std::size_t i = 0; i < baseline.front().values.size(); ++i) {
    const KpiValue& v = baseline.front().values[i];
    const std::string column = detail::kpi_column(v);
    const auto it = in_variant.find(column);
    if (it == in_variant.end()) {
      c.only_baseline.push_back(column);
      c.only_baseline_values.push_back(column_interval(baseline, i, R, level));
      continue;
    }
    matched[column] = true;
    const std::size_t j = it->second;
    std::vector<double> b(R), x(R), d;
    for (std::size_t r = 0; r < R; ++r) {
      b[r] = baseline[r].values[i].value;
      x[r] = variant[r].values[j].value;
      if (!std::isnan(b[r]) && !std::isnan(x[r])) d.push_back(x[r] - b[r]);
    }
    KpiComparison k;
    k.scope = v.scope;
    k.name = v.name;
    k.kpi = v.kpi;
    k.column = column;
    k.baseline = interval_of(b, level);
    k.variant = interval_of(x, level);
    k.difference = interval_of(d, level);
    sim::Interval& di = k.difference;
    // Only a deterministic comparison claims exactness: in a random one, the
    // same difference in every replication may still be chance (a count).
    k.exact = deterministic && di.n >= 1 && std::isfinite(di.mean);
    if (k.exact) {
      // The same difference in every replication: a point, not an interval.
      // "Not 0" allows for sums taken in another order (compare_report's
      // unchanged()).
      di.half_width = 0.0;
      di.stddev = 0.0;
      const double scale = std::max({std::abs(k.baseline.mean), std::abs(k.variant.mean), std::abs(di.mean)});
      k.excludes_zero = std::abs(di.mean) > 1e-9 * (std::isfinite(scale) ? scale : 0.0);
    } else {
      k.excludes_zero = di.n >= 2 && std::isfinite(di.half_width) && (di.lower() > 0 || di.upper() < 0);
    }
    k.relative = std::isfinite(k.baseline.mean) && k.baseline.mean != 0 ? k.difference.mean / std::abs(k.baseline.mean)
                                                                        : kNaN;
    c.kpis.push_back(std::move(k));
  }
  for (std::size_t j = 0; j < variant.front().values.size(); ++j) {
    const std::string column = detail::kpi_column(variant.front().values[j]);
    if (matched.count(column)) continue;
    c.only_variant.push_back(column);
    c.only_variant_values.push_back(column_interval(variant, j, R, level));
  }
  return c;
}

ComparedRuns run_comparison(const ScenarioSpec& baseline, const ScenarioSpec& variant, const CompareOptions& o) {
  ExperimentOptions e;
  e.seed = o.seed;
  e.replications = o.replications;
  e.jobs = o.jobs;
  e.series = o.keep_series ? SeriesMode::kMean : SeriesMode::kNone;
  e.series_columns = o.series_columns;
  ComparedRuns runs;
  runs.baseline = run_experiment(baseline, e);
  runs.variant = run_experiment(variant, e);
  Comparison& c = runs.comparison;
  c = compare_replications(runs.baseline.kpis, runs.variant.kpis, o.level,
                           runs.baseline.deterministic && runs.variant.deterministic);
  c.baseline_name = baseline.name;
  c.variant_name = variant.name;
  c.seed = o.seed;
  return runs;
}

Comparison compare_scenarios(const ScenarioSpec& baseline, const ScenarioSpec& variant, const CompareOptions& o) {
  return run_comparison(baseline, variant, o).comparison;
}

std::string compare_table(const Comparison& c, bool only_marked) {
  std::string out =
      c.deterministic
          ? fmt::format("{} (variant) - {} (baseline): neither depends on random numbers, so every difference is exact "
                        "({} {}); * they differ\n\n",
                        c.variant_name, c.baseline_name, c.replications,
                        c.replications == 1 ? "replication" : "replications, all the same")
          : fmt::format("{} (variant) - {} (baseline): {} replications under common random numbers (seed {}), paired "
                        "{:.0f}% intervals; * the interval excludes 0\n\n",
                        c.variant_name, c.baseline_name, c.replications, c.seed, 100 * c.level);
  out += fmt::format("{:<44}{:>12}{:>12}{:>26}{:>10}\n", "kpi", "baseline", "variant", "difference", "change");
  std::size_t marked = 0;
  for (const KpiComparison& k : c.kpis) {
    if (k.excludes_zero) ++marked;
    if (only_marked && !k.excludes_zero) continue;
    std::string diff = short_number(k.difference.mean);
    if (k.exact) {
      diff += " exact";
    } else if (k.difference.n >= 2 && std::isfinite(k.difference.half_width)) {
      diff += " ±" + short_number(k.difference.half_width);
    }
    const std::string rel = std::isnan(k.relative) ? "" : fmt::format("{:+.1f}%", 100 * k.relative);
    out += fmt::format("{:<44}{:>12}{:>12}{:>24} {:1}{:>10}\n", k.column, short_number(k.baseline.mean),
                       short_number(k.variant.mean), diff, k.excludes_zero ? "*" : "", rel);
  }
  out += fmt::format("\n{} of {} KPIs differ ({})\n", marked, c.kpis.size(),
                     c.deterministic ? "exactly" : "interval excludes 0");
  auto only = [&](const char* side, const std::vector<std::string>& columns, const std::vector<sim::Interval>& v) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      std::string value;
      if (i < v.size()) {
        value = " " + short_number(v[i].mean);
        if (v[i].n >= 2 && std::isfinite(v[i].half_width) && v[i].half_width > 0) {
          value += " ±" + short_number(v[i].half_width);
        }
      }
      out += fmt::format("only in the {}: {}{}\n", side, columns[i], value);
    }
  };
  only("baseline", c.only_baseline, c.only_baseline_values);
  only("variant", c.only_variant, c.only_variant_values);
  return out;
}

std::string compare_json(const Comparison& c, const CompareMeta& m) {
  J j;
  j["chainsim"] = {{"version", m.version}, {"git", m.git}};
  j["baseline"] = {{"name", c.baseline_name}, {"file", m.baseline_file}};
  j["variant"] = {{"name", c.variant_name}, {"file", m.variant_file}, {"overrides", m.variant_sets}};
  j["overrides_both"] = m.sets;
  j["seed"] = c.seed;
  j["replications"] = c.replications;
  j["confidence_level"] = c.level;
  j["method"] = "paired differences variant - baseline per replication under common random numbers; Student t";
  j["deterministic"] = c.deterministic;
  J kpis = J::array();
  for (const KpiComparison& k : c.kpis) {
    J d = interval_json(k.difference, k.exact);
    const bool bounded = k.difference.n >= 2 || k.exact;
    d["lower"] = number(bounded ? k.difference.lower() : kNaN);
    d["upper"] = number(bounded ? k.difference.upper() : kNaN);
    kpis.push_back({{"kpi", k.column},
                    {"scope", k.scope},
                    {"name", k.name},
                    {"measure", k.kpi},
                    {"baseline", interval_json(k.baseline)},
                    {"variant", interval_json(k.variant)},
                    {"difference", d},
                    {"relative_difference", number(k.relative)},
                    {"exact", k.exact},
                    {"excludes_zero", k.excludes_zero}});
  }
  j["kpis"] = kpis;
  j["only_in_baseline"] = c.only_baseline;
  j["only_in_variant"] = c.only_variant;
  auto values = [](const std::vector<std::string>& columns, const std::vector<sim::Interval>& v) {
    J out = J::array();
    for (std::size_t i = 0; i < columns.size() && i < v.size(); ++i) {
      J one = {{"kpi", columns[i]}};
      one.update(interval_json(v[i]));
      out.push_back(std::move(one));
    }
    return out;
  };
  j["only_in_baseline_values"] = values(c.only_baseline, c.only_baseline_values);
  j["only_in_variant_values"] = values(c.only_variant, c.only_variant_values);
  j["baseline_as_run"] = m.baseline_yaml;
  j["variant_as_run"] = m.variant_yaml;
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string compare_csv(const Comparison& c) {
  using detail::csv_number;
  std::string out =
      "kpi,baseline_mean,baseline_half_width,variant_mean,variant_half_width,difference,difference_sd,"
      "half_width,lower,upper,n,exact,excludes_zero\n";
  for (const KpiComparison& k : c.kpis) {
    const bool spread = k.difference.n >= 2 || k.exact;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", detail::csv_text(k.column),
                       csv_number(k.baseline.mean), csv_number(k.baseline.n >= 2 ? k.baseline.half_width : kNaN),
                       csv_number(k.variant.mean), csv_number(k.variant.n >= 2 ? k.variant.half_width : kNaN),
                       csv_number(k.difference.mean), csv_number(spread ? k.difference.stddev : kNaN),
                       csv_number(spread ? k.difference.half_width : kNaN),
                       csv_number(spread ? k.difference.lower() : kNaN),
                       csv_number(spread ? k.difference.upper() : kNaN), k.difference.n,
                       k.exact ? "true" : "false", k.excludes_zero ? "true" : "false");
  }
  return out;
}

}  // namespace chainsim::models

// What chainsim optimize prints and writes (models/experiment/optimize.h).
#include <cmath>
#include <stdexcept>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "models/experiment/detail/sweep_files.h"
#include "models/experiment/optimize.h"

namespace chainsim::models {

namespace {

using J = nlohmann::ordered_json;

J number(double x) { return std::isfinite(x) ? J(x) : J(nullptr); }

J interval_json(const sim::Interval& i) {
  return {{"mean", number(i.mean)}, {"half_width", number(i.n >= 2 ? i.half_width : NAN)}, {"sd", number(i.stddev)},
          {"n", i.n}};
}

J candidate_json(const OptimizeSpec& spec, const OptimizeResult& r, const OptimizeCandidate& c, bool runner_up) {
  J values = J::object();
  for (std::size_t j = 0; j < r.param_names.size(); ++j) values[r.param_names[j]] = c.values[j];
  J j = {{"point", c.point}, {"values", values}, {"objective", interval_json(c.objective)}};
  J cons = J::array();
  for (std::size_t k = 0; k < spec.constraints.size(); ++k) {
    J one = {{"constraint", spec.constraints[k].text}};
    one.update(interval_json(c.constraints[k]));
    cons.push_back(std::move(one));
  }
  j["constraints"] = cons;
  if (runner_up) j["difference_from_best"] = interval_json(c.difference);
  return j;
}

std::string pm(const sim::Interval& i) {
  return i.n >= 2 && std::isfinite(i.half_width) ? fmt::format("{:.6g} ±{:.3g}", i.mean, i.half_width)
                                                 : fmt::format("{:.6g}", i.mean);
}

std::string assignment(const OptimizeResult& r, const OptimizeCandidate& c) {
  std::string s;
  for (std::size_t j = 0; j < r.param_names.size(); ++j) s += fmt::format("{}{}={}", j ? ", " : "", r.param_names[j], c.values[j]);
  return s;
}

}  // namespace

std::string optimize_table(const OptimizeSpec& spec, const OptimizeResult& r) {
  std::string out = fmt::format("{}: {} of {} points simulated, {} runs, seed {}\n", r.method, r.visited, r.points,
                                r.runs, r.seed);
  out += fmt::format("stopped: {}\n", r.stopped);
  out += fmt::format("guarantee: {}\n\n", r.guarantee_text);
  if (!r.found) return out + (r.runs == 0 ? "no point was simulated\n" : "no point found that meets the constraints\n");
  out += fmt::format("best: {}\n", assignment(r, r.best));
  out += fmt::format("  {} {:>24}   ({} runs)\n", spec.objective, pm(r.best.objective), r.best.objective.n);
  for (std::size_t k = 0; k < spec.constraints.size(); ++k) {
    out += fmt::format("  {} {:>24}   (subject to {})\n", spec.constraints[k].column, pm(r.best.constraints[k]),
                       spec.constraints[k].text);
  }
  if (r.runners_up.empty()) return out + "\nno runner-up the runs cannot tell from it\n";
  out += fmt::format("\nrunners-up the runs cannot tell from it (paired difference not shown to exceed {}):\n",
                     sim::format_number(spec.delta));
  for (const OptimizeCandidate& c : r.runners_up) {
    out += fmt::format("  {:<40} {} {:>20}   difference {}\n", assignment(r, c), spec.objective, pm(c.objective),
                       pm(c.difference));
  }
  return out;
}

std::string optimize_json(const OptimizeSpec& spec, const OptimizeResult& r, const OptimizeMeta& m) {
  J j;
  j["status"] = "done";
  j["settings"] = J::parse(optimize_settings(spec, m));
  j["seed"] = r.seed;
  j["method"] = r.method;
  j["points"] = r.points;
  j["visited"] = r.visited;
  j["runs"] = r.runs;
  j["stopped"] = r.stopped;
  j["guarantee"] = r.guarantee;
  j["guarantee_text"] = r.guarantee_text;
  j["found"] = r.found;
  j["best"] = r.found ? candidate_json(spec, r, r.best, false) : J(nullptr);
  J ups = J::array();
  for (const OptimizeCandidate& c : r.runners_up) ups.push_back(candidate_json(spec, r, c, true));
  j["runners_up"] = ups;
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string optimize_csv_header(const OptimizeSpec& spec) {
  std::string out = "phase,iteration,point";
  for (const sim::ParamSpec& p : spec.params) out += "," + detail::csv_text(p.name);
  out += ",replication," + detail::csv_text(spec.objective);
  for (const OptimizeConstraint& c : spec.constraints) out += "," + detail::csv_text(c.column);
  return out + "\n";
}

std::string optimize_csv_row(const OptimizeRun& run) {
  std::string out = fmt::format("{},{},{}", run.phase, run.iteration, run.point);
  for (const std::string& v : run.values) out += "," + detail::csv_text(v);
  out += fmt::format(",{},{}", run.replication, detail::csv_number(run.objective));
  for (const double c : run.constraints) out += "," + detail::csv_number(c);
  return out + "\n";
}

std::vector<OptimizeRun> read_optimize_csv(const OptimizeSpec& spec, const std::string& text, std::size_t* used) {
  const std::string header = optimize_csv_header(spec);
  if (text.compare(0, header.size(), header) != 0) {
    throw std::runtime_error("optimize.csv: its header is not this search's (another grid, objective or constraints)");
  }
  std::vector<OptimizeRun> out;
  std::size_t at = header.size();
  std::vector<std::string> f;
  const std::size_t params = spec.params.size(), fields = 5 + params + spec.constraints.size();
  for (std::size_t line = 2;; ++line) {
    const std::size_t end = text.find('\n', at);
    if (end == std::string::npos) break;  // a half-written last row: dropped
    if (!detail::split_csv(std::string_view(text).substr(at, end - at), f) || f.size() != fields) {
      throw std::runtime_error(fmt::format("optimize.csv:{}: not a row of this search", line));
    }
    OptimizeRun r;
    r.phase = f[0];
    double iteration = 0, point = 0, replication = 0;
    bool ok = detail::read_csv_number(f[1], iteration) && detail::read_csv_number(f[2], point) &&
              detail::read_csv_number(f[3 + params], replication) && detail::read_csv_number(f[4 + params], r.objective);
    constexpr double kLargest = 1e9;  // iterations, points and replications are far below
    ok = ok && iteration >= 0 && iteration <= kLargest && point >= 0 && point <= kLargest * 1e3 && replication >= 0 &&
         replication <= kLargest;
    if (!ok) throw std::runtime_error(fmt::format("optimize.csv:{}: a field is not a number in range", line));
    r.iteration = static_cast<int>(iteration);
    r.point = static_cast<std::size_t>(point);
    r.replication = static_cast<int>(replication);
    r.values.assign(f.begin() + 3, f.begin() + 3 + static_cast<std::ptrdiff_t>(params));
    for (std::size_t c = 0; c < spec.constraints.size(); ++c) {
      double v = 0;
      ok = ok && detail::read_csv_number(f[5 + params + c], v);
      r.constraints.push_back(v);
    }
    if (!ok || !(point >= 0) || !(replication >= 0) || std::isnan(r.objective)) {
      throw std::runtime_error(fmt::format("optimize.csv:{}: a field is not a number", line));
    }
    out.push_back(std::move(r));
    at = end + 1;
  }
  *used = at;
  return out;
}

std::string optimize_settings(const OptimizeSpec& spec, const OptimizeMeta& m) {
  J j;
  j["chainsim"] = {{"version", m.version}, {"git", m.git}};
  j["scenario"] = m.scenario_file;
  j["scenario_hash"] = detail::text_hash(m.scenario_yaml);
  j["set"] = m.sets;
  J vary = J::array();
  for (const sim::ParamSpec& p : spec.params) vary.push_back({{"path", p.name}, {"values", p.levels}});
  j["vary"] = vary;
  j["objective"] = {{"kpi", spec.objective}, {"sense", spec.maximize ? "maximize" : "minimize"}};
  J cons = J::array();
  for (const OptimizeConstraint& c : spec.constraints) {
    cons.push_back({{"kpi", c.column}, {"at_least", c.at_least}, {"bound", c.bound}, {"tolerance", c.tolerance}});
  }
  j["subject_to"] = cons;
  j["indifference"] = spec.delta;
  j["alpha"] = spec.alpha;
  j["first_stage"] = spec.first_stage;
  j["budget"] = spec.budget;
  j["method"] = spec.method == OptimizeMethod::kKimNelson ? "kn"
                : spec.method == OptimizeMethod::kCompass ? "compass"
                                                          : "auto";
  j["seed"] = spec.seed ? J(*spec.seed) : J("the scenario's");
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string optimize_started_json(const OptimizeSpec& spec, const OptimizeMeta& meta) {
  J j;
  j["status"] = "running";
  j["settings"] = J::parse(optimize_settings(spec, meta));
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string optimize_resume_problem(const std::string& json, const OptimizeSpec& spec, const OptimizeMeta& meta) {
  const J j = J::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("settings") || !j["settings"].is_object()) {
    return "optimize.json is not a search's record";
  }
  const J now = J::parse(optimize_settings(spec, meta));
  for (const auto& [key, value] : now.items()) {
    if (!j["settings"].contains(key) || j["settings"][key] != value) {
      return fmt::format("the search there was asked differently: its {} is {}, this one's {}", key,
                         j["settings"].contains(key) ? j["settings"][key].dump() : "missing", value.dump());
    }
  }
  return "";
}

}  // namespace chainsim::models

#include "models/experiment/optimize.h"

#include <algorithm>
#include <cstring>
#include <cmath>
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <limits>
#include <map>
#include <optional>
#include <memory>
#include <set>
#include <stdexcept>

#include "models/experiment/detail/sweep_files.h"
#include "models/experiment/experiment.h"
#include "models/experiment/sweep.h"
#include "models/scenario/loader.h"
#include "sim/parallel.h"
#include "sim/random.h"

namespace chainsim::models {

OptimizeConstraint parse_constraint(const std::string& text, std::optional<double> tolerance) {
  OptimizeConstraint c;
  c.text = text;
  std::size_t at = text.find(">=");
  c.at_least = at != std::string::npos;
  if (!c.at_least) at = text.find("<=");
  if (at == std::string::npos || at == 0) {
    throw std::invalid_argument(fmt::format("--subject-to '{}': write KPI>=VALUE or KPI<=VALUE", text));
  }
  c.column = text.substr(0, at);
  while (!c.column.empty() && c.column.back() == ' ') c.column.pop_back();
  std::string bound = text.substr(at + 2);
  bound.erase(0, bound.find_first_not_of(' '));
  c.bound = sim::parse_number(bound);
  if (!std::isfinite(c.bound)) {
    throw std::invalid_argument(fmt::format("--subject-to '{}': the bound must be a number (got '{}')", text, bound));
  }
  c.tolerance = tolerance.value_or(c.bound == 0.0 ? 0.001 : 0.01 * std::abs(c.bound));
  if (!(c.tolerance > 0.0) || !std::isfinite(c.tolerance)) {
    throw std::invalid_argument(fmt::format("--subject-to '{}': the tolerance must be > 0 (got {})", text, c.tolerance));
  }
  return c;
}

namespace {

std::string missing_column(const std::string& name) {
  return fmt::format("no KPI column '{}' in this scenario's results (columns are named as in sweep.csv: "
                     "network.total_cost, stock.NODE/PRODUCT.fill_rate; chainsim kpis lists them)",
                     name);
}

// What one run of a point gives: the objective as minimised (negated when
// maximising), the objective as reported, and each constraint's KPI.
struct Outcome {
  double g = 0.0;
  double objective = 0.0;
  std::vector<double> constraints;
};

// The points of the grid, their specs and their runs: every (point,
// replication) is simulated once and kept.
class Evaluator {
 public:
  Evaluator(const OptimizeSpec& spec, const std::function<void(std::size_t, std::size_t)>& progress,
            SweepExecutor& executor)
      : spec_(spec),
        progress_(progress),
        executor_(executor),
        parsed_(parse_scenario(spec.scenario, {spec.sets, "--set", spec.allowed_dirs})),
        design_(sim::Design::grid(spec.params)) {
    seed_ = spec.seed.value_or(load_parsed_scenario(parsed_, {{}, ""}).spec.seed);
    levels_.reserve(spec.params.size());
    for (const sim::ParamSpec& p : spec.params) levels_.push_back(p.levels.size());
    for (const OptimizeRun& r : spec.resume_from) {
      if (r.point >= design_.size()) throw std::runtime_error(fmt::format("optimize.csv: no point {} in the grid", r.point));
      resumed_.emplace(std::make_pair(r.point, r.replication), r);
    }
  }
  // Runs resumed from an earlier search that this one has not asked for.
  std::size_t unused_resumed() const { return resumed_.size(); }

  const sim::Design& design() const { return design_; }
  std::uint64_t seed() const { return seed_; }
  std::size_t runs() const { return trace_.size(); }
  std::vector<OptimizeRun>& trace() { return trace_; }
  bool affordable(std::size_t n) const { return runs() + n <= spec_.budget; }
  const std::vector<std::size_t>& levels() const { return levels_; }
  std::size_t visited() const { return specs_.size(); }

  // The point's level of each parameter (first slowest), and back.
  std::vector<std::size_t> coordinates(std::size_t point) const {
    std::vector<std::size_t> x(levels_.size());
    for (std::size_t j = levels_.size(); j-- > 0;) {
      x[j] = point % levels_[j];
      point /= levels_[j];
    }
    return x;
  }
  std::size_t index(const std::vector<std::size_t>& x) const {
    std::size_t p = 0;
    for (std::size_t j = 0; j < levels_.size(); ++j) p = p * levels_[j] + x[j];
    return p;
  }
  std::vector<std::string> values(std::size_t point) const {
    std::vector<std::string> v;
    for (std::size_t j = 0; j < levels_.size(); ++j) v.push_back(design_.text(point, j));
    return v;
  }

  // Runs every (point, replication) of `tasks` not run before, on the jobs'
  // threads; the results in task order.
  std::vector<const Outcome*> run(const std::vector<std::pair<std::size_t, int>>& tasks, const std::string& phase,
                                  int iteration);
  const Outcome& at(std::size_t point, int replication) const { return done_.at({point, replication}); }
  bool has(std::size_t point, int replication) const { return done_.count({point, replication}) != 0; }
  // The replications run of `point`, in increasing order.
  std::vector<int> replications(std::size_t point) const;

 private:
  const ScenarioSpec& spec_of(std::size_t point);
  std::vector<std::vector<double>> simulate(const std::vector<std::pair<std::size_t, int>>& compute,
                                            const std::vector<const ScenarioSpec*>& specs);
  void record(std::pair<std::size_t, int> task, const std::vector<double>& values, const std::string& phase,
              int iteration);

  const OptimizeSpec& spec_;
  const std::function<void(std::size_t, std::size_t)>& progress_;
  SweepExecutor& executor_;
  ParsedScenario parsed_;
  sim::Design design_;
  std::uint64_t seed_ = 1;
  std::vector<std::size_t> levels_;
  std::map<std::size_t, std::unique_ptr<ScenarioSpec>> specs_;
  std::map<std::pair<std::size_t, int>, Outcome> done_;
  std::map<std::pair<std::size_t, int>, OptimizeRun> resumed_;
  std::vector<OptimizeRun> trace_;
};

const ScenarioSpec& Evaluator::spec_of(std::size_t point) {
  auto it = specs_.find(point);
  if (it != specs_.end()) return *it->second;
  std::vector<std::string> overrides;
  std::string where;
  for (std::size_t j = 0; j < levels_.size(); ++j) {
    overrides.push_back(design_.params()[j].name + "=" + design_.text(point, j));
    where += fmt::format("{}{}", j ? ", " : "", overrides.back());
  }
  try {
    LoadedScenario s = load_parsed_scenario(parsed_, {overrides, ""});
    return *specs_.emplace(point, std::make_unique<ScenarioSpec>(std::move(s.spec))).first->second;
  } catch (const LoadError& e) {
    std::vector<Diagnostic> diags = e.diagnostics();
    for (Diagnostic& d : diags) d.message += fmt::format(" (at {})", where);
    throw LoadError(diags);
  }
}

// The objective's and the constraints' values in a run's KPIs, found by
// column name (check_optimize made sure they exist).
std::vector<double> pick(const OptimizeSpec& spec, const KpiSet& k) {
  std::vector<std::string> names = {spec.objective};
  for (const OptimizeConstraint& c : spec.constraints) names.push_back(c.column);
  std::vector<double> out(names.size(), std::numeric_limits<double>::quiet_NaN());
  std::vector<bool> found(names.size(), false);
  for (const KpiValue& v : k.values) {
    const std::string column = detail::kpi_column(v);
    for (std::size_t j = 0; j < names.size(); ++j) {
      if (!found[j] && column == names[j]) out[j] = v.value, found[j] = true;
    }
  }
  for (std::size_t j = 0; j < names.size(); ++j) {
    if (!found[j]) throw LoadError({{j == 0 ? "--minimize" : "--subject-to", 0, 0, "", missing_column(names[j])}});
  }
  return out;
}

// Runs `compute` on the executor. Every process gets the writer's results
// (a broadcast, exact: the doubles' bytes), so that under MPI every rank
// takes the same decisions.
std::vector<std::vector<double>> Evaluator::simulate(const std::vector<std::pair<std::size_t, int>>& compute,
                                                     const std::vector<const ScenarioSpec*>& specs) {
  const std::size_t width = 1 + spec_.constraints.size();
  std::vector<std::vector<double>> out(compute.size());
  std::exception_ptr error;  // on the writer: a run failed (a model error on some rank)
  try {
    executor_.run(
        0, compute.size(),
        [&](std::size_t i) {
          SweepTaskResult r;
          r.values =
              pick(spec_, run_replication(*specs[i], seed_, compute[i].second, ReplicationOptions::checked()).kpis);
          return r;
        },
        [&](std::size_t i, SweepTaskResult&& r) { out[i] = std::move(r.values); });
  } catch (...) {
    if (!executor_.is_writer()) throw;
    error = std::current_exception();
  }
  std::string bytes;
  if (executor_.is_writer()) {
    bytes = error ? "x" : "o";  // the others stop too when the writer failed
    for (const std::vector<double>& v : out) {
      if (!error) bytes.append(reinterpret_cast<const char*>(v.data()), width * sizeof(double));
    }
  }
  bytes = executor_.broadcast(bytes);
  if (error) std::rethrow_exception(error);
  if (bytes.empty() || bytes[0] != 'o') throw SweepAborted(1);
  if (bytes.size() != 1 + compute.size() * width * sizeof(double)) {
    throw std::runtime_error("optimize: a batch's results were lost");
  }
  for (std::size_t i = 0; i < compute.size(); ++i) {
    out[i].resize(width);
    std::memcpy(out[i].data(), bytes.data() + 1 + i * width * sizeof(double), width * sizeof(double));
  }
  return out;
}

std::vector<const Outcome*> Evaluator::run(const std::vector<std::pair<std::size_t, int>>& tasks,
                                           const std::string& phase, int iteration) {
  std::vector<std::pair<std::size_t, int>> todo;
  std::set<std::pair<std::size_t, int>> queued;
  for (const auto& t : tasks) {
    if (!done_.count(t) && queued.insert(t).second) todo.push_back(t);
  }
  // Runs an earlier search made come back from its optimize.csv, in the
  // order asked (they were written in that order, so the trace is the same).
  std::vector<std::pair<std::size_t, int>> compute;
  for (const auto& t : todo) {
    auto it = resumed_.find(t);
    if (it == resumed_.end()) {
      compute.push_back(t);
      continue;
    }
    Outcome o;
    o.objective = it->second.objective;
    o.g = spec_.maximize ? -o.objective : o.objective;
    o.constraints = it->second.constraints;
    trace_.push_back(std::move(it->second));
    trace_.back().phase = phase;
    trace_.back().iteration = iteration;
    resumed_.erase(it);
    done_.emplace(t, std::move(o));
  }
  std::vector<const ScenarioSpec*> specs;
  for (const auto& t : compute) specs.push_back(&spec_of(t.first));  // converted here: the document is not shared
  const std::vector<std::vector<double>> values = simulate(compute, specs);
  for (std::size_t i = 0; i < compute.size(); ++i) record(compute[i], values[i], phase, iteration);
  if (progress_ && !todo.empty()) progress_(runs(), spec_.budget);
  std::vector<const Outcome*> out;
  for (const auto& t : tasks) out.push_back(&done_.at(t));
  return out;
}

void Evaluator::record(std::pair<std::size_t, int> task, const std::vector<double>& v, const std::string& phase,
                       int iteration) {
  Outcome o;
  o.objective = v.at(0);
  if (std::isnan(o.objective)) {
    throw std::runtime_error(fmt::format("the objective {} is undefined at point {} ({}), replication {}",
                                         spec_.objective, task.first, fmt::join(values(task.first), ", "),
                                         task.second));
  }
  o.g = spec_.maximize ? -o.objective : o.objective;
  o.constraints.assign(v.begin() + 1, v.end());
  for (std::size_t c = 0; c < o.constraints.size(); ++c) {
    if (std::isnan(o.constraints[c])) {
      throw std::runtime_error(fmt::format("the constrained KPI {} is undefined at point {} ({}), replication {}",
                                           spec_.constraints[c].column, task.first,
                                           fmt::join(values(task.first), ", "), task.second));
    }
  }
  OptimizeRun r;
  r.phase = phase;
  r.iteration = iteration;
  r.point = task.first;
  r.values = values(r.point);
  r.replication = task.second;
  r.objective = o.objective;
  r.constraints = o.constraints;
  if (spec_.on_run) spec_.on_run(r);
  trace_.push_back(std::move(r));
  done_.emplace(task, std::move(o));
}

std::vector<int> Evaluator::replications(std::size_t point) const {
  std::vector<int> out;
  for (auto it = done_.lower_bound({point, std::numeric_limits<int>::min()});
       it != done_.end() && it->first.first == point; ++it) {
    out.push_back(it->first.second);
  }
  return out;
}

// Rinott-type constant of the KN boundary for `comparisons` comparisons at
// error `alpha` with first stage n0: h^2 = 2 eta (n0 - 1), eta =
// ((2 alpha / comparisons)^(-2 / (n0 - 1)) - 1) / 2 (Kim & Nelson 2001).
double h_squared(double alpha, double comparisons, int n0) {
  const double eta = 0.5 * (std::pow(2.0 * alpha / comparisons, -2.0 / (n0 - 1)) - 1.0);
  return 2.0 * eta * (n0 - 1);
}

double sample_variance(const std::vector<double>& x) {
  const auto n = static_cast<double>(x.size());
  double m = 0.0;
  for (const double v : x) m += v;
  m /= n;
  double s = 0.0;
  for (const double v : x) s += (v - m) * (v - m);
  return x.size() > 1 ? s / (n - 1) : 0.0;
}

// The quantity of constraint c that must be <= 0 in expectation.
double slack(const OptimizeConstraint& c, double kpi) { return c.at_least ? c.bound - kpi : kpi - c.bound; }


// The stage of a procedure: which points are in, and the replications from `base`.
struct Stage {
  Evaluator& ev;
  const OptimizeSpec& spec;
  const std::string phase;
  int iteration;
  int base;  // the first replication index the procedure uses (fresh data)
};

// One more replication (index base + r) of every point in `in`.
bool sample(Stage& st, const std::vector<std::size_t>& in, int r) {
  if (!st.ev.affordable(in.size())) return false;
  std::vector<std::pair<std::size_t, int>> tasks;
  for (const std::size_t p : in) tasks.emplace_back(p, st.base + r);
  st.ev.run(tasks, st.phase, st.iteration);
  return true;
}

// What the feasibility check declared: the points feasible (with every
// constraint declared met; when the budget stopped it, by their means) and
// the points declared infeasible.
struct Feasibility {
  std::vector<std::size_t> feasible, infeasible;
  int used = 0;  // replications from the stage's base
  bool complete = true;
};

enum class Verdict { kOpen, kFeasible, kInfeasible };

// Updates the open verdicts of point i after r replications: Andradottir &
// Kim's boundary R(r) = max{0, h^2 S^2 / (2 eps) - eps r / 2} around the sum
// of the slacks. Returns true when the point needs more replications.
bool judge(Stage& st, std::size_t point, int r, double h2, const std::vector<double>& s2, std::vector<Verdict>& v) {
  const auto& cons = st.spec.constraints;
  for (std::size_t c = 0; c < cons.size(); ++c) {
    if (v[c] == Verdict::kInfeasible) return false;  // decided: no more runs
  }
  bool open = false;
  for (std::size_t c = 0; c < cons.size(); ++c) {
    if (v[c] != Verdict::kOpen) continue;
    double sum = 0.0;
    for (int j = 0; j < r; ++j) sum += slack(cons[c], st.ev.at(point, st.base + j).constraints[c]);
    const double eps = cons[c].tolerance;
    const double R = std::max(0.0, h2 * s2[c] / (2.0 * eps) - eps * r / 2.0);
    if (sum <= -R) {
      v[c] = Verdict::kFeasible;
    } else if (sum >= R) {
      v[c] = Verdict::kInfeasible;
      return false;
    } else {
      open = true;
    }
  }
  return open;
}

// Andradottir & Kim's feasibility check of every point against every
// constraint at total error `alpha` (alpha / (points x constraints) each).
Feasibility feasibility(Stage& st, const std::vector<std::size_t>& points, double alpha) {
  const auto& cons = st.spec.constraints;
  const int n0 = st.spec.first_stage;
  Feasibility out;
  if (!st.ev.affordable(points.size() * static_cast<std::size_t>(n0))) {
    out.complete = false;
    return out;
  }
  for (int r = 0; r < n0; ++r) sample(st, points, r);
  const double h2 = h_squared(alpha, static_cast<double>(points.size() * cons.size()), n0);
  std::vector<std::vector<Verdict>> v(points.size(), std::vector<Verdict>(cons.size(), Verdict::kOpen));
  std::vector<std::vector<double>> s2(points.size(), std::vector<double>(cons.size()));
  for (std::size_t i = 0; i < points.size(); ++i) {
    for (std::size_t c = 0; c < cons.size(); ++c) {
      std::vector<double> z;
      for (int j = 0; j < n0; ++j) z.push_back(slack(cons[c], st.ev.at(points[i], st.base + j).constraints[c]));
      s2[i][c] = sample_variance(z);
    }
  }
  int r = n0;
  for (;; ++r) {
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < points.size(); ++i) {
      if (judge(st, points[i], r, h2, s2[i], v[i])) open.push_back(points[i]);
    }
    if (open.empty()) break;
    if (!sample(st, open, r)) {
      out.complete = false;
      break;
    }
  }
  out.used = r;
  for (std::size_t i = 0; i < points.size(); ++i) {
    bool ok = true, out_of = false;
    for (std::size_t c = 0; c < cons.size(); ++c) {
      out_of = out_of || v[i][c] == Verdict::kInfeasible;
      if (v[i][c] == Verdict::kOpen) {  // the budget ran out: by the mean
        double sum = 0.0;
        const std::vector<int> reps = st.ev.replications(points[i]);
        for (const int j : reps) sum += slack(cons[c], st.ev.at(points[i], j).constraints[c]);
        ok = ok && sum <= 0.0;
      }
    }
    if (out_of) out.infeasible.push_back(points[i]);
    else if (ok) out.feasible.push_back(points[i]);
  }
  return out;
}

// Kim & Nelson's procedure KN among `points` at error `alpha`: the survivors
// (one when it decided; several when the budget stopped it or its maximum
// sample size was reached: then the first is the best by its mean).
std::vector<std::size_t> kim_nelson(Stage& st, const std::vector<std::size_t>& points, double alpha, bool* complete) {
  const int n0 = st.spec.first_stage;
  const double delta = st.spec.delta;
  const std::size_t k = points.size();
  *complete = true;
  if (k == 1 && st.ev.replications(points[0]).size() >= 2) return points;  // nothing to select
  if (!st.ev.affordable(k * static_cast<std::size_t>(n0))) {
    *complete = false;
    return points;
  }
  for (int r = 0; r < n0; ++r) sample(st, points, r);
  auto g = [&](std::size_t p, int j) { return st.ev.at(p, st.base + j).g; };
  if (k == 1) return points;
  const double h2 = h_squared(alpha, static_cast<double>(k - 1), n0);
  std::vector<std::vector<double>> s2(k, std::vector<double>(k, 0.0));
  double most = 0.0;  // the largest sample size the procedure may need
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t l = i + 1; l < k; ++l) {
      std::vector<double> d;
      for (int j = 0; j < n0; ++j) d.push_back(g(points[i], j) - g(points[l], j));
      s2[i][l] = s2[l][i] = sample_variance(d);
      most = std::max(most, std::floor(h2 * s2[i][l] / (delta * delta)));
    }
  }
  std::vector<std::size_t> in(k);
  for (std::size_t i = 0; i < k; ++i) in[i] = i;
  std::vector<double> sum(k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    for (int j = 0; j < n0; ++j) sum[i] += g(points[i], j);
  }
  for (int r = n0;; ++r) {
    std::vector<std::size_t> keep;
    for (const std::size_t i : in) {
      bool out = false;
      for (const std::size_t l : in) {
        if (l == i) continue;
        const double w = std::max(0.0, delta / (2.0 * r) * (h2 * s2[i][l] / (delta * delta) - r));
        if (sum[i] / r > sum[l] / r + w) out = true;
      }
      if (!out) keep.push_back(i);
    }
    in = keep;
    if (in.size() <= 1 || r > most) break;
    std::vector<std::size_t> ps;
    for (const std::size_t i : in) ps.push_back(points[i]);
    if (!sample(st, ps, r)) {
      *complete = false;
      break;
    }
    for (const std::size_t i : in) sum[i] += g(points[i], r);
  }
  std::stable_sort(in.begin(), in.end(), [&](std::size_t a, std::size_t b) { return sum[a] < sum[b]; });
  std::vector<std::size_t> out;
  for (const std::size_t i : in) out.push_back(points[i]);
  return out;
}

// The replication index after every one run so far: fresh data for a procedure.
int fresh(const Evaluator& ev, const std::vector<std::size_t>& points) {
  int next = 0;
  for (const std::size_t p : points) {
    const std::vector<int> reps = ev.replications(p);
    if (!reps.empty()) next = std::max(next, reps.back() + 1);
  }
  return next;
}

// Feasibility (with constraints) then KN, on fresh replications: the
// survivors, best first (empty: none was declared feasible).
struct Selection {
  std::vector<std::size_t> ranked;
  std::vector<std::size_t> infeasible;  // declared so by the feasibility check
  bool complete = true;
};
Selection select(Evaluator& ev, const OptimizeSpec& spec, const std::vector<std::size_t>& points, int base,
                 int iteration) {
  Selection out;
  double alpha = spec.alpha;
  std::vector<std::size_t> candidates = points;
  if (!spec.constraints.empty()) {
    Stage f{ev, spec, "feasibility", iteration, base};
    Feasibility check = feasibility(f, points, alpha / 2.0);
    candidates = std::move(check.feasible);
    out.infeasible = std::move(check.infeasible);
    out.complete = check.complete;
    base += check.used;
    alpha /= 2.0;
  }
  if (!candidates.empty() && out.complete) {
    Stage k{ev, spec, "selection", iteration, base};
    candidates = kim_nelson(k, candidates, alpha, &out.complete);
  }
  if (!out.complete) {
    // The budget stopped it: the candidates that have runs, best mean first.
    std::vector<std::pair<double, std::size_t>> by_mean;
    for (const std::size_t p : candidates) {
      const std::vector<int> reps = ev.replications(p);
      if (reps.empty()) continue;
      double sum = 0.0;
      for (const int r : reps) sum += ev.at(p, r).g;
      by_mean.emplace_back(sum / static_cast<double>(reps.size()), p);
    }
    std::stable_sort(by_mean.begin(), by_mean.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    candidates.clear();
    for (const auto& bp : by_mean) candidates.push_back(bp.second);
  }
  out.ranked = std::move(candidates);
  return out;
}

// How a method ended: the points it kept, best first.
struct Ending {
  std::vector<std::size_t> ranked;
  std::set<std::size_t> infeasible;  // declared so: never a runner-up
  bool found = true;
  bool guarantee = false;
  std::string stopped;
};

// COMPASS's state: the points visited and the random walk that samples new ones.
class Compass {
 public:
  Compass(Evaluator& ev, const OptimizeSpec& spec)
      : ev_(ev), spec_(spec), rng_(ev.seed(), 0, "optimize/compass") {}

  // The best visited point: by its mean among those whose means meet every
  // constraint, else the least violation.
  std::size_t best() const;
  // Runs until the clean-up confirms the best or the budget ends.
  Ending search_points();

 private:
  double mean_g(std::size_t p) const {
    double s = 0.0;
    const std::vector<int> reps = ev_.replications(p);
    for (const int r : reps) s += ev_.at(p, r).g;
    return s / static_cast<double>(reps.size());
  }
  double violation(std::size_t p) const {
    const std::vector<int> reps = ev_.replications(p);
    double v = 0.0;
    for (std::size_t c = 0; c < spec_.constraints.size(); ++c) {
      double s = 0.0;
      for (const int r : reps) s += slack(spec_.constraints[c], ev_.at(p, r).constraints[c]);
      v += std::max(0.0, s / static_cast<double>(reps.size())) / spec_.constraints[c].tolerance;
    }
    return v;
  }
  std::vector<std::size_t> neighbours(std::size_t p) const {
    std::vector<std::size_t> out;
    const std::vector<std::size_t> x = ev_.coordinates(p);
    for (std::size_t j = 0; j < x.size(); ++j) {
      for (const int step : {-1, 1}) {
        if ((step < 0 && x[j] == 0) || (step > 0 && x[j] + 1 >= ev_.levels()[j])) continue;
        std::vector<std::size_t> y = x;
        y[j] = static_cast<std::size_t>(static_cast<long long>(x[j]) + step);
        out.push_back(ev_.index(y));
      }
    }
    return out;
  }
  std::size_t walk(std::size_t from);
  std::vector<std::size_t> start_points();
  std::vector<std::size_t> new_points(std::size_t x, const std::vector<std::size_t>& nb);
  // Replications 0 .. n-1 of each point; false when the budget cannot pay.
  bool top_up(const std::vector<std::size_t>& points, int n, int iteration);

  Evaluator& ev_;
  const OptimizeSpec& spec_;
  sim::RandomStream rng_;
  std::set<std::size_t> visited_;
  std::map<std::size_t, std::size_t> order_;  // point -> the order it was first visited in
  std::optional<std::size_t> anchor_;          // the last clean-up's pick, when not the best by the means
  std::size_t anchor_mark_ = 0;                // order_.size() when the anchor was set
  std::set<std::size_t> infeasible_;           // declared infeasible by a clean-up

 public:
  const std::set<std::size_t>& infeasible() const { return infeasible_; }
};

std::size_t Compass::best() const {
  std::size_t best = *visited_.begin();
  double best_v = std::numeric_limits<double>::infinity(), best_g = best_v;
  for (const std::size_t p : visited_) {
    // A point a clean-up declared infeasible ranks after every other.
    const double v = infeasible_.count(p) ? std::numeric_limits<double>::max() : violation(p), g = mean_g(p);
    if (v < best_v || (v == best_v && g < best_g)) best = p, best_v = v, best_g = g;
  }
  return best;
}

// A random walk along the parameters' axes from `from`, staying in the most
// promising area: the grid points no farther from `from` than from any other
// visited point (Hong & Nelson's coordinate sampling).
std::size_t Compass::walk(std::size_t from) {
  const std::vector<std::size_t> centre = ev_.coordinates(from);
  const std::size_t d = centre.size();
  std::vector<double> x(centre.begin(), centre.end());
  std::vector<std::vector<double>> a;  // y - centre, per visited y
  std::vector<double> c;               // (y - centre) . (y + centre) / 2
  for (const std::size_t p : visited_) {
    if (p == from) continue;
    const std::vector<std::size_t> y = ev_.coordinates(p);
    std::vector<double> row(d);
    double rhs = 0.0;
    for (std::size_t j = 0; j < d; ++j) {
      row[j] = static_cast<double>(y[j]) - static_cast<double>(centre[j]);
      rhs += row[j] * (static_cast<double>(y[j]) + static_cast<double>(centre[j])) / 2.0;
    }
    a.push_back(std::move(row));
    c.push_back(rhs);
  }
  const std::size_t steps = 10 + 5 * d;
  for (std::size_t t = 0; t < steps; ++t) {
    const auto j = std::min(d - 1, static_cast<std::size_t>(rng_.uniform01() * static_cast<double>(d)));
    double lo = 0.0, hi = static_cast<double>(ev_.levels()[j] - 1);
    for (std::size_t v = 0; v < a.size(); ++v) {
      double other = 0.0;
      for (std::size_t l = 0; l < d; ++l) {
        if (l != j) other += a[v][l] * x[l];
      }
      const double room = c[v] - other;
      if (a[v][j] > 0.0) hi = std::min(hi, std::floor(room / a[v][j] + 1e-9));
      if (a[v][j] < 0.0) lo = std::max(lo, std::ceil(room / a[v][j] - 1e-9));
    }
    if (hi < lo) continue;  // cannot happen from a point of the area; kept safe
    x[j] = lo + std::floor(rng_.uniform01() * (hi - lo + 1.0));
  }
  std::vector<std::size_t> out(d);
  for (std::size_t j = 0; j < d; ++j) out[j] = static_cast<std::size_t>(x[j]);
  return ev_.index(out);
}

bool Compass::top_up(const std::vector<std::size_t>& points, int n, int iteration) {
  std::vector<std::pair<std::size_t, int>> tasks;
  for (const std::size_t p : points) {
    for (int r = 0; r < n; ++r) {
      if (!ev_.has(p, r)) tasks.emplace_back(p, r);
    }
  }
  if (!ev_.affordable(tasks.size())) return false;
  ev_.run(tasks, "search", iteration);
  for (const std::size_t p : points) {
    if (visited_.insert(p).second) order_.emplace(p, order_.size());
  }
  return true;
}

// The start: the grid's centre and max(2, d) points at random.
std::vector<std::size_t> Compass::start_points() {
  const std::size_t d = ev_.levels().size();
  const std::size_t m = std::max<std::size_t>(2, d);
  std::vector<std::size_t> mid(d), start;
  for (std::size_t j = 0; j < d; ++j) mid[j] = ev_.levels()[j] / 2;
  start.push_back(ev_.index(mid));
  for (std::size_t tries = 0; start.size() < m + 1 && tries < 20 * m; ++tries) {
    std::vector<std::size_t> x(d);
    for (std::size_t j = 0; j < d; ++j) {
      x[j] = std::min(ev_.levels()[j] - 1,
                      static_cast<std::size_t>(rng_.uniform01() * static_cast<double>(ev_.levels()[j])));
    }
    const std::size_t p = ev_.index(x);
    if (std::find(start.begin(), start.end(), p) == start.end()) start.push_back(p);
  }
  return start;
}

// Up to max(2, d) unvisited points of the most promising area around x (at
// least one unvisited neighbour when the walks find none).
std::vector<std::size_t> Compass::new_points(std::size_t x, const std::vector<std::size_t>& nb) {
  const std::size_t m = std::max<std::size_t>(2, ev_.levels().size());
  std::vector<std::size_t> out;
  for (std::size_t tries = 0; tries < 4 * m && out.size() < m; ++tries) {
    const std::size_t p = walk(x);
    if (!visited_.count(p) && std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  }
  for (const std::size_t p : nb) {
    if (!out.empty()) break;
    if (!visited_.count(p)) out.push_back(p);
  }
  return out;
}

Ending Compass::search_points() {
  Ending end;
  const int n_new = std::max(2, (spec_.first_stage + 1) / 2);
  if (!top_up(start_points(), n_new, 0)) {
    end.found = false;
    end.stopped = fmt::format("the budget of {} runs cannot pay the first iteration", spec_.budget);
    return end;
  }
  for (int k = 1, cleanups = 0;; ++k) {
    // The best by the means, unless the last clean-up picked another point:
    // then that one, until a point visited since beats it.
    std::size_t x = best();
    if (anchor_ && x != *anchor_ && order_.at(x) < anchor_mark_) x = *anchor_;
    const std::vector<std::size_t> nb = neighbours(x);
    if (std::all_of(nb.begin(), nb.end(), [&](std::size_t p) { return visited_.count(p) != 0; })) {
      std::vector<std::size_t> hood{x};
      hood.insert(hood.end(), nb.begin(), nb.end());
      const Selection sel = select(ev_, spec_, hood, fresh(ev_, hood), k);
      infeasible_.insert(sel.infeasible.begin(), sel.infeasible.end());
      end.ranked = sel.ranked;
      if (!sel.complete) {
        end.found = !sel.ranked.empty();
        end.stopped = fmt::format("the budget of {} runs ran out in the clean-up of iteration {}", spec_.budget, k);
        return end;
      }
      if (sel.ranked.empty()) {
        end.found = false;
        end.stopped = fmt::format("no point of the best's neighbourhood was declared feasible (iteration {})", k);
        return end;
      }
      if (sel.ranked.front() == x || ++cleanups >= 20) {
        end.guarantee = sel.ranked.front() == x;
        end.stopped = end.guarantee ? fmt::format("iteration {}: every neighbour of the best was visited, and the "
                                                  "clean-up selected the best of its neighbourhood",
                                                  k)
                                    : "the clean-up picked a neighbour 20 times: stopped at its last pick";
        return end;
      }
      anchor_ = sel.ranked.front();  // a neighbour won the clean-up: search on from there
      anchor_mark_ = order_.size();
      continue;
    }
    // The simulation-allocation rule: every visited point's runs grow with k.
    const int a_k = n_new + static_cast<int>(std::floor(5.0 * std::log(1.0 + k)));
    const std::vector<std::size_t> seen(visited_.begin(), visited_.end());
    if (!top_up(new_points(x, nb), n_new, k) || !top_up(seen, a_k, k)) {
      end.stopped = fmt::format("the budget of {} runs ran out in iteration {}", spec_.budget, k);
      end.ranked = {best()};
      return end;
    }
  }
}

Ending kn_points(Evaluator& ev, const OptimizeSpec& spec) {
  Ending end;
  std::vector<std::size_t> all(ev.design().size());
  for (std::size_t p = 0; p < all.size(); ++p) all[p] = p;
  const Selection sel = select(ev, spec, all, 0, 0);
  end.ranked = sel.ranked;
  end.infeasible.insert(sel.infeasible.begin(), sel.infeasible.end());
  end.found = !sel.ranked.empty();
  end.guarantee = sel.complete && sel.ranked.size() == 1;
  if (!sel.complete) {
    end.stopped = fmt::format("the budget of {} runs ran out before the procedure ended", spec.budget);
  } else if (!end.found) {
    end.stopped = "no point was declared feasible";
  } else if (sel.ranked.size() == 1) {
    end.stopped = "one point was left";
  } else {
    end.guarantee = true;
    end.stopped = fmt::format("the largest sample size the procedure needs was reached with {} points left; the "
                              "best by its mean is selected",
                              sel.ranked.size());
  }
  return end;
}

// A point's figures from all its runs.
OptimizeCandidate candidate(const Evaluator& ev, const OptimizeSpec& spec, std::size_t p) {
  OptimizeCandidate c;
  c.point = p;
  c.values = ev.values(p);
  const std::vector<int> reps = ev.replications(p);
  std::vector<double> obj;
  std::vector<std::vector<double>> cons(spec.constraints.size());
  for (const int r : reps) {
    obj.push_back(ev.at(p, r).objective);
    for (std::size_t k = 0; k < cons.size(); ++k) cons[k].push_back(ev.at(p, r).constraints[k]);
  }
  c.objective = sim::confidence_interval(obj);
  for (std::size_t k = 0; k < cons.size(); ++k) {
    c.constraints.push_back(sim::confidence_interval(cons[k]));
    c.feasible = c.feasible && slack(spec.constraints[k], c.constraints.back().mean) <= 0.0;
  }
  return c;
}

// The other points the data cannot tell from the best: those whose paired
// difference (on the replications both ran) is not shown to exceed delta.
std::vector<OptimizeCandidate> runners_up(const Evaluator& ev, const OptimizeSpec& spec, std::size_t best,
                                          const std::vector<std::size_t>& pool, const std::set<std::size_t>& ruled_out) {
  std::vector<OptimizeCandidate> out;
  const std::vector<int> best_reps = ev.replications(best);
  for (const std::size_t p : pool) {
    if (p == best || ruled_out.count(p)) continue;
    std::vector<double> d;
    for (const int r : ev.replications(p)) {
      if (ev.has(best, r)) d.push_back(ev.at(p, r).g - ev.at(best, r).g);
    }
    if (d.size() < 2) continue;
    OptimizeCandidate c = candidate(ev, spec, p);
    if (!c.feasible) continue;
    c.difference = sim::confidence_interval(d, 1.0 - spec.alpha);
    // Not shown to differ by delta either way (a point clearly better than
    // the best would be a failure of the search, and is not hidden here).
    if (c.difference.lower() < spec.delta && c.difference.upper() > -spec.delta) {
      if (spec.maximize) c.difference.mean = -c.difference.mean;  // as the objective reads
      out.push_back(std::move(c));
    }
  }
  std::sort(out.begin(), out.end(), [&](const OptimizeCandidate& a, const OptimizeCandidate& b) {
    return std::abs(a.difference.mean) < std::abs(b.difference.mean);
  });
  if (out.size() > 10) out.resize(10);
  return out;
}

void check(const OptimizeSpec& s) {
  if (s.params.empty()) throw std::invalid_argument("--vary: give at least one PATH=SPEC to optimise over");
  for (const sim::ParamSpec& p : s.params) {
    if (p.kind == sim::ParamSpec::Kind::kInterval) {
      throw std::invalid_argument(fmt::format("--vary {}={}: give a list or a range FROM:TO:STEP (the search "
                                              "runs on a grid)", p.name, p.spec));
    }
  }
  if (s.objective.empty()) throw std::invalid_argument("give the objective: --minimize KPI or --maximize KPI");
  if (!(s.delta > 0.0) || !std::isfinite(s.delta)) {
    throw std::invalid_argument(fmt::format("--indifference must be a number > 0 (got {})", s.delta));
  }
  if (!(s.alpha > 0.0 && s.alpha < 0.5)) throw std::invalid_argument(fmt::format("--alpha must be in (0, 0.5) (got {})", s.alpha));
  if (s.first_stage < 2) throw std::invalid_argument(fmt::format("--first-stage must be >= 2 (got {})", s.first_stage));
  if (s.budget < 1) throw std::invalid_argument("--budget must be >= 1");
}

}  // namespace

void check_optimize(const OptimizeSpec& spec) {
  check(spec);
  const sim::Design design = sim::Design::grid(spec.params);
  std::vector<std::string> sets = spec.sets;
  for (std::size_t j = 0; j < spec.params.size(); ++j) sets.push_back(spec.params[j].name + "=" + design.text(0, j));
  sets.push_back("horizon=1");
  sets.push_back("warmup=0");
  const LoadedScenario probe = load_scenario(spec.scenario, {sets, "--set", spec.allowed_dirs});
  const KpiSet k = run_replication(probe.spec, 1, 0, ReplicationOptions::checked()).kpis;
  std::vector<std::pair<std::string, std::string>> wanted = {{spec.objective, spec.maximize ? "--maximize" : "--minimize"}};
  for (const OptimizeConstraint& c : spec.constraints) wanted.emplace_back(c.column, "--subject-to");
  for (const auto& [name, option] : wanted) {
    bool found = false;
    for (const KpiValue& v : k.values) found = found || detail::kpi_column(v) == name;
    if (!found) throw LoadError({{option, 0, 0, "", missing_column(name)}});
  }
}

OptimizeResult run_optimize(const OptimizeSpec& spec, const std::function<void(std::size_t, std::size_t)>& progress,
                            SweepExecutor* executor) {
  check_optimize(spec);
  ThreadExecutor threads(spec.jobs);
  Evaluator ev(spec, progress, executor != nullptr ? *executor : threads);
  OptimizeResult out;
  for (const sim::ParamSpec& p : spec.params) out.param_names.push_back(p.name);
  out.points = ev.design().size();
  out.seed = ev.seed();
  const bool kn = spec.method == OptimizeMethod::kKimNelson ||
                  (spec.method == OptimizeMethod::kAuto && out.points <= kKnMaxPoints);
  out.method = kn ? "kim-nelson" : "compass";
  Ending end;
  std::vector<std::size_t> pool;
  if (kn) {
    end = kn_points(ev, spec);
  } else {
    Compass c(ev, spec);
    end = c.search_points();
    end.infeasible = c.infeasible();
  }
  for (std::size_t p = 0; p < out.points; ++p) {
    if (!ev.replications(p).empty()) pool.push_back(p);
  }
  out.visited = pool.size();
  out.runs = ev.runs();
  out.found = end.found && !end.ranked.empty();
  out.guarantee = out.found && end.guarantee;
  out.stopped = end.stopped;
  const int pct = static_cast<int>(std::lround(100.0 * (1.0 - spec.alpha)));
  if (out.guarantee) {
    out.guarantee_text =
        kn ? fmt::format("with probability at least {}%, the point selected is within {} of the best point's "
                         "expected {}{}",
                         pct, sim::format_number(spec.delta), spec.objective,
                         spec.constraints.empty() ? "" : " among the feasible points (constraints within their tolerances)")
           : fmt::format("with probability at least {}%, the point selected is within {} of the best expected {} of "
                         "its neighbourhood (a local optimum of the grid)",
                         pct, sim::format_number(spec.delta), spec.objective);
  } else {
    out.guarantee_text = "none: " + out.stopped;
  }
  if (out.found) {
    out.best = candidate(ev, spec, end.ranked.front());
    out.runners_up = runners_up(ev, spec, end.ranked.front(), pool, end.infeasible);
  }
  if (ev.unused_resumed() != 0) {
    throw std::runtime_error(fmt::format("optimize.csv holds {} runs this search does not make: it was written by "
                                         "another search",
                                         ev.unused_resumed()));
  }
  out.trace = std::move(ev.trace());
  return out;
}

}  // namespace chainsim::models

// Simulation optimisation: the best point of a grid of scenario parameters
// for an objective KPI, subject to constraints on KPIs, under common random
// numbers (chainsim optimize, docs/optimize.md).
//
// Methods, each with its guarantee:
//   - Kim-Nelson (KN, Kim & Nelson 2001): every point of a small grid, a
//     fully sequential ranking-and-selection procedure. With an indifference
//     zone delta and confidence 1 - alpha, the point it returns has, with
//     probability at least 1 - alpha, an expected objective within delta of
//     the best (the probability of correct selection, PCS). Constraints come
//     first: each point's feasibility is decided by the sequential check of
//     Andradottir & Kim (2010) with a tolerance epsilon per constraint, at
//     alpha / 2 over all points and constraints; KN then selects among the
//     points declared feasible, on fresh replications, at alpha / 2.
//   - COMPASS (Hong & Nelson 2006): an adaptive random search for larger
//     grids. Each iteration samples new points in the most promising area
//     (the grid points closer to the best point so far than to any other
//     visited one) and gives the best more replications. It stops when the
//     best's every neighbour (one step along one parameter) has been visited,
//     then runs the clean-up of Industrial Strength COMPASS (Xu, Nelson &
//     Hong 2010): the procedure above among the best and its neighbours, on
//     fresh replications. The guarantee is local: with probability at least
//     1 - alpha the point returned is within delta of the best of its
//     neighbourhood. If the clean-up picks a neighbour the search goes on.
//   - auto: KN when the grid has at most kKnMaxPoints points, else COMPASS.
// Replication r of every point uses the streams of (seed, r, name): common
// random numbers, so the comparisons are paired. A budget in runs stops the
// search early; then no guarantee holds and the result says so.
// Determinism: the same inputs give the same runs and the same answer
// whatever the number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/statistics.h"
#include "sim/sweep_design.h"

namespace chainsim::models {

// "KPI>=x" or "KPI<=x": a KPI column as in sweep.csv ("network.fill_rate",
// "stock.store/widget.fill_rate") and a bound.
struct OptimizeConstraint {
  std::string text;       // as written
  std::string column;
  bool at_least = true;   // KPI >= bound; else KPI <= bound
  double bound = 0.0;
  double tolerance = 0.0;  // epsilon > 0: within it of the bound either answer is right
};
// Parses "KPI>=x" / "KPI<=x". The tolerance is `tolerance` when given, else
// 1% of |x| (0.001 when x is 0). Throws std::invalid_argument naming what is wrong.
OptimizeConstraint parse_constraint(const std::string& text, std::optional<double> tolerance = std::nullopt);

// One simulation run of the search (a row of optimize.csv).
struct OptimizeRun {
  std::string phase;  // "search", "feasibility", "selection"
  int iteration = 0;  // COMPASS's iteration (0 for KN)
  std::size_t point = 0;
  std::vector<std::string> values;  // each parameter's value at the point
  int replication = 0;
  double objective = 0.0;
  std::vector<double> constraints;  // each constraint's KPI
};

enum class OptimizeMethod { kAuto, kKimNelson, kCompass };
inline constexpr std::size_t kKnMaxPoints = 100;

struct OptimizeSpec {
  std::string scenario;               // scenario file
  std::vector<std::string> sets;      // fixed overrides, before the parameters
  std::vector<std::string> allowed_dirs;
  std::vector<sim::ParamSpec> params;  // lists and ranges (a grid)
  std::string objective;              // a KPI column
  bool maximize = false;
  std::vector<OptimizeConstraint> constraints;
  double delta = 0.0;                 // indifference zone, in the objective's unit; > 0
  double alpha = 0.05;                // 1 - the probability of correct selection
  int first_stage = 10;               // n0: replications of every point before screening, >= 2
  std::size_t budget = 20000;         // runs at most
  OptimizeMethod method = OptimizeMethod::kAuto;
  std::optional<std::uint64_t> seed;  // default: the scenario's
  int jobs = 1;
  // Resuming: the runs an earlier search of the same spec made (its
  // optimize.csv, in order). They are not run again: a search requests the
  // same runs in the same order, so the result is the one an uninterrupted
  // search gives.
  std::vector<OptimizeRun> resume_from;
  // If set, sees every run as it is made (not the resumed ones), in trace
  // order: optimize.csv is written row by row through it.
  std::function<void(const OptimizeRun&)> on_run;
};

// A point and what its runs say.
struct OptimizeCandidate {
  std::size_t point = 0;
  std::vector<std::string> values;          // each parameter's value, as substituted
  sim::Interval objective;                  // over its runs (level 1 - alpha)
  std::vector<sim::Interval> constraints;   // each constraint's KPI
  bool feasible = true;                     // declared (or, with no check run, by its means)
  sim::Interval difference;                 // runner-up: its objective - the best's, paired
};

struct OptimizeResult {
  std::string method;        // "kim-nelson" or "compass"
  std::vector<std::string> param_names;
  std::size_t points = 0;    // in the grid
  std::size_t visited = 0;   // points simulated
  std::size_t runs = 0;
  std::uint64_t seed = 0;
  bool found = false;        // a point was declared feasible (always, without constraints)
  bool guarantee = false;    // the stated guarantee holds (false when the budget stopped it)
  std::string stopped;       // why the search stopped
  std::string guarantee_text;
  OptimizeCandidate best;    // when found
  // Points whose paired difference from the best is not shown to exceed
  // delta: the runners-up the data cannot tell from it, best first.
  std::vector<OptimizeCandidate> runners_up;
  std::vector<OptimizeRun> trace;
};

// Checks the settings and that the objective and every constrained KPI are
// columns of the scenario's results (from a one-period probe run of the
// first point): what run_optimize refuses, found before anything runs.
// Throws as run_optimize does.
void check_optimize(const OptimizeSpec& spec);

class SweepExecutor;

// Runs the optimisation. `progress`, if set, is called after each batch of
// runs with (runs so far, budget). Throws LoadError (a bad scenario, point or
// KPI name), std::invalid_argument (bad settings), ModelError from a run.
//
// `executor` (default: spec.jobs threads) runs each batch of runs: under MPI
// every rank calls run_optimize with the same spec, the writer's results of
// every batch are broadcast to all, and so every rank takes the same
// decisions and returns the same result (models/experiment/sweep.h's
// SweepExecutor; chainsim-mpi optimize).
OptimizeResult run_optimize(const OptimizeSpec& spec,
                            const std::function<void(std::size_t, std::size_t)>& progress = {},
                            SweepExecutor* executor = nullptr);

}  // namespace chainsim::models

namespace chainsim::models {

// What `chainsim optimize` prints and writes (docs/optimize.md).
struct OptimizeMeta {
  std::string version, git;
  std::string scenario_file;
  std::vector<std::string> sets;
  std::string scenario_yaml;  // the scenario as loaded (after extends and --set), hashed into the settings
};
// The terminal summary: the answer, its KPIs with intervals, the runners-up.
std::string optimize_table(const OptimizeSpec& spec, const OptimizeResult& r);
// optimize.json: how it was asked, the method, the stopping reason and the
// guarantee, the best point with its KPIs, the runners-up.
std::string optimize_json(const OptimizeSpec& spec, const OptimizeResult& r, const OptimizeMeta& meta);
// optimize.csv: the search trace, one row per run in the order run: phase,
// iteration, point, each parameter, replication, objective, each constraint's
// KPI. The header, and one row (with its newline).
std::string optimize_csv_header(const OptimizeSpec& spec);
std::string optimize_csv_row(const OptimizeRun& run);
// The rows of an optimize.csv written for `spec` (a half-written last line
// dropped), and the bytes they take. Throws std::runtime_error when the
// header or a row does not fit the spec.
std::vector<OptimizeRun> read_optimize_csv(const OptimizeSpec& spec, const std::string& text, std::size_t* used);
// What a resumed search must match: the question (scenario as loaded, the
// grid, the objective, constraints, delta, alpha, n0, budget, method, seed)
// and the build, as JSON text.
std::string optimize_settings(const OptimizeSpec& spec, const OptimizeMeta& meta);
// optimize.json while the search runs: the status "running" and the settings.
std::string optimize_started_json(const OptimizeSpec& spec, const OptimizeMeta& meta);
// Why the search recorded in `json` (an optimize.json) cannot be resumed by
// this one ("" when it can): not an optimize.json, or asked differently.
std::string optimize_resume_problem(const std::string& json, const OptimizeSpec& spec, const OptimizeMeta& meta);

}  // namespace chainsim::models

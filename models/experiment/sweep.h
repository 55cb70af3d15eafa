// Parameter sweeps: a scenario run at every point of a design (a grid or a
// Latin hypercube over scenario paths), each point `replications` times, with
// the results streamed to files as they arrive (docs/experiments.md).
//
// How a sweep runs (run_sweep):
//   1. the scenario is parsed once; every point's overrides are applied to a
//      parsed document and converted, so no point is parsed from text again;
//      each point's ScenarioSpec is built once and reused by its replications;
//   2. every point is converted and checked before anything is written: a bad
//      path or value stops the sweep with file:line:col messages (exit 2);
//   3. replication 0 of point 0 fixes the KPI columns; sweep.json is written;
//   4. runs (point p, replication r) are numbered k = p * R + r and executed by
//      a SweepExecutor (threads, or MPI ranks); results come back in k order,
//      through a bounded reorder buffer, and each row is appended to
//      sweep.csv and flushed; when the last replication of a point arrives,
//      its summary rows are appended to sweep_summary.csv;
//   5. at the end sweep_model.json (a response surface per KPI) is written.
// Common random numbers: replication r of every point uses the streams of
// (seed, r, source name), so points differ by their parameters, not by noise.
// Determinism: every number is computed by the same code in the same order
// whatever the executor, so the files are identical byte for byte with any
// number of threads or ranks.
// Resume: sweep.csv is the log; a resumed sweep checks that sweep.json matches
// (same build, scenario, design, seed, replications), drops a half-written last
// row, recomputes sweep_summary.csv from the rows, and runs the rest.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/sweep_design.h"

namespace chainsim::models {

// What to sweep.
struct SweepSpec {
  std::string scenario;              // scenario file
  std::vector<std::string> sets;     // fixed "path=value" overrides, applied before the parameters
  std::vector<sim::ParamSpec> params;
  std::string design = "grid";       // grid | lhs
  std::size_t samples = 0;           // lhs: number of points, >= 1
  std::optional<int> replications;   // per point, >= 1; default: the scenario's
  std::optional<std::uint64_t> seed; // default: the scenario's
  std::string source;                // the design file, when there is one ("" for the command line)
  std::vector<std::string> allowed_dirs;  // folders besides the scenario's it may read files in (--allow-dir)
};

// Builds the parameters from the command line's "PATH=SPEC" strings. Throws
// LoadError (a malformed option, a SPEC that does not parse), each message
// naming the option and the path.
std::vector<sim::ParamSpec> parse_param_options(const std::vector<std::string>& options);

// True when the YAML file at `path` is a design file (a mapping with a
// top-level `sweep:` key) rather than a scenario.
bool is_sweep_file(const std::string& path);

// Reads a design file:
//   sweep:
//     scenario: model.yaml        # relative to the design file
//     set: {nodes.store.initial: 60}   # fixed overrides (optional)
//     design: grid                # grid (default) | lhs
//     samples: 50                 # lhs
//     replications: 10            # optional
//     seed: 7                     # optional
//     parameters:                 # in order: the first is the slowest in a grid
//       - {path: nodes.store.policy.S, values: [40, 50, 60]}
//       - {path: nodes.plant.policy.S, range: {from: 20, to: 80, step: 10}}
//       - {path: lanes.0.transport_time, interval: {low: 1.0, high: 4.0}}
// Unknown keys, wrong types and missing keys are reported as
// file:line:col: error: key.path: message, all in one pass. The scenario
// must be in the design file's folder tree or in one of `allowed_dirs`.
// Throws LoadError.
SweepSpec load_sweep_file(const std::string& path, const std::vector<std::string>& allowed_dirs = {});

struct ParsedScenario;

// What a task returns: a validation error (text; empty when the point is
// sound), or one sweep.csv row (text, with its newline) and its KPI values in
// column order (NaN where undefined).
struct SweepTaskResult {
  std::string text;
  std::vector<double> values;
};

// Runs tasks somewhere and hands their results, in index order, to the one
// process that writes the files. Every process of a sweep calls run_sweep with
// the same arguments; the executor makes the processes agree.
class SweepExecutor {
 public:
  using Task = std::function<SweepTaskResult(std::size_t)>;
  using Deliver = std::function<void(std::size_t, SweepTaskResult&&)>;
  virtual ~SweepExecutor() = default;
  // True on the process that delivers results and writes files.
  virtual bool is_writer() const = 0;
  // Runs task(i) for i in [begin, end) on any process and calls deliver(i, r)
  // on the writer for i = begin, begin + 1, ... in order. On other processes
  // the range is ignored (the writer hands out the work) and deliver is never
  // called. Rethrows, on the writer, the first task or delivery failure.
  virtual void run(std::size_t begin, std::size_t end, const Task& task, const Deliver& deliver) = 0;
  // The writer's `value`, on every process.
  virtual std::string broadcast(const std::string& value) = 0;
};

// Runs tasks on `jobs` threads of this process (sim/parallel.h).
class ThreadExecutor final : public SweepExecutor {
 public:
  explicit ThreadExecutor(int jobs) : jobs_(jobs < 1 ? 1 : jobs) {}
  bool is_writer() const override { return true; }
  void run(std::size_t begin, std::size_t end, const Task& task, const Deliver& deliver) override;
  std::string broadcast(const std::string& value) override { return value; }
  int jobs() const noexcept { return jobs_; }

 private:
  int jobs_;
};

struct SweepOptions {
  std::string out_dir;      // created when missing
  bool resume = false;      // continue the sweep in out_dir (a fresh start when it holds none)
  int threads = 1;          // threads per process preparing points (sizes the caches)
  // Memory for converted points kept between checking them and running them
  // (a speed-up only: the results do not depend on it).
  std::size_t cache_bytes = std::size_t{256} << 20;
  std::string version;      // the chainsim build, recorded in sweep.json
  std::string git;
  // Called on the writer after each run with (runs done, total runs, runs
  // done before this process started).
  std::function<void(std::size_t, std::size_t, std::size_t)> progress;
};

struct SweepReport {
  std::size_t points = 0, replications = 0, columns = 0;
  std::size_t runs = 0;          // points * replications
  std::size_t runs_before = 0;   // found in sweep.csv when resuming
  std::size_t kpis_fitted = 0;   // in sweep_model.json
  std::string model_note;        // why no surface was fitted, or which KPIs were skipped
};

// Thrown on processes other than the writer when the writer stopped the sweep
// (it reports the reason itself). `status` is the exit status to use.
class SweepAborted : public std::runtime_error {
 public:
  explicit SweepAborted(int status) : std::runtime_error("the sweep was stopped"), status_(status) {}
  int status() const noexcept { return status_; }

 private:
  int status_;
};

// Runs the sweep (see the top of this file). Throws LoadError for a bad
// scenario, design or point (nothing written), SweepError when out_dir cannot
// be resumed, std::runtime_error when a run or a write fails, SweepAborted on
// non-writer processes. The report is meaningful on the writer.
SweepReport run_sweep(const SweepSpec& spec, const SweepOptions& options, SweepExecutor& executor);

// A sweep that cannot start or continue in its directory (an existing sweep
// without --resume, a sweep.json that differs, a sweep.csv that does not
// parse): the message says what and where.
class SweepError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace chainsim::models

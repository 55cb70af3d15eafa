// chainsim sweep: read the parameters or the design file, run the sweep on
// threads (or on the executor chainsim-mpi passes), report what was written.
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <fmt/core.h>
#include <iostream>
#include <memory>

#include "chainsim_version.h"
#include "commands.h"
#include "validators.h"
#include "models/scenario/loader.h"
#include "models/experiment/sweep.h"
#include "sim/parallel.h"
#include "sim/progress.h"
#include "sim/text.h"

namespace chainsim::cli {

using namespace chainsim::models;

CLI::App* add_sweep_command(CLI::App& app, SweepArgs& a) {
  auto* cmd = app.add_subcommand(
      "sweep", "Run a scenario over a grid or a Latin hypercube of parameter values: sweep.csv, sweep_summary.csv, "
               "sweep.json, sweep_model.json");
  cmd->add_option("scenario", a.target, "Scenario file, or a design file with a sweep: block")->required();
  cmd->add_option("--param", a.params,
                  "PATH=SPEC: a list 20,40,60, a range FROM:TO:STEP, or (lhs) an interval LOW:HIGH (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--design", a.design, "grid (cartesian product, first --param slowest) or lhs")
      ->check(CLI::IsMember({"grid", "lhs"}));
  cmd->add_option("--samples", a.samples, "Points of the Latin hypercube (lhs)")->check(whole_at_least(1));
  cmd->add_option("--replications", a.replications, "Replications per point (default: the scenario's)")
      ->check(whole_at_least(1));
  cmd->add_option("--seed", a.seed, "Random seed (default: the scenario's)")
      ->check(seed_value());
  cmd->add_option("--set", a.sets, "Fix a value for every point: PATH=VALUE (repeatable)")->allow_extra_args(false);
  cmd->add_option("--jobs", a.jobs, "Threads (default: all cores)")->check(whole_at_least(0));
  cmd->add_option("--out", a.out, "Output directory (default: out/<name>_sweep)");
  cmd->add_flag("--resume", a.resume, "Continue the sweep in --out: skip the runs sweep.csv holds");
  cmd->add_flag("--quiet", a.quiet, "Print nothing but errors (no progress)");
  add_allow_dir_option(cmd, a.allow_dirs);
  return cmd;
}

namespace {

// The sweep the arguments ask for: a design file's, or --param's. Throws
// LoadError.
SweepSpec sweep_spec_of(const SweepArgs& a) {
  SweepSpec spec;
  if (is_sweep_file(a.target)) {
    if (!a.params.empty() || !a.design.empty() || a.samples) {
      throw LoadError({{a.target, 0, 0, "", "the design file gives the parameters and the design: drop --param, "
                                            "--design and --samples"}});
    }
    spec = load_sweep_file(a.target, a.allow_dirs);
  } else {
    spec.scenario = a.target;
    spec.allowed_dirs = a.allow_dirs;
    spec.params = parse_param_options(a.params);
    spec.design = a.design.empty() ? "grid" : a.design;
    spec.samples = a.samples.value_or(0);
    if (spec.params.empty()) {
      throw LoadError({{"--param", 0, 0, "", "a sweep needs at least one --param PATH=SPEC (or a design file)"}});
    }
    if (spec.design == "grid" && a.samples) {
      throw LoadError({{"--samples", 0, 0, "", "is for --design lhs"}});
    }
    if (spec.design == "lhs" && !a.samples) {
      throw LoadError({{"--samples", 0, 0, "", "--design lhs needs the number of points: --samples N"}});
    }
  }
  return spec;
}

}  // namespace

int sweep_command(const SweepArgs& a, models::SweepExecutor* executor) {
  const bool writer = executor == nullptr || executor->is_writer();
  const int jobs = a.jobs > 0 ? a.jobs : sim::hardware_jobs();
  SweepSpec spec;
  try {
    spec = sweep_spec_of(a);
  } catch (const LoadError& e) {
    if (writer) print_load_error(e);
    return kExitBadInput;
  }
  spec.sets.insert(spec.sets.end(), a.sets.begin(), a.sets.end());
  if (a.replications) spec.replications = *a.replications;
  if (a.seed) spec.seed = *a.seed;

  SweepOptions opt;
  const std::string stem = std::filesystem::path(a.target).stem().string();
  opt.out_dir = a.out.empty() ? "out/" + stem + "_sweep" : a.out;
  opt.resume = a.resume;
  opt.threads = executor ? 1 : jobs;
  if (executor) opt.cache_bytes = std::size_t{32} << 20;  // per rank: many ranks share a node
  opt.version = CHAINSIM_VERSION;
  opt.git = CHAINSIM_GIT;
  const auto style = a.quiet || !writer ? sim::ProgressMeter::Style::kNone
                     : ::isatty(2)      ? sim::ProgressMeter::Style::kBar
                                        : sim::ProgressMeter::Style::kLines;
  std::unique_ptr<sim::ProgressMeter> meter;
  opt.progress = [&](std::size_t done, std::size_t total, std::size_t before) {
    if (!meter) meter = std::make_unique<sim::ProgressMeter>(std::cerr, style, total, before);
    meter->update(done);
  };
  models::ThreadExecutor threads(jobs);
  SweepExecutor& exec = executor ? *executor : threads;
  const auto start = std::chrono::steady_clock::now();
  SweepReport r;
  try {
    r = run_sweep(spec, opt, exec);
  } catch (const LoadError& e) {
    if (writer) print_load_error(e);
    return kExitBadInput;
  } catch (const SweepError& e) {
    if (writer) std::cerr << "chainsim: error: " << sim::printable(e.what()) << "\n";
    return kExitBadInput;
  } catch (const SweepAborted& e) {
    return e.status();
  }
  if (meter) meter->finish();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (writer && !a.quiet) {
    const std::size_t now = r.runs - r.runs_before;
    std::cout << fmt::format("{} point{} x {} replication{} = {} run{}{}; {} KPI columns\n", r.points,
                             r.points == 1 ? "" : "s", r.replications, r.replications == 1 ? "" : "s", r.runs,
                             r.runs == 1 ? "" : "s", r.runs_before ? fmt::format(" ({} found in sweep.csv)", r.runs_before) : "",
                             r.columns);
    std::cout << fmt::format("ran {} runs in {:.2f} s ({:.0f} runs/s)\n", now, secs, secs > 0 ? now / secs : 0.0);
    std::cout << fmt::format("wrote {0}/sweep.csv, {0}/sweep_summary.csv, {0}/sweep.json and {0}/sweep_model.json\n",
                             opt.out_dir);
    std::cout << "sweep_model.json: " << r.model_note << "\n";
  }
  return kExitOk;
}

}  // namespace chainsim::cli

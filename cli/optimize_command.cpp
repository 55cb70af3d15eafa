// chainsim optimize: the best point of a grid of scenario parameters for a
// KPI, subject to constraints on KPIs (models/experiment/optimize.h,
// docs/optimize.md).
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fmt/core.h>
#include <iostream>
#include <memory>

#include "chainsim_version.h"
#include "commands.h"
#include "validators.h"
#include "models/experiment/optimize.h"
#include "models/experiment/sweep.h"
#include "models/scenario/loader.h"
#include "sim/parallel.h"
#include "sim/progress.h"
#include "sim/text.h"

namespace chainsim::cli {

using namespace chainsim::models;

CLI::App* add_optimize_command(CLI::App& app, OptimizeArgs& a) {
  auto* cmd = app.add_subcommand(
      "optimize", "Find the best point of a grid of parameters for a KPI, subject to constraints on KPIs, with a "
                  "stated probability of correct selection: optimize.json, optimize.csv");
  cmd->add_option("scenario", a.scenario, "Scenario file (YAML)")->required();
  cmd->add_option("--vary", a.vary, "PATH=SPEC: a list 20,40,60 or a range FROM:TO:STEP (repeatable)")
      ->allow_extra_args(false)
      ->required();
  auto* minimize = cmd->add_option("--minimize", a.minimize, "The KPI column to minimise, e.g. network.total_cost");
  auto* maximize = cmd->add_option("--maximize", a.maximize, "The KPI column to maximise, e.g. network.profit");
  minimize->excludes(maximize);
  cmd->add_option("--subject-to", a.constraints, "A constraint KPI>=VALUE or KPI<=VALUE (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--tolerance", a.tolerance,
                  "Each constraint's tolerance: within it of the bound either answer is right (default: 1% of the "
                  "bound)");
  cmd->add_option("--indifference", a.delta,
                  "The indifference zone: a difference in the objective worth finding, in its unit")
      ->required();
  cmd->add_option("--alpha", a.alpha, "1 - the probability of correct selection")->capture_default_str();
  cmd->add_option("--first-stage", a.first_stage, "Replications of each point before screening")
      ->check(whole_at_least(2))
      ->capture_default_str();
  cmd->add_option("--budget", a.budget, "Runs at most")->check(whole_at_least(1))->capture_default_str();
  cmd->add_option("--method", a.method, "auto (kn up to 100 points, else compass), kn or compass")
      ->check(CLI::IsMember({"auto", "kn", "compass"}))
      ->capture_default_str();
  cmd->add_option("--seed", a.seed, "Random seed (default: the scenario's)")->check(seed_value());
  cmd->add_option("--set", a.sets, "Fix a value for every point: PATH=VALUE (repeatable)")->allow_extra_args(false);
  cmd->add_option("--jobs", a.jobs, "Threads (default: all cores)")->check(whole_at_least(0));
  cmd->add_option("--out", a.out, "Output directory (default: out/<name>_optimize)");
  cmd->add_flag("--quiet", a.quiet, "Print nothing but errors");
  add_allow_dir_option(cmd, a.allow_dirs);
  return cmd;
}

namespace {

// The search the arguments ask for. Throws LoadError.
OptimizeSpec optimize_spec_of(const OptimizeArgs& a) {
  OptimizeSpec s;
  s.scenario = a.scenario;
  s.sets = a.sets;
  s.allowed_dirs = a.allow_dirs;
  s.params = parse_param_options(a.vary);
  if (a.minimize.empty() == a.maximize.empty()) {
    throw LoadError({{"--minimize", 0, 0, "", "give the objective: --minimize KPI or --maximize KPI"}});
  }
  s.objective = a.minimize.empty() ? a.maximize : a.minimize;
  s.maximize = !a.maximize.empty();
  try {
    for (const std::string& c : a.constraints) s.constraints.push_back(parse_constraint(c, a.tolerance));
  } catch (const std::invalid_argument& e) {
    throw LoadError({{"--subject-to", 0, 0, "", e.what()}});
  }
  s.delta = a.delta;
  s.alpha = a.alpha;
  s.first_stage = a.first_stage;
  s.budget = a.budget;
  s.method = a.method == "kn" ? OptimizeMethod::kKimNelson
             : a.method == "compass" ? OptimizeMethod::kCompass
                                     : OptimizeMethod::kAuto;
  s.seed = a.seed;
  s.jobs = a.jobs > 0 ? a.jobs : sim::hardware_jobs();
  return s;
}

}  // namespace

int optimize_command(const OptimizeArgs& a) {
  OptimizeSpec spec;
  try {
    spec = optimize_spec_of(a);
  } catch (const LoadError& e) {
    print_load_error(e);
    return kExitBadInput;
  }
  const std::string out = a.out.empty() ? "out/" + std::filesystem::path(a.scenario).stem().string() + "_optimize"
                                        : a.out;
  sim::DirectoryLock lock;  // held until the files are written
  if (const std::string why = lock.claim(out, "--out"); !why.empty()) {
    std::cerr << "chainsim: error: " << why << "\n";
    return kExitBadInput;
  }
  const auto style = a.quiet ? sim::ProgressMeter::Style::kNone
                     : ::isatty(2) ? sim::ProgressMeter::Style::kBar
                                   : sim::ProgressMeter::Style::kNone;
  std::unique_ptr<sim::ProgressMeter> meter;
  OptimizeResult r;
  try {
    r = run_optimize(spec, [&](std::size_t done, std::size_t budget) {
      if (!meter) meter = std::make_unique<sim::ProgressMeter>(std::cerr, style, budget, 0);
      meter->update(done);
    });
  } catch (const LoadError& e) {
    print_load_error(e);
    return kExitBadInput;
  } catch (const std::invalid_argument& e) {
    std::cerr << "chainsim: error: " << sim::printable(e.what()) << "\n";
    return kExitBadInput;
  }
  if (meter) meter->finish();
  OptimizeMeta m;
  m.version = CHAINSIM_VERSION;
  m.git = CHAINSIM_GIT;
  m.scenario_file = a.scenario;
  m.sets = a.sets;
  std::filesystem::create_directories(out);
  sim::write_file_atomically(out + "/optimize.csv", optimize_csv(spec, r));
  sim::write_file_atomically(out + "/optimize.json", optimize_json(spec, r, m));
  if (!a.quiet) {
    std::cout << optimize_table(spec, r);
    std::cout << fmt::format("wrote {0}/optimize.json and {0}/optimize.csv\n", out);
  }
  return kExitOk;
}

}  // namespace chainsim::cli

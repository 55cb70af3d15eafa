// chainsim run: load, run the replications, print the summary, write the files.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fmt/core.h>
#include <iostream>
#include <memory>

#include "chainsim_version.h"
#include "commands.h"
#include "models/experiment.h"
#include "models/outputs.h"
#include "models/scenario_loader.h"
#include "sim/atomic_file.h"
#include "sim/parallel.h"

namespace chainsim::cli {

using namespace chainsim::models;

int run_command(const RunArgs& args) {
  LoadedScenario s;
  try {
    s = load_scenario(args.scenario, {args.sets});
  } catch (const LoadError& e) {
    print_load_error(e);
    return kExitBadInput;
  }
  if (args.seed) s.spec.seed = *args.seed;
  if (args.replications) s.spec.replications = *args.replications;
  const std::string out_dir = args.out.empty() ? "out/" + s.spec.name : args.out;
  sim::make_directories(out_dir);

  ExperimentOptions opt;
  opt.seed = s.spec.seed;
  opt.replications = s.spec.replications;
  opt.jobs = args.jobs > 0 ? args.jobs : sim::hardware_jobs();
  // auto: one replication's rows carry its index; several are averaged.
  const std::string mode = args.timeseries != "auto" ? args.timeseries : opt.replications == 1 ? "all" : "mean";
  opt.series = mode == "none" ? SeriesMode::kNone : mode == "all" ? SeriesMode::kAll : SeriesMode::kMean;

  // With every replication's rows, stream them to the file as they arrive.
  std::unique_ptr<sim::AtomicFile> series_file;
  if (opt.series != SeriesMode::kNone) {
    series_file = std::make_unique<sim::AtomicFile>(out_dir + "/timeseries.csv");
    series_file->write(timeseries_header());
  }
  const bool tty = ::isatty(2) != 0 && !args.quiet;
  const auto start = std::chrono::steady_clock::now();
  bool progress_shown = false;
  auto progress = [&](int done, int total) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!tty || (secs < 1.0 && !progress_shown)) return;
    progress_shown = true;
    std::cerr << fmt::format("\rreplication {}/{}  {:.1f} s", done, total, secs) << std::flush;
  };
  ExperimentResult result = run_experiment(
      s.spec, s.base_dir, opt,
      [&](const ExperimentResult& partial, const ReplicationOutput& rep) {
        if (opt.series == SeriesMode::kAll) series_file->write(timeseries_rows(partial, rep));
      },
      progress);
  if (progress_shown) std::cerr << "\n";

  if (opt.series == SeriesMode::kMean) series_file->write(timeseries_mean_rows(result));
  RunMetadata meta;
  meta.version = CHAINSIM_VERSION;
  meta.git = CHAINSIM_GIT;
  meta.scenario_file = args.scenario;
  meta.scenario_yaml = to_yaml(s.document);
  meta.seed = opt.seed;
  meta.replications = opt.replications;
  sim::write_file_atomically(out_dir + "/summary.json", summary_json(result, meta));
  if (series_file) series_file->commit();
  if (!args.quiet) {
    std::cout << summary_table(result);
    std::cout << fmt::format("\nwrote {}/summary.json{}\n", out_dir,
                             series_file ? fmt::format(" and {}/timeseries.csv", out_dir) : "");
  }
  return kExitOk;
}

}  // namespace chainsim::cli

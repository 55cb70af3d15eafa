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
#include "models/report.h"
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
  // Recorded in the scenario as run too, so that running it again repeats this run.
  if (args.seed) {
    s.spec.seed = *args.seed;
    s.document["seed"] = *args.seed;
  }
  if (args.replications) {
    s.spec.replications = *args.replications;
    s.document["replications"] = *args.replications;
  }
  const std::string out_dir = args.out.empty() ? "out/" + s.spec.name : args.out;
  sim::make_directories(out_dir);

  ExperimentOptions opt;
  opt.seed = s.spec.seed;
  opt.replications = s.spec.replications;
  opt.jobs = args.jobs > 0 ? args.jobs : sim::hardware_jobs();
  // auto: one replication's rows carry its index; several are averaged. The
  // report draws the mean series, so they are kept even when the CSV is not
  // wanted.
  const std::string mode = args.timeseries != "auto" ? args.timeseries : opt.replications == 1 ? "all" : "mean";
  const bool write_series = mode != "none";
  opt.series = mode == "all"                         ? SeriesMode::kAll
               : write_series || !args.no_report ? SeriesMode::kMean
                                                 : SeriesMode::kNone;

  // With every replication's rows, stream them to the file as they arrive.
  std::unique_ptr<sim::AtomicFile> series_file;
  if (write_series) {
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
  std::unique_ptr<report::GroupSeries> echelons;  // the report's echelon totals
  ExperimentResult result = run_experiment(
      s.spec, s.base_dir, opt,
      [&](const ExperimentResult& partial, const ReplicationOutput& rep) {
        if (opt.series == SeriesMode::kAll && series_file) series_file->write(timeseries_rows(partial, rep));
        if (!args.no_report) {
          if (!echelons) echelons = std::make_unique<report::GroupSeries>(partial.info);
          echelons->add(rep);
        }
      },
      progress);
  if (progress_shown) std::cerr << "\n";

  if (series_file && opt.series == SeriesMode::kMean) series_file->write(timeseries_mean_rows(result));
  RunMetadata meta;
  meta.version = CHAINSIM_VERSION;
  meta.git = CHAINSIM_GIT;
  meta.scenario_file = args.scenario;
  meta.scenario_yaml = to_yaml(s.document);
  meta.seed = opt.seed;
  meta.replications = opt.replications;
  sim::write_file_atomically(out_dir + "/summary.json", summary_json(result, meta));
  if (series_file) series_file->commit();
  if (!args.no_report) {
    ReportMetadata report;
    report.version = meta.version;
    report.git = meta.git;
    report.scenario_file = args.scenario;
    report.description = s.spec.description;
    report.seed = opt.seed;
    report.replications = opt.replications;
    sim::write_file_atomically(out_dir + "/report.html", run_report_html(result, report, {}, echelons.get()));
  }
  if (!args.quiet) {
    std::cout << summary_table(result);
    std::string files = out_dir + "/summary.json";
    if (series_file) files += ", " + out_dir + "/timeseries.csv";
    if (!args.no_report) files += ", " + out_dir + "/report.html";
    std::cout << fmt::format("\nwrote {}\n", files);
  }
  return kExitOk;
}

}  // namespace chainsim::cli

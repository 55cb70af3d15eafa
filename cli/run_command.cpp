// chainsim run: load, run the replications, print the summary, write the files.
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fmt/core.h>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "chainsim_version.h"
#include "commands.h"
#include "models/experiment/experiment.h"
#include "models/report/outputs.h"
#include "models/report/run_report.h"
#include "models/scenario/loader.h"
#include "sim/atomic_file.h"
#include "sim/parallel.h"
#include "sim/progress.h"

namespace chainsim::cli {

using namespace chainsim::models;

namespace {

// A progress bar on stderr while a run goes on, when stderr is a terminal:
// redrawn four times a second from the first second on (shorter runs show
// nothing), counting the periods every replication has closed, so one long
// replication moves it too.
class RunProgress {
 public:
  RunProgress(bool enabled, std::uint64_t total, const std::atomic<std::uint64_t>& done) {
    if (!enabled) return;
    thread_ = std::thread([this, total, &done] {
      sim::ProgressMeter meter(std::cerr, sim::ProgressMeter::Style::kBar, total);  // its clock starts now
      meter.set_unit("periods");
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; })) return;
      do {
        meter.update(done.load(std::memory_order_relaxed));
      } while (!cv_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_; }));
      meter.finish(done.load(std::memory_order_relaxed));
    });
  }
  ~RunProgress() { stop(); }
  RunProgress(const RunProgress&) = delete;
  RunProgress& operator=(const RunProgress&) = delete;

  // Draws the last state (if anything was shown) and ends the bar's line.
  void stop() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace

std::string prepare_output_directory(const std::string& dir, const std::string& option) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    return fmt::format("{}: cannot create directory '{}' ({})", option, dir,
                       ec ? ec.message() : std::string("a file of that name is in the way"));
  }
  // Root writes anywhere; anyone else needs write and search permission.
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return fmt::format("{}: cannot write into directory '{}' ({})", option, dir,
                       std::generic_category().message(errno));
  }
  return "";
}

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
  // Before the run, so that hours of replications are not lost to a bad --out.
  if (const std::string why = prepare_output_directory(out_dir, "--out"); !why.empty()) {
    std::cerr << "chainsim: error: " << why << "\n";
    return kExitBadInput;
  }

  // What the trace files held when the run started, for summary.json.
  const auto inputs = hash_input_files(s.spec, s.base_dir);

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
  // timeseries.csv needs every column; the report alone, five.
  if (!write_series) opt.series_columns = report_series_columns();

  // With every replication's rows, stream them to the file as they arrive.
  std::unique_ptr<sim::AtomicFile> series_file;
  if (write_series) {
    series_file = std::make_unique<sim::AtomicFile>(out_dir + "/timeseries.csv");
    series_file->write(timeseries_header());
  }
  // Periods closed so far, over every replication, for the progress bar.
  std::atomic<std::uint64_t> periods_done{0};
  opt.periods_done = &periods_done;
  RunProgress progress(::isatty(2) != 0 && !args.quiet,
                       static_cast<std::uint64_t>(opt.replications) * static_cast<std::uint64_t>(s.spec.horizon),
                       periods_done);
  std::unique_ptr<report::GroupSeries> echelons;  // the report's echelon totals
  ExperimentResult result = run_experiment(
      s.spec, s.base_dir, opt,
      [&](const ExperimentResult& partial, const ReplicationOutput& rep) {
        if (opt.series == SeriesMode::kAll && series_file) series_file->write(timeseries_rows(partial, rep));
        if (!args.no_report) {
          if (!echelons) echelons = std::make_unique<report::GroupSeries>(partial.info);
          echelons->add(rep);
        }
      });
  progress.stop();

  if (series_file && opt.series == SeriesMode::kMean) series_file->write(timeseries_mean_rows(result));
  RunMetadata meta;
  meta.version = CHAINSIM_VERSION;
  meta.git = CHAINSIM_GIT;
  meta.scenario_file = args.scenario;
  meta.scenario_yaml = to_yaml(s.document);
  meta.seed = opt.seed;
  meta.replications = opt.replications;
  meta.inputs = inputs;
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
  // The folder describes this run alone: an earlier run's file that this
  // one does not write (--timeseries none, --no-report) goes.
  std::error_code ignored;
  if (!series_file) std::filesystem::remove(out_dir + "/timeseries.csv", ignored);
  if (args.no_report) std::filesystem::remove(out_dir + "/report.html", ignored);
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

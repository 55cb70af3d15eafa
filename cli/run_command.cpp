// chainsim run: load, run and write the files (models/report/run_files.h), print the summary.
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
#include "models/report/outputs.h"
#include "models/report/run_files.h"
#include "models/scenario/loader.h"
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

int run_command(const RunArgs& args) {
  LoadedScenario s;
  try {
    s = load_scenario(args.scenario, {args.sets, "--set", args.allow_dirs});
  } catch (const LoadError& e) {
    print_load_error(e);
    return kExitBadInput;
  }
  if (!args.quiet) print_warnings(s);
  // Recorded in the scenario as run too, so that running it again repeats this run.
  if (args.seed) {
    s.spec.seed = *args.seed;
    s.document["seed"] = *args.seed;
  }
  if (args.replications) {
    s.spec.replications = *args.replications;
    s.document["replications"] = *args.replications;
  }
  RunFilesOptions o;
  o.out_dir = args.out.empty() ? "out/" + s.spec.name : args.out;
  // Before the run, so that hours of replications are not lost to a bad --out.
  // Held until the files are written: a second run into the same folder is refused, not mixed in.
  sim::DirectoryLock lock;
  if (const std::string why = lock.claim(o.out_dir, "--out"); !why.empty()) {
    std::cerr << "chainsim: error: " << why << "\n";
    return kExitBadInput;
  }
  o.timeseries = args.timeseries == "all" ? TimeseriesFile::kAll
                 : args.timeseries == "mean" ? TimeseriesFile::kMean
                 : args.timeseries == "none" ? TimeseriesFile::kNone
                                             : TimeseriesFile::kAuto;
  o.report = !args.no_report;
  if (!args.log.empty()) {
    const std::filesystem::path name(args.log);
    if (name.has_parent_path() || args.log == "." || args.log == "..") {
      std::cerr << fmt::format("--log: error: give a file name, written in the output directory (got '{}')\n",
                               args.log);
      return kExitBadInput;
    }
    for (const std::string& taken : run_file_names()) {
      if (args.log != taken) continue;
      std::cerr << fmt::format("--log: error: '{}' is one of the run's own files; name the log otherwise\n", taken);
      return kExitBadInput;
    }
    o.log_file = args.log;
  }
  o.jobs = args.jobs > 0 ? args.jobs : sim::hardware_jobs();
  o.version = CHAINSIM_VERSION;
  o.git = CHAINSIM_GIT;
  o.scenario_file = args.scenario;
  // Periods closed so far, over every replication, for the progress bar.
  std::atomic<std::uint64_t> periods_done{0};
  o.periods_done = &periods_done;
  RunProgress progress(::isatty(2) != 0 && !args.quiet,
                       static_cast<std::uint64_t>(s.spec.replications) * static_cast<std::uint64_t>(s.spec.horizon),
                       periods_done);
  const WrittenRun run = write_run(s, o);
  progress.stop();
  if (!args.quiet) {
    std::string files;
    for (const std::string& f : run.files) files += (files.empty() ? "" : ", ") + f;
    std::cout << summary_table(run.result) << fmt::format("\nwrote {}\n", files);
  }
  return kExitOk;
}

}  // namespace chainsim::cli

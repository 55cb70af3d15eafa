#include "models/report/run_files.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <fmt/core.h>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>

#include "models/report/compare_report.h"
#include "models/report/outputs.h"
#include "models/report/run_report.h"
#include "sim/atomic_file.h"
#include "sim/text.h"

namespace chainsim::models {

namespace {

// Streams timeseries.csv: the header now, then every replication's rows as
// its periods close (all: TimeseriesRows, the first replication straight into
// the file, later ones through a temporary file copied in when their turn
// comes), or the mean rows once the run is done (mean).
class SeriesFile {
 public:
  SeriesFile(const std::string& path, TimeseriesFile mode)
      : all_(mode == TimeseriesFile::kAll), dir_(std::filesystem::path(path).parent_path().string()) {
    file_ = std::make_unique<sim::AtomicFile>(path);
    file_->write(timeseries_header());
  }
  bool all() const { return all_; }
  // The writer of replication k's rows. REQUIRES: all(); `info` outlives it.
  std::unique_ptr<ObservationSink> rows(const NetworkInfo& info, int k) {
    return std::make_unique<TimeseriesRows>(info, k, k == 0 ? file_.get() : nullptr, dir_);
  }
  void add(const ReplicationOutput& rep) {
    if (all_) static_cast<TimeseriesRows&>(*rep.sink).append_to(*file_);
  }
  void finish(const ExperimentResult& result) {
    if (!all_) file_->write(timeseries_mean_rows(result));
  }
  sim::AtomicFile& file() { return *file_; }

 private:
  bool all_;
  std::string dir_;  // the output folder: later replications' rows spill there
  std::unique_ptr<sim::AtomicFile> file_;
};

// The event log's file (RunFilesOptions::log_file).
class LogFile {
 public:
  explicit LogFile(const std::string& path) : file_(path), csv_(file_) {}
  EventLog* log() { return &csv_; }
  // Writes the rest (before the run's files are switched in).
  void finish() { csv_.flush(); }
  // Its file, to switch in with the run's others.
  sim::AtomicFile& file() { return file_; }

 private:
  sim::AtomicFile file_;
  EventLogCsv csv_;
};

// Which timeseries.csv a run writes: every replication's rows or their mean.
TimeseriesFile series_file(TimeseriesFile file, int replications) {
  if (file == TimeseriesFile::kAuto) return replications == 1 ? TimeseriesFile::kAll : TimeseriesFile::kMean;
  return file;
}

// customers.csv, its header written: the first replication's deliveries,
// when a segment is in individual mode (else null).
std::unique_ptr<sim::AtomicFile> customers_file(const ScenarioSpec& spec, const std::string& dir) {
  for (const SegmentSpec& g : spec.customers) {
    if (g.mode != CustomerMode::kIndividual) continue;
    auto file = std::make_unique<sim::AtomicFile>(dir + "/customers.csv");
    file->write(customers_header());
    return file;
  }
  return nullptr;
}

// summary.json, streamed to its file.
// summary.json written, not yet in place; `hash` gets the FNV-1a hash of its bytes (the run's id).
// summary.json's chunks written and hashed on a second thread while the
// first formats the next. The run id's FNV-1a hash is a chain of dependent
// multiplications, a few cycles a byte, and a large network's summary.json
// runs to hundreds of megabytes (620 MB for 100,000 stores): done beside the
// formatting, it costs no time. The same bytes, in the same order, the same hash.
class ChunkWriter {
 public:
  ChunkWriter(sim::AtomicFile& file, std::uint64_t& hash) : file_(file), hash_(hash), worker_([this] { work(); }) {}
  ~ChunkWriter() { stop(); }
  ChunkWriter(const ChunkWriter&) = delete;
  ChunkWriter& operator=(const ChunkWriter&) = delete;

  // Takes `chunk`'s text, once the one before is taken, and leaves `chunk`
  // with a buffer the worker is done with: the pieces' buffers go round
  // between the two threads, each faulted in once, instead of a fresh copy
  // of every piece.
  void write(std::string& chunk) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return !full_ || error_; });
    if (error_) std::rethrow_exception(error_);
    next_.swap(chunk);
    full_ = true;
    changed_.notify_all();
  }
  // Waits for every chunk to be written; rethrows a failure to write.
  void finish() {
    stop();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void work() {
    std::string chunk;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return full_ || done_; });
        if (!full_) return;
        chunk.swap(next_);
        full_ = false;
        changed_.notify_all();
      }
      if (failed_) continue;
      try {
        file_.write(chunk);
        hash_ = sim::fnv1a64(chunk, hash_);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        error_ = std::current_exception();
        failed_ = true;
        changed_.notify_all();
      }
    }
  }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
      changed_.notify_all();
    }
    if (worker_.joinable()) worker_.join();
  }

  sim::AtomicFile& file_;
  std::uint64_t& hash_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string next_;
  bool full_ = false, done_ = false;
  bool failed_ = false;  // the worker's own: skip the rest after a failure
  std::exception_ptr error_;
  std::thread worker_;  // last: started once the rest is set up
};

std::unique_ptr<sim::AtomicFile> summary_file(const LoadedScenario& s, const RunFilesOptions& o,
                                              const ExperimentOptions& opt,
                                              const std::vector<std::pair<std::string, std::string>>& inputs,
                                              const ExperimentResult& result, std::uint64_t& hash) {
  RunMetadata meta;
  meta.version = o.version;
  meta.git = o.git;
  meta.scenario_file = o.scenario_file;
  meta.scenario_yaml = to_yaml(s.document);
  meta.seed = opt.seed;
  meta.replications = opt.replications;
  meta.inputs = inputs;
  auto summary = std::make_unique<sim::AtomicFile>(o.out_dir + "/summary.json");
  hash = sim::kFnv1aBasis;
  ChunkWriter writer(*summary, hash);
  write_summary_json(result, meta, [&](std::string& chunk) { writer.write(chunk); });
  writer.finish();
  return summary;
}

// The run's files, written to their temporary files, switched in as one
// unit: the old manifest.json goes first, every file is renamed into place,
// the new manifest.json comes last. A folder with a manifest.json holds the
// run it names and nothing else of another run; a SIGKILL between the two
// leaves a folder without one (docs/outputs.md).
struct RunSwitch {
  std::vector<sim::AtomicFile*> files;
  std::uint64_t id = 0;

  // `stale`: the files of an earlier run this one does not write, removed before the new manifest.
  std::vector<std::string> commit(const std::string& dir, const std::string& version,
                                  const std::vector<std::string>& stale) {
    std::error_code ec, ignored;
    std::filesystem::remove(dir + "/manifest.json", ec);
    if (ec) throw std::runtime_error("cannot remove " + dir + "/manifest.json: " + ec.message());
    std::vector<std::string> paths;
    for (sim::AtomicFile* f : files) {
      f->commit();
      paths.push_back(f->path());
    }
    for (const std::string& name : stale) std::filesystem::remove(dir + "/" + name, ignored);
    nlohmann::ordered_json m;
    m["chainsim"] = version;
    m["run_id"] = fmt::format("{:016x}", id);
    m["note"] = "these files are one run's; run_id is the FNV-1a 64 hash of summary.json";
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const std::string& p : paths) {
      const std::string name = std::filesystem::path(p).filename().string();
      list.push_back({{"file", name}, {"bytes", std::filesystem::file_size(p, ignored)}});
    }
    m["files"] = list;
    sim::write_file_atomically(dir + "/manifest.json", m.dump(2) + "\n");
    return paths;
  }
};

// Removes what an earlier chainsim killed while writing here left: the
// temporary files of its own outputs, NAME.tmp.<pid>.<n> (the folder is
// locked, so none is anyone's now). Nothing else is touched.
void remove_stale_temporaries(const std::string& dir, const std::string& log_file) {
  std::vector<std::string> ours = run_file_names();
  if (!log_file.empty()) ours.push_back(log_file);
  auto temporary_of_ours = [&](const std::string& name) {
    return std::any_of(ours.begin(), ours.end(),
                       [&](const std::string& o) { return sim::AtomicFile::is_temporary_of(name, o); });
  };
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (temporary_of_ours(e.path().filename().string())) std::filesystem::remove(e.path(), ec);
  }
}

}  // namespace

const std::vector<std::string>& run_file_names() {
  static const std::vector<std::string> names = {"summary.json",  "timeseries.csv", "report.html",
                                                 "segments.csv",  "customers.csv",  "manifest.json"};
  return names;
}

WrittenRun write_run(const LoadedScenario& s, const RunFilesOptions& o) {
  const std::string dir = o.out_dir;
  remove_stale_temporaries(dir, o.log_file);
  // What the trace files held when the run started, for summary.json.
  const auto inputs = hash_input_files(s.spec, s.base_dir);
  ExperimentOptions opt;
  opt.seed = s.spec.seed;
  opt.replications = s.spec.replications;
  opt.jobs = o.jobs;
  opt.periods_done = o.periods_done;
  opt.spec_checked = true;  // by the loader
  const TimeseriesFile file = series_file(o.timeseries, opt.replications);
  std::unique_ptr<SeriesFile> series;
  if (file != TimeseriesFile::kNone) series = std::make_unique<SeriesFile>(dir + "/timeseries.csv", file);
  // The mean series: every column for timeseries.csv's mean rows; the five
  // the report draws otherwise (the rows of `all` stream past, never kept).
  opt.series = file == TimeseriesFile::kMean || o.report ? SeriesMode::kMean : SeriesMode::kNone;
  if (file != TimeseriesFile::kMean) opt.series_columns = report_series_columns();
  if (series && series->all()) {
    opt.replication_sink = [&](const NetworkInfo& info, int k) { return series->rows(info, k); };
  }
  std::unique_ptr<report::GroupSeries> echelons;  // the report's echelon totals
  // segments.csv: every replication's rows, when there are customer segments.
  std::unique_ptr<sim::AtomicFile> segments;
  if (!s.spec.customers.empty()) {
    segments = std::make_unique<sim::AtomicFile>(dir + "/segments.csv");
    segments->write(segments_header());
  }
  std::unique_ptr<sim::AtomicFile> customers = customers_file(s.spec, dir);
  opt.customer_transactions = customers != nullptr;
  std::unique_ptr<LogFile> log;
  if (!o.log_file.empty()) opt.event_log = (log = std::make_unique<LogFile>(dir + "/" + o.log_file))->log();
  WrittenRun out;
  out.result = run_experiment(s.spec, opt, [&](const ExperimentResult& partial, const ReplicationOutput& rep) {
    if (series) series->add(rep);
    if (segments) segments->write(segments_rows(partial, rep));
    if (customers && !rep.transactions.empty()) customers->write(customers_rows(partial, rep));
    if (!o.report) return;
    if (!echelons) echelons = std::make_unique<report::GroupSeries>(partial.info);
    echelons->add(rep);
  });
  if (series) series->finish(out.result);
  RunSwitch unit;
  const std::unique_ptr<sim::AtomicFile> summary = summary_file(s, o, opt, inputs, out.result, unit.id);
  unit.files.push_back(summary.get());
  if (series) unit.files.push_back(&series->file());
  if (segments) unit.files.push_back(segments.get());
  if (customers) unit.files.push_back(customers.get());
  if (log) {
    log->finish();
    unit.files.push_back(&log->file());
  }
  std::unique_ptr<sim::AtomicFile> page;
  if (o.report) {
    ReportMetadata report;
    report.version = o.version;
    report.git = o.git;
    report.scenario_file = o.scenario_file;
    report.description = s.spec.description;
    report.seed = opt.seed;
    report.replications = opt.replications;
    page = std::make_unique<sim::AtomicFile>(dir + "/report.html");
    page->write(run_report_html(out.result, report, {}, echelons.get()));
    unit.files.push_back(page.get());
  }
  // The folder describes this run alone: an earlier run's file that this
  // one does not write (--timeseries none, --no-report) goes.
  std::vector<std::string> stale;
  if (!series) stale.push_back("timeseries.csv");
  if (!o.report) stale.push_back("report.html");
  if (!segments) stale.push_back("segments.csv");
  if (!customers) stale.push_back("customers.csv");
  out.files = unit.commit(dir, o.version, stale);
  return out;
}

std::vector<std::string> write_compare(const ComparedRuns& runs, const CompareMeta& meta, const std::string& dir,
                                       bool report) {
  sim::make_directories(dir);
  sim::write_file_atomically(dir + "/compare.json", compare_json(runs.comparison, meta));
  sim::write_file_atomically(dir + "/compare.csv", compare_csv(runs.comparison));
  std::vector<std::string> files = {dir + "/compare.json", dir + "/compare.csv"};
  if (report) {
    sim::write_file_atomically(dir + "/compare.html", compare_report_html(runs, meta));
    files.push_back(dir + "/compare.html");
  }
  return files;
}

}  // namespace chainsim::models

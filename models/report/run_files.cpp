#include "models/report/run_files.h"

#include <filesystem>
#include <memory>

#include "models/report/compare_report.h"
#include "models/report/outputs.h"
#include "models/report/run_report.h"
#include "sim/atomic_file.h"

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
  void commit() { file_->commit(); }

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
  // Writes the rest and puts the file in place; returns its path.
  std::string commit() {
    csv_.flush();
    file_.commit();
    return file_.path();
  }

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
void write_summary(const LoadedScenario& s, const RunFilesOptions& o, const ExperimentOptions& opt,
                   const std::vector<std::pair<std::string, std::string>>& inputs, const ExperimentResult& result) {
  RunMetadata meta;
  meta.version = o.version;
  meta.git = o.git;
  meta.scenario_file = o.scenario_file;
  meta.scenario_yaml = to_yaml(s.document);
  meta.seed = opt.seed;
  meta.replications = opt.replications;
  meta.inputs = inputs;
  sim::AtomicFile summary(o.out_dir + "/summary.json");
  write_summary_json(result, meta, [&](std::string_view chunk) { summary.write(chunk); });
  summary.commit();
}

}  // namespace

WrittenRun write_run(const LoadedScenario& s, const RunFilesOptions& o) {
  const std::string dir = o.out_dir;
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
  write_summary(s, o, opt, inputs, out.result);
  out.files.push_back(dir + "/summary.json");
  if (series) {
    series->commit();
    out.files.push_back(dir + "/timeseries.csv");
  }
  if (segments) {
    segments->commit();
    out.files.push_back(dir + "/segments.csv");
  }
  if (customers) {
    customers->commit();
    out.files.push_back(dir + "/customers.csv");
  }
  if (log) out.files.push_back(log->commit());
  if (o.report) {
    ReportMetadata report;
    report.version = o.version;
    report.git = o.git;
    report.scenario_file = o.scenario_file;
    report.description = s.spec.description;
    report.seed = opt.seed;
    report.replications = opt.replications;
    sim::write_file_atomically(dir + "/report.html", run_report_html(out.result, report, {}, echelons.get()));
    out.files.push_back(dir + "/report.html");
  }
  // The folder describes this run alone: an earlier run's file that this
  // one does not write (--timeseries none, --no-report) goes.
  std::error_code ignored;
  if (!series) std::filesystem::remove(dir + "/timeseries.csv", ignored);
  if (!o.report) std::filesystem::remove(dir + "/report.html", ignored);
  if (!segments) std::filesystem::remove(dir + "/segments.csv", ignored);
  if (!customers) std::filesystem::remove(dir + "/customers.csv", ignored);
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

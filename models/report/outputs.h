// The files `chainsim run` writes: summary.json and timeseries.csv
// (docs/outputs.md). Writers only format; the CLI decides the paths and
// writes through sim::AtomicFile so that no half-written file ever stands.
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <string>
#include <utility>
#include <vector>

#include "models/experiment/experiment.h"
#include "sim/atomic_file.h"

namespace chainsim::models {

struct RunMetadata {
  std::string version;
  std::string git;
  std::string scenario_file;
  std::string scenario_yaml;  // the scenario as run (after extends and --set)
  std::uint64_t seed = 1;
  int replications = 1;
  // The files the scenario reads (trace CSVs): as the scenario names them,
  // and a hash of their contents when the run started.
  std::vector<std::pair<std::string, std::string>> inputs;
};

// The files building `spec` reads, each as the scenario names it with a
// hash of its contents (sweep.json's `inputs`), for RunMetadata::inputs.
// Throws std::runtime_error naming the file when one cannot be read.
std::vector<std::pair<std::string, std::string>> hash_input_files(const ScenarioSpec& spec,
                                                                  const std::string& base_dir);

// summary.json: how it was made, then per KPI the mean, sd, 95% half-width
// and n, by scope (network, stocks, nodes, lanes, and segments when the
// scenario has customer segments). Undefined values are null.
std::string summary_json(const ExperimentResult& result, const RunMetadata& meta);
// The same, handed to `write` a piece at a time (256 KiB or so), so that the
// file of a 100,000-store network never stands whole in memory. `write` may
// take the piece's buffer (swap it for another); it is cleared after.
void write_summary_json(const ExperimentResult& result, const RunMetadata& meta,
                        const std::function<void(std::string&)>& write);

// A CSV field: the text as it is, or quoted (RFC 4180) when it holds a
// comma, a double quote or a line break.
std::string csv_text(const std::string& s);

// The header line of timeseries.csv.
std::string timeseries_header();
// Streams one replication's rows of timeseries.csv as its periods close:
// straight into `direct`, the file itself, for the first replication, whose
// rows come first; otherwise into a temporary file in `spill_dir` (the
// output folder) that append_to copies into the file when the replications
// before it are written. Memory stays constant however long the run.
class TimeseriesRows final : public ObservationSink {
 public:
  // REQUIRES: `info` outlives this (it names the nodes and products).
  TimeseriesRows(const NetworkInfo& info, int replication, sim::AtomicFile* direct, const std::string& spill_dir);
  void on_period(const PeriodRecords& r) override;
  void on_end(const RunEnd&) override { flush(); }
  // Writes the rows held in the temporary file to the end of `file`.
  void append_to(sim::AtomicFile& file);

 private:
  void flush();
  const NetworkInfo& info_;
  int replication_;
  sim::AtomicFile* direct_;
  std::optional<sim::SpillFile> spill_;
  std::vector<std::string> names_;  // per stock: "node,product", CSV-quoted
  std::vector<double> row_;
  std::string buf_;
  std::int64_t period_ = 0;
};

// The event log (chainsim run --log FILE, docs/outputs.md): one row per
// event of the first replication, tidy, in the order they happened, streamed
// into `file` a MiB at a time:
//   time,period,phase,event,from,to,product,quantity,order,invoice,amount,what_if
// with empty cells where a column does not apply (an end customer is "").
class EventLogCsv final : public EventLog {
 public:
  explicit EventLogCsv(sim::AtomicFile& file);
  ~EventLogCsv() override;
  void on_start(const RunShape& r) override;
  void on_event(const LoggedEvent& e) override;
  // Writes what is buffered. Call before committing the file.
  void flush();
  std::uint64_t rows() const noexcept { return rows_; }

 private:
  sim::AtomicFile& file_;
  const RunShape* shape_ = nullptr;
  std::vector<std::string> nodes_, products_;  // CSV-quoted names
  std::string buf_;
  std::uint64_t rows_ = 0;
};

// The rows of the mean across replications (replication column "mean").
std::string timeseries_mean_rows(const ExperimentResult& result);

// segments.csv (docs/customers.md): one row per replication, period and
// customer segment, tidy. The header line, then one replication's rows.
std::string segments_header();
std::string segments_rows(const ExperimentResult& result, const ReplicationOutput& rep);

// customers.csv (docs/customers.md): one row per delivery to a customer of an
// individual-mode segment in the first replication (customer, segment, time,
// units, value), the transaction log RFM and BG/NBD tools read. The header
// line, then the rows of `rep`'s transactions.
std::string customers_header();
std::string customers_rows(const ExperimentResult& result, const ReplicationOutput& rep);

// The terminal summary: the network's KPIs, then tables per stock and node,
// each value as mean (± 95% half-width when there are replications).
std::string summary_table(const ExperimentResult& result);

}  // namespace chainsim::models

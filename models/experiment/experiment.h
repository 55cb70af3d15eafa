// Runs the replications of a scenario: each one a fresh network built from
// the same spec with its own replication index (so replication k is the same
// whatever the number of replications), on `jobs` threads, results delivered
// in replication order. Every run is audited for conservation.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/measure/kpi.h"
#include "models/measure/series.h"
#include "models/chain/spec.h"

namespace chainsim::models {

// Whether an experiment keeps the mean series across replications
// (ExperimentResult::series). Every replication's rows stream through
// ExperimentOptions::replication_sink instead of being kept.
enum class SeriesMode { kNone, kMean };

struct ExperimentOptions {
  std::uint64_t seed = 1;
  int replications = 1;
  int jobs = 1;
  SeriesMode series = SeriesMode::kMean;
  // The columns the mean series keeps (names of series_columns(); empty:
  // all). timeseries.csv's mean rows need all; a report needs fewer.
  std::vector<std::string> series_columns;
  // If set, every period any replication closes adds 1 (from the worker
  // threads, relaxed): a progress display reads it while the run goes on.
  std::atomic<std::uint64_t>* periods_done = nullptr;
  // Keep the first replication's deliveries to the customers of
  // individual-mode segments (customers.csv).
  bool customer_transactions = false;
  // check_spec has passed the spec already (the loader checks what it
  // loads): the first build, which names the outputs, does not check it
  // again. Otherwise that build checks it, once for the experiment.
  bool spec_checked = false;
  // If set, called on a worker thread before replication k runs, with the
  // network's names and shape (ExperimentResult::info, which outlives the
  // sink): a sink that sees every observation of that replication, returned
  // with its output (ReplicationOutput::sink) in replication order.
  // Streaming writers use it to write a long run's rows as its periods close,
  // in constant memory.
  std::function<std::unique_ptr<ObservationSink>(const NetworkInfo& info, int replication)> replication_sink;
  // If set, sees every event of replication 0 (chainsim run --log).
  EventLog* event_log = nullptr;
};

// What one replication produced.
struct ReplicationOutput {
  int replication = 0;
  KpiSet kpis;
  SeriesValues series;  // its time series, the columns asked for (empty unless series were kept)
  std::vector<SegmentPeriod> segments;  // its customer segments' records, period-major (segments.csv)
  std::vector<CustomerTransaction> transactions;  // its deliveries to individual customers, when kept
  std::uint64_t events = 0;
  std::uint64_t messages = 0;
  bool random = false;  // its results could depend on its random numbers (Network::random)
  std::unique_ptr<ObservationSink> sink;  // ExperimentOptions::replication_sink's, when set
};

struct ExperimentResult {
  NetworkInfo info;
  std::vector<StockId> node_of_stock;
  std::vector<KpiSet> kpis;          // per replication
  std::vector<KpiSummary> summary;   // across replications
  std::unique_ptr<SeriesAccumulator> series;  // unless kNone
  std::unique_ptr<SegmentAccumulator> segment_series;  // when the scenario has customer segments
  std::uint64_t events = 0;
  std::uint64_t messages = 0;
  // No replication's results could depend on its random numbers
  // (Network::random): every replication gives the same results, and any
  // other seed or replication would too.
  bool deterministic = true;
};

// Runs the experiment. `on_replication`, if set, sees each replication's
// output in order, with the result so far (its info is filled before the
// first replication), to stream every row of a kAll series; `progress`, if set,
// is called after each replication with (done, total). Throws SpecError,
// ModelError.
ExperimentResult run_experiment(const ScenarioSpec& spec, const ExperimentOptions& options,
                                const std::function<void(const ExperimentResult&, const ReplicationOutput&)>&
                                    on_replication = {},
                                const std::function<void(int, int)>& progress = {});

// How run_replication runs one replication and what it keeps.
struct ReplicationOptions {
  // Keep its series of `columns` (names of series_columns(); empty: all).
  bool keep_series = false;
  std::vector<std::string> columns;
  // If set, counts its periods as they close.
  std::atomic<std::uint64_t>* periods_done = nullptr;
  // Keep its deliveries to the customers of individual-mode segments.
  bool keep_transactions = false;
  // check_spec has passed the spec already (build_network's `checked`).
  bool spec_checked = false;
  // If set, sees every observation of the run too (after the KPIs and the
  // series): a writer that streams them, say.
  ObservationSink* sink = nullptr;
  // If set, sees every event of the run (Network::set_event_log).
  EventLog* event_log = nullptr;

  // The common cases: every series column kept; a spec already checked.
  static ReplicationOptions series_kept() {
    ReplicationOptions o;
    o.keep_series = true;
    return o;
  }
  static ReplicationOptions checked() {
    ReplicationOptions o;
    o.spec_checked = true;
    return o;
  }
};

// Runs one replication (used by run_experiment and sweeps).
ReplicationOutput run_replication(const ScenarioSpec& spec, std::uint64_t seed, int replication,
                                  const ReplicationOptions& options = {});

}  // namespace chainsim::models

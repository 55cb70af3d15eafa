// Runs the replications of a scenario: each one a fresh network built from
// the same spec with its own replication index (so replication k is the same
// whatever the number of replications), on `jobs` threads, results delivered
// in replication order. Every run is audited for conservation.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/measure/kpi.h"
#include "models/measure/series.h"
#include "models/chain/spec.h"

namespace chainsim::models {

enum class SeriesMode { kNone, kMean, kAll };

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

// Runs one replication (used by run_experiment and sweeps).
// With `keep_series`, its series of `columns` (names of series_columns();
// empty: all) are kept. `periods_done`, if set, counts its periods as they
// close. With `keep_transactions`, its deliveries to the customers of
// individual-mode segments are kept. With `spec_checked`, check_spec has
// passed `spec` already (build_network's `checked`).
ReplicationOutput run_replication(const ScenarioSpec& spec, std::uint64_t seed,
                                  int replication, bool keep_series,
                                  std::atomic<std::uint64_t>* periods_done = nullptr,
                                  const std::vector<std::string>& columns = {},
                                  bool keep_transactions = false, bool spec_checked = false);

}  // namespace chainsim::models

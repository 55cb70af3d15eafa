// The files a command writes, decided and written in one step: `chainsim
// run`'s summary.json, timeseries.csv and report.html, and `chainsim
// compare`'s compare.json, compare.csv and compare.html (docs/outputs.md).
// The command line only loads, calls and prints.
//
// Each file is written through sim::AtomicFile, so no half-written file ever
// stands; timeseries.csv streams each replication's rows as it arrives. A
// run's folder describes that run alone: an earlier run's timeseries.csv or
// report.html that this run does not write is removed.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "models/experiment/compare.h"
#include "models/experiment/experiment.h"
#include "models/scenario/loader.h"

namespace chainsim::models {

// What timeseries.csv holds: every replication's rows, their mean, none, or
// (auto) every row for one replication and the mean for several.
enum class TimeseriesFile : std::uint8_t { kAuto, kAll, kMean, kNone };

struct RunFilesOptions {
  std::string out_dir;  // REQUIRES: a directory the caller can write into
  TimeseriesFile timeseries = TimeseriesFile::kAuto;
  bool report = true;   // write report.html
  int jobs = 1;         // threads for replications
  std::string version, git;   // the build, recorded in the files
  std::string scenario_file;  // as given on the command line
  // If set, every period any replication closes adds 1 (a progress display).
  std::atomic<std::uint64_t>* periods_done = nullptr;
  // If set, the event log of the first replication goes to this file name in
  // out_dir (EventLogCsv).
  std::string log_file;
};

// The names of the files a run writes itself (besides an event log):
// summary.json, timeseries.csv, report.html, segments.csv, customers.csv,
// manifest.json. An event log may not take one.
const std::vector<std::string>& run_file_names();

struct WrittenRun {
  ExperimentResult result;
  std::vector<std::string> files;  // the paths written, in order
};

// Runs the replications of `scenario` (its spec's seed and replications)
// and writes its files into options.out_dir. Throws ModelError, or
// std::runtime_error naming a file that cannot be read (a trace) or
// written. REQUIRES: `scenario` as the loader returned it (its spec checked:
// it is not checked again).
WrittenRun write_run(const LoadedScenario& scenario, const RunFilesOptions& options);

// Writes compare.json and compare.csv, and compare.html when `report`, into
// `out_dir` (created when missing); returns the paths written, in order.
// Throws std::runtime_error naming a file that cannot be written.
std::vector<std::string> write_compare(const ComparedRuns& runs, const CompareMeta& meta, const std::string& out_dir,
                                       bool report);

}  // namespace chainsim::models

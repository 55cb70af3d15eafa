// Demand traces: per-period demand a scenario reads from CSV files, resolved
// against the scenario's folder and read once when it is loaded (the supply
// chain only sees the values), and the list of files a scenario reads, whose
// contents runs and sweeps record (summary.json, sweep.json).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/chain/spec.h"
#include "models/scenario/file_scope.h"
#include "models/chain/spec_checks.h"

namespace chainsim::models {

// Reads a demand trace: one number per line, or a CSV with a header naming
// `column` (the only column when empty). Throws std::invalid_argument naming
// the file and line of a bad value, a missing column, a file that cannot be
// opened or holds no values.
std::vector<double> read_trace(const std::string& path, const std::string& column);
// The largest trace file read (256 MiB: tens of millions of periods). A path
// that is not a regular file (a FIFO, /dev/zero, a directory) is refused.
inline constexpr std::uintmax_t kMaxTraceBytes = 256u << 20;

// A file a scenario reads: a `trace` demand's CSV (`file` as the scenario
// names it, `path` where it is read, relative names against its folder).
struct InputFile {
  std::string file;
  std::string path;
  bool operator==(const InputFile&) const = default;
};

// The files `spec` reads, in the order it names them, each once: the trace
// files of demands that give no values inline. Reads nothing.
std::vector<InputFile> scenario_input_files(const ScenarioSpec& spec, const std::string& base_dir);

// Reads every trace file of `spec` into its demand's `trace` values; every
// file that cannot be read is a problem at its demand's path
// ("nodes.2.stocks.0.demand.0", list items by index); so is a file outside
// `scope`, which is not opened.
std::vector<SpecIssue> load_traces(ScenarioSpec& spec, const std::string& base_dir, const FileScope& scope = {});

}  // namespace chainsim::models

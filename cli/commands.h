// The chainsim commands. Each returns the process exit status, one rule for
// all: 0 on success; 2 when it refuses before running (a bad scenario or
// argument, an output folder it cannot write or that is locked: nothing
// written); 1 when a run that started fails (a full disk, out of memory),
// the message giving the system's reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/atomic_file.h"

namespace CLI {
class App;
}
namespace chainsim::models {
class SweepExecutor;
struct LoadedScenario;
struct LoadOptions;
}

namespace chainsim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;


struct RunArgs {
  std::string scenario;
  std::string out;
  std::optional<std::uint64_t> seed;
  std::optional<int> replications;
  std::vector<std::string> sets;
  bool quiet = false;
  std::string timeseries = "auto";  // none | mean | all | auto
  bool no_report = false;
  std::string log;  // the event log's file name in the output directory ("": none)
  std::vector<std::string> allow_dirs;  // --allow-dir: folders besides the scenario's it may read
  int jobs = 0;  // 0: all cores
};
int run_command(const RunArgs& args);

struct SweepArgs {
  std::string target;               // scenario or design file
  std::vector<std::string> params;  // PATH=SPEC
  std::string design;               // "" when not given
  std::optional<std::size_t> samples;
  std::optional<int> replications;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> sets;
  int jobs = 0;  // 0: all cores
  std::string out;
  bool resume = false;
  bool quiet = false;
  std::vector<std::string> allow_dirs;
};
// Adds the sweep subcommand (shared by chainsim and chainsim-mpi).
CLI::App* add_sweep_command(CLI::App& app, SweepArgs& args);
// Runs it on `executor`, or on --jobs threads when null. Only the writer
// prints.
int sweep_command(const SweepArgs& args, models::SweepExecutor* executor = nullptr);

struct CompareArgs {
  std::string baseline, variant;        // variant "" with --variant overrides
  std::vector<std::string> variant_sets;
  std::vector<std::string> sets;
  std::optional<int> replications;
  std::optional<std::uint64_t> seed;
  int jobs = 0;
  std::string out;
  bool significant = false;
  bool quiet = false;
  bool no_report = false;  // no compare.html in --out
  std::vector<std::string> allow_dirs;
};
CLI::App* add_compare_command(CLI::App& app, CompareArgs& args);
int compare_command(const CompareArgs& args);

struct OptimizeArgs {
  std::string scenario;
  std::vector<std::string> vary;         // PATH=SPEC
  std::string minimize, maximize;        // one of them
  std::vector<std::string> constraints;  // KPI>=x, KPI<=x
  std::optional<double> tolerance;
  double delta = 0.0;
  double alpha = 0.05;
  int first_stage = 10;
  std::size_t budget = 20000;
  std::string method = "auto";
  std::optional<std::uint64_t> seed;
  std::vector<std::string> sets;
  int jobs = 0;  // 0: all cores
  std::string out;
  bool resume = false;
  bool quiet = false;
  bool no_report = false;  // no optimize.html
  std::vector<std::string> allow_dirs;
};
CLI::App* add_optimize_command(CLI::App& app, OptimizeArgs& args);
// Runs it on `executor` (chainsim-mpi: every rank, the writer writing and
// printing), or on --jobs threads when null.
int optimize_command(const OptimizeArgs& args, models::SweepExecutor* executor = nullptr);
struct PlayArgs {
  std::string scenario;
  std::string role;  // "": the retailer
  std::string out;
  std::vector<std::string> allow_dirs;
};
CLI::App* add_play_command(CLI::App& app, PlayArgs& args);
int play_command(const PlayArgs& args);

struct ServeArgs {
  std::vector<std::string> scenarios;
  int port = 8080;
  std::string bind = "127.0.0.1";
  std::string out = "out/classroom";
  double timer = 0.0;  // seconds; 0: no limit
  std::vector<std::string> allow_dirs;
};
CLI::App* add_serve_command(CLI::App& app, ServeArgs& args);
int serve_command(const ServeArgs& args);

int validate_command(const std::string& scenario, const models::LoadOptions& options);
int describe_command(const std::string& scenario, const models::LoadOptions& options, bool dot);

// Adds --allow-dir (repeatable) to `cmd`: a folder besides the scenario's
// whose files the scenario may read.
void add_allow_dir_option(CLI::App* cmd, std::vector<std::string>& dirs);
int schema_command(bool markdown);
// The KPI definitions (docs/kpis.md): as text, or as the page's Markdown table.
int kpis_command(bool markdown);

// Prints a scenario's load errors to stderr.
void print_load_error(const std::exception& e);
// The scenario's warnings (LoadedScenario::warnings), one a line, on
// standard error.
void print_warnings(const models::LoadedScenario& s);

std::string version_string();

}  // namespace chainsim::cli

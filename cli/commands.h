// The chainsim commands. Each returns the process exit status: 0 on success,
// 2 for a bad scenario or bad arguments (nothing written), 1 when the run
// itself fails.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
  int jobs = 0;  // 0: all cores
};
int run_command(const RunArgs& args);

int validate_command(const std::string& scenario, const std::vector<std::string>& sets);
int describe_command(const std::string& scenario, const std::vector<std::string>& sets, bool dot);
int schema_command(bool markdown);
// The KPI definitions (docs/kpis.md): as text, or as the page's Markdown table.
int kpis_command(bool markdown);

// Prints a scenario's load errors to stderr.
void print_load_error(const std::exception& e);

std::string version_string();

}  // namespace chainsim::cli

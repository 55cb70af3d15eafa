// validate, describe, schema and kpis.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <iostream>

#include "chainsim_version.h"
#include "commands.h"
#include "models/chain/builder.h"
#include "models/measure/kpi.h"
#include "models/report/describe.h"
#include "models/scenario/keys.h"
#include "models/scenario/loader.h"
#include "sim/text.h"

namespace chainsim::cli {

using namespace chainsim::models;

std::string version_string() { return fmt::format("chainsim {} (git {})", CHAINSIM_VERSION, CHAINSIM_GIT); }

void print_load_error(const std::exception& e) {
  if (const auto* le = dynamic_cast<const LoadError*>(&e)) {
    for (const Diagnostic& d : le->diagnostics()) std::cerr << d.format() << "\n";
    std::cerr << fmt::format("{} error{}; nothing was run\n", le->diagnostics().size(),
                             le->diagnostics().size() == 1 ? "" : "s");
  } else {
    std::cerr << "chainsim: error: " << sim::printable(e.what()) << "\n";
  }
}

void add_allow_dir_option(CLI::App* cmd, std::vector<std::string>& dirs) {
  cmd->add_option("--allow-dir", dirs,
                  "Let the scenario read files (extends, traces) in this folder too, besides its own folder and "
                  "below (repeatable)")
      ->allow_extra_args(false);
}

void print_warnings(const LoadedScenario& s) {
  for (const Diagnostic& d : s.warnings) std::cerr << d.format() << "\n";
}

int validate_command(const std::string& scenario, const LoadOptions& options) {
  LoadedScenario s;
  try {
    s = load_scenario(scenario, options);
  } catch (const LoadError& e) {
    print_load_error(e);
    return kExitBadInput;
  }
  print_warnings(s);
  std::cout << validation_line(s.spec);
  return kExitOk;
}

int describe_command(const std::string& scenario, const LoadOptions& options, bool dot) {
  LoadedScenario s;
  try {
    s = load_scenario(scenario, options);
  } catch (const LoadError& e) {
    print_load_error(e);
    return kExitBadInput;
  }
  print_warnings(s);
  const auto net = build_network(s.spec, s.spec.seed, 0);
  std::cout << (dot ? network_dot(s.spec, *net) : network_text(s.spec, *net));
  return kExitOk;
}

int schema_command(bool markdown) {
  std::cout << (markdown ? scenario_reference_tables() : scenario_json_schema());
  return kExitOk;
}

int kpis_command(bool markdown) {
  if (markdown) {
    std::cout << kpi_reference_markdown();
    return kExitOk;
  }
  for (const KpiDefinition& d : kpi_definitions()) {
    std::cout << fmt::format("{:<8} {:<24} {:<12} {}\n{:<46}{}\n", d.scope, d.kpi, d.unit, d.formula, "",
                             d.definition);
  }
  return kExitOk;
}

}  // namespace chainsim::cli

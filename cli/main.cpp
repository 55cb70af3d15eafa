// chainsim: parse the command line, call the command, report errors once.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <iostream>

#include "commands.h"
#include "sim/atomic_file.h"
#include "models/scenario/keys.h"
#include "validators.h"

using namespace chainsim::cli;

int main(int argc, char** argv) {
  // An interrupted run leaves no temporary file beside its outputs.
  chainsim::sim::remove_temporary_files_on_signal();
  CLI::App app{"chainsim: a fast discrete-event simulator of supply chains"};
  app.set_version_flag("--version", version_string());
  app.require_subcommand(1);
  app.fallthrough(false);

  RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "Run a scenario: summary table, summary.json, timeseries.csv, report.html");
  run_cmd->add_option("scenario", run.scenario, "Scenario file (YAML)")->required();
  run_cmd->add_option("--out", run.out, "Output directory (default: out/<scenario name>)");
  run_cmd->add_option("--seed", run.seed, "Random seed (overrides the scenario's)")
      ->check(seed_value());
  run_cmd->add_option("--replications", run.replications, "Independent replications")
      ->check(whole_in(1, chainsim::models::kMaxReplications,
                      ": chainsim sweep runs more, streaming their KPIs"));
  run_cmd->add_option("--set", run.sets, "Override a value: PATH=VALUE (repeatable)");
  run_cmd->add_flag("--quiet", run.quiet, "Print nothing but errors");
  run_cmd->add_option("--timeseries", run.timeseries,
                      "timeseries.csv: none, mean (of replications), all (every replication's rows), or auto "
                      "(all for one replication, mean for several)")
      ->check(CLI::IsMember({"none", "mean", "all", "auto"}))
      ->capture_default_str();
  run_cmd->add_flag("--no-report", run.no_report, "Do not write report.html");
  run_cmd->add_option("--jobs", run.jobs, "Threads for replications (default: all cores)")
      ->check(whole_at_least(0));

  std::string scenario;
  std::vector<std::string> sets;
  auto* validate = app.add_subcommand("validate", "Check a scenario, then describe the network in one line");
  validate->add_option("scenario", scenario, "Scenario file (YAML)")->required();
  validate->add_option("--set", sets, "Override a value: PATH=VALUE (repeatable)");

  bool dot = false;
  auto* describe = app.add_subcommand("describe", "Describe the network as text, or as Graphviz DOT");
  describe->add_option("scenario", scenario, "Scenario file (YAML)")->required();
  describe->add_option("--set", sets, "Override a value: PATH=VALUE (repeatable)");
  describe->add_flag("--dot", dot, "Print Graphviz DOT instead of text");

  SweepArgs sweep;
  auto* sweep_cmd = add_sweep_command(app, sweep);
  CompareArgs compare;
  auto* compare_cmd = add_compare_command(app, compare);

  bool markdown = false;
  auto* schema = app.add_subcommand("schema", "Print the JSON Schema of scenario files");
  schema->add_flag("--markdown", markdown, "Print the reference tables (Markdown) instead");

  bool kpis_markdown = false;
  auto* kpis = app.add_subcommand("kpis", "List the KPIs and their definitions");
  kpis->add_flag("--markdown", kpis_markdown, "Print the reference table of docs/kpis.md instead");

  // No command, or an unknown one, said as such (CLI11 would say "A
  // subcommand is required").
  if (argc == 1) {
    std::cerr << app.help() << "\nchainsim: error: a command is required\n";
    return kExitBadInput;
  }
  if (argv[1][0] != '-') {
    bool known = false;
    std::string names;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
      known = known || sub->get_name() == argv[1];
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      std::cerr << fmt::format("chainsim: error: unknown command '{}' (the commands: {}; chainsim --help)\n", argv[1],
                               names);
      return kExitBadInput;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  try {
    if (*run_cmd) return run_command(run);
    if (*validate) return validate_command(scenario, sets);
    if (*describe) return describe_command(scenario, sets, dot);
    if (*schema) return schema_command(markdown);
    if (*kpis) return kpis_command(kpis_markdown);
    if (*sweep_cmd) return sweep_command(sweep);
    if (*compare_cmd) return compare_command(compare);
  } catch (const std::exception& e) {
    std::cerr << "chainsim: error: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitBadInput;
}

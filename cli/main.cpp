// chainsim: parse the command line, call the command, report errors once.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <fmt/core.h>

#include <iostream>
#include <new>
#include <optional>

#include "commands.h"
#include "models/chain/spec_keys.h"
#include "models/scenario/loader.h"
#include "models/scenario/keys.h"
#include "sim/atomic_file.h"
#include "sim/text.h"
#include "validators.h"

using namespace chainsim::cli;

namespace {

// Every command's arguments, and the subcommand each came with.
struct Commands {
  RunArgs run;
  PlayArgs play;
  ServeArgs serve;
  SweepArgs sweep;
  CompareArgs compare;
  OptimizeArgs optimize;
  std::string scenario;  // validate, describe
  std::vector<std::string> sets;
  std::vector<std::string> allow_dirs;  // validate, describe
  bool dot = false, markdown = false, kpis_markdown = false;
  CLI::App *play_cmd = nullptr;
  CLI::App *serve_cmd = nullptr;
  CLI::App *run_cmd = nullptr, *validate = nullptr, *describe = nullptr, *sweep_cmd = nullptr,
           *compare_cmd = nullptr, *optimize_cmd = nullptr, *schema = nullptr, *kpis = nullptr;
};

CLI::App* add_run_command(CLI::App& app, RunArgs& run) {
  auto* cmd = app.add_subcommand("run", "Run a scenario: summary table, summary.json, timeseries.csv, report.html");
  cmd->add_option("scenario", run.scenario, "Scenario file (YAML)")->required();
  cmd->add_option("--out", run.out, "Output directory (default: out/<scenario name>)");
  cmd->add_option("--seed", run.seed, "Random seed (overrides the scenario's)")->check(seed_value());
  cmd->add_option("--replications", run.replications, "Independent replications")
      ->check(whole_in(1, chainsim::models::kMaxReplications, ": chainsim sweep runs more, streaming their KPIs"));
  cmd->add_option("--set", run.sets, "Override a value: PATH=VALUE (repeatable)");
  cmd->add_flag("--quiet", run.quiet, "Print nothing but errors");
  cmd->add_option("--timeseries", run.timeseries,
                  "timeseries.csv: none, mean (of replications), all (every replication's rows), or auto "
                  "(all for one replication, mean for several)")
      ->check(CLI::IsMember({"none", "mean", "all", "auto"}))
      ->capture_default_str();
  cmd->add_flag("--no-report", run.no_report, "Do not write report.html");
  cmd->add_option("--log", run.log,
                  "Write the event log of the first replication (every order, shipment, receipt, invoice, payment, "
                  "what-if...) to this file name in the output directory, e.g. events.csv");
  cmd->add_option("--jobs", run.jobs, "Threads for replications (default: all cores)")->check(whole_at_least(0));
  add_allow_dir_option(cmd, run.allow_dirs);
  return cmd;
}

void add_commands(CLI::App& app, Commands& c) {
  c.run_cmd = add_run_command(app, c.run);
  c.validate = app.add_subcommand("validate", "Check a scenario, then describe the network in one line");
  c.validate->add_option("scenario", c.scenario, "Scenario file (YAML)")->required();
  c.validate->add_option("--set", c.sets, "Override a value: PATH=VALUE (repeatable)");
  add_allow_dir_option(c.validate, c.allow_dirs);
  c.describe = app.add_subcommand("describe", "Describe the network as text, or as Graphviz DOT");
  c.describe->add_option("scenario", c.scenario, "Scenario file (YAML)")->required();
  c.describe->add_option("--set", c.sets, "Override a value: PATH=VALUE (repeatable)");
  c.describe->add_flag("--dot", c.dot, "Print Graphviz DOT instead of text");
  add_allow_dir_option(c.describe, c.allow_dirs);
  c.sweep_cmd = add_sweep_command(app, c.sweep);
  c.play_cmd = add_play_command(app, c.play);
  c.serve_cmd = add_serve_command(app, c.serve);
  c.compare_cmd = add_compare_command(app, c.compare);
  c.optimize_cmd = add_optimize_command(app, c.optimize);
  c.schema = app.add_subcommand("schema", "Print the JSON Schema of scenario files");
  c.schema->add_flag("--markdown", c.markdown, "Print the reference tables (Markdown) instead");
  c.kpis = app.add_subcommand("kpis", "List the KPIs and their definitions");
  c.kpis->add_flag("--markdown", c.kpis_markdown, "Print the reference table of docs/kpis.md instead");
}

// No command, or an unknown one, said as such (CLI11 would say "A
// subcommand is required"); nullopt when the first word is a command.
std::optional<int> refuse_missing_command(const CLI::App& app, int argc, char** argv) {
  if (argc == 1) {
    std::cerr << app.help() << "\nchainsim: error: a command is required\n";
    return kExitBadInput;
  }
  if (argv[1][0] == '-') return std::nullopt;
  std::string names;
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name() == argv[1]) return std::nullopt;
    names += (names.empty() ? "" : ", ") + sub->get_name();
    commands.push_back(sub->get_name());
  }
  const auto close = chainsim::models::close_names(commands, argv[1]);
  std::cerr << fmt::format("chainsim: error: unknown command '{}'{} (the commands: {}; chainsim --help)\n", argv[1],
                           close.empty() ? "" : ": did you mean " + close.front() + "?", names);
  return kExitBadInput;
}

// After a parse error: each --flag the command does not have, with the one
// it most likely meant ("--replication" -> "--replications").
void suggest_flags(const CLI::App& app, int argc, char** argv) {
  const CLI::App* cmd = &app;
  for (const CLI::App* sub : app.get_subcommands()) cmd = sub;
  std::vector<std::string> flags;
  for (const CLI::Option* o : cmd->get_options()) {
    for (const std::string& l : o->get_lnames()) flags.push_back("--" + l);
  }
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0) continue;
    a = a.substr(0, a.find('='));
    if (std::find(flags.begin(), flags.end(), a) != flags.end()) continue;
    const auto close = chainsim::models::close_names(flags, a);
    if (!close.empty()) std::cerr << fmt::format("chainsim: {} is not an option of {}: did you mean {}?\n", a,
                                                 cmd == &app ? "chainsim" : "chainsim " + cmd->get_name(),
                                                 close.front());
  }
}

int dispatch(const Commands& c) {
  if (*c.run_cmd) return run_command(c.run);
  if (*c.validate) return validate_command(c.scenario, {c.sets, "--set", c.allow_dirs});
  if (*c.describe) return describe_command(c.scenario, {c.sets, "--set", c.allow_dirs}, c.dot);
  if (*c.schema) return schema_command(c.markdown);
  if (*c.kpis) return kpis_command(c.kpis_markdown);
  if (*c.sweep_cmd) return sweep_command(c.sweep);
  if (*c.play_cmd) return play_command(c.play);
  if (*c.serve_cmd) return serve_command(c.serve);
  if (*c.compare_cmd) return compare_command(c.compare);
  if (*c.optimize_cmd) return optimize_command(c.optimize);
  return kExitBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  // An interrupted run leaves no temporary file beside its outputs.
  chainsim::sim::remove_temporary_files_on_signal();
  CLI::App app{"chainsim: a fast discrete-event simulator of supply chains"};
  app.set_version_flag("--version", version_string());
  app.require_subcommand(1);
  app.fallthrough(false);
  Commands commands;
  add_commands(app, commands);
  if (const auto refused = refuse_missing_command(app, argc, argv)) return *refused;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    if (code != 0) suggest_flags(app, argc, argv);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  try {
    return dispatch(commands);
  } catch (const std::bad_alloc&) {
    std::cerr << "chainsim: error: out of memory: the run needs more than this machine has (fewer --jobs, a shorter "
                 "horizon or --timeseries none need less)\n";
    return kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << "chainsim: error: " << chainsim::sim::printable(e.what()) << "\n";
    return kExitFailure;
  }
}

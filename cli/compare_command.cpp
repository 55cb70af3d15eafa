// chainsim compare: a variant against its baseline under common random
// numbers; the table on the terminal, compare.json, compare.csv and
// compare.html (unless --no-report) in --out.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <fmt/core.h>

#include <iostream>

#include "chainsim_version.h"
#include "commands.h"
#include "models/chain/builder.h"
#include "models/experiment/compare.h"
#include "models/report/run_files.h"
#include "models/report/run_report.h"
#include "models/scenario/loader.h"
#include "sim/parallel.h"
#include "models/scenario/keys.h"
#include "validators.h"

namespace chainsim::cli {

using namespace chainsim::models;

CLI::App* add_compare_command(CLI::App& app, CompareArgs& a) {
  auto* cmd = app.add_subcommand(
      "compare", "Compare a variant with its baseline under common random numbers: every KPI's paired difference "
                 "with its 95% interval");
  cmd->add_option("baseline", a.baseline, "Baseline scenario (YAML)")->required();
  cmd->add_option("variant", a.variant, "Variant scenario (YAML); or give --variant overrides of the baseline");
  cmd->add_option("--variant", a.variant_sets,
                  "The variant as the baseline (or VARIANT) with PATH=VALUE changed (repeatable; together one variant)")
      ->allow_extra_args(false);
  cmd->add_option("--set", a.sets, "Override a value in both: PATH=VALUE (repeatable)")->allow_extra_args(false);
  cmd->add_option("--replications", a.replications,
                  "Replications of each (>= 2, or 1 when neither draws a random number; default: the baseline's)")
      ->check(whole_in(1, chainsim::models::kMaxReplications,
                      ": chainsim sweep runs more, streaming their KPIs"));
  cmd->add_option("--seed", a.seed, "Random seed for both (default: the baseline's)")
      ->check(seed_value());
  cmd->add_option("--jobs", a.jobs, "Threads (default: all cores)")->check(whole_at_least(0));
  cmd->add_option("--out", a.out, "Write compare.json, compare.csv and compare.html here");
  cmd->add_flag("--no-report", a.no_report, "Do not write compare.html");
  add_allow_dir_option(cmd, a.allow_dirs);
  cmd->add_flag("--significant", a.significant, "List only the KPIs whose interval excludes 0");
  cmd->add_flag("--quiet", a.quiet, "Print nothing but errors");
  return cmd;
}

namespace {

// Why one replication will not do (a scenario whose results depend on its
// random numbers, Network::random: known once its network is built, before
// anything runs or is written), or "".
std::string needs_replications(const CompareArgs& a, const ScenarioSpec& base, const ScenarioSpec& variant,
                               int replications) {
  if (replications >= 2) return "";
  const bool base_random = build_network(base, base.seed, 0, true)->random();
  if (!base_random && !build_network(variant, base.seed, 0, true)->random()) return "";
  return fmt::format("--replications: error: compare needs at least 2 replications for an interval ({}): the {}'s "
                     "results depend on random numbers; pass --replications N\n",
                     a.replications ? fmt::format("--replications {}", replications)
                                    : fmt::format("the baseline gives {}", replications),
                     base_random ? "baseline" : "variant");
}

}  // namespace

int compare_command(const CompareArgs& a) {
  LoadedScenario base, variant;
  std::vector<std::string> vsets = a.sets;
  vsets.insert(vsets.end(), a.variant_sets.begin(), a.variant_sets.end());
  try {
    if (a.variant.empty() && a.variant_sets.empty()) {
      throw LoadError({{"compare", 0, 0, "", "give a VARIANT file or --variant PATH=VALUE overrides of the baseline"}});
    }
    base = load_scenario(a.baseline, {a.sets, "--set", a.allow_dirs});
    variant = load_scenario(a.variant.empty() ? a.baseline : a.variant, {vsets, "--set", a.allow_dirs});
  } catch (const LoadError& e) {
    print_load_error(e);
    return kExitBadInput;
  }
  if (!a.quiet) {
    print_warnings(base);
    print_warnings(variant);
  }
  if (const std::string why = needs_replications(a, base.spec, variant.spec,
                                                 a.replications.value_or(base.spec.replications));
      !why.empty()) {
    std::cerr << why;
    return kExitBadInput;
  }
  sim::DirectoryLock lock;  // held until the files are written
  if (!a.out.empty()) {
    if (const std::string why = lock.claim(a.out, "--out"); !why.empty()) {
      std::cerr << "chainsim: error: " << why << "\n";
      return kExitBadInput;
    }
  }
  CompareOptions o;
  o.replications = a.replications.value_or(base.spec.replications);
  o.seed = a.seed.value_or(base.spec.seed);
  o.jobs = a.jobs > 0 ? a.jobs : sim::hardware_jobs();
  const bool report = !a.out.empty() && !a.no_report;
  o.keep_series = report;  // the page overlays the two runs' mean series
  o.series_columns = report_series_columns();
  if (a.variant.empty() || variant.spec.name == base.spec.name) {
    std::string with;
    for (const std::string& s : a.variant_sets) with += (with.empty() ? "" : ", ") + s;
    if (!with.empty()) variant.spec.name += " (" + with + ")";
  }
  const ComparedRuns runs = run_comparison(base.spec, variant.spec, o);
  const Comparison& c = runs.comparison;
  const bool shared_stock =
      std::any_of(c.kpis.begin(), c.kpis.end(), [](const KpiComparison& k) { return k.scope == "stock"; });
  if (!shared_stock && !a.quiet) {
    std::cerr << "warning: the baseline and the variant have no stock point in common (no node holds the same product "
                 "in both): only network totals are compared, and they describe different networks\n";
  }
  if (!a.quiet) std::cout << compare_table(c, a.significant);
  if (!a.out.empty()) {
    CompareMeta m;
    m.version = CHAINSIM_VERSION;
    m.git = CHAINSIM_GIT;
    m.baseline_file = a.baseline;
    m.variant_file = a.variant;
    m.sets = a.sets;
    m.variant_sets = a.variant_sets;
    m.baseline_yaml = to_yaml(base.document);
    m.variant_yaml = to_yaml(variant.document);
    const std::vector<std::string> files = write_compare(runs, m, a.out, report);
    if (!a.quiet) {
      std::cout << (files.size() == 3 ? fmt::format("wrote {}, {} and {}\n", files[0], files[1], files[2])
                                      : fmt::format("wrote {} and {}\n", files[0], files[1]));
    }
  }
  return kExitOk;
}

}  // namespace chainsim::cli

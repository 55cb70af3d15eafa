// Every example scenario is a teaching document that keeps running: it loads,
// carries its Covers/Scenario/Run/Expect header and an explicit seed, and its
// KPIs match a pinned golden summary (tests/golden/<name>.json) to 1e-9
// relative. scripts/update_goldens.sh regenerates the goldens after an
// intended change (CHAINSIM_UPDATE_GOLDENS=1); a mismatch lists every KPI that
// moved. The golden also pins the run's trajectory fingerprint: the number of
// engine events and messages.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/test_util.h"
#include "models/experiment/experiment.h"
#include "models/scenario/keys.h"
#include "models/scenario/loader.h"

using namespace chainsim::models;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

const fs::path kRoot = CHAINSIM_SOURCE_DIR;

std::string read(const fs::path& p) { return chainsim::testing::read_file(p); }

std::vector<fs::path> examples() { return chainsim::testing::example_scenarios(kRoot); }

json golden_of(const LoadedScenario& s, const ExperimentResult& r) {
  json kpis = json::object();
  for (const KpiSummary& k : r.summary) {
    const std::string key = k.scope + "/" + (k.name.empty() ? "" : k.name + "/") + k.kpi;
    kpis[key] = {std::isfinite(k.interval.mean) ? json(k.interval.mean) : json(nullptr),
                 std::isfinite(k.interval.half_width) ? json(k.interval.half_width) : json(nullptr)};
  }
  return {{"scenario", s.spec.name},
          {"seed", s.spec.seed},
          {"replications", s.spec.replications},
          {"events", r.events},
          {"messages", r.messages},
          {"kpis", kpis}};
}

bool close(const json& a, const json& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  const double x = a.get<double>(), y = b.get<double>();
  return std::abs(x - y) <= 1e-9 * std::max({1.0, std::abs(x), std::abs(y)});
}

}  // namespace

TEST_CASE("there are at least the eight example scenarios of the issue") {
  std::set<std::string> names;
  for (const auto& p : examples()) names.insert(p.stem().string());
  for (const char* required : {"beer_game", "serial_base_stock", "distribution_network", "assembly",
                               "postponement", "information_sharing", "supplier_disruption", "payment_terms"}) {
    CAPTURE(required);
    CHECK(names.count(required) == 1);
  }
}

TEST_CASE("every example scenario is a teaching document with a header and an explicit seed") {
  for (const auto& p : examples()) {
    CAPTURE(p.filename().string());
    const std::string text = read(p);
    for (const char* tag : {"# Covers:", "# Scenario:", "# Run:", "# Expect:"}) {
      CAPTURE(tag);
      CHECK(text.find(tag) != std::string::npos);
    }
    const bool has_seed = text.find("\nseed:") != std::string::npos;
    const bool extends = text.find("\nextends:") != std::string::npos;
    CHECK((has_seed || extends));
  }
}

TEST_CASE("the committed JSON Schema and reference tables are what the key table generates") {
  CHECK(read(kRoot / "scenarios/schema.json") == scenario_json_schema());
  const std::string doc = read(kRoot / "docs/scenario-format.md");
  const std::string begin = "<!-- BEGIN GENERATED: chainsim schema --markdown -->\n";
  const std::string end = "<!-- END GENERATED -->";
  const auto i = doc.find(begin), j = doc.find(end);
  REQUIRE(i != std::string::npos);
  REQUIRE(j != std::string::npos);
  // A mismatch means: run scripts/update_generated.sh and commit the result.
  CHECK(doc.substr(i + begin.size(), j - i - begin.size()) == scenario_reference_tables());
}

TEST_CASE("the loader reads every key of the key table, and nothing else") {
  // The examples and the two every-key fixtures together use every key; a
  // key the table lists but the loader never reads (documented, in the
  // schema, silently ignored) fails here, and so would a key read but not in
  // the table (the loader would reject it as unknown first).
  std::set<std::string> read_keys;
  std::vector<fs::path> files = examples();
  files.push_back(kRoot / "tests/scenarios/fixtures/every_key.yaml");
  files.push_back(kRoot / "tests/scenarios/fixtures/every_key_variant.yaml");
  for (const auto& p : files) {
    CAPTURE(p.string());
    const LoadedScenario s = load_scenario(p.string());
    read_keys.insert(s.keys_read.begin(), s.keys_read.end());
  }
  std::set<std::string> table;
  for (const SectionInfo& sec : scenario_sections()) {
    for (const KeyInfo& k : sec.keys) table.insert(sec.name + "." + k.name);
  }
  std::string never_read, not_in_table;
  for (const auto& k : table) {
    if (!read_keys.count(k)) never_read += " " + k;
  }
  for (const auto& k : read_keys) {
    if (!table.count(k)) not_in_table += " " + k;
  }
  CHECK_MESSAGE(never_read.empty(), (std::string("keys in the table the loader never read:") + never_read));
  CHECK_MESSAGE(not_in_table.empty(), (std::string("keys read that the table does not list:") + not_in_table));
}

TEST_CASE("the every-key fixtures run, every feature at once, and conserve units and money") {
  for (const char* f : {"every_key.yaml", "every_key_variant.yaml"}) {
    CAPTURE(f);
    const LoadedScenario s = load_scenario((kRoot / "tests/scenarios/fixtures" / f).string());
    ExperimentOptions o;
    o.seed = s.spec.seed;
    o.replications = s.spec.replications;
    o.series = SeriesMode::kNone;
    const ExperimentResult r = run_experiment(s.spec, o);  // audits every replication
    CHECK(r.kpis.size() == 2);
    CHECK(r.events > 0);
  }
}

TEST_CASE("the money audit holds when huge payments between nodes cancel in the network's cash") {
  // The backup supplier's lane at 1e12 a unit: supplier and plant cash grow
  // apart by 1e15 while the network's cash stays at the scale of customer
  // sales, and every payment is rounded at 1e12's scale. The audit's
  // tolerance must scale with the money that moved, not with the balances
  // (it did, and this run failed it).
  LoadedScenario s = load_scenario((kRoot / "scenarios/supplier_disruption.yaml").string());
  s.spec.lanes.at(1).price = 1e12;
  ExperimentOptions o;
  o.seed = s.spec.seed;
  o.replications = 1;
  o.series = SeriesMode::kNone;
  CHECK_NOTHROW(run_experiment(s.spec, o));  // audits the replication
}

TEST_CASE("every example scenario runs and matches its golden summary") {
  const bool update = std::getenv("CHAINSIM_UPDATE_GOLDENS") != nullptr;
  for (const auto& p : examples()) {
    CAPTURE(p.filename().string());
    const LoadedScenario s = load_scenario(p.string());
    ExperimentOptions o;
    o.seed = s.spec.seed;
    o.replications = s.spec.replications;
    o.jobs = 2;
    o.series = SeriesMode::kNone;
    const ExperimentResult r = run_experiment(s.spec, o);
    const json got = golden_of(s, r);
    const fs::path golden = kRoot / "tests/golden" / (p.stem().string() + ".json");
    if (update) {
      fs::create_directories(golden.parent_path());
      std::ofstream(golden) << got.dump(1) << "\n";
      continue;
    }
    REQUIRE_MESSAGE(fs::exists(golden), "no golden for this example: run scripts/update_goldens.sh");
    const json want = json::parse(read(golden));
    std::string diff;
    for (const char* k : {"seed", "replications", "events", "messages"}) {
      if (want[k] != got[k]) diff += std::string(k) + ": golden " + want[k].dump() + ", got " + got[k].dump() + "\n";
    }
    for (const auto& [key, value] : want["kpis"].items()) {
      if (!got["kpis"].contains(key)) {
        diff += key + ": missing\n";
      } else if (!close(value[0], got["kpis"][key][0]) || !close(value[1], got["kpis"][key][1])) {
        diff += key + ": golden " + value.dump() + ", got " + got["kpis"][key].dump() + "\n";
      }
    }
    for (const auto& [key, value] : got["kpis"].items()) {
      if (!want["kpis"].contains(key)) diff += key + ": new KPI " + value.dump() + "\n";
    }
    // An intended change: scripts/update_goldens.sh, and say why in the commit.
    CHECK_MESSAGE(diff.empty(), diff);
  }
}

TEST_CASE("an example gives the same KPIs on one thread and on two") {
  const LoadedScenario s = load_scenario((kRoot / "scenarios/serial_base_stock.yaml").string());
  ExperimentOptions o;
  o.seed = s.spec.seed;
  o.replications = 4;
  o.series = SeriesMode::kMean;
  o.jobs = 1;
  const ExperimentResult a = run_experiment(s.spec, o);
  o.jobs = 2;
  const ExperimentResult b = run_experiment(s.spec, o);
  REQUIRE(a.summary.size() == b.summary.size());
  for (std::size_t i = 0; i < a.summary.size(); ++i) {
    const double x = a.summary[i].interval.mean, y = b.summary[i].interval.mean;
    CHECK(((std::isnan(x) && std::isnan(y)) || x == y));
  }
}

// The files chainsim run writes: summary.json and timeseries.csv, and their
// reference page (docs/outputs.md).
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/test_util.h"
#include "tests/models/chain_helpers.h"
#include "models/experiment/experiment.h"
#include "models/report/outputs.h"
#include "models/scenario/loader.h"
#include "models/measure/series.h"
#include "sim/atomic_file.h"

using namespace chainsim::models;
using namespace chainsim::models::testing;
using json = nlohmann::json;

namespace {

std::string read(const std::filesystem::path& p) { return chainsim::testing::read_file(p); }

// The column table of docs/outputs.md, as series_columns() says it should be.
std::string column_table() {
  std::string t = "| column | unit | level | meaning |\n| --- | --- | --- | --- |\n";
  for (const SeriesColumn& c : series_columns()) {
    t += "| `" + c.name + "` | " + c.unit + " | " + (c.node_level ? "node" : "stock") + " | " + c.doc + " |\n";
  }
  return t;
}

ExperimentResult run_small(const ScenarioSpec& spec, int replications, SeriesMode mode) {
  ExperimentOptions o;
  o.replications = replications;
  o.series = mode;
  return run_experiment(spec, o);
}

// Replication k's rows of timeseries.csv as a run streams them: the first
// replication straight into the file, a later one through its temporary
// file, copied in afterwards.
std::string streamed_rows(const ScenarioSpec& s, int k) {
  const chainsim::testing::TempDir dir("rows");
  ExperimentOptions o;
  o.replications = k + 1;
  o.series = SeriesMode::kNone;
  chainsim::sim::AtomicFile file(dir / "timeseries.csv");
  std::string seen;
  o.replication_sink = [&](const NetworkInfo& info, int r) {
    return std::make_unique<TimeseriesRows>(info, r, r == 0 && k == 0 ? &file : nullptr, dir.str());
  };
  run_experiment(s, o, [&](const ExperimentResult&, const ReplicationOutput& rep) {
    if (rep.replication == k) static_cast<TimeseriesRows&>(*rep.sink).append_to(file);
  });
  file.commit();
  return read(dir / "timeseries.csv");
}

}  // namespace

TEST_CASE("docs/outputs.md lists exactly the columns timeseries.csv has") {
  const std::string doc = read(std::filesystem::path(CHAINSIM_SOURCE_DIR) / "docs/outputs.md");
  const std::string begin = "<!-- BEGIN GENERATED: series_columns() in models/measure/series.cpp -->\n";
  const auto i = doc.find(begin), j = doc.find("<!-- END GENERATED -->");
  REQUIRE(i != std::string::npos);
  REQUIRE(j != std::string::npos);
  // On a mismatch, paste the table this prints into docs/outputs.md.
  CHECK_MESSAGE(doc.substr(i + begin.size(), j - i - begin.size()) == column_table(), column_table());
  std::string header = "replication,period,time,node,product";
  for (const SeriesColumn& c : series_columns()) header += "," + c.name;
  CHECK(timeseries_header() == header + "\n");
}

TEST_CASE("timeseries rows quote names with commas or quotes, as RFC 4180 says") {
  ScenarioSpec s = serial_chain(1, 5, 1, 0, constant_demand(2), 3);
  s.nodes[1].id = "north, \"main\"";
  s.lanes[0].to = s.nodes[1].id;
  const std::string rows = streamed_rows(s, 0);
  CHECK(rows.find("0,0,0,\"north, \"\"main\"\"\",item,2,2,2,2,0,") != std::string::npos);
  // One row per period and stock, the supplier's unlimited source included.
  CHECK(std::count(rows.begin(), rows.end(), '\n') == 3 * 2);
}

TEST_CASE("a streamed row holds the values the series keep, whether written directly or through a temporary file") {
  const ScenarioSpec s = serial_chain(1, 8, 1, 0, poisson_demand(4), 5);
  for (int k : {0, 2}) {
    CAPTURE(k);
    const ReplicationOutput rep = run_replication(s, 1, k, ReplicationOptions::series_kept());
    const std::string rows = streamed_rows(s, k);
    std::istringstream in(rows);
    std::string line;
    std::size_t n = 0;
    for (std::size_t period = 0; period < 5; ++period) {
      for (std::size_t stock = 0; stock < 2; ++stock, ++n) {
        REQUIRE(std::getline(in, line));
        std::istringstream cells(line);
        std::string cell;
        std::vector<std::string> row;
        while (std::getline(cells, cell, ',')) row.push_back(cell);
        if (line.back() == ',') row.emplace_back();
        REQUIRE(row.size() == 5 + series_columns().size());
        CHECK(row[0] == std::to_string(k));
        CHECK(row[1] == std::to_string(period));
        for (std::size_t c = 0; c < series_columns().size(); ++c) {
          CAPTURE(series_columns()[c].name);
          const double v = rep.series.at(period, stock, c);
          CHECK(row[5 + c] == (std::isnan(v) ? "" : fmt::format("{}", v)));
        }
      }
    }
    CHECK_FALSE(std::getline(in, line));
    CHECK(n == 10);
  }
}

TEST_CASE("the mean rows average each cell over the replications") {
  const ScenarioSpec s = serial_chain(1, 8, 1, 0, poisson_demand(4), 5);
  const ExperimentResult r = run_small(s, 3, SeriesMode::kMean);
  double sum = 0;
  for (int k = 0; k < 3; ++k) {
    const ReplicationOutput rep = run_replication(s, 1, k, ReplicationOptions::series_kept());
    const std::size_t demand = rep.series.slot(series_column_indices({"demand"}).front());
    sum += rep.series.at(1, 1, demand);  // period 1, the retailer's stock
  }
  const std::string rows = timeseries_mean_rows(r);
  std::istringstream in(rows);
  std::string line;
  bool found = false;
  while (std::getline(in, line)) {
    if (line.rfind("mean,1,1,retailer,item,", 0) != 0) continue;
    found = true;
    const std::string demand = line.substr(std::string("mean,1,1,retailer,item,").size());
    CHECK(std::stod(demand.substr(0, demand.find(','))) == doctest::Approx(sum / 3).epsilon(1e-12));
  }
  CHECK(found);
}

TEST_CASE("summary.json: undefined KPIs are null, and sd and half-width are null below two replications") {
  const ScenarioSpec s = serial_chain(1, 5, 1, 0, constant_demand(2), 4);
  const ExperimentResult r = run_small(s, 1, SeriesMode::kNone);
  RunMetadata meta;
  meta.version = "9.9.9";
  meta.git = "abc";
  meta.seed = 7;
  meta.replications = 1;
  meta.scenario_yaml = "name: serial\n";
  const json j = json::parse(summary_json(r, meta));
  CHECK(j["chainsim"]["version"] == "9.9.9");
  CHECK(j["seed"] == 7);
  CHECK(j["scenario_as_run"] == "name: serial\n");
  const json& fill = j["kpis"]["stocks"]["retailer/item"]["fill_rate"];
  CHECK(fill["mean"] == 1.0);  // constant demand 2 against S = 5 with lead time 1: never short
  CHECK(fill["n"] == 1);
  CHECK(fill["half_width"].is_null());
  CHECK(fill["sd"].is_null());  // one value has no sample standard deviation
  // Every order completes, so its lead-time percentile is defined.
  CHECK(j["kpis"]["stocks"]["retailer/item"]["order_lead_time_p95"]["mean"].is_number());
  const json& amplification = j["kpis"]["network"]["bullwhip_amplification"];
  CHECK(amplification["mean"].is_null());  // constant demand: variance 0
  CHECK(amplification["n"] == 0);
  CHECK(amplification["sd"].is_null());
  CHECK(amplification["half_width"].is_null());
  // Two replications: sd and half-width are numbers (0 for a constant KPI).
  meta.replications = 2;
  const json two = json::parse(summary_json(run_small(s, 2, SeriesMode::kNone), meta));
  const json& fill2 = two["kpis"]["stocks"]["retailer/item"]["fill_rate"];
  CHECK(fill2["n"] == 2);
  CHECK(fill2["sd"] == 0.0);
  CHECK(fill2["half_width"] == 0.0);
}

TEST_CASE("summary.json streamed is byte for byte the document nlohmann's dump(2) writes") {
  // The reference: the KPIs put into an ordered_json document one by one,
  // as summary.json was written before it streamed.
  using OJ = nlohmann::ordered_json;
  auto reference = [](const ExperimentResult& r, const RunMetadata& meta) {
    OJ j = OJ::parse(summary_json(r, meta));  // its head, parsed back
    auto num = [](double x) { return std::isfinite(x) ? OJ(x) : OJ(nullptr); };
    OJ kpis = {{"network", OJ::object()}, {"stocks", OJ::object()}, {"nodes", OJ::object()}, {"lanes", OJ::object()}};
    if (!r.info.segments.empty()) kpis["segments"] = OJ::object();
    for (const KpiSummary& k : r.summary) {
      const std::string scope = k.scope == "network" ? "network" : k.scope == "stock" ? "stocks"
                                : k.scope == "node"  ? "nodes" : k.scope == "segment" ? "segments" : "lanes";
      const bool spread = k.interval.n >= 2;
      OJ v = {{"mean", num(k.interval.mean)}, {"sd", spread ? num(k.interval.stddev) : OJ(nullptr)},
              {"half_width", spread ? num(k.interval.half_width) : OJ(nullptr)}, {"n", k.interval.n}};
      if (k.scope == "network") {
        kpis[scope][k.kpi] = v;
      } else {
        kpis[scope][k.name][k.kpi] = v;
      }
    }
    j["kpis"] = kpis;
    j["scenario_as_run"] = meta.scenario_yaml;
    return j.dump(2) + "\n";
  };
  const std::filesystem::path root(CHAINSIM_SOURCE_DIR);
  for (const char* name : {"distribution_network.yaml", "loyalty_programme.yaml", "assembly.yaml"}) {
    CAPTURE(name);
    const LoadedScenario s = load_scenario((root / "scenarios" / name).string());
    ExperimentOptions o;
    o.seed = s.spec.seed;
    o.replications = 2;
    o.series = SeriesMode::kNone;
    ExperimentResult r = run_experiment(s.spec, o);
    RunMetadata meta;
    meta.version = "1.2.3";
    meta.git = "abc \"quoted\"";
    meta.scenario_yaml = "name: x\nnodes: [\"a,b\"]\n";
    CHECK(summary_json(r, meta) == reference(r, meta));
    // Names that need escaping go through nlohmann too.
    for (KpiSummary& k : r.summary) {
      if (k.scope == "stock") k.name = k.name == r.summary.back().name ? k.name : KpiName("odd \"name\"\t" + k.name);
    }
    r.summary.back().name = "é/ü";
    CHECK(summary_json(r, meta) == reference(r, meta));
    // An item's KPIs apart from one another (the even places first, then the
    // odd), and a KPI given twice: its first place, its last value.
    std::vector<KpiSummary> apart;
    for (int odd = 0; odd < 2; ++odd) {
      for (std::size_t i = odd; i < r.summary.size(); i += 2) apart.push_back(r.summary[i]);
    }
    KpiSummary again = apart[apart.size() / 3];
    again.interval.mean += 1.0;
    apart.push_back(again);
    r.summary = apart;
    CHECK(summary_json(r, meta) == reference(r, meta));
  }
}

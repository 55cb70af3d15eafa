// Sweeps through the library: determinism across threads, common random
// numbers, summaries, resume, and refusing bad input before writing anything.
#include "tests/test_util.h"
#include "models/experiment/sweep.h"

#include <doctest/doctest.h>
#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/experiment/detail/sweep_files.h"
#include "models/scenario/loader.h"
#include "sim/statistics.h"

namespace fs = std::filesystem;
using namespace chainsim::models;

namespace {

std::string temp_dir(const std::string& name) {
  static std::atomic<int> counter{0};
  const fs::path p = fs::temp_directory_path() /
                     ("chainsim_sweep_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + name);
  fs::remove_all(p);
  return p.string();
}

std::string read(const std::string& path) { return chainsim::testing::read_file(path); }

void write(const std::string& path, const std::string& text) { chainsim::testing::write_file(path, text); }

// A short serial chain: 3 x 2 points, 4 replications.
SweepSpec small_sweep() {
  SweepSpec s;
  s.scenario = "scenarios/serial_base_stock.yaml";
  s.sets = {"horizon=80", "warmup=10"};
  s.params = parse_param_options({"nodes.store.policy.S=20:40:10", "nodes.warehouse.policy.S=30,45"});
  s.replications = 4;
  return s;
}

SweepOptions options(const std::string& dir, bool resume = false) {
  SweepOptions o;
  o.out_dir = dir;
  o.resume = resume;
  o.version = "0.0.0-test";
  o.git = "test";
  return o;
}

const char* kFiles[] = {"sweep.csv", "sweep_summary.csv", "sweep.json", "sweep_model.json"};

std::vector<std::vector<std::string>> rows(const std::string& csv) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(csv);
  std::vector<std::string> f;
  for (std::string line; std::getline(in, line);) {
    detail::split_csv(line, f);
    out.push_back(f);
  }
  return out;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  FAIL("no column " << name);
  return 0;
}

std::string load_error(const SweepSpec& spec, const std::string& dir) {
  try {
    ThreadExecutor ex(1);
    run_sweep(spec, options(dir), ex);
  } catch (const LoadError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a sweep writes the same bytes with one thread and with three") {
  const std::string a = temp_dir("one"), b = temp_dir("three");
  ThreadExecutor one(1), three(3);
  const SweepReport r = run_sweep(small_sweep(), options(a), one);
  run_sweep(small_sweep(), options(b), three);
  CHECK(r.points == 6);
  CHECK(r.runs == 24);
  for (const char* f : kFiles) {
    CAPTURE(f);
    CHECK(read(a + "/" + f) == read(b + "/" + f));
  }
  const auto csv = rows(read(a + "/sweep.csv"));
  REQUIRE(csv.size() == 25);
  CHECK(csv[0][0] == "point");
  CHECK(csv[0][2] == "nodes.store.policy.S");
  CHECK(csv[0][4] == "network.fill_rate");
  // (point, replication) order, the first parameter slowest.
  CHECK(csv[1][0] == "0");
  CHECK(csv[4][1] == "3");
  CHECK(csv[5][0] == "1");
  CHECK(csv[5][2] == "20");
  CHECK(csv[5][3] == "45");
  CHECK(csv[9][2] == "30");
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST_CASE("replication r of every point draws the same demand (common random numbers)") {
  const std::string dir = temp_dir("crn");
  SweepSpec s = small_sweep();
  s.params = parse_param_options({"nodes.store.holding_cost=0.01,0.02,0.03"});
  ThreadExecutor ex(2);
  run_sweep(s, options(dir), ex);
  const auto csv = rows(read(dir + "/sweep.csv"));
  const std::size_t d = column(csv[0], "stock.store/widget.demand_mean");
  const std::size_t cost = column(csv[0], "node.store.cost_holding");
  for (std::size_t r = 0; r < 4; ++r) {
    CAPTURE(r);
    CHECK(csv[1 + r][d] == csv[5 + r][d]);
    CHECK(csv[1 + r][d] == csv[9 + r][d]);
    CHECK(csv[1 + r][cost] != csv[5 + r][cost]);
  }
  CHECK(csv[1][d] != csv[2][d]);
  fs::remove_all(dir);
}

TEST_CASE("a point's summary rows are the mean and 95 percent interval of its replications") {
  const std::string dir = temp_dir("summary");
  ThreadExecutor ex(2);
  run_sweep(small_sweep(), options(dir), ex);
  const auto csv = rows(read(dir + "/sweep.csv"));
  const auto sum = rows(read(dir + "/sweep_summary.csv"));
  CHECK(sum[0] == std::vector<std::string>{"point", "nodes.store.policy.S", "nodes.warehouse.policy.S", "kpi", "n",
                                           "mean", "sd", "half_width"});
  const std::size_t c = column(csv[0], "network.total_cost");
  chainsim::sim::RunningStats st;
  for (std::size_t r = 0; r < 4; ++r) st.add(std::stod(csv[1 + 4 * 3 + r][c]));  // point 3
  const auto iv = chainsim::sim::confidence_interval(st, 0.95);
  bool found = false;
  for (const auto& row : sum) {
    if (row[0] != "3" || row[3] != "network.total_cost") continue;
    found = true;
    CHECK(row[1] == "30");
    CHECK(row[4] == "4");
    CHECK(std::stod(row[5]) == iv.mean);
    CHECK(std::stod(row[7]) == doctest::Approx(iv.half_width).epsilon(1e-15));
    // t(0.975, 3) = 3.182: the half-width is t s / sqrt(n).
    CHECK(iv.half_width == doctest::Approx(3.18245 * st.stddev() / 2.0).epsilon(1e-5));
  }
  CHECK(found);
  fs::remove_all(dir);
}

TEST_CASE("a resumed sweep drops a half-written row, recomputes the summary and ends with the same files") {
  const std::string whole = temp_dir("whole"), cut = temp_dir("cut");
  ThreadExecutor ex(2);
  run_sweep(small_sweep(), options(whole), ex);
  run_sweep(small_sweep(), options(cut), ex);
  // As if killed while writing row 11 (point 2, replication 2).
  const std::string csv = read(cut + "/sweep.csv");
  std::size_t pos = 0;
  for (int line = 0; line < 11; ++line) pos = csv.find('\n', pos) + 1;
  write(cut + "/sweep.csv", csv.substr(0, pos + 25));
  write(cut + "/sweep_summary.csv", read(cut + "/sweep_summary.csv").substr(0, 300));
  fs::remove(cut + "/sweep_model.json");
  const SweepReport r = run_sweep(small_sweep(), options(cut, true), ex);
  CHECK(r.runs_before == 10);
  for (const char* f : kFiles) {
    CAPTURE(f);
    CHECK(read(whole + "/" + f) == read(cut + "/" + f));
  }
  // Resuming a finished sweep runs nothing and changes nothing.
  const SweepReport again = run_sweep(small_sweep(), options(cut, true), ex);
  CHECK(again.runs_before == 24);
  for (const char* f : kFiles) CHECK(read(whole + "/" + f) == read(cut + "/" + f));
  fs::remove_all(whole);
  fs::remove_all(cut);
}

TEST_CASE("resume refuses another build, another scenario and a sweep.csv that is not this sweep's") {
  const std::string dir = temp_dir("refuse");
  ThreadExecutor ex(1);
  run_sweep(small_sweep(), options(dir), ex);
  auto refusal = [&](const SweepSpec& s, const SweepOptions& o) -> std::string {
    try {
      run_sweep(s, o, ex);
    } catch (const SweepError& e) {
      return e.what();
    }
    return "";
  };
  SweepOptions other = options(dir, true);
  other.git = "other";
  CHECK(refusal(small_sweep(), other) ==
        "cannot resume the sweep in " + dir +
            ": it was written by chainsim 0.0.0-test (git test), this is chainsim 0.0.0-test (git other): a sweep "
            "is resumed by the build that started it");
  SweepSpec changed = small_sweep();
  changed.sets.push_back("nodes.store.initial=30");
  CHECK(refusal(changed, options(dir, true)).rfind("cannot resume the sweep in " + dir +
                                                       ": the scenario differs from the one the sweep started with",
                                                   0) == 0);
  SweepSpec more = small_sweep();
  more.replications = 5;
  CHECK(refusal(more, options(dir, true)) == "cannot resume the sweep in " + dir +
                                                  ": the seed or the replications differ (were 2024 and 4)");
  CHECK(refusal(small_sweep(), options(dir, false)) ==
        dir + " already holds a sweep (sweep.csv); add --resume to continue it, or choose another --out");
  std::string csv = read(dir + "/sweep.csv");
  const auto second = csv.find('\n', csv.find('\n') + 1);
  write(dir + "/sweep.csv", csv.substr(0, second + 1) + "0,1,20,99" + csv.substr(csv.find(',', second + 9)));
  CHECK(refusal(small_sweep(), options(dir, true)) ==
        dir + "/sweep.csv:3: not the row of point 0, replication 1 with this sweep's parameters; delete this row "
              "and those after it to resume from there");
  fs::remove_all(dir);
}

TEST_CASE("an unknown path is an error naming the parameter, and nothing is written") {
  const std::string dir = temp_dir("unknown");
  SweepSpec s = small_sweep();
  s.params = parse_param_options({"nodes.shop.policy.S=20,30"});
  CHECK(load_error(s, dir) ==
        "scenarios/serial_base_stock.yaml: error: nodes.shop.policy.S: --param: unknown path: nodes has no item "
        "'shop' (at point 0: nodes.shop.policy.S=20)");
  CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("a value that fails the checks at any point stops the sweep before anything is written") {
  const std::string dir = temp_dir("badvalue");
  SweepSpec s = small_sweep();
  s.params = parse_param_options({"nodes.store.policy.review_period=1,2,0"});
  CHECK(load_error(s, dir) ==
        "scenarios/serial_base_stock.yaml: error: nodes.store.policy.review_period: must be >= 1 (got 0) (at point "
        "2: nodes.store.policy.review_period=0)");
  CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("a design file is checked key by key with file, line and column") {
  const std::string dir = temp_dir("design");
  fs::create_directories(dir);
  const std::string file = dir + "/sweep.yaml";
  write(file,
        "sweep:\n"
        "  scenario: x.yaml\n"
        "  desing: grid\n"
        "  replications: 0\n"
        "  parameters:\n"
        "    - {path: nodes.store.policy.S, range: {from: 20, to: 10, step: 5}}\n"
        "    - {path: seed, values: [1, 2]}\n"
        "    - {path: nodes.a.b, interval: {low: 1, high: 2}}\n");
  try {
    load_sweep_file(file);
    FAIL("no error");
  } catch (const LoadError& e) {
    CHECK(std::string(e.what()) ==
          file + ":3:3: error: sweep.desing: unknown key (did you mean design?)\n" +
          file + ":4:17: error: sweep.replications: must be an integer >= 1 (got '0')\n" +
          file + ":6:43: error: sweep.parameters.0.range: the range's end must be >= its start (got 10 < 20)\n" +
          file + ":7:14: error: sweep.parameters.1.path: cannot be swept: sweep the seed with --seed (common random "
                 "numbers use one seed)\n" +
          file + ":8:35: error: sweep.parameters.2.interval: the grid design takes values: or range: (intervals "
                 "are for design: lhs)");
  }
  fs::remove_all(dir);
}

TEST_CASE("a sweep from a design file writes the rows the same sweep from the command line does") {
  const std::string dir = temp_dir("fromfile");
  fs::create_directories(dir);
  const std::string file = dir + "/sweep.yaml";
  const std::string scenario = fs::absolute("scenarios/serial_base_stock.yaml").string();
  write(file, "sweep:\n  scenario: " + scenario +
                  "\n  set: {horizon: 80, warmup: 10}\n  replications: 4\n  parameters:\n"
                  "    - {path: nodes.store.policy.S, range: {from: 20, to: 40, step: 10}}\n"
                  "    - {path: nodes.warehouse.policy.S, values: [30, 45]}\n");
  // The scenario is outside the design file's folder: refused unless allowed.
  CHECK_THROWS_WITH_AS(load_sweep_file(file),
                       (file + ":2:13: error: sweep.scenario: '" + scenario + "' is outside the design file's folder " +
                        fs::weakly_canonical(dir).string() + ": a scenario reads files only in its folder and below (to "
                        "allow another folder, pass --allow-dir DIR)").c_str(),
                       LoadError);
  const SweepSpec from_file = load_sweep_file(file, {fs::path(scenario).parent_path().string()});
  CHECK(from_file.scenario == scenario);
  ThreadExecutor ex(2);
  run_sweep(from_file, options(dir + "/a"), ex);
  SweepSpec cli = small_sweep();
  cli.scenario = scenario;
  run_sweep(cli, options(dir + "/b"), ex);
  CHECK(read(dir + "/a/sweep.csv") == read(dir + "/b/sweep.csv"));
  CHECK(read(dir + "/a/sweep_summary.csv") == read(dir + "/b/sweep_summary.csv"));
  fs::remove_all(dir);
}

TEST_CASE("a parameter whose path runs through a YAML alias sweeps that occurrence alone") {
  // The beer game gives every player `policy: *sterman`; the loader gives
  // each alias its own copy, so a point changes the retailer's theta only.
  ParsedScenario beer = parse_scenario("scenarios/beer_game.yaml");
  for (const char* theta : {"0.2", "0.4"}) {
    CAPTURE(theta);
    const LoadedScenario s = load_parsed_scenario(beer, {{std::string("nodes.retailer.policy.theta=") + theta}, ""});
    CHECK(s.spec.nodes[0].stocks[0].policy.theta == doctest::Approx(std::stod(theta)));
    for (std::size_t i = 1; i < 4; ++i) CHECK(s.spec.nodes[i].stocks[0].policy.theta == doctest::Approx(0.36));
  }
}

TEST_CASE("a sweep resumes with its scenario given by another path") {
  const std::string dir = temp_dir("otherpath");
  ThreadExecutor ex(2);
  run_sweep(small_sweep(), options(dir), ex);
  const std::string json = read(dir + "/sweep.json");
  SweepSpec moved = small_sweep();
  moved.scenario = fs::absolute(moved.scenario).string();
  const SweepReport r = run_sweep(moved, options(dir, true), ex);
  CHECK(r.runs_before == r.runs);
  CHECK(read(dir + "/sweep.json") == json);
  fs::remove_all(dir);
}

namespace {

// The serial chain with its store's demand read from `demand.csv` beside it,
// in `dir`/model; returns the sweep of it.
SweepSpec trace_sweep(const std::string& dir, const std::string& csv) {
  fs::create_directories(dir + "/model");
  std::string yaml = read("scenarios/serial_base_stock.yaml");
  const std::string poisson = "demand: {type: poisson, mean: 10}";
  const auto at = yaml.find(poisson);
  REQUIRE(at != std::string::npos);
  yaml.replace(at, poisson.size(), "demand: {type: trace, file: demand.csv}");
  write(dir + "/model/chain.yaml", yaml);
  write(dir + "/model/demand.csv", csv);
  SweepSpec s = small_sweep();
  s.scenario = dir + "/model/chain.yaml";
  return s;
}

std::string sweep_error(const SweepSpec& s, const SweepOptions& o, SweepExecutor& ex) {
  try {
    run_sweep(s, o, ex);
  } catch (const SweepError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("resume refuses a sweep whose trace file changed and continues one whose file did not") {
  const std::string dir = temp_dir("trace");
  const std::string csv = "demand\n8\n12\n10\n9\n11\n", changed = "demand\n8\n12\n10\n9\n12\n";
  const SweepSpec s = trace_sweep(dir, csv);
  const std::string whole = dir + "/whole", cut = dir + "/cut";
  ThreadExecutor ex(2);
  run_sweep(s, options(whole), ex);
  run_sweep(s, options(cut), ex);
  const std::string hash = "fnv1a64:" + detail::text_hash(csv);
  CHECK(read(cut + "/sweep.json").find("\"inputs\": [\n    {\n      \"file\": \"demand.csv\",\n      \"hash\": \"" +
                                       hash + "\"\n    }\n  ],") != std::string::npos);
  // As if killed after row 10.
  const std::string rows = read(cut + "/sweep.csv");
  std::size_t pos = 0;
  for (int line = 0; line < 11; ++line) pos = rows.find('\n', pos) + 1;
  write(cut + "/sweep.csv", rows.substr(0, pos));
  fs::remove(cut + "/sweep_model.json");

  write(dir + "/model/demand.csv", changed);
  CHECK(sweep_error(s, options(cut, true), ex) ==
        "cannot resume the sweep in " + cut + ": demand.csv, a file the scenario reads, changed since the sweep " +
            "started (its hash was " + hash + ", now fnv1a64:" + detail::text_hash(changed) + ")");
  CHECK(read(cut + "/sweep.csv") == rows.substr(0, pos));  // refused before touching anything

  write(dir + "/model/demand.csv", csv);
  const SweepReport r = run_sweep(s, options(cut, true), ex);
  CHECK(r.runs_before == 10);
  for (const char* f : kFiles) {
    CAPTURE(f);
    CHECK(read(whole + "/" + f) == read(cut + "/" + f));
  }
  fs::remove_all(dir);
}

TEST_CASE("a trace file that changes while the sweep runs stops it with the file named") {
  const std::string dir = temp_dir("trace_during");
  const SweepSpec s = trace_sweep(dir, "demand\n8\n12\n10\n");
  SweepOptions o = options(dir + "/out");
  o.progress = [&](std::size_t done, std::size_t, std::size_t) {
    if (done == 5) write(dir + "/model/demand.csv", "demand\n8\n12\n11\n");
  };
  ThreadExecutor ex(1);
  std::string error;
  try {
    run_sweep(s, o, ex);
  } catch (const SweepError&) {
    error = "SweepError";
  } catch (const std::runtime_error& e) {
    error = e.what();
  }
  CHECK(error ==
        "demand.csv, a file the scenario reads, changed while the sweep ran: sweep.csv may mix runs of its old and "
        "new contents; run the sweep again in a new --out");
  fs::remove_all(dir);
}

TEST_CASE("a sweep over trace files records every file its points read") {
  const std::string dir = temp_dir("trace_param");
  SweepSpec s = trace_sweep(dir, "demand\n8\n12\n10\n");
  write(dir + "/model/high.csv", "demand\n18\n22\n20\n");
  s.params = parse_param_options({"nodes.store.demand.file=demand.csv,high.csv"});
  s.replications = 1;
  ThreadExecutor ex(1);
  run_sweep(s, options(dir + "/out"), ex);
  const std::string json = read(dir + "/out/sweep.json");
  CHECK(json.find("\"file\": \"demand.csv\",\n      \"hash\": \"fnv1a64:" +
                  detail::text_hash("demand\n8\n12\n10\n") + "\"\n    },\n    {\n      \"file\": \"high.csv\",") !=
        std::string::npos);
  // Missing: refused when the points are checked, naming the point.
  fs::remove(dir + "/model/high.csv");
  const std::string yaml = read(dir + "/model/chain.yaml");
  const std::size_t at = yaml.find("demand: {type: trace"), line_start = yaml.rfind('\n', at) + 1;
  const auto line = 1 + std::count(yaml.begin(), yaml.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  CHECK(load_error(s, dir + "/again") ==
        fmt::format("{}/model/chain.yaml:{}:{}: error: nodes.store.demand: cannot open demand trace {}/model/high.csv "
                    "(at point 1: nodes.store.demand.file=high.csv)",
                    dir, line, at - line_start + 1 + std::string("demand: ").size(), dir));
  CHECK(!fs::exists(dir + "/again"));
  fs::remove_all(dir);
}

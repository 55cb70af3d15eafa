// chainsim sweep and compare run as programs: a sweep killed halfway
// resumes to the same files as one never interrupted; bad input exits 2 and
// writes nothing.
#include <doctest/doctest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/test_util.h"

extern char** environ;

namespace fs = std::filesystem;

namespace {

std::string temp_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("chainsim_sweep_cli_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(p);
  return p.string();
}

std::string read(const std::string& path) { return chainsim::testing::read_file(path); }

std::size_t lines(const std::string& path) {
  const std::string s = read(path);
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

// Runs chainsim with `args`; returns the exit status.
int run(const std::vector<std::string>& args, std::string* err = nullptr) {
  std::string cmd = CHAINSIM_EXE;
  for (const std::string& a : args) cmd += " '" + a + "'";
  const std::string err_file = temp_dir("stderr.txt");
  cmd += " >/dev/null 2>" + err_file;
  const int status = std::system(cmd.c_str());
  if (err) *err = read(err_file);
  fs::remove(err_file);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// 40 points x 5 replications of a two-year serial chain: long enough to be
// killed halfway, a second or two in all.
std::vector<std::string> sweep_args(const std::string& out) {
  return {"sweep",       "scenarios/serial_base_stock.yaml", "--param", "nodes.store.policy.S=20:59:1",
          "--set",       "horizon=730", "--replications", "5", "--jobs", "1", "--quiet", "--out", out};
}

const char* kFiles[] = {"sweep.csv", "sweep_summary.csv", "sweep.json", "sweep_model.json"};

}  // namespace

TEST_CASE("a sweep killed halfway resumes to the same files as one never interrupted") {
  const std::string whole = temp_dir("whole"), killed = temp_dir("killed");
  REQUIRE(run(sweep_args(whole)) == 0);
  REQUIRE(lines(whole + "/sweep.csv") == 201);

  std::vector<std::string> args = sweep_args(killed);
  args.insert(args.begin(), CHAINSIM_EXE);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, CHAINSIM_EXE, nullptr, nullptr, argv.data(), environ) == 0);
  // SIGKILL once some rows are out: no handler runs, nothing is flushed or
  // cleaned up, as when a cluster job is killed.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (lines(killed + "/sweep.csv") < 30 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  const std::size_t rows = lines(killed + "/sweep.csv");
  CAPTURE(rows);
  CHECK(rows < 201);
  CHECK_FALSE(fs::exists(killed + "/sweep_model.json"));

  std::vector<std::string> resume = sweep_args(killed);
  resume.push_back("--resume");
  REQUIRE(run(resume) == 0);
  for (const char* f : kFiles) {
    CAPTURE(f);
    CHECK(read(whole + "/" + f) == read(killed + "/" + f));
  }
  fs::remove_all(whole);
  fs::remove_all(killed);
}

TEST_CASE("chainsim sweep exits 2 and writes nothing for an unknown path or a bad SPEC") {
  const std::string out = temp_dir("bad");
  std::string err;
  CHECK(run({"sweep", "scenarios/serial_base_stock.yaml", "--param", "nodes.shop.policy.S=20,30", "--out", out},
            &err) == 2);
  CHECK(err ==
        "scenarios/serial_base_stock.yaml: error: nodes.shop.policy.S: --param: unknown path: nodes has no item "
        "'shop' (at point 0: nodes.shop.policy.S=20)\n1 error; nothing was run\n");
  CHECK(run({"sweep", "scenarios/serial_base_stock.yaml", "--param", "nodes.store.policy.S=20:40", "--out", out},
            &err) == 2);
  CHECK(err ==
        "--param: error: nodes.store.policy.S: the grid design takes a list or a range FROM:TO:STEP (got the "
        "interval '20:40'; intervals are for the lhs design)\n1 error; nothing was run\n");
  CHECK(run({"sweep", "scenarios/serial_base_stock.yaml", "--out", out}, &err) == 2);
  CHECK(err == "--param: error: a sweep needs at least one --param PATH=SPEC (or a design file)\n1 error; nothing was "
               "run\n");
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("chainsim compare writes compare.json and compare.csv and needs two replications unless deterministic") {
  const std::string out = temp_dir("compare");
  CHECK(run({"compare", "scenarios/serial_base_stock.yaml", "--variant", "nodes.store.policy.S=40", "--set",
             "horizon=100", "--replications", "3", "--out", out}) == 0);
  CHECK(read(out + "/compare.csv").rfind("kpi,baseline_mean,", 0) == 0);
  CHECK(read(out + "/compare.json").find("\"excludes_zero\": true") != std::string::npos);
  std::string err;
  CHECK(run({"compare", "scenarios/serial_base_stock.yaml", "--variant", "nodes.store.policy.S=40", "--set",
             "horizon=100", "--replications", "1"},
            &err) == 2);
  CHECK(err == "--replications: error: compare needs at least 2 replications for an interval (--replications 1): "
               "the baseline's results depend on random numbers; pass --replications N\n");
  // The beer game draws nothing that matters: one replication, exact differences.
  fs::remove_all(out);
  CHECK(run({"compare", "scenarios/beer_game.yaml", "--variant", "nodes.retailer.initial=20", "--out", out}, &err) ==
        0);
  CHECK(err.empty());
  const std::string json = read(out + "/compare.json");
  CHECK(json.find("\"deterministic\": true") != std::string::npos);
  CHECK(json.find("\"exact\": true") != std::string::npos);
  CHECK(read(out + "/compare.html").find("differ, exactly") != std::string::npos);
  fs::remove_all(out);
}

TEST_CASE("chainsim sweep takes a design file in place of the scenario and refuses --param beside it") {
  const std::string dir = temp_dir("designfile");
  fs::create_directories(dir);
  {
    std::ofstream f(dir + "/sweep.yaml");
    f << "sweep:\n  scenario: " << fs::absolute("scenarios/serial_base_stock.yaml").string()
      << "\n  set: {horizon: 60}\n  replications: 2\n  parameters:\n"
         "    - {path: nodes.store.policy.S, values: [20, 30]}\n";
  }
  CHECK(run({"sweep", dir + "/sweep.yaml", "--quiet", "--out", dir + "/out", "--allow-dir", "scenarios"}) == 0);
  CHECK(lines(dir + "/out/sweep.csv") == 5);
  CHECK(read(dir + "/out/sweep.json").find("\"design_file\": \"" + dir + "/sweep.yaml\"") != std::string::npos);
  std::string err;
  CHECK(run({"sweep", dir + "/sweep.yaml", "--param", "horizon=10,20", "--out", dir + "/out2"}, &err) == 2);
  CHECK(err == dir + "/sweep.yaml: error: the design file gives the parameters and the design: drop --param, "
                     "--design and --samples\n1 error; nothing was run\n");
  fs::remove_all(dir);
}

TEST_CASE("chainsim sweep --resume exits 2 when a trace file the scenario reads changed and resumes when it did not") {
  const std::string dir = temp_dir("trace");
  fs::create_directories(dir + "/model");
  std::string yaml = read("scenarios/serial_base_stock.yaml");
  const std::string poisson = "demand: {type: poisson, mean: 10}";
  REQUIRE(yaml.find(poisson) != std::string::npos);
  yaml.replace(yaml.find(poisson), poisson.size(), "demand: {type: trace, file: demand.csv}");
  chainsim::testing::write_file(dir + "/model/chain.yaml", yaml);
  chainsim::testing::write_file(dir + "/model/demand.csv", "demand\n8\n12\n10\n");
  const std::vector<std::string> args = {"sweep", dir + "/model/chain.yaml", "--param", "nodes.store.policy.S=20,30,40",
                                         "--set", "horizon=60", "--replications", "2", "--quiet", "--out", dir + "/out"};
  std::vector<std::string> resume = args;
  resume.push_back("--resume");
  REQUIRE(run(args) == 0);
  const std::string whole = read(dir + "/out/sweep.csv");
  // As if killed after three rows.
  std::size_t pos = 0;
  for (int line = 0; line < 4; ++line) pos = whole.find('\n', pos) + 1;
  chainsim::testing::write_file(dir + "/out/sweep.csv", whole.substr(0, pos));

  chainsim::testing::write_file(dir + "/model/demand.csv", "demand\n8\n12\n11\n");
  std::string err;
  CHECK(run(resume, &err) == 2);
  CHECK(err.rfind("chainsim: error: cannot resume the sweep in " + dir +
                      "/out: demand.csv, a file the scenario reads, changed since the sweep started (its hash was "
                      "fnv1a64:",
                  0) == 0);
  CHECK(read(dir + "/out/sweep.csv") == whole.substr(0, pos));

  chainsim::testing::write_file(dir + "/model/demand.csv", "demand\n8\n12\n10\n");
  CHECK(run(resume) == 0);
  CHECK(read(dir + "/out/sweep.csv") == whole);
  fs::remove_all(dir);
}

TEST_CASE("optimize writes its answer and its trace, and the same ones again for the same seed") {
  const std::string out = temp_dir("optimize");
  const std::vector<std::string> args = {"optimize", "scenarios/serial_base_stock.yaml", "--vary",
                                         "nodes.store.policy.S=16:40:2", "--minimize", "network.total_cost",
                                         "--subject-to", "stock.store/widget.fill_rate>=0.9", "--indifference", "100",
                                         "--set", "horizon=200", "--jobs", "2", "--out", out};
  REQUIRE(run(args) == 0);
  const std::string json = read(out + "/optimize.json"), csv = read(out + "/optimize.csv");
  CHECK(json.find("\"method\": \"kim-nelson\"") != std::string::npos);
  CHECK(json.find("\"found\": true") != std::string::npos);
  CHECK(csv.rfind("phase,iteration,point,nodes.store.policy.S,replication,network.total_cost,"
                  "stock.store/widget.fill_rate\n",
                  0) == 0);
  CHECK(csv.find("\nfeasibility,0,") != std::string::npos);
  CHECK(csv.find("\nselection,0,") != std::string::npos);
  fs::remove_all(out);
  REQUIRE(run(args) == 0);
  CHECK(read(out + "/optimize.json") == json);
  CHECK(read(out + "/optimize.csv") == csv);
  fs::remove_all(out);
}

TEST_CASE("optimize refuses bad input with status 2, says what is wrong and writes nothing") {
  const std::string out = temp_dir("optimize_bad");
  std::string err;
  const std::vector<std::string> base = {"optimize", "scenarios/serial_base_stock.yaml", "--vary",
                                         "nodes.store.policy.S=16:40:2", "--indifference", "100", "--out", out};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> a = base;
    a.insert(a.end(), more.begin(), more.end());
    return a;
  };
  CHECK(run(with({"--minimize", "network.no_such_kpi"}), &err) == 2);
  CHECK(err.find("no KPI column 'network.no_such_kpi'") != std::string::npos);
  CHECK(run(with({"--minimize", "network.total_cost", "--subject-to", "fill_rate=0.9"}), &err) == 2);
  CHECK(err.find("write KPI>=VALUE or KPI<=VALUE") != std::string::npos);
  CHECK(run(with({}), &err) == 2);
  CHECK(err.find("--minimize KPI or --maximize KPI") != std::string::npos);
  CHECK(run({"optimize", "scenarios/serial_base_stock.yaml", "--vary", "nodes.shop.policy.S=1,2", "--minimize",
             "network.total_cost", "--indifference", "1", "--out", out},
            &err) == 2);
  CHECK(err.find("nodes.shop.policy.S") != std::string::npos);
  CHECK(!fs::exists(out + "/optimize.json"));
  fs::remove_all(out);
}

TEST_CASE("optimize --resume after an interruption ends with the same files as a search never interrupted") {
  const std::string out = temp_dir("optimize_resume"), whole = temp_dir("optimize_whole");
  auto args = [](const std::string& dir, const std::string& delta) {
    return std::vector<std::string>{"optimize", "scenarios/serial_base_stock.yaml", "--vary",
                                    "nodes.store.policy.S=10:66:2", "--vary", "nodes.warehouse.policy.S=10:66:2",
                                    "--minimize", "network.total_cost", "--indifference", delta, "--set",
                                    "horizon=200", "--jobs", "2", "--quiet", "--out", dir};
  };
  REQUIRE(run(args(whole, "100")) == 0);
  const std::string csv = read(whole + "/optimize.csv"), json = read(whole + "/optimize.json");
  REQUIRE(lines(whole + "/optimize.csv") > 100);
  // An interruption: the first runs written, the last row half written.
  REQUIRE(run(args(out, "100")) == 0);
  std::size_t cut = 0;
  for (int k = 0; k < 60; ++k) cut = csv.find('\n', cut) + 1;
  { std::ofstream(out + "/optimize.csv", std::ios::binary) << csv.substr(0, cut + 9); }
  std::string err;
  CHECK(run(args(out, "100"), &err) == 2);  // without --resume: refused, untouched
  CHECK(err.find("holds a search") != std::string::npos);
  std::vector<std::string> changed = args(out, "50");
  changed.push_back("--resume");
  CHECK(run(changed, &err) == 2);  // another question: refused
  CHECK(err.find("asked differently: its indifference is 100.0, this one's 50.0") != std::string::npos);
  std::vector<std::string> resume = args(out, "100");
  resume.push_back("--resume");
  REQUIRE(run(resume) == 0);
  CHECK(read(out + "/optimize.csv") == csv);
  CHECK(read(out + "/optimize.json") == json);
  fs::remove_all(out);
  fs::remove_all(whole);
}

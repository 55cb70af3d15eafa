// The chainsim program, run as a user runs it: exit statuses, what goes to
// stdout and stderr, the files written and the ones left alone.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <vector>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/test_util.h"

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

using chainsim::testing::read_file;

const fs::path kRoot = CHAINSIM_SOURCE_DIR;

std::string read(const fs::path& p) { return read_file(p); }

// A scratch directory that commands run in.
struct TempDir : chainsim::testing::TempDir {
  TempDir() : chainsim::testing::TempDir("cli_test") {}
  // Runs `chainsim <args>` here (args are shell words: quote what needs it).
  chainsim::testing::CommandResult chainsim(const std::string& args) const {
    return chainsim::testing::run_command("'" + std::string(CHAINSIM_EXE) + "' " + args, path());
  }
};
using Result = chainsim::testing::CommandResult;

std::string example(const char* name) { return "'" + (kRoot / "scenarios" / name).string() + "'"; }

// Periods of serial_base_stock.yaml that take over a second on any machine
// this runs on: two million (1.5 million a second here), 200,000 under the
// sanitizers, which run it about 15 times slower (100,000 a second). GCC
// says so with __SANITIZE_ADDRESS__, Clang (before 16) only through
// __has_feature.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CHAINSIM_TEST_UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CHAINSIM_TEST_UNDER_ASAN 1
#endif
std::string long_run_periods() {
#if defined(CHAINSIM_TEST_UNDER_ASAN)
  return "200000";
#else
  return "2000000";
#endif
}

// A command prefix that runs chainsim as nobody when the suite runs as root
// (who reads and writes anything), with a copy of the program in `d`: the
// build folder may sit where nobody cannot reach it (under /root in CI).
std::string chainsim_as_nobody(const TempDir& d) {
  if (::geteuid() != 0) return "'" + std::string(CHAINSIM_EXE) + "'";
  const fs::path copy = d.path() / "chainsim-copy";
  if (!fs::exists(copy)) fs::copy_file(CHAINSIM_EXE, copy);
  fs::permissions(d.path(), fs::perms::all);
  return "setpriv --reuid=65534 --regid=65534 --clear-groups '" + copy.string() + "'";
}

}  // namespace

TEST_CASE("--version names the version and the build's commit") {
  TempDir d;
  const Result r = d.chainsim("--version");
  CHECK(r.status == 0);
  CHECK(r.out.rfind("chainsim 0.1.0 (git ", 0) == 0);
}

TEST_CASE("--help lists the commands, and every command has its own --help") {
  TempDir d;
  const Result r = d.chainsim("--help");
  CHECK(r.status == 0);
  for (const char* c : {"run", "validate", "describe", "schema"}) {
    CAPTURE(c);
    CHECK(r.out.find(std::string("  ") + c + " ") != std::string::npos);
    const Result h = d.chainsim(std::string(c) + " --help");
    CHECK(h.status == 0);
    CHECK(h.out.find("Usage:") != std::string::npos);
  }
  CHECK(d.chainsim("run --help").out.find("--set") != std::string::npos);
}

TEST_CASE("bad arguments exit with status 2 and say what is wrong") {
  TempDir d;
  const Result none = d.chainsim("");
  CHECK(none.status == 2);
  CHECK(none.err.find("chainsim: error: a command is required") != std::string::npos);
  CHECK(none.err.find("Subcommands:") != std::string::npos);  // the help, to show what there is
  const Result typo = d.chainsim("rnu x.yaml");
  CHECK(typo.status == 2);
  CHECK(typo.err.rfind("chainsim: error: unknown command 'rnu' (the commands: run, validate, ", 0) == 0);
  const Result unknown = d.chainsim("run " + example("beer_game.yaml") + " --frobnicate");
  CHECK(unknown.status == 2);
  CHECK(unknown.err.find("--frobnicate") != std::string::npos);
  // A near miss is named.
  const Result near = d.chainsim("rn x.yaml");
  CHECK(near.status == 2);
  CHECK(near.err.rfind("chainsim: error: unknown command 'rn': did you mean run? (the commands: ", 0) == 0);
  const Result flag = d.chainsim("run " + example("beer_game.yaml") + " --replication 5");
  CHECK(flag.status == 2);
  CHECK(flag.err.find("chainsim: --replication is not an option of chainsim run: did you mean --replications?\n") !=
        std::string::npos);
  const Result reps = d.chainsim("run " + example("beer_game.yaml") + " --replications 0");
  CHECK(reps.status == 2);
  CHECK(reps.err.find("--replications: must be a whole number >= 1 (got 0)") != std::string::npos);
  const Result many = d.chainsim("run " + example("beer_game.yaml") + " --replications 10001");
  CHECK(many.status == 2);
  CHECK(many.err.find("--replications: must be at most 10000 (got 10001): chainsim sweep runs more, streaming "
                      "their KPIs") != std::string::npos);
  // The seed range is the scenario file's, so that the scenario as run loads again.
  for (const char* seed : {"-1", "9223372036854775808", "0x10"}) {
    CAPTURE(seed);
    const Result r = d.chainsim("run " + example("beer_game.yaml") + " --seed " + seed);
    CHECK(r.status == 2);
    CHECK(r.err.find(std::string("--seed: must be a whole number in [0, 9223372036854775807] (got ") + seed + ")") !=
          std::string::npos);
  }
  CHECK(!fs::exists(d.path() / "out"));
}

TEST_CASE("validate prints one line describing the network") {
  TempDir d;
  const Result r = d.chainsim("validate " + example("distribution_network.yaml"));
  CHECK(r.status == 0);
  CHECK(r.out ==
        "distribution_network: ok: 16 nodes (1 factory, 3 warehouses, 12 retailers), 15 lanes, 1 product, 365 "
        "periods of 1 day\n");
  CHECK(r.err.empty());
}

TEST_CASE("a bad scenario: every error on stderr as file:line:col, status 2, nothing written") {
  TempDir d;
  const std::string bad = d.write("bad.yaml", "name: bad\nhorizon: 5\nhorizn: 4\nproducts: [{id: x, unit_cost: -1}]\n"
                                              "nodes: [{id: a, kind: shop}]\n");
  for (const char* cmd : {"validate", "run", "describe"}) {
    CAPTURE(cmd);
    const Result r = d.chainsim(std::string(cmd) + " bad.yaml");
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "bad.yaml:3:1: error: horizn: unknown key (did you mean horizon?)\n"
          "bad.yaml:4:31: error: products.x.unit_cost: must be >= 0 (got -1)\n"
          "bad.yaml:5:23: error: nodes.a.kind: must be one of supplier, factory, warehouse, retailer (got 'shop')\n"
          "3 errors; nothing was run\n");
  }
  CHECK(!fs::exists(d.path() / "out"));
  (void)bad;
}

TEST_CASE("a missing scenario file is an error naming it") {
  TempDir d;
  const Result r = d.chainsim("run missing.yaml");
  CHECK(r.status == 2);
  CHECK(r.err ==
        "missing.yaml: error: cannot read scenario file 'missing.yaml' (No such file or directory)\n"
        "1 error; nothing was run\n");
}

TEST_CASE("a scenario that is a FIFO or a device is refused at once, not read until it ends") {
  TempDir d;
  REQUIRE(::mkfifo((d.path() / "pipe.yaml").c_str(), 0600) == 0);
  const Result fifo = d.chainsim("validate pipe.yaml");  // would block forever if opened for a blocking read
  CHECK(fifo.status == 2);
  CHECK(fifo.err == "pipe.yaml: error: cannot read scenario file 'pipe.yaml' (a FIFO, not a regular file)\n"
                    "1 error; nothing was run\n");
  const Result zero = d.chainsim("validate /dev/zero");
  CHECK(zero.status == 2);
  CHECK(zero.err == "/dev/zero: error: cannot read scenario file '/dev/zero' (a character device, not a regular "
                    "file)\n1 error; nothing was run\n");
}

TEST_CASE("run prints the summary table and writes summary.json and timeseries.csv into out/<name>") {
  TempDir d;
  const Result r = d.chainsim("run " + example("beer_game.yaml"));
  CHECK(r.status == 0);
  CHECK(r.out.rfind("beer_game: 36 periods of 1 week, 1 replication\n", 0) == 0);
  CHECK(r.out.find("retailer/beer") != std::string::npos);
  CHECK(r.out.find("wrote out/beer_game/summary.json") != std::string::npos);
  const fs::path out = d.path() / "out/beer_game";
  REQUIRE(fs::exists(out / "summary.json"));
  REQUIRE(fs::exists(out / "timeseries.csv"));
  const json s = json::parse(read(out / "summary.json"));
  CHECK(s["scenario"]["name"] == "beer_game");
  CHECK(s["scenario"]["horizon"] == 36);
  CHECK(s["seed"] == 1);
  CHECK(s["replications"] == 1);
  CHECK(s["chainsim"]["version"] == "0.1.0");
  CHECK(s["kpis"]["stocks"]["retailer/beer"].contains("fill_rate"));
  // No temporary files are left beside the outputs.
  for (const auto& e : fs::directory_iterator(out)) {
    CAPTURE(e.path().filename().string());
    CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
  }
  // One row per period and stock (4 stocks x 36 weeks) after the header.
  const std::string csv = read(out / "timeseries.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 4 * 36);
}

TEST_CASE("the same scenario and seed give the same bytes, and another seed other numbers") {
  TempDir d;
  const std::string sc = example("serial_base_stock.yaml");
  REQUIRE(d.chainsim("run " + sc + " --out a --quiet").status == 0);
  REQUIRE(d.chainsim("run " + sc + " --out b --quiet --jobs 1").status == 0);
  REQUIRE(d.chainsim("run " + sc + " --out c --quiet --seed 99").status == 0);
  CHECK(read(d.path() / "a/summary.json") == read(d.path() / "b/summary.json"));
  CHECK(read(d.path() / "a/timeseries.csv") == read(d.path() / "b/timeseries.csv"));
  CHECK(read(d.path() / "a/timeseries.csv") != read(d.path() / "c/timeseries.csv"));
  CHECK(json::parse(read(d.path() / "c/summary.json"))["seed"] == 99);
}

TEST_CASE("run --log writes the first replication's events, tidy, and changes nothing else") {
  TempDir d;
  const std::string sc = example("supplier_disruption.yaml");
  REQUIRE(d.chainsim("run " + sc + " --out a --quiet --no-report --replications 2").status == 0);
  const Result r = d.chainsim("run " + sc + " --out b --no-report --replications 2 --log events.csv");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("b/events.csv") != std::string::npos);
  CHECK(read(d.path() / "a/summary.json") == read(d.path() / "b/summary.json"));
  const std::string log = read(d.path() / "b/events.csv");
  REQUIRE(log.rfind("time,period,phase,event,from,to,product,quantity,order,invoice,amount,what_if\n", 0) == 0);
  CHECK(log.find("\n100,100,what-if,what_if_start,,,,,,,,outage\n") != std::string::npos);
  CHECK(log.find("\n121,121,what-if,what_if_end,,,,,,,,outage\n") != std::string::npos);
  CHECK(log.find(",review,order,plant,backup_supplier,part,") != std::string::npos);
  // The same run, the same bytes.
  REQUIRE(d.chainsim("run " + sc + " --out c --quiet --no-report --replications 2 --log events.csv").status == 0);
  CHECK(read(d.path() / "c/events.csv") == log);
  const Result bad = d.chainsim("run " + sc + " --out e --quiet --log sub/events.csv");
  CHECK(bad.status == 2);
  CHECK(bad.err == "--log: error: give a file name, written in the output directory (got 'sub/events.csv')\n");
}

TEST_CASE("--set overrides reach the run and summary.json records the scenario as run") {
  TempDir d;
  const Result r = d.chainsim("run " + example("beer_game.yaml") +
                              " --out o --quiet --set horizon=20 --set nodes.retailer.initial=15");
  REQUIRE(r.status == 0);
  CHECK(r.out.empty());
  const json s = json::parse(read(d.path() / "o/summary.json"));
  CHECK(s["scenario"]["horizon"] == 20);
  const std::string as_run = s["scenario_as_run"];
  CHECK(as_run.find("horizon: 20") != std::string::npos);
  CHECK(as_run.find("initial: 15") != std::string::npos);
  const Result bad = d.chainsim("run " + example("beer_game.yaml") + " --out p --set nodes.retailer.intial=15");
  CHECK(bad.status == 2);
  CHECK(bad.err.find("--set: unknown path: 'intial' is not a key of nodes.retailer (did you mean initial?)") !=
        std::string::npos);
  CHECK(!fs::exists(d.path() / "p"));
}

TEST_CASE("replications give every KPI a mean, sd, 95% half-width and n") {
  TempDir d;
  REQUIRE(d.chainsim("run " + example("serial_base_stock.yaml") + " --out o --quiet --replications 3").status == 0);
  const json s = json::parse(read(d.path() / "o/summary.json"));
  CHECK(s["replications"] == 3);
  const json& fr = s["kpis"]["network"]["fill_rate"];
  CHECK(fr["n"] == 3);
  CHECK(fr["half_width"].is_number());
  CHECK(fr["sd"].get<double>() > 0);
}

TEST_CASE("--timeseries defaults to one replication's own rows, and to the mean of several") {
  TempDir d;
  REQUIRE(d.chainsim("run " + example("beer_game.yaml") + " --quiet --out one").status == 0);
  REQUIRE(d.chainsim("run " + example("beer_game.yaml") + " --quiet --out two --replications 2").status == 0);
  const std::string one = read(d.path() / "one/timeseries.csv"), two = read(d.path() / "two/timeseries.csv");
  CHECK(one.find("\n0,0,0,retailer,beer,") != std::string::npos);
  CHECK(one.find("\nmean,") == std::string::npos);
  CHECK(two.find("\nmean,0,0,retailer,beer,") != std::string::npos);
  CHECK(std::count(two.begin(), two.end(), '\n') == 1 + 4 * 36);
}

TEST_CASE("--timeseries chooses the mean of replications, every replication, or no file") {
  TempDir d;
  const std::string sc = example("beer_game.yaml") + " --quiet --replications 2";
  REQUIRE(d.chainsim("run " + sc + " --out mean --timeseries mean").status == 0);
  REQUIRE(d.chainsim("run " + sc + " --out all --timeseries all").status == 0);
  REQUIRE(d.chainsim("run " + sc + " --out none --timeseries none").status == 0);
  const std::string mean = read(d.path() / "mean/timeseries.csv"), all = read(d.path() / "all/timeseries.csv");
  CHECK(mean.find("\nmean,0,") != std::string::npos);
  CHECK(all.find("\n0,0,") != std::string::npos);
  CHECK(all.find("\n1,0,") != std::string::npos);
  CHECK(std::count(all.begin(), all.end(), '\n') == 1 + 2 * 4 * 36);
  CHECK(!fs::exists(d.path() / "none/timeseries.csv"));
  CHECK(fs::exists(d.path() / "none/summary.json"));
  const Result bad = d.chainsim("run " + sc + " --out x --timeseries some");
  CHECK(bad.status == 2);
}

TEST_CASE("a failed run leaves earlier outputs untouched") {
  TempDir d;
  REQUIRE(d.chainsim("run " + example("beer_game.yaml") + " --out o --quiet").status == 0);
  const std::string before = read(d.path() / "o/summary.json");
  d.write("bad.yaml", "horizon: x\n");
  CHECK(d.chainsim("run bad.yaml --out o --quiet").status == 2);
  CHECK(read(d.path() / "o/summary.json") == before);
}

TEST_CASE("a run into an earlier run's folder leaves only its own files there") {
  TempDir d;
  const std::string sc = example("beer_game.yaml") + " --quiet --out o";
  REQUIRE(d.chainsim("run " + sc).status == 0);
  REQUIRE(fs::exists(d.path() / "o/timeseries.csv"));
  REQUIRE(fs::exists(d.path() / "o/report.html"));
  d.write("o/notes.txt", "mine\n");
  REQUIRE(d.chainsim("run " + sc + " --seed 7 --timeseries none --no-report").status == 0);
  CHECK(!fs::exists(d.path() / "o/timeseries.csv"));  // the seed-1 series would sit beside seed 7's summary
  CHECK(!fs::exists(d.path() / "o/report.html"));
  CHECK(json::parse(read(d.path() / "o/summary.json"))["seed"] == 7);
  CHECK(read(d.path() / "o/notes.txt") == "mine\n");  // not chainsim's: left alone
}

TEST_CASE("summary.json records each trace file the scenario reads with a hash of its contents") {
  TempDir d;
  std::string yaml = read(kRoot / "scenarios/serial_base_stock.yaml");
  const std::string poisson = "demand: {type: poisson, mean: 10}";
  REQUIRE(yaml.find(poisson) != std::string::npos);
  yaml.replace(yaml.find(poisson), poisson.size(), "demand: {type: trace, file: demand.csv}");
  d.write("chain.yaml", yaml);
  d.write("demand.csv", "demand\n8\n12\n10\n");
  REQUIRE(d.chainsim("run chain.yaml --quiet --no-report --out a").status == 0);
  d.write("demand.csv", "demand\n8\n12\n11\n");
  REQUIRE(d.chainsim("run chain.yaml --quiet --no-report --out b").status == 0);
  const json a = json::parse(read(d.path() / "a/summary.json"))["scenario"]["inputs"];
  const json b = json::parse(read(d.path() / "b/summary.json"))["scenario"]["inputs"];
  REQUIRE(a.size() == 1);
  CHECK(a[0]["file"] == "demand.csv");
  CHECK(a[0]["hash"].get<std::string>().size() >= 16);
  CHECK(b[0]["file"] == "demand.csv");
  CHECK(a[0]["hash"] != b[0]["hash"]);
  REQUIRE(d.chainsim("run " + example("beer_game.yaml") + " --quiet --no-report --out c").status == 0);
  CHECK(!json::parse(read(d.path() / "c/summary.json"))["scenario"].contains("inputs"));  // reads no file
}

TEST_CASE("an output directory that cannot be made is an error, not a crash") {
  TempDir d;
  d.write("file", "not a directory");
  const Result r = d.chainsim("run " + example("beer_game.yaml") + " --out file/sub");
  CHECK(r.status == 2);
  CHECK(r.err == "chainsim: error: --out: cannot create directory 'file/sub' (Not a directory)\n");
  CHECK(r.out.empty());
  // A directory that exists but cannot be written to is found before the
  // run too (as nobody when the suite runs as root, who writes anywhere).
  fs::create_directory(d.path() / "ro");
  fs::permissions(d.path() / "ro", fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                       fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  fs::copy_file(kRoot / "scenarios/beer_game.yaml", d.path() / "beer_game.yaml");  // readable by nobody
  const Result ro = chainsim::testing::run_command(chainsim_as_nobody(d) + " run beer_game.yaml --out ro", d.path());
  CHECK(ro.status == 2);
  CHECK(ro.err == "chainsim: error: --out: cannot write into directory 'ro' (Permission denied)\n");
  CHECK(ro.out.empty());
}

TEST_CASE("describe prints the network as text, and as Graphviz DOT with --dot") {
  TempDir d;
  const Result t = d.chainsim("describe " + example("beer_game.yaml"));
  CHECK(t.status == 0);
  CHECK(t.out.find("wholesaler -> retailer: transit constant(2), order delay 2") != std::string::npos);
  const Result g = d.chainsim("describe --dot " + example("beer_game.yaml"));
  CHECK(g.status == 0);
  CHECK(g.out.rfind("digraph \"beer_game\" {", 0) == 0);
  CHECK(g.out.find("\"wholesaler\" -> \"retailer\"") != std::string::npos);
  CHECK(g.out.back() == '\n');
}

TEST_CASE("describe shows suppliers' capacities, split rules, prices, payment terms and what-if durations") {
  TempDir d;
  const Result r = d.chainsim("describe " + example("supplier_disruption.yaml"));
  REQUIRE(r.status == 0);
  for (const char* part : {"  backup_supplier (supplier, outside the network, capacity 50 a period, lead time ",
                           "from main_supplier, backup_supplier (split cheapest)\n",
                           "  backup_supplier -> plant: transit constant(3), order delay 0, price 11\n",
                           "  outage: node_down at 100 on main_supplier, for 21 days\n"}) {
    CAPTURE(part);
    CHECK(r.out.find(part) != std::string::npos);
  }
  const Result terms = d.chainsim("describe " + example("payment_terms.yaml"));
  CHECK(terms.out.find("  manufacturer (factory, pays net 30 (2% off within 10))\n") != std::string::npos);
}

TEST_CASE("validate counts the customer segments and describe lists them with their channels") {
  TempDir d;
  const Result v = d.chainsim("validate " + example("treat_customers_differently.yaml"));
  CHECK(v.status == 0);
  CHECK(v.out == "treat_customers_differently: ok: 2 nodes (1 supplier, 1 retailer), 1 lane, 1 product, 2 customer "
                 "segments, 1095 periods of 1 day\n");
  const Result t = d.chainsim("describe " + example("treat_customers_differently.yaml"));
  CHECK(t.status == 0);
  CHECK(t.out.find("\ncustomers\n  contractors: 40 customers ordering 0.1 times a period each (size constant(1)), "
                   "churn per_stockout (intrinsic 0.003)\n    buys at store/part: 100% of its orders\n") !=
        std::string::npos);
  // A scenario without segments says nothing of them.
  CHECK(d.chainsim("describe " + example("beer_game.yaml")).out.find("customers") == std::string::npos);
}

TEST_CASE("a run with customer segments writes segments.csv, one row per replication, period and segment") {
  TempDir d;
  REQUIRE(d.chainsim("run " + example("treat_customers_differently.yaml") +
                     " --out o --quiet --no-report --replications 2 --set horizon=30").status == 0);
  const std::string csv = read(d.path() / "o/segments.csv");
  CHECK(csv.rfind("replication,period,time,segment,active,churned_pool,initial_cohort,acquired,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 2 * 30 * 2);
  CHECK(csv.find("\n1,29,29,walk_ins,") != std::string::npos);
  const json summary = json::parse(read(d.path() / "o/summary.json"));
  CHECK(summary["kpis"]["segments"]["contractors"].contains("lifetime_value"));
  // Without segments, no file and no segments scope.
  REQUIRE(d.chainsim("run " + example("beer_game.yaml") + " --out o --quiet --no-report").status == 0);
  CHECK_FALSE(fs::exists(d.path() / "o/segments.csv"));
  CHECK_FALSE(json::parse(read(d.path() / "o/summary.json"))["kpis"].contains("segments"));
}

TEST_CASE("an individual-mode segment's run writes customers.csv: the first replication's deliveries") {
  TempDir d;
  REQUIRE(d.chainsim("run " + example("loyalty_programme_members.yaml") +
                     " --out o --quiet --no-report --replications 2 --set horizon=20").status == 0);
  const std::string csv = read(d.path() / "o/customers.csv");
  REQUIRE(csv.rfind("customer,segment,time,units,value\n", 0) == 0);
  // Its units are the units the segment was delivered in replication 0
  // (segments.csv's met at once and late), its values its revenue.
  std::istringstream rows(csv.substr(csv.find('\n') + 1));
  std::string line;
  double units = 0, value = 0, last_time = 0;
  std::set<std::string> customers;
  auto cells = [](const std::string& row) {
    std::vector<std::string> f;
    std::istringstream in(row);
    for (std::string c; std::getline(in, c, ',');) f.push_back(c);
    return f;
  };
  while (std::getline(rows, line)) {
    const std::vector<std::string> f = cells(line);
    REQUIRE(f.size() == 5);
    CHECK(f[0].rfind("buyers-", 0) == 0);
    CHECK(f[1] == "buyers");
    CHECK(std::stod(f[2]) >= last_time);  // in time order
    last_time = std::stod(f[2]);
    customers.insert(f[0]);
    units += std::stod(f[3]);
    value += std::stod(f[4]);
  }
  double met = 0, revenue = 0;
  std::istringstream seg(read(d.path() / "o/segments.csv"));
  std::getline(seg, line);
  CHECK(line.substr(line.rfind(',') + 1) == "members");
  while (std::getline(seg, line)) {
    const std::vector<std::string> f = cells(line);
    if (f[0] != "0") continue;
    met += std::stod(f[13]) + std::stod(f[14]);
    revenue += std::stod(f[20]);
  }
  CHECK(units == doctest::Approx(met));
  CHECK(value == doctest::Approx(revenue));
  CHECK(customers.size() > 1000);
  const Result t = d.chainsim("describe " + example("loyalty_programme_members.yaml"));
  CHECK(t.out.find("    individual mode, one record per customer; rates ~ Gamma(shape 1, mean 0.1); dropout after an "
                   "order ~ Beta(1, 9); loyalty from purchase 3 (2% off, churn x 0.5)\n") != std::string::npos);
  // A population segment writes none, and an old one goes.
  REQUIRE(d.chainsim("run " + example("treat_customers_differently.yaml") +
                     " --out o --quiet --no-report --set horizon=5").status == 0);
  CHECK_FALSE(fs::exists(d.path() / "o/customers.csv"));
}

TEST_CASE("schema prints the committed JSON Schema") {
  TempDir d;
  const Result r = d.chainsim("schema");
  CHECK(r.status == 0);
  CHECK(r.out == read(kRoot / "scenarios/schema.json"));
}

TEST_CASE("the scenario as run repeats the run, --seed and --replications included") {
  TempDir d;
  REQUIRE(d.chainsim("run " + example("serial_base_stock.yaml") + " --out a --quiet --seed 5 --replications 3 "
                     "--set horizon=60").status == 0);
  const json first = json::parse(read(d.path() / "a/summary.json"));
  const std::string as_run = first["scenario_as_run"];
  CHECK(as_run.find("seed: 5") != std::string::npos);
  CHECK(as_run.find("replications: 3") != std::string::npos);
  d.write("as_run.yaml", as_run);
  REQUIRE(d.chainsim("run as_run.yaml --out b --quiet").status == 0);
  const json second = json::parse(read(d.path() / "b/summary.json"));
  CHECK(second["kpis"] == first["kpis"]);
}

TEST_CASE("a run longer than a second shows a progress bar on a terminal, and nothing when stderr is a file") {
  // `script` (util-linux) gives the run a terminal.
  const std::string periods = long_run_periods();
  TempDir d;
  const std::string args = example("serial_base_stock.yaml") + " --set horizon=" + periods +
                           " --replications 1 --timeseries none --no-report --jobs 1 --out o";
  const Result tty = chainsim::testing::run_command(
      "script -qec \"'" + std::string(CHAINSIM_EXE) + "' run " + args + "\" /dev/null", d.path());
  REQUIRE(tty.status == 0);
  CHECK(tty.out.find("/" + periods + " periods (") != std::string::npos);
  CHECK(tty.out.find(periods + "/" + periods + " periods (100%)") != std::string::npos);
  const Result file = d.chainsim("run " + args);
  CHECK(file.status == 0);
  CHECK(file.err.empty());
}

TEST_CASE("a run stopped by SIGTERM or SIGINT leaves no temporary file and the earlier outputs whole") {
  // Long enough to be interrupted while timeseries.csv's temporary file is open.
  const std::string periods = long_run_periods();
  for (const char* sig : {"TERM", "INT"}) {
    CAPTURE(sig);
    TempDir d;
    REQUIRE(d.chainsim("run " + example("serial_base_stock.yaml") + " --quiet --out o").status == 0);
    const std::string before = read(d.path() / "o/summary.json");
    const Result r = chainsim::testing::run_command(
        std::string("timeout -s ") + sig + " 0.5 '" + CHAINSIM_EXE + "' run " + example("serial_base_stock.yaml") +
            " --set horizon=" + periods + " --replications 1 --timeseries all --no-report --jobs 1 --quiet --out o",
        d.path());
    CHECK(r.status == 124);  // timeout's status: the run was still going and died of the signal
    for (const auto& e : fs::directory_iterator(d.path() / "o")) {
      CAPTURE(e.path().string());
      CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
    }
    CHECK(read(d.path() / "o/summary.json") == before);
  }
}

TEST_CASE("a scenario file that cannot be read is an error naming it and why, a baseline's too") {
  TempDir d;
  d.write("locked.yaml", "horizon: 5\n");
  d.write("variant.yaml", "extends: locked.yaml\n");
  fs::permissions(d.path() / "locked.yaml", fs::perms::none);
  // root reads any file: run as nobody then (setpriv, util-linux).
  auto validate = [&](const std::string& file) {
    return chainsim::testing::run_command(chainsim_as_nobody(d) + " validate " + file, d.path());
  };
  const Result direct = validate("locked.yaml");
  CHECK(direct.status == 2);
  CHECK(direct.err == "locked.yaml: error: cannot read scenario file 'locked.yaml' (Permission denied)\n1 error; nothing was run\n");
  const Result via = validate("variant.yaml");
  CHECK(via.status == 2);
  CHECK(via.err == "variant.yaml:1:10: error: extends: cannot read scenario file './locked.yaml' (Permission denied)\n"
                     "1 error; nothing was run\n");
}

TEST_CASE("one exit-status rule: an output folder that cannot be made is refused before the run, alike by every command") {
  TempDir d;
  d.write("file", "a file, not a folder\n");
  const std::string expected = "chainsim: error: --out: cannot create directory 'file/out' (Not a directory)\n";
  for (const std::string& cmd :
       {"run " + example("serial_base_stock.yaml") + " --quiet --out file/out",
        "sweep " + example("serial_base_stock.yaml") + " --param horizon=60,80 --replications 2 --quiet --out file/out",
        "compare " + example("serial_base_stock.yaml") + " --variant horizon=300 --replications 2 --quiet --out "
                                                         "file/out"}) {
    CAPTURE(cmd);
    const Result r = d.chainsim(cmd);
    CHECK(r.status == 2);
    CHECK(r.err == expected);
  }
}

TEST_CASE("a baseline name too long for the system is a refusal at its key, quoted short") {
  TempDir d;
  d.write("v.yaml", "extends: " + std::string(5000, 'a') + ".yaml\nhorizon: 3\n");
  const Result r = d.chainsim("validate v.yaml");
  CHECK(r.status == 2);
  CHECK(r.err == "v.yaml:1:10: error: extends: cannot read scenario file '" + std::string(80, 'a') +
                     "...' (File name too long)\n1 error; nothing was run\n");
}

TEST_CASE("nothing a scenario holds reaches the terminal raw") {
  TempDir d;
  d.write("evil.yaml", "name: \"x\\e]0;pwned\\a\\e[2J\"\nhorizon: 3\n");
  const Result r = d.chainsim("validate evil.yaml");
  CHECK(r.status == 2);
  CHECK(r.err.find('\x1b') == std::string::npos);
  CHECK(r.err.find('\a') == std::string::npos);
  CHECK(r.err.find("(got 'x\\x1b]0;pwned\\x07\\x1b[2J')") != std::string::npos);
}

TEST_CASE("an output folder another process holds is refused by run, sweep and compare, whatever it holds") {
  TempDir d;
  fs::create_directories(d.path() / "o");
  // flock(1) holds the folder's lock while chainsim tries to write there.
  const std::string expected = "chainsim: error: --out: 'o' is in use by another chainsim, which is writing its "
                               "results there; wait for it to finish or choose another --out\n";
  for (const std::string& cmd :
       {"run " + example("serial_base_stock.yaml") + " --set horizon=60 --quiet --out o",
        "sweep " + example("serial_base_stock.yaml") + " --param horizon=60,80 --replications 2 --quiet --out o",
        "compare " + example("serial_base_stock.yaml") + " --variant horizon=300 --replications 2 --quiet --out o"}) {
    CAPTURE(cmd);
    const Result r = chainsim::testing::run_command("flock o '" + std::string(CHAINSIM_EXE) + "' " + cmd, d.path());
    CHECK(r.status == 2);
    CHECK(r.err == expected);
    CHECK(fs::is_empty(d.path() / "o"));
  }
  // Free again, the same command writes.
  CHECK(d.chainsim("run " + example("serial_base_stock.yaml") + " --set horizon=60 --quiet --out o").status == 0);
}

TEST_CASE("two sweeps started together into one folder: one writes, the other is refused, nothing is lost") {
  TempDir d;
  const std::string sweep = "'" + std::string(CHAINSIM_EXE) + "' sweep " + example("serial_base_stock.yaml") +
                            " --param nodes.store.policy.S=20,25,30,35 --set horizon=200 --replications 4 --jobs 1 "
                            "--quiet --out o";
  const Result r = chainsim::testing::run_command(
      "{ (" + sweep + " 2>e1; echo $? >s1) & (" + sweep + " 2>e2; echo $? >s2) & wait; }", d.path());
  REQUIRE(r.status == 0);
  const std::string s1 = read(d.path() / "s1"), s2 = read(d.path() / "s2");
  CAPTURE(s1);
  CAPTURE(s2);
  const std::set<std::string> statuses{s1, s2};
  // One wrote; the other found its lock or its finished sweep, and refused.
  CHECK(statuses == std::set<std::string>{"0\n", "2\n"});
  std::istringstream rows(read(d.path() / "o/sweep.csv"));
  std::size_t lines = 0;
  for (std::string line; std::getline(rows, line);) ++lines;
  CHECK(lines == 1 + 4 * 4);
}

namespace {

// Whether `dir` holds one whole run: its manifest.json names files of the
// sizes found, and run_id is the FNV-1a 64 hash of its summary.json.
bool one_whole_run(const fs::path& dir) {
  if (!fs::exists(dir / "manifest.json")) return false;
  const json m = json::parse(read(dir / "manifest.json"));
  for (const json& f : m.at("files")) {
    if (fs::file_size(dir / f.at("file").get<std::string>()) != f.at("bytes").get<std::uintmax_t>()) return false;
  }
  std::uint64_t h = 14695981039346656037ull;
  for (const char ch : read(dir / "summary.json")) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ull;
  char id[17];
  std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(h));
  return m.at("run_id").get<std::string>() == id;
}

}  // namespace

TEST_CASE("a run's files are one unit: manifest.json names them, and goes first when a run fails halfway") {
  TempDir d;
  const std::string run = "run " + example("serial_base_stock.yaml") + " --set horizon=60 --quiet --out o";
  REQUIRE(d.chainsim(run).status == 0);
  CHECK(one_whole_run(d.path() / "o"));
  const json m = json::parse(read(d.path() / "o/manifest.json"));
  CHECK(m.at("files").size() == 3);  // summary.json, timeseries.csv, report.html
  SUBCASE("a second run that fails while switching its files in leaves no manifest: the folder says it is mixed") {
    // report.html cannot be replaced (a folder is in its way): summary.json
    // and timeseries.csv are the new run's already when that fails.
    fs::remove(d.path() / "o/report.html");
    fs::create_directories(d.path() / "o/report.html/x");
    const Result r = d.chainsim("run " + example("serial_base_stock.yaml") + " --set horizon=70 --quiet --out o");
    CHECK(r.status == 1);
    CHECK(r.err.find("cannot write o/report.html") != std::string::npos);
    CHECK_FALSE(fs::exists(d.path() / "o/manifest.json"));
    CHECK_FALSE(one_whole_run(d.path() / "o"));
  }
  SUBCASE("temporary files a killed run left are removed by the next run into the folder") {
    d.write("o/summary.json.tmp.99999.0", "half a file");
    REQUIRE(d.chainsim(run).status == 0);
    CHECK_FALSE(fs::exists(d.path() / "o/summary.json.tmp.99999.0"));
    CHECK(one_whole_run(d.path() / "o"));
  }
  SUBCASE("a run killed while it computes leaves the earlier run whole") {
    const Result r = chainsim::testing::run_command(
        "timeout -s KILL 0.5 '" + std::string(CHAINSIM_EXE) + "' run " + example("serial_base_stock.yaml") +
            " --set horizon=" + long_run_periods() + " --replications 1 --jobs 1 --quiet --out o",
        d.path());
    CHECK(r.status == 128 + 9);
    CHECK(one_whole_run(d.path() / "o"));
  }
}

TEST_CASE("the fuzzers' findings, through the program: validate says 0 or 2 with well-formed lines, and 0 means run works") {
  TempDir d;
  std::vector<fs::path> inputs;
  for (const auto& e : fs::directory_iterator(kRoot / "tests/fuzz/corpus/scenario")) inputs.push_back(e.path());
  std::sort(inputs.begin(), inputs.end());
  REQUIRE_FALSE(inputs.empty());
  int accepted = 0;
  for (const fs::path& in : inputs) {
    CAPTURE(in.filename().string());
    fs::copy_file(in, d.path() / "s.yaml", fs::copy_options::overwrite_existing);
    const Result v = d.chainsim("validate s.yaml");
    CHECK((v.status == 0 || v.status == 2));
    if (v.status == 2) {
      std::istringstream lines(v.err);
      std::string line, last;
      while (std::getline(lines, line)) {
        last = line;
        const bool summary = line.find("nothing was run") != std::string::npos;
        CHECK((summary || line.rfind("s.yaml", 0) == 0 || line.rfind("/", 0) == 0));
        CHECK((summary || line.find(": error: ") != std::string::npos));
      }
      CHECK(last.find("nothing was run") != std::string::npos);
    } else {
      ++accepted;
      CHECK(d.chainsim("run s.yaml --quiet --out o").status == 0);
    }
  }
  CHECK(accepted >= 1);  // the corpus holds an accepted input too, so both branches run
}

TEST_CASE("a run removes only its own temporaries, and keeps its manifest's name for itself") {
  TempDir d;
  fs::create_directories(d.path() / "o");
  d.write("o/data.tmp.csv", "the user's own file\n");
  d.write("o/timeseries.csv.tmp.12.x", "not chainsim's pattern\n");
  d.write("o/report.html.tmp.12.3", "a killed run's temporary\n");
  REQUIRE(d.chainsim("run " + example("serial_base_stock.yaml") + " --set horizon=60 --quiet --out o").status == 0);
  CHECK(fs::exists(d.path() / "o/data.tmp.csv"));
  CHECK(fs::exists(d.path() / "o/timeseries.csv.tmp.12.x"));
  CHECK_FALSE(fs::exists(d.path() / "o/report.html.tmp.12.3"));
  const Result r = d.chainsim("run " + example("serial_base_stock.yaml") + " --log manifest.json --quiet --out o");
  CHECK(r.status == 2);
  CHECK(r.err == "--log: error: 'manifest.json' is one of the run's own files; name the log otherwise\n");
}

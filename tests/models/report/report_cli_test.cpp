// `chainsim run` and report.html, run as a program: written by default,
// skipped with --no-report, kept with its charts when --timeseries none
// writes no CSV, and never written by a run that fails; likewise
// `chainsim compare` and compare.html.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

const fs::path kRoot = CHAINSIM_SOURCE_DIR;

// A fresh output folder under the system's temporary directory.
fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("chainsim_report_cli_" + name);
  fs::remove_all(d);
  return d;
}

// Runs `chainsim COMMAND ARGS`; returns the wait status (0 on success).
int chainsim(const std::string& args, const std::string& command = "run") {
  const std::string cmd = std::string(CHAINSIM_EXE) + " " + command + " " + args + " >/dev/null 2>&1";
  return std::system(cmd.c_str());
}

std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.is_regular_file() ? 1 : 0;
  return n;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("chainsim run writes report.html beside summary.json") {
  const fs::path out = fresh_dir("default");
  REQUIRE(chainsim((kRoot / "scenarios/beer_game.yaml").string() + " --quiet --out " + out.string()) == 0);
  CHECK(fs::exists(out / "summary.json"));
  CHECK(fs::exists(out / "timeseries.csv"));
  REQUIRE(fs::exists(out / "report.html"));
  const std::string html = read(out / "report.html");
  CHECK(html.find("<h1>beer_game</h1>") != std::string::npos);
  CHECK(html.find("<polyline class=\"series\"") != std::string::npos);
  // No temporary file is left behind by the atomic write; manifest.json lists the run's files.
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(out)) files += e.is_regular_file() ? 1 : 0;
  CHECK(files == 4);
  CHECK(fs::exists(out / "manifest.json"));
  fs::remove_all(out);
}

TEST_CASE("chainsim run --no-report writes no report.html") {
  const fs::path out = fresh_dir("no_report");
  REQUIRE(chainsim((kRoot / "scenarios/beer_game.yaml").string() + " --quiet --no-report --out " + out.string()) ==
          0);
  CHECK(fs::exists(out / "summary.json"));
  CHECK_FALSE(fs::exists(out / "report.html"));
  fs::remove_all(out);
}

TEST_CASE("chainsim run --timeseries none still draws the report's charts") {
  const fs::path out = fresh_dir("no_csv");
  REQUIRE(chainsim((kRoot / "scenarios/beer_game.yaml").string() + " --quiet --timeseries none --out " +
                   out.string()) == 0);
  CHECK_FALSE(fs::exists(out / "timeseries.csv"));
  REQUIRE(fs::exists(out / "report.html"));
  CHECK(read(out / "report.html").find("<polyline class=\"series\" data-series=\"on hand\" data-points=\"36\"") !=
        std::string::npos);
  fs::remove_all(out);
}

TEST_CASE("a scenario that fails to load writes no report") {
  const fs::path out = fresh_dir("bad");
  const fs::path bad = fs::temp_directory_path() / "chainsim_report_cli_bad.yaml";
  std::ofstream(bad) << "name: bad\nhorizon: -3\nnodes: []\n";
  CHECK(chainsim(bad.string() + " --quiet --out " + out.string()) != 0);
  CHECK_FALSE(fs::exists(out / "report.html"));
  fs::remove(bad);
  fs::remove_all(out);
}

TEST_CASE("chainsim compare --out writes compare.html beside compare.json and compare.csv") {
  const fs::path out = fresh_dir("compare");
  const std::string pair = (kRoot / "scenarios/payment_terms.yaml").string() + " " +
                           (kRoot / "scenarios/payment_terms_net60.yaml").string();
  REQUIRE(chainsim(pair + " --replications 2 --quiet --out " + out.string(), "compare") == 0);
  CHECK(fs::exists(out / "compare.json"));
  CHECK(fs::exists(out / "compare.csv"));
  REQUIRE(fs::exists(out / "compare.html"));
  const std::string html = read(out / "compare.html");
  CHECK(html.find("<h1>payment_terms_net60 against payment_terms</h1>") != std::string::npos);
  CHECK(html.find("data-chart=\"forest\"") != std::string::npos);
  CHECK(html.find("nodes.retailer.payment_terms.net") != std::string::npos);
  CHECK(files_in(out) == 3);  // no temporary file left by the atomic writes
  fs::remove_all(out);
}

TEST_CASE("chainsim compare --no-report writes no compare.html") {
  const fs::path out = fresh_dir("compare_no_report");
  REQUIRE(chainsim((kRoot / "scenarios/serial_base_stock.yaml").string() +
                       " --variant nodes.store.policy.S=40 --set horizon=60 --replications 2 --quiet --no-report "
                       "--out " +
                       out.string(),
                   "compare") == 0);
  CHECK(fs::exists(out / "compare.json"));
  CHECK_FALSE(fs::exists(out / "compare.html"));
  CHECK(files_in(out) == 2);
  fs::remove_all(out);
}

// Demand traces read by the scenario layer (models/scenario/traces.h): the
// CSV reader's rules and messages, and the files a scenario reads resolved
// against its folder.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <string>
#include <vector>

#include "models/scenario/traces.h"
#include "tests/test_util.h"

using namespace chainsim::models;

namespace {

struct TempDir : chainsim::testing::TempDir {
  explicit TempDir(const std::string& tag) : chainsim::testing::TempDir("traces_" + tag) {}
};

}  // namespace

TEST_CASE("read_trace reads a headerless single column") {
  TempDir dir("headerless");
  const std::string path = dir.write("demand.csv", "5\n7.5\n\n0\n12\n");
  CHECK(read_trace(path, "") == std::vector<double>{5, 7.5, 0, 12});
}

TEST_CASE("read_trace accepts Windows line endings") {
  TempDir dir("crlf");
  const std::string path = dir.write("demand.csv", "week,demand\r\n1,4\r\n2,6\r\n");
  CHECK(read_trace(path, "demand") == std::vector<double>{4, 6});
}

TEST_CASE("read_trace reads the named column of a CSV with a header") {
  TempDir dir("column");
  const std::string path = dir.write("demand.csv", "week,sales,returns\n1,10,1\n2,12,0\n3,8.5,2\n");
  CHECK(read_trace(path, "sales") == std::vector<double>{10, 12, 8.5});
  CHECK(read_trace(path, "returns") == std::vector<double>{1, 0, 2});
  CHECK(read_trace(path, "week") == std::vector<double>{1, 2, 3});
}

TEST_CASE("read_trace reads a single column under a header without being told its name") {
  TempDir dir("single");
  const std::string path = dir.write("demand.csv", "demand\n3\n4\n");
  CHECK(read_trace(path, "") == std::vector<double>{3, 4});
  CHECK(read_trace(path, "demand") == std::vector<double>{3, 4});
}

TEST_CASE("read_trace reports a bad value with the file and line") {
  struct Case {
    const char* what;
    const char* content;
    const char* column;
    const char* where;  // appended to the path
  };
  const Case cases[] = {
      {"not a number, after a blank line", "5\n\n7\nabc\n", "",
       ":4: demand trace value must be a number from 0 to 1e15 (got 'abc')"},
      {"a negative value", "5\n-2\n", "",
       ":2: demand trace value must be a number from 0 to 1e15 (got '-2')"},
      {"text after a number", "5\n6x\n", "",
       ":2: demand trace value must be a number from 0 to 1e15 (got '6x')"},
      {"a bad cell in the named column", "week,sales\n1,10\n2,n/a\n", "sales",
       ":3: demand trace value must be a number from 0 to 1e15 (got '2,n/a')"},
      {"a short row", "week,sales\n1,10\n2\n", "sales",
       ":3: demand trace value must be a number from 0 to 1e15 (got '2')"},
  };
  TempDir dir("bad");
  int i = 0;
  for (const Case& c : cases) {
    CAPTURE(c.what);
    const std::string path = dir.write("demand" + std::to_string(i++) + ".csv", c.content);
    CHECK_THROWS_WITH_AS(read_trace(path, c.column), (path + c.where).c_str(),
                         std::invalid_argument);
  }
}

TEST_CASE("read_trace reports a missing column, a missing file and an empty trace") {
  TempDir dir("errors");
  const std::string csv = dir.write("demand.csv", "week,sales\n1,10\n");
  CHECK_THROWS_WITH_AS(
      read_trace(csv, "demand"),
      (csv + ":1: demand trace has no column 'demand' (header: week,sales)").c_str(),
      std::invalid_argument);
  // Several columns and no name given.
  CHECK_THROWS_WITH_AS(read_trace(csv, ""),
                       (csv + ":1: demand trace has no column '' (header: week,sales)").c_str(),
                       std::invalid_argument);
  const std::string missing = (dir.path() / "nope.csv").string();
  CHECK_THROWS_WITH_AS(read_trace(missing, ""), ("cannot open demand trace " + missing).c_str(),
                       std::invalid_argument);
  const std::string empty = dir.write("empty.csv", "");
  CHECK_THROWS_WITH_AS(read_trace(empty, ""), ("demand trace " + empty + " has no values").c_str(),
                       std::invalid_argument);
  const std::string header_only = dir.write("header.csv", "demand\n\n");
  CHECK_THROWS_WITH_AS(read_trace(header_only, ""),
                       ("demand trace " + header_only + " has no values").c_str(),
                       std::invalid_argument);
}

TEST_CASE("load_traces reads each trace file, resolved against the scenario's folder, into its demand") {
  TempDir dir("relative");
  dir.write("weekly.csv", "week,units\n1,4\n2,8\n");
  ScenarioSpec s;
  s.nodes.resize(1);
  s.nodes[0].stocks.resize(1);
  DemandSpec d;
  d.type = DemandType::kTrace;
  d.file = "weekly.csv";
  d.column = "units";
  DemandSpec absolute = d;
  absolute.file = (dir.path() / "weekly.csv").string();  // an absolute path ignores the folder
  DemandSpec inline_values = d;
  inline_values.values = {1, 2};  // inline values win: the file is not read
  inline_values.file = "missing.csv";
  DemandSpec missing = d;
  missing.file = "missing.csv";
  s.nodes[0].stocks[0].demand = {d, absolute, inline_values, missing};
  const std::vector<SpecIssue> issues = load_traces(s, dir.str());
  const auto& read = s.nodes[0].stocks[0].demand;
  CHECK(read[0].trace == std::vector<double>{4, 8});
  CHECK(read[1].trace == std::vector<double>{4, 8});
  CHECK(read[2].trace.empty());
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "nodes.0.stocks.0.demand.3");
  CHECK(issues[0].message == "cannot open demand trace " + (dir.path() / "missing.csv").string());
  // The files a run records: those read, each once, as the scenario names them.
  CHECK(scenario_input_files(s, dir.str()) ==
        std::vector<InputFile>{{"weekly.csv", (dir.path() / "weekly.csv").string()},
                               {absolute.file, absolute.file},
                               {"missing.csv", (dir.path() / "missing.csv").string()}});
}


TEST_CASE("a trace that is not a regular file is refused at once: a FIFO does not block, /dev/zero does not fill memory") {
  TempDir dir("special");
  const std::string fifo = (dir.path() / "pipe.csv").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_THROWS_WITH_AS(read_trace(fifo, ""), ("cannot read demand trace " + fifo + ": a FIFO, not a regular file").c_str(),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(read_trace("/dev/zero", ""),
                       "cannot read demand trace /dev/zero: a character device, not a regular file",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(read_trace(dir.path().string(), ""),
                       ("cannot read demand trace " + dir.path().string() + ": a directory, not a regular file").c_str(),
                       std::invalid_argument);
}

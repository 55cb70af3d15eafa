#include "sim/sweep_design.h"

#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

using chainsim::sim::Design;
using chainsim::sim::DesignError;
using chainsim::sim::ParamSpec;
using chainsim::sim::parse_param_spec;

namespace {

std::string error_of(const std::string& spec) {
  try {
    parse_param_spec("p", spec);
  } catch (const DesignError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a list SPEC keeps its values as written, and commas inside braces or quotes do not split") {
  const ParamSpec p = parse_param_spec("x", "20, 40,60");
  CHECK(p.kind == ParamSpec::Kind::kList);
  CHECK(p.levels == std::vector<std::string>{"20", "40", "60"});
  CHECK(p.numeric());
  const ParamSpec q = parse_param_spec("d", "{type: poisson, mean: 5},{type: normal, mean: 5, sd: 1},'a,b'");
  CHECK(q.levels == std::vector<std::string>{"{type: poisson, mean: 5}", "{type: normal, mean: 5, sd: 1}", "'a,b'"});
  CHECK_FALSE(q.numeric());
  CHECK(parse_param_spec("t", "base_stock").levels == std::vector<std::string>{"base_stock"});
}

TEST_CASE("a range includes its end when a step lands on it and rounds to the decimals written") {
  CHECK(parse_param_spec("x", "20:80:10").levels ==
        std::vector<std::string>{"20", "30", "40", "50", "60", "70", "80"});
  CHECK(parse_param_spec("x", "20:85:10").levels ==
        std::vector<std::string>{"20", "30", "40", "50", "60", "70", "80"});
  const ParamSpec p = parse_param_spec("x", "0.1:0.5:0.1");
  CHECK(p.levels == std::vector<std::string>{"0.1", "0.2", "0.3", "0.4", "0.5"});
  CHECK(p.numbers[2] == 0.3);
  CHECK(parse_param_spec("x", "-1:1:0.5").levels == std::vector<std::string>{"-1", "-0.5", "0", "0.5", "1"});
  CHECK(parse_param_spec("x", "5:5:1").levels == std::vector<std::string>{"5"});
}

TEST_CASE("an interval is of integers when both ends are written as integers") {
  const ParamSpec i = parse_param_spec("x", "10:50");
  CHECK(i.kind == ParamSpec::Kind::kInterval);
  CHECK(i.integer);
  CHECK(i.low == 10);
  CHECK(i.high == 50);
  CHECK_FALSE(parse_param_spec("x", "10.0:50").integer);
  CHECK_FALSE(parse_param_spec("x", "1e1:50").integer);
}

TEST_CASE("bad SPECs are refused with a message saying what is wrong") {
  CHECK(error_of("20:80:0") == "the range's step must be > 0 (got 0)");
  CHECK(error_of("80:20:10") == "the range's end must be >= its start (got 20 < 80)");
  CHECK(error_of("50:10") == "the interval's low end must be below its high end (got 50:10)");
  CHECK(error_of("10:abc") == "write a range as FROM:TO:STEP or an interval as LOW:HIGH, with numbers (got '10:abc')");
  CHECK(error_of("1,,3") == "a list value is empty");
  CHECK(error_of("0:1e9:1e-3") == "the range has more than 10000000 values");
}

TEST_CASE("a grid visits the cartesian product with the first parameter slowest") {
  const Design d = Design::grid({parse_param_spec("a", "1,2"), parse_param_spec("b", "x,y,z")});
  REQUIRE(d.size() == 6);
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < d.size(); ++i) seen.push_back(d.text(i, 0) + d.text(i, 1));
  CHECK(seen == std::vector<std::string>{"1x", "1y", "1z", "2x", "2y", "2z"});
  CHECK(d.number(4, 0) == 2.0);
  CHECK(std::isnan(d.number(4, 1)));
  CHECK_FALSE(d.numeric());
}

TEST_CASE("a grid refuses an interval and a hypercube refuses a list") {
  CHECK_THROWS_WITH_AS(Design::grid({parse_param_spec("a", "1:5")}),
                       "a: the grid design takes a list or a range FROM:TO:STEP (got the interval '1:5'; intervals "
                       "are for the lhs design)",
                       DesignError);
  CHECK_THROWS_WITH_AS(Design::latin_hypercube({parse_param_spec("a", "1,2")}, 10, 1),
                       "a: the lhs design takes an interval LOW:HIGH (got '1,2')", DesignError);
}

TEST_CASE("a Latin hypercube uses every stratum of every parameter exactly once") {
  const std::size_t n = 50;
  const Design d = Design::latin_hypercube({parse_param_spec("a", "0.0:10.0"), parse_param_spec("b", "-1.0:1.0")}, n, 7);
  REQUIRE(d.size() == n);
  for (std::size_t j = 0; j < 2; ++j) {
    const double lo = j == 0 ? 0.0 : -1.0, hi = j == 0 ? 10.0 : 1.0;
    std::set<std::size_t> strata;
    for (std::size_t i = 0; i < n; ++i) {
      const double x = d.number(i, j);
      CHECK(x > lo);
      CHECK(x < hi);
      strata.insert(static_cast<std::size_t>((x - lo) / (hi - lo) * static_cast<double>(n)));
    }
    CHECK(strata.size() == n);
  }
  // The two columns are permuted independently: not the same stratum order.
  std::size_t same = 0;
  for (std::size_t i = 0; i < n; ++i) {
    same += static_cast<std::size_t>(d.number(i, 0) / 10.0 * n) == static_cast<std::size_t>((d.number(i, 1) + 1) / 2 * n);
  }
  CHECK(same < n / 2);
}

TEST_CASE("an integer hypercube draws each integer equally often when the samples are a multiple of the levels") {
  // 5 levels, 100 samples: each level covers exactly 20 strata.
  const Design d = Design::latin_hypercube({parse_param_spec("k", "1:5")}, 100, 3);
  std::vector<int> count(6, 0);
  for (std::size_t i = 0; i < d.size(); ++i) {
    const double x = d.number(i, 0);
    REQUIRE(x == std::floor(x));
    REQUIRE(x >= 1);
    REQUIRE(x <= 5);
    ++count[static_cast<std::size_t>(x)];
    CHECK(d.text(i, 0) == std::to_string(static_cast<int>(x)));
  }
  for (int k = 1; k <= 5; ++k) CHECK(count[static_cast<std::size_t>(k)] == 20);
}

TEST_CASE("a Latin hypercube depends only on its seed") {
  auto design = [](std::uint64_t seed) {
    return Design::latin_hypercube({parse_param_spec("a", "0.0:1.0"), parse_param_spec("b", "0:9")}, 20, seed);
  };
  const Design a = design(11), b = design(11), c = design(12);
  bool differs = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = 0; j < 2; ++j) {
      CHECK(a.number(i, j) == b.number(i, j));
      CHECK(a.text(i, j) == b.text(i, j));
      differs = differs || a.number(i, j) != c.number(i, j);
    }
  }
  CHECK(differs);
}

TEST_CASE("format_number gives the shortest text that reads back exactly") {
  using chainsim::sim::format_number;
  using chainsim::sim::parse_number;
  CHECK(format_number(20.0) == "20");
  CHECK(format_number(0.1 + 0.2) == "0.30000000000000004");
  for (double x : {1.0 / 3.0, 12.345678901234567, -2.5e-9, 1e21}) CHECK(parse_number(format_number(x)) == x);
  CHECK(std::isnan(parse_number("12abc")));
  CHECK(std::isnan(parse_number("inf")));
}

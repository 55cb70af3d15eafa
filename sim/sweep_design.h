// Experimental designs for parameter sweeps: what values each parameter takes,
// and the points (one value per parameter) a design visits, in a fixed order.
//
// A parameter is a name (for chainsim, a scenario path) and a SPEC:
//   list      "20,40,60"      the values as written; commas inside [...], {...}
//                             or quotes do not split, so YAML flow values work
//   range     "20:80:10"      from, to, step: from + k * step for k = 0, 1, ...
//                             while the value does not pass `to` (the end is
//                             included when a step lands on it, to 1e-9 of a
//                             step); values are rounded to the decimals written,
//                             so "0.1:0.5:0.1" gives 0.1, 0.2, 0.3, 0.4, 0.5
//   interval  "10.0:50.0"     for Latin hypercubes: continuous on [low, high]
//             "10:50"         bounds written as integers (no '.', no exponent):
//                             the integers low..high, each equally likely
// A grid takes lists and ranges and visits their cartesian product, the first
// parameter slowest (row-major: point i's last parameter is level i mod n_last).
// A Latin hypercube takes intervals and draws `samples` points: each
// parameter's range is cut into `samples` equal strata and every stratum is
// used exactly once (McKay, Beckman & Conover 1979).
//
// Representation: each parameter's levels as text (what is substituted) and as
// numbers (NaN when a level is not a number); a grid computes point i from its
// mixed-radix digits, a hypercube stores its samples x parameters values.
// Determinism: the hypercube draws only from its own stream,
// RandomStream(seed, 0, "sweep/latin_hypercube"): for each parameter in order,
// a Fisher-Yates permutation of the strata (samples - 1 draws), then one
// uniform offset within its stratum per sample.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace chainsim::sim {

// A SPEC that cannot be parsed or does not fit the design; the message names
// what is wrong, without the parameter (the caller adds it).
class DesignError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ParamSpec {
  enum class Kind { kList, kRange, kInterval };
  std::string name;
  std::string spec;  // as written
  Kind kind = Kind::kList;
  std::vector<std::string> levels;  // list and range: the values as text
  std::vector<double> numbers;      // the levels as numbers; NaN where not a number
  double low = 0.0, high = 0.0;     // interval
  bool integer = false;             // interval of integers

  // Every level (or the interval) is a finite number.
  bool numeric() const;
};

// Parses one parameter's SPEC. Throws DesignError.
ParamSpec parse_param_spec(std::string name, std::string_view spec);

// A list parameter from values given one by one (a design file's YAML list).
ParamSpec list_param(std::string name, std::vector<std::string> levels);
// A range parameter. Throws DesignError (step <= 0, to < from, too many levels).
ParamSpec range_param(std::string name, std::string_view from, std::string_view to, std::string_view step);
// An interval parameter. Throws DesignError (low >= high, not numbers).
ParamSpec interval_param(std::string name, std::string_view low, std::string_view high);

// The most levels one range may have, and the most points a design may have.
inline constexpr std::size_t kMaxLevels = 10'000'000;
inline constexpr std::size_t kMaxPoints = 100'000'000;

class Design {
 public:
  enum class Type { kGrid, kLatinHypercube };

  // The cartesian product of list and range parameters, first slowest.
  // Throws DesignError (an interval, no parameters, more than kMaxPoints).
  static Design grid(std::vector<ParamSpec> params);
  // `samples` points of a Latin hypercube over interval parameters. Throws
  // DesignError (a list or range, no parameters, samples < 1 or too many).
  static Design latin_hypercube(std::vector<ParamSpec> params, std::size_t samples, std::uint64_t seed);

  Type type() const noexcept { return type_; }
  const std::vector<ParamSpec>& params() const noexcept { return params_; }
  std::size_t size() const noexcept { return size_; }
  // Every parameter is numeric.
  bool numeric() const;

  // Point i's value of parameter j, as text to substitute and as a number.
  // REQUIRES: i < size(), j < params().size().
  std::string text(std::size_t i, std::size_t j) const;
  double number(std::size_t i, std::size_t j) const;

 private:
  Design() = default;
  std::size_t level(std::size_t i, std::size_t j) const;

  Type type_ = Type::kGrid;
  std::vector<ParamSpec> params_;
  std::size_t size_ = 0;
  std::vector<std::size_t> stride_;  // grid: levels of the parameters after j
  std::vector<double> samples_;      // hypercube: point-major
};

// The shortest text that reads back as exactly `x` ("20", "0.3", "1e-07").
std::string format_number(double x);
// `text` as a finite number, or NaN when it is not one (all of it must parse).
double parse_number(std::string_view text);

}  // namespace chainsim::sim

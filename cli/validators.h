// CLI11 validators with chainsim's wording ("must be ... (got X)") instead of
// CLI11's own ("Value 0 not in range 0.000000 to 1.797693e+308").
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace chainsim::cli {

// A whole number >= `least`.
inline CLI::Validator whole_at_least(long long least) {
  return CLI::Validator(
      [least](std::string& v) -> std::string {
        try {
          std::size_t used = 0;
          const long long x = std::stoll(v, &used);
          if (used == v.size() && x >= least) return "";
        } catch (const std::exception&) {
        }
        return "must be a whole number >= " + std::to_string(least) + " (got " + v + ")";
      },
      ">=" + std::to_string(least));
}

// A whole number in [least, most]; `note` follows the message when it is not.
inline CLI::Validator whole_in(long long least, long long most, std::string note = "") {
  return CLI::Validator(
      [least, most, note](std::string& v) -> std::string {
        try {
          std::size_t used = 0;
          const long long x = std::stoll(v, &used);
          if (used == v.size() && x >= least && x <= most) return "";
          if (used == v.size() && x > most) return "must be at most " + std::to_string(most) + " (got " + v + ")" + note;
        } catch (const std::out_of_range&) {
          if (v.find_first_not_of("0123456789") == std::string::npos) {
            return "must be at most " + std::to_string(most) + " (got " + v + ")" + note;
          }
        } catch (const std::exception&) {
        }
        return "must be a whole number >= " + std::to_string(least) + " (got " + v + ")";
      },
      std::to_string(least) + ".." + std::to_string(most));
}

// A random seed: a whole number in [0, 2^63 - 1], the range a scenario
// file's seed key accepts, so that the scenario as run (summary.json) loads
// again. Decimal only, no sign wrapping ("-1" is refused, not 2^64 - 1).
inline CLI::Validator seed_value() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        const bool digits = !v.empty() && v.find_first_not_of("0123456789") == std::string::npos;
        if (digits) {
          try {
            std::size_t used = 0;
            std::stoll(v, &used);  // throws past 2^63 - 1
            if (used == v.size()) return "";
          } catch (const std::exception&) {
          }
        }
        return "must be a whole number in [0, 9223372036854775807] (got " + v + ")";
      },
      "0..2^63-1");
}

}  // namespace chainsim::cli

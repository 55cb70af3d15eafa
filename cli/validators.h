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

}  // namespace chainsim::cli

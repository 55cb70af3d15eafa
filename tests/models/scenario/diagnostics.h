// Helpers of the loader's tests: the messages of loading a scenario text,
// and a scenario text with one part replaced.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "models/scenario/loader.h"

namespace chainsim::testing {

// The diagnostics of loading `text` (named "s.yaml", relative paths against
// `dir`), formatted; empty when it loads.
inline std::vector<std::string> errors_of(const std::string& text, std::vector<std::string> sets = {},
                                          const std::string& dir = ".") {
  try {
    models::load_scenario_text(text, "s.yaml", dir, {std::move(sets)});
  } catch (const models::LoadError& e) {
    std::vector<std::string> out;
    for (const models::Diagnostic& d : e.diagnostics()) out.push_back(d.format());
    return out;
  }
  return {};
}

// `s` with the first `from` replaced by `to`. REQUIRES (checked): `from` is in `s`.
inline std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto i = s.find(from);
  REQUIRE_MESSAGE(i != std::string::npos, from);
  return s.replace(i, from.size(), to);
}

}  // namespace chainsim::testing

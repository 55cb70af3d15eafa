// What the fuzzers check of one input (tests/fuzz/README.md): the loader
// either refuses it, every message a well-formed `file[:line:col]: error:`
// line, or accepts it, and then a replication of it runs to the end (when
// it is small enough to run in a fuzzer's time). Any other outcome — an
// exception other than LoadError, a crash, a hang, a leak, a malformed
// message — is a finding. Shared by the libFuzzer targets (built with Clang)
// and by fuzz_replay, which runs the corpus of findings in the normal suite.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace chainsim::fuzz {

// The input as a scenario file's text. Returns "" when the outcome is one of
// the two allowed; otherwise what was wrong.
std::string check_scenario_text(std::string_view text);

// The input as --set arguments, one a line (at most 8), over a fixed small
// scenario that uses most sections.
std::string check_set_arguments(std::string_view text);

// The scenario check_set_arguments applies its lines to.
std::string_view set_base_scenario();

// "" when `line` is one well-formed diagnostic line; otherwise why not.
std::string malformed(std::string_view line);

}  // namespace chainsim::fuzz

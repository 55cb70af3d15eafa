// libFuzzer target: the input is a scenario file (tests/fuzz/README.md).
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string why =
      chainsim::fuzz::check_scenario_text(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!why.empty()) {
    std::fprintf(stderr, "finding: %s\n", why.c_str());
    std::abort();
  }
  return 0;
}

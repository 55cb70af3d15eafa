// Runs every input of the corpus of findings (tests/fuzz/corpus/scenario/*
// as scenario files, corpus/set/* as --set lines) through the fuzzers'
// checks, in the normal suite: each finding, once fixed, stays fixed.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/harness.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_replay CORPUS_DIR\n";
    return 2;
  }
  namespace fs = std::filesystem;
  int failed = 0, ran = 0;
  for (const char* kind : {"scenario", "set"}) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(fs::path(argv[1]) / kind)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      std::ifstream in(f, std::ios::binary);
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::string why;
      try {
        why = std::string(kind) == "scenario" ? chainsim::fuzz::check_scenario_text(text)
                                              : chainsim::fuzz::check_set_arguments(text);
      } catch (const std::exception& e) {
        why = std::string("an exception: ") + e.what();
      }
      ++ran;
      if (!why.empty()) {
        ++failed;
        std::cerr << f.string() << ": " << why << "\n";
      }
    }
  }
  std::cout << ran << " inputs replayed, " << failed << " findings\n";
  return failed == 0 && ran > 0 ? 0 : 1;
}

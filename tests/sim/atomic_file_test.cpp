// Files that appear whole or not at all, and the temporary files that hold
// data until its place in one comes.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "sim/atomic_file.h"
#include "tests/test_util.h"

using chainsim::sim::AtomicFile;
using chainsim::sim::SpillFile;
using chainsim::testing::read_file;
using chainsim::testing::TempDir;

TEST_CASE("an atomic file appears only when committed") {
  const TempDir dir("atomic");
  {
    AtomicFile f(dir / "out.txt");
    f.write("half");
  }
  CHECK_FALSE(std::filesystem::exists(dir / "out.txt"));
  AtomicFile f(dir / "out.txt");
  f.write("whole\n");
  f.commit();
  CHECK(read_file(dir / "out.txt") == "whole\n");
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);
}

TEST_CASE("a spill file's data lands in order after what the file holds, and more than its copy buffer does too") {
  const TempDir dir("spill");
  AtomicFile f(dir / "out.csv");
  f.write("header\n");
  SpillFile later("the later rows", dir.str()), latest("the latest rows", dir.str());
  // Over a MiB, so that the copy takes several reads.
  std::string big;
  for (int i = 0; i < 200000; ++i) big += std::to_string(i) + "\n";
  REQUIRE(big.size() > (std::size_t{1} << 20));
  latest.write("last\n");
  later.write(big);
  later.copy_to(f);
  latest.copy_to(f);
  // Copying empties it: written again, only the new data is copied.
  later.write("again\n");
  later.copy_to(f);
  f.commit();
  CHECK(read_file(dir / "out.csv") == "header\n" + big + "last\nagain\n");
  // The spill files were never visible in the folder: out.csv alone.
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);
}

TEST_CASE("a spill file that cannot be made names its folder") {
  CHECK_THROWS_WITH_AS(SpillFile("the rows", "/nonexistent/folder"),
                       doctest::Contains("cannot make a temporary file in /nonexistent/folder for the rows"),
                       std::runtime_error);
}

TEST_CASE("a bounded read returns a regular file's contents and refuses what is missing, special or too large") {
  using chainsim::sim::BoundedRead;
  using chainsim::sim::read_regular_file;
  TempDir dir("bounded");
  const std::string file = (dir.path() / "a.txt").string();
  {
    AtomicFile f(file);
    f.write("twelve bytes");
    f.commit();
  }
  BoundedRead r = read_regular_file(file, 12);
  CHECK(r.problem == BoundedRead::Problem::kNone);
  CHECK(r.text == "twelve bytes");
  r = read_regular_file(file, 11);
  CHECK(r.problem == BoundedRead::Problem::kTooLarge);
  CHECK(r.text.empty());
  CHECK(r.why == "larger than 11 bytes (got 12)");
  CHECK(read_regular_file((dir.path() / "none").string(), 100).problem == BoundedRead::Problem::kMissing);
  r = read_regular_file("/dev/zero", 100);
  CHECK(r.problem == BoundedRead::Problem::kNotRegular);
  CHECK(r.why == "a character device, not a regular file");
  r = read_regular_file(dir.path().string(), 100);
  CHECK(r.problem == BoundedRead::Problem::kNotRegular);
  CHECK(r.why == "a directory, not a regular file");
}

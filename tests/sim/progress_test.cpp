#include "sim/progress.h"

#include <doctest/doctest.h>

#include <sstream>

using chainsim::sim::ProgressMeter;

TEST_CASE("the progress text gives done/total, the rate and the time left") {
  CHECK(ProgressMeter::describe(1234, 10000, 532.4, 16.6) == "1234/10000 runs (12%), 532 runs/s, 17 s left");
  CHECK(ProgressMeter::describe(5, 10, 0.0, 0.0) == "5/10 runs (50%)");
  CHECK(ProgressMeter::describe(10, 10, 2.5, 0.0) == "10/10 runs (100%), 2.5 runs/s");
  CHECK(ProgressMeter::bar(5, 10, 0.0, 0.0, 10) == "[#####-----] 5/10 runs (50%)");
  CHECK(ProgressMeter::duration(245) == "4 min 05 s");
  CHECK(ProgressMeter::duration(7385) == "2 h 03 min");
}

TEST_CASE("in a log the meter writes a plain line every few seconds and nothing for a short run") {
  double now = 0.0;
  auto clock = [&] { return now; };
  {
    std::ostringstream out;
    ProgressMeter m(out, ProgressMeter::Style::kLines, 100, 0, 5.0, clock);
    now = 1.0;
    m.update(10);
    m.finish();
    CHECK(out.str().empty());
  }
  now = 0.0;
  std::ostringstream out;
  ProgressMeter m(out, ProgressMeter::Style::kLines, 100, 20, 5.0, clock);  // 20 done before
  m.update(21);
  now = 5.0;
  m.update(40);  // 20 runs in 5 s
  now = 6.0;
  m.update(45);  // too soon for another line
  now = 10.0;
  m.update(60);
  m.finish();
  CHECK(out.str() ==
        "progress: 40/100 runs (40%), 4 runs/s, 15 s left\n"
        "progress: 60/100 runs (60%), 4 runs/s, 10 s left\n"
        "progress: 60/100 runs (60%), 4 runs/s, 10 s left\n");
}

TEST_CASE("on a terminal the meter redraws one line in place and ends it at the finish") {
  double now = 0.0;
  std::ostringstream out;
  ProgressMeter m(out, ProgressMeter::Style::kBar, 4, 0, 5.0, [&] { return now; });
  now = 1.0;
  m.update(2);
  now = 2.0;
  m.update(4);
  m.finish();
  const std::string s = out.str();
  CHECK(s.rfind("\r[############------------] 2/4 runs (50%), 2 runs/s, 1 s left\x1b[K", 0) == 0);
  CHECK(s.back() == '\n');
  CHECK(s.find('\n') == s.size() - 1);
}

TEST_CASE("with no style the meter writes nothing") {
  std::ostringstream out;
  ProgressMeter m(out, ProgressMeter::Style::kNone, 4);
  m.update(4);
  m.finish();
  CHECK(out.str().empty());
}

TEST_CASE("the meter shows no rate before it has run for a second") {
  double now = 0.0;
  std::ostringstream out;
  ProgressMeter m(out, ProgressMeter::Style::kBar, 100, 0, 5.0, [&] { return now; });
  now = 0.001;
  m.update(1);
  CHECK(out.str() == "\r[------------------------] 1/100 runs (1%)\x1b[K");
}

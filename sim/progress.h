// Progress of a long batch of runs, on stderr: a bar redrawn in place when the
// stream is a terminal (done/total, runs per second, time left), a plain line
// every few seconds when it is a log file, or nothing.
//
// The rate counts only the runs done since the meter started (a resumed sweep
// starts with some done), so "time left" is what this process will take; it
// is shown once the meter has run for a second. The
// clock is injectable so that tests can drive it.
#pragma once

#include <cstddef>
#include <functional>
#include <ostream>
#include <string>

namespace chainsim::sim {

class ProgressMeter {
 public:
  enum class Style { kNone, kBar, kLines };
  using Clock = std::function<double()>;  // seconds, monotonic

  // `total` runs, `already` of them done before this process started. Lines
  // come at most every `line_interval` seconds; the bar at most every 0.1 s.
  ProgressMeter(std::ostream& out, Style style, std::size_t total, std::size_t already = 0,
                double line_interval = 5.0, Clock clock = {});

  // `done` runs are finished (counting `already`).
  void update(std::size_t done);
  // The last state, and a newline after a bar. Call once at the end.
  void finish();
  // The same with `done` as the last state.
  void finish(std::size_t done) {
    done_ = done;
    finish();
  }

  // What is counted, in messages ("runs" unless set: "periods", ...).
  void set_unit(std::string unit) { unit_ = std::move(unit); }

  // "1234/10000 runs (12%), 532 runs/s, 17 s left" (the parts known so far).
  static std::string describe(std::size_t done, std::size_t total, double rate, double seconds_left,
                              const std::string& unit = "runs");
  // "[########------------] " + describe(...), the bar `width` cells wide.
  static std::string bar(std::size_t done, std::size_t total, double rate, double seconds_left, int width = 24,
                         const std::string& unit = "runs");
  // "17 s", "4 min 05 s", "2 h 03 min".
  static std::string duration(double seconds);

 private:
  void draw(std::size_t done, bool last);

  std::ostream& out_;
  Style style_;
  std::size_t total_, already_;
  double line_interval_;
  Clock clock_;
  double start_ = 0.0, last_draw_ = -1e300;
  std::size_t done_ = 0;
  bool drawn_ = false;
  std::string unit_ = "runs";
};

}  // namespace chainsim::sim

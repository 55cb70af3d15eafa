#include "sim/progress.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fmt/core.h>

namespace chainsim::sim {

ProgressMeter::ProgressMeter(std::ostream& out, Style style, std::size_t total, std::size_t already,
                             double line_interval, Clock clock)
    : out_(out), style_(style), total_(total), already_(already), line_interval_(line_interval),
      clock_(std::move(clock)), done_(already) {
  if (!clock_) {
    clock_ = [] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    };
  }
  start_ = clock_();
}

std::string ProgressMeter::duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const auto secs = static_cast<long long>(std::llround(s));
  if (secs < 60) return fmt::format("{} s", secs);
  if (secs < 3600) return fmt::format("{} min {:02} s", secs / 60, secs % 60);
  return fmt::format("{} h {:02} min", secs / 3600, (secs % 3600) / 60);
}

std::string ProgressMeter::describe(std::size_t done, std::size_t total, double rate, double left,
                                    const std::string& unit) {
  const double pct = total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0;
  std::string s = fmt::format("{}/{} {} ({:.0f}%)", done, total, unit, std::floor(pct));
  if (rate > 0 && std::isfinite(rate)) {
    s += rate >= 10 ? fmt::format(", {:.0f} {}/s", rate, unit) : fmt::format(", {:.2g} {}/s", rate, unit);
    if (done < total && std::isfinite(left)) s += ", " + duration(left) + " left";
  }
  return s;
}

std::string ProgressMeter::bar(std::size_t done, std::size_t total, double rate, double left, int width,
                               const std::string& unit) {
  const double frac = total > 0 ? std::min(1.0, static_cast<double>(done) / static_cast<double>(total)) : 1.0;
  const int full = static_cast<int>(std::floor(frac * width));
  return "[" + std::string(static_cast<std::size_t>(full), '#') +
         std::string(static_cast<std::size_t>(width - full), '-') + "] " + describe(done, total, rate, left, unit);
}

void ProgressMeter::draw(std::size_t done, bool last) {
  const double now = clock_();
  const double elapsed = now - start_;
  // No rate in the first second: a few runs over a few milliseconds say
  // nothing about the next hour.
  const double rate = elapsed >= 1.0 ? static_cast<double>(done - already_) / elapsed : 0.0;
  const double left = rate > 0 ? static_cast<double>(total_ - done) / rate : INFINITY;
  if (style_ == Style::kBar) {
    out_ << "\r" << bar(done, total_, rate, left, 24, unit_) << "\x1b[K";
    if (last) out_ << "\n";
  } else {
    out_ << "progress: " << describe(done, total_, rate, left, unit_) << "\n";
  }
  out_.flush();
  last_draw_ = now;
  drawn_ = true;
}

void ProgressMeter::update(std::size_t done) {
  done_ = done;
  if (style_ == Style::kNone) return;
  const double now = clock_();
  const double interval = style_ == Style::kBar ? 0.1 : line_interval_;
  if (now - last_draw_ < interval) return;
  if (style_ == Style::kLines && !drawn_ && now - start_ < line_interval_) return;
  draw(done, false);
}

void ProgressMeter::finish() {
  if (style_ == Style::kNone) return;
  if (style_ == Style::kLines && !drawn_) return;  // short runs stay quiet in logs
  draw(done_, true);
}

}  // namespace chainsim::sim

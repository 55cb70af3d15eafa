// Streaming statistics: sample moments (Welford), time-weighted averages of
// piecewise-constant levels, Student-t confidence intervals across
// replications, and batch means for one long, autocorrelated run.
//
// All accumulators are plain values, updated in O(1) without allocation
// (BatchMeans stores one sum per batch). Results depend only on the order of
// the updates, so a fixed update order gives bit-identical results.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace chainsim::sim {

// Count, mean, variance, min and max of a stream of values, by Welford's
// recurrence (numerically stable for long streams).
class RunningStats {
 public:
  void add(double x) noexcept {
    ++n_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(n_);
    m2_ += delta * (x - mean_);
    if (x < min_) min_ = x;
    if (x > max_) max_ = x;
  }
  // Combines another accumulator as if its values had been added here
  // (Chan, Golub & LeVeque). Merging in a fixed order is deterministic.
  void merge(const RunningStats& other) noexcept;

  std::uint64_t count() const noexcept { return n_; }
  // 0 when empty.
  double mean() const noexcept { return mean_; }
  // Sample variance with divisor n - 1; 0 when fewer than two values.
  double variance() const noexcept {
    return n_ > 1 ? m2_ / static_cast<double>(n_ - 1) : 0.0;
  }
  // Population variance with divisor n; 0 when empty.
  double population_variance() const noexcept {
    return n_ > 0 ? m2_ / static_cast<double>(n_) : 0.0;
  }
  double stddev() const noexcept;
  // +inf / -inf when empty.
  double min() const noexcept { return min_; }
  double max() const noexcept { return max_; }
  double sum() const noexcept { return mean_ * static_cast<double>(n_); }

 private:
  std::uint64_t n_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

// The time average of a level that holds its value between updates (stock on
// hand, backlog): integral of level dt over the observed span, divided by the
// span.
class TimeWeightedStats {
 public:
  // Starts observing at `start` with `level`.
  explicit TimeWeightedStats(double start = 0.0, double level = 0.0) noexcept
      : start_(start), last_time_(start), level_(level), min_(level), max_(level) {}

  // The level changes to `level` at time `t`. REQUIRES: t >= the last update.
  void update(double t, double level) noexcept {
    integral_ += level_ * (t - last_time_);
    last_time_ = t;
    level_ = level;
    if (level < min_) min_ = level;
    if (level > max_) max_ = level;
  }
  // Integral of the level from the start to `t` (>= the last update).
  double integral(double t) const noexcept { return integral_ + level_ * (t - last_time_); }
  // Time average over [start, t]; the current level when t == start.
  double mean(double t) const noexcept {
    return t > start_ ? integral(t) / (t - start_) : level_;
  }
  double level() const noexcept { return level_; }
  double min() const noexcept { return min_; }
  double max() const noexcept { return max_; }

 private:
  double start_;
  double last_time_;
  double level_;
  double integral_ = 0.0;
  double min_;
  double max_;
};

// A two-sided confidence interval for a mean.
struct Interval {
  double mean = 0.0;
  double half_width = 0.0;  // +inf when n < 2
  double stddev = 0.0;      // sample standard deviation of the observations
  std::uint64_t n = 0;
  double lower() const noexcept { return mean - half_width; }
  double upper() const noexcept { return mean + half_width; }
};

// The Student-t quantile t_{1-(1-level)/2, dof}. REQUIRES: dof >= 1,
// 0 < level < 1.
double student_t_critical(double level, double dof);

// Confidence interval for the mean of i.i.d. observations (for example one KPI
// across replications): mean +- t * s / sqrt(n). REQUIRES: 0 < level < 1.
Interval confidence_interval(const RunningStats& stats, double level = 0.95);
Interval confidence_interval(std::span<const double> values, double level = 0.95);

// Batch means for a single long run whose successive observations are
// correlated: the series is cut into `batches` equal consecutive batches (a
// remainder at the end is dropped), and the batch means, nearly independent
// when batches are long against the correlation time, give the interval.
// REQUIRES: batches >= 2 and values.size() >= batches.
Interval batch_means_interval(std::span<const double> values, std::size_t batches,
                              double level = 0.95);

// Lag-1 autocorrelation of a series (0 for fewer than 3 values or no
// variation); used to check that batches are long enough.
double lag1_autocorrelation(std::span<const double> values);

}  // namespace chainsim::sim

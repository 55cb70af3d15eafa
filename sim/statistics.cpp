#include "sim/statistics.h"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <stdexcept>

namespace chainsim::sim {

void RunningStats::merge(const RunningStats& other) noexcept {
  if (other.n_ == 0) return;
  if (n_ == 0) {
    *this = other;
    return;
  }
  const double na = static_cast<double>(n_);
  const double nb = static_cast<double>(other.n_);
  const double n = na + nb;
  const double delta = other.mean_ - mean_;
  mean_ += delta * nb / n;
  m2_ += other.m2_ + delta * delta * na * nb / n;
  n_ += other.n_;
  if (other.min_ < min_) min_ = other.min_;
  if (other.max_ > max_) max_ = other.max_;
}

double RunningStats::stddev() const noexcept { return std::sqrt(variance()); }

double student_t_critical(double level, double dof) {
  if (!(level > 0.0 && level < 1.0)) throw std::invalid_argument("confidence level must be in (0, 1)");
  if (!(dof >= 1.0)) throw std::invalid_argument("Student-t needs at least one degree of freedom");
  // A summary asks for the same quantile once per KPI (every KPI has the same
  // replications), and Boost's inverse incomplete beta in long double costs
  // thousands of instructions: the thread's last answer is kept.
  thread_local double last_level = 0.0, last_dof = 0.0, last_t = 0.0;
  if (level == last_level && dof == last_dof) return last_t;
  const boost::math::students_t t(dof);
  last_t = boost::math::quantile(boost::math::complement(t, (1.0 - level) / 2.0));
  last_level = level;
  last_dof = dof;
  return last_t;
}

Interval confidence_interval(const RunningStats& stats, double level) {
  Interval ci;
  ci.mean = stats.mean();
  ci.n = stats.count();
  ci.stddev = stats.stddev();
  if (ci.n < 2) {
    ci.half_width = std::numeric_limits<double>::infinity();
    if (!(level > 0.0 && level < 1.0)) throw std::invalid_argument("confidence level must be in (0, 1)");
    return ci;
  }
  ci.half_width = student_t_critical(level, static_cast<double>(ci.n - 1)) * ci.stddev /
                  std::sqrt(static_cast<double>(ci.n));
  return ci;
}

Interval confidence_interval(std::span<const double> values, double level) {
  RunningStats s;
  for (const double v : values) s.add(v);
  return confidence_interval(s, level);
}

Interval batch_means_interval(std::span<const double> values, std::size_t batches, double level) {
  if (batches < 2 || values.size() < batches) {
    throw std::invalid_argument("batch means need at least 2 batches of at least one value");
  }
  const std::size_t size = values.size() / batches;
  RunningStats means;
  for (std::size_t b = 0; b < batches; ++b) {
    double sum = 0.0;
    for (std::size_t i = b * size; i < (b + 1) * size; ++i) sum += values[i];
    means.add(sum / static_cast<double>(size));
  }
  return confidence_interval(means, level);
}

double lag1_autocorrelation(std::span<const double> values) {
  const std::size_t n = values.size();
  if (n < 3) return 0.0;
  RunningStats s;
  for (const double v : values) s.add(v);
  const double m = s.mean();
  double num = 0.0, den = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    den += (values[i] - m) * (values[i] - m);
    if (i + 1 < n) num += (values[i] - m) * (values[i + 1] - m);
  }
  return den > 0.0 ? num / den : 0.0;
}

}  // namespace chainsim::sim

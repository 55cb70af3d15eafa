#include "sim/statistics.h"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "sim/distributions.h"
#include "sim/random.h"

using namespace chainsim::sim;

TEST_CASE("Welford's mean and variance equal the two-pass values") {
  const std::vector<double> x = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
  RunningStats s;
  for (double v : x) s.add(v);
  CHECK(s.count() == 4);
  CHECK(s.mean() == doctest::Approx(1e9 + 10));
  CHECK(s.variance() == doctest::Approx(30.0));  // two-pass: (36+9+9+36)/3
  CHECK(s.population_variance() == doctest::Approx(22.5));
  CHECK(s.min() == 1e9 + 4);
  CHECK(s.max() == 1e9 + 16);
  RunningStats empty;
  CHECK(empty.mean() == 0.0);
  CHECK(empty.variance() == 0.0);
}

TEST_CASE("merging accumulators equals adding every value to one") {
  RandomStream rng(3, 0, "merge");
  RunningStats all, a, b;
  for (int i = 0; i < 1000; ++i) {
    const double v = rng.uniform01() * 10;
    all.add(v);
    (i < 300 ? a : b).add(v);
  }
  a.merge(b);
  CHECK(a.count() == all.count());
  CHECK(a.mean() == doctest::Approx(all.mean()).epsilon(1e-12));
  CHECK(a.variance() == doctest::Approx(all.variance()).epsilon(1e-12));
  CHECK(a.min() == all.min());
  CHECK(a.max() == all.max());
}

TEST_CASE("the time-weighted mean of a step level is its integral over the span") {
  TimeWeightedStats tw(0.0, 10.0);  // 10 on [0,2)
  tw.update(2.0, 4.0);             // 4 on [2,5)
  tw.update(5.0, 0.0);             // 0 on [5,10]
  CHECK(tw.integral(10.0) == doctest::Approx(32.0));
  CHECK(tw.mean(10.0) == doctest::Approx(3.2));
  CHECK(tw.min() == 0.0);
  CHECK(tw.max() == 10.0);
  CHECK(tw.mean(0.0) == 0.0);  // no span: the current level
}

TEST_CASE("the Student-t interval uses the t quantile with n-1 degrees of freedom") {
  CHECK(student_t_critical(0.95, 9) == doctest::Approx(2.262157).epsilon(1e-6));
  CHECK(student_t_critical(0.95, 1e6) == doctest::Approx(1.959966).epsilon(1e-5));
  const std::vector<double> x = {2, 4, 4, 4, 5, 5, 7, 9, 10, 10};
  const Interval ci = confidence_interval(x);
  CHECK(ci.n == 10);
  CHECK(ci.mean == doctest::Approx(6.0));
  CHECK(ci.stddev == doctest::Approx(std::sqrt(72.0 / 9.0)));
  CHECK(ci.half_width == doctest::Approx(2.262157 * std::sqrt(72.0 / 9.0) / std::sqrt(10.0)).epsilon(1e-6));
  CHECK(std::isinf(confidence_interval(std::vector<double>{1.0}).half_width));
  CHECK_THROWS(confidence_interval(x, 1.5));
}

TEST_CASE("the Student-t quantile is right when the level or the degrees of freedom change between calls") {
  // The last quantile is remembered: each argument must still be part of the key.
  for (int round = 0; round < 2; ++round) {
    CHECK(student_t_critical(0.95, 9) == doctest::Approx(2.262157).epsilon(1e-6));
    CHECK(student_t_critical(0.99, 9) == doctest::Approx(3.249836).epsilon(1e-6));
    CHECK(student_t_critical(0.99, 10) == doctest::Approx(3.169273).epsilon(1e-6));
    CHECK(student_t_critical(0.95, 10) == doctest::Approx(2.228139).epsilon(1e-6));
  }
  CHECK_THROWS(student_t_critical(1.5, 10));
  CHECK_THROWS(student_t_critical(0.95, 0.5));
}

TEST_CASE("95% intervals cover the true mean about 95% of the time") {
  // 2000 intervals of 10 normal draws each. Coverage is Binomial(2000, 0.95):
  // sd 0.0049, so [0.93, 0.97] is a +-4 sd band.
  RandomStream rng(99, 0, "coverage");
  int covered = 0;
  for (int k = 0; k < 2000; ++k) {
    RunningStats s;
    for (int i = 0; i < 10; ++i) s.add(normal_quantile(rng.uniform01(), 5.0, 2.0));
    const Interval ci = confidence_interval(s);
    if (ci.lower() <= 5.0 && 5.0 <= ci.upper()) ++covered;
  }
  const double rate = covered / 2000.0;
  CHECK(rate > 0.93);
  CHECK(rate < 0.97);
}

TEST_CASE("batch means widen the interval of an autocorrelated series") {
  // AR(1) with phi = 0.9: the naive interval understates the error by about
  // sqrt((1+phi)/(1-phi)) = 4.36; batch means recover most of that.
  RandomStream rng(5, 0, "ar1");
  std::vector<double> x(200000);
  double prev = 0.0;
  for (double& v : x) {
    prev = 0.9 * prev + normal_quantile(rng.uniform01(), 0.0, 1.0);
    v = prev;
  }
  const Interval naive = confidence_interval(x);
  const Interval batched = batch_means_interval(x, 40);
  CHECK(batched.n == 40);
  CHECK(batched.half_width > 3.0 * naive.half_width);
  CHECK(std::abs(batched.mean) < batched.half_width * 2.5);
  CHECK(lag1_autocorrelation(x) == doctest::Approx(0.9).epsilon(0.01));
  CHECK_THROWS(batch_means_interval(x, 1));
}

// End-customer demand processes (models/chain/demand.h): exact values for the
// deterministic ones, sample moments against the theory for the random ones,
// and the random-number budget of every draw.
//
// Tolerances. A sample mean of n draws is checked to within kZ standard errors
// of the theoretical mean, SE = sigma / sqrt(n) with sigma the theoretical sd
// (for autocorrelated AR(1) demand, the long-run sd sigma_e / (1 - phi)). A
// sample variance is checked to within kZ * sqrt((m4 - s^4) / n), m4 the
// sample fourth central moment. kZ = 4.5 is the two-sided normal quantile of
// about 7e-6, so a correct process fails one check with probability 7e-6 and
// this whole file's ~40 statistical checks with probability below 3e-4. The
// streams are seeded, so a run is reproducible: a failure is real or a bug in
// the test, never flakiness.
#include "models/chain/demand.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace chainsim::models;
using chainsim::sim::Distribution;
using chainsim::sim::RandomStream;

namespace {

constexpr double kZ = 4.5;

struct Sample {
  int n = 0;
  double mean = 0.0;
  double variance = 0.0;  // unbiased
  double m4 = 0.0;        // fourth central moment
  double min = 0.0;
  double max = 0.0;
  bool integers = true;
  std::uint64_t draws = 0;  // uniforms consumed
  std::vector<double> values;
};

// n periods first, first + 1, ... from a fresh stream named `stream`.
Sample sample(PeriodDemand& d, int n, double multiplier = 1.0, std::int64_t first = 0,
              const char* stream = "demand") {
  RandomStream rng(2024, 0, stream);
  Sample s;
  s.n = n;
  s.values.reserve(static_cast<std::size_t>(n));
  double sum = 0.0;
  for (int i = 0; i < n; ++i) {
    const double x = d.draw(first + i, rng, multiplier);
    s.values.push_back(x);
    sum += x;
    s.integers = s.integers && x == std::floor(x);
  }
  s.draws = rng.draws();
  s.mean = sum / n;
  double m2 = 0.0, m4 = 0.0;
  s.min = s.max = s.values.front();
  for (const double x : s.values) {
    const double dev = (x - s.mean) * (x - s.mean);
    m2 += dev;
    m4 += dev * dev;
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
  }
  s.variance = m2 / (n - 1);
  s.m4 = m4 / n;
  return s;
}

// The sample mean is within kZ standard errors of mu, for a process with sd sigma.
void check_mean(const Sample& s, double mu, double sigma) {
  const double tolerance = kZ * sigma / std::sqrt(static_cast<double>(s.n));
  CAPTURE(s.n);
  CAPTURE(s.mean);
  CAPTURE(mu);
  CAPTURE(tolerance);
  CHECK(std::abs(s.mean - mu) <= tolerance);
}

// The sample variance is within kZ standard errors of sigma2.
void check_variance(const Sample& s, double sigma2) {
  const double tolerance =
      kZ * std::sqrt(std::max(s.m4 - s.variance * s.variance, 0.0) / static_cast<double>(s.n));
  CAPTURE(s.n);
  CAPTURE(s.variance);
  CAPTURE(sigma2);
  CAPTURE(tolerance);
  CHECK(std::abs(s.variance - sigma2) <= tolerance);
}

// Standard normal density and distribution function, from the C library.
double std_normal_pdf(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
}
double std_normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }
double std_normal_quantile(double u) {
  return boost::math::quantile(boost::math::normal_distribution<double>(0.0, 1.0), u);
}

// A demand of the type named `type` in the scenario format.
DemandSpec demand(const std::string& type) {
  DemandSpec d;
  d.type = parse_enum<DemandType>(type).value();
  return d;
}

DemandSpec constant(double value) {
  DemandSpec d = demand("constant");
  d.value = value;
  return d;
}

DemandSpec poisson(double mean) {
  DemandSpec d = demand("poisson");
  d.mean = mean;
  return d;
}

DemandSpec normal(double mean, double sd) {
  DemandSpec d = demand("normal");
  d.mean = mean;
  d.sd = sd;
  return d;
}

DemandSpec negative_binomial(double mean, double variance) {
  DemandSpec d = demand("negative_binomial");
  d.mean = mean;
  d.variance = variance;
  return d;
}

DemandSpec uniform(double low, double high) {
  DemandSpec d = demand("uniform");
  d.low = low;
  d.high = high;
  return d;
}

DemandSpec ar1(double mean, double phi, double sd) {
  DemandSpec d = demand("ar1");
  d.mean = mean;
  d.phi = phi;
  d.sd = sd;
  return d;
}

DemandSpec any(Distribution distribution) {
  DemandSpec d = demand("distribution");
  d.distribution = std::move(distribution);
  return d;
}

DemandSpec step(double before, double after, int at, const std::string& noise, double cv = 0.0) {
  DemandSpec d = demand("step");
  d.before = before;
  d.after = after;
  d.at = at;
  d.noise = parse_enum<Noise>(noise).value();
  d.cv = cv;
  return d;
}

DemandSpec seasonal(double mean, double amplitude, double cycle, double phase,
                    const std::string& noise) {
  DemandSpec d = demand("seasonal");
  d.mean = mean;
  d.amplitude = amplitude;
  d.cycle = cycle;
  d.phase = phase;
  d.noise = parse_enum<Noise>(noise).value();
  return d;
}

DemandSpec trace(std::vector<double> values, const std::string& after) {
  DemandSpec d = demand("trace");
  d.values = std::move(values);
  d.after_trace = parse_enum<AfterTrace>(after).value();
  return d;
}

}  // namespace

TEST_CASE("constant demand is the value every period and the multiplier scales it") {
  auto process = make_period_demand(constant(7));
  CHECK(process->describe() == "constant(7)");
  RandomStream rng(1, 0, "demand");
  for (std::int64_t k = 0; k < 10; ++k) {
    CAPTURE(k);
    CHECK(process->mean(k) == 7);
    CHECK(process->draw(k, rng, 1.0) == 7);
  }
  CHECK(process->draw(10, rng, 2.5) == 17.5);
  CHECK(process->draw(11, rng, 0.0) == 0);
  CHECK(process->draw(12, rng, 1.0) == 7);
  CHECK(rng.draws() == 13);  // one uniform per period even when nothing is random
}

TEST_CASE("poisson demand is whole units with the given mean and variance") {
  auto process = make_period_demand(poisson(6.5));
  CHECK(process->mean(0) == 6.5);
  CHECK(process->mean(1000) == 6.5);
  const Sample s = sample(*process, 100000);
  CHECK(s.draws == 100000);
  CHECK(s.integers);
  CHECK(s.min >= 0);
  check_mean(s, 6.5, std::sqrt(6.5));
  check_variance(s, 6.5);
}

TEST_CASE("the multiplier scales the poisson mean") {
  auto process = make_period_demand(poisson(4));
  const Sample doubled = sample(*process, 100000, 2.0);
  CHECK(doubled.integers);  // still Poisson, not twice a Poisson
  check_mean(doubled, 8.0, std::sqrt(8.0));
  check_variance(doubled, 8.0);
  CHECK(process->mean(0) == 4);  // mean() is at multiplier 1
  const Sample back = sample(*process, 100000, 1.0, 0, "again");
  check_mean(back, 4.0, 2.0);
}

TEST_CASE("normal demand is truncated at zero, never negative, with the truncated mean") {
  auto process = make_period_demand(normal(1, 2));
  // Normal(1, 2) conditioned on X >= 0: a = (0 - 1) / 2, lambda = phi(a) / (1 - Phi(a)),
  // mean 1 + 2 lambda = 2.0183, variance 4 (1 + a lambda - lambda^2). Clipping
  // instead (max(0, X)) would give mean 1 Phi(0.5) + 2 phi(0.5) = 1.3956.
  const double a = -0.5;
  const double lambda = std_normal_pdf(a) / (1.0 - std_normal_cdf(a));
  const double mean = 1.0 + 2.0 * lambda;
  const double variance = 4.0 * (1.0 + a * lambda - lambda * lambda);
  CHECK(mean == doctest::Approx(2.0183).epsilon(1e-4));
  CHECK(process->mean(0) == doctest::Approx(mean));
  const Sample s = sample(*process, 100000);
  CHECK(s.draws == 100000);
  CHECK(s.min >= 0);
  CHECK_FALSE(s.integers);
  check_mean(s, mean, std::sqrt(variance));
  check_variance(s, variance);
  // Scaling a truncated normal by 2 doubles its mean and sd.
  const Sample doubled = sample(*process, 100000, 2.0, 0, "doubled");
  CHECK(doubled.min >= 0);
  check_mean(doubled, 2.0 * mean, 2.0 * std::sqrt(variance));
}

TEST_CASE("normal demand far above zero keeps its mean and sd") {
  auto process = make_period_demand(normal(20, 3));
  // Truncation at 6.7 sd below the mean moves the mean by 3 * phi(6.7) / Phi(6.7) < 1e-9.
  CHECK(process->mean(0) == doctest::Approx(20));
  const Sample s = sample(*process, 100000);
  CHECK(s.min >= 0);
  check_mean(s, 20, 3);
  check_variance(s, 9);
}

TEST_CASE("normal demand with sd 0 is the mean every period") {
  auto process = make_period_demand(normal(12, 0));
  const Sample s = sample(*process, 100);
  CHECK(s.min == 12);
  CHECK(s.max == 12);
  CHECK(s.draws == 100);
  CHECK(sample(*process, 10, 0.5).max == 6);
}

TEST_CASE("negative binomial demand has the given mean and variance") {
  auto process = make_period_demand(negative_binomial(10, 30));
  CHECK(process->mean(0) == doctest::Approx(10));
  const Sample s = sample(*process, 100000);
  CHECK(s.draws == 100000);
  CHECK(s.integers);
  CHECK(s.min >= 0);
  check_mean(s, 10, std::sqrt(30.0));
  check_variance(s, 30);
  // The multiplier scales the mean and keeps the shape r = mean p / (1 - p)
  // with p = mean / variance = 1/3: r = 5. Mean 20 gives p = 5 / 25 and
  // variance 20 + 20^2 / 5 = 100.
  const Sample doubled = sample(*process, 100000, 2.0, 0, "doubled");
  CHECK(doubled.integers);
  check_mean(doubled, 20, 10);
  check_variance(doubled, 100);
}

TEST_CASE("uniform demand with whole bounds draws whole numbers from low to high inclusive") {
  auto process = make_period_demand(uniform(2, 5));
  CHECK(process->mean(0) == 3.5);
  const int n = 40000;
  const Sample s = sample(*process, n);
  CHECK(s.draws == static_cast<std::uint64_t>(n));
  CHECK(s.integers);
  CHECK(s.min == 2);
  CHECK(s.max == 5);
  // Each value's frequency is a binomial proportion: SE sqrt(1/4 * 3/4 / n).
  for (const double value : {2.0, 3.0, 4.0, 5.0}) {
    CAPTURE(value);
    const double share =
        static_cast<double>(std::count(s.values.begin(), s.values.end(), value)) / n;
    CAPTURE(share);
    CHECK(std::abs(share - 0.25) <= kZ * std::sqrt(0.25 * 0.75 / n));
  }
  // Discrete uniform on 4 values: variance (4^2 - 1) / 12.
  check_mean(s, 3.5, std::sqrt(15.0 / 12.0));
  // Scaled by 2: the values 4, 6, 8, 10.
  const Sample doubled = sample(*process, n, 2.0, 0, "doubled");
  CHECK(doubled.min == 4);
  CHECK(doubled.max == 10);
  CHECK(doubled.integers);
  check_mean(doubled, 7.0, 2.0 * std::sqrt(15.0 / 12.0));
}

TEST_CASE("uniform demand with a fractional bound is continuous on low to high") {
  auto process = make_period_demand(uniform(2, 5.5));
  CHECK(process->mean(0) == 3.75);
  const int n = 40000;
  const Sample s = sample(*process, n);
  CHECK(s.draws == static_cast<std::uint64_t>(n));
  CHECK_FALSE(s.integers);
  CHECK(s.min >= 2);
  CHECK(s.max < 5.5);
  check_mean(s, 3.75, 3.5 / std::sqrt(12.0));
  check_variance(s, 3.5 * 3.5 / 12.0);
}

TEST_CASE("uniform demand with equal whole bounds is that value every period") {
  auto process = make_period_demand(uniform(3, 3));
  const Sample s = sample(*process, 50);
  CHECK(s.min == 3);
  CHECK(s.max == 3);
  CHECK(s.draws == 50);
}

TEST_CASE("uniform demand with a huge whole high bound stays within its bounds") {
  // 1e300 is a whole number in double arithmetic, but not a long long.
  auto process = make_period_demand(uniform(0, 1e300));
  CHECK(process->mean(0) == doctest::Approx(5e299));
  const Sample s = sample(*process, 1000);
  CHECK(s.min >= 0);
  CHECK(s.max <= 1e300);
  CHECK(s.max > 9e299);  // 1000 draws: the largest is below 0.9 high with probability 1e-46
}

TEST_CASE("step demand is before until period at and after from then on") {
  auto process = make_period_demand(step(4, 9, 3, "none"));
  CHECK(process->describe() == "step(4 -> 9 at period 3, none noise)");
  RandomStream rng(1, 0, "demand");
  const double expected[] = {4, 4, 4, 9, 9, 9, 9};
  for (std::int64_t k = 0; k < 7; ++k) {
    CAPTURE(k);
    CHECK(process->mean(k) == expected[k]);
    CHECK(process->draw(k, rng, 1.0) == expected[k]);
  }
  CHECK(rng.draws() == 7);  // one uniform per period even without noise
  CHECK(process->draw(2, rng, 0.5) == 2);
  CHECK(process->draw(3, rng, 0.5) == 4.5);
  // A step at period 0 is `after` from the start.
  auto at_zero = make_period_demand(step(4, 9, 0, "none"));
  CHECK(at_zero->mean(0) == 9);
}

TEST_CASE("step demand with poisson noise has the before and after means") {
  const int at = 50000;
  auto process = make_period_demand(step(4, 9, at, "poisson"));
  // Periods 0 .. at-1 are Poisson(4), at .. 2 at - 1 Poisson(9), from one stream.
  const Sample all = sample(*process, 2 * at);
  CHECK(all.draws == static_cast<std::uint64_t>(2 * at));
  CHECK(all.integers);
  Sample before, after;
  before.n = after.n = at;
  for (int i = 0; i < at; ++i) {
    before.mean += all.values[static_cast<std::size_t>(i)] / at;
    after.mean += all.values[static_cast<std::size_t>(at + i)] / at;
  }
  check_mean(before, 4, 2);
  check_mean(after, 9, 3);
  // The multiplier scales the mean of either regime.
  check_mean(sample(*process, 40000, 2.0, at, "doubled"), 18, std::sqrt(18.0));
}

TEST_CASE("step demand with normal noise has sd cv times the mean and is never negative") {
  // Exact draws: the same uniforms from a twin stream give mean + cv mean z(u).
  auto process = make_period_demand(step(10, 20, 5, "normal", 0.2));
  RandomStream rng(3, 0, "demand");
  RandomStream twin(3, 0, "demand");
  for (std::int64_t k = 0; k < 10; ++k) {
    CAPTURE(k);
    const double m = k < 5 ? 10.0 : 20.0;
    const double expected = m + 0.2 * m * std_normal_quantile(twin.uniform01());
    CHECK(process->draw(k, rng, 1.0) == doctest::Approx(expected));
  }
  const Sample s = sample(*process, 100000, 1.0, 5);
  // 5 sd above zero: clipping moves the mean by less than 2 * 20 * phi(5) = 6e-6.
  check_mean(s, 20, 4);
  check_variance(s, 16);
  // A large cv: never negative.
  auto wide = make_period_demand(step(10, 20, 5, "normal", 2.0));
  CHECK(sample(*wide, 20000).min >= 0);
}

TEST_CASE("seasonal demand follows mean times one plus amplitude sin of the season") {
  // mean (1 + amplitude sin(2 pi (k - phase) / cycle)) with mean 10,
  // amplitude 0.5, cycle 4: 10, 15, 10, 5, ...
  auto process = make_period_demand(seasonal(10, 0.5, 4, 0, "none"));
  CHECK(process->describe() == "seasonal(mean=10, amplitude=0.5, cycle=4, none noise)");
  RandomStream rng(1, 0, "demand");
  const double expected[] = {10, 15, 10, 5, 10, 15, 10, 5};
  for (std::int64_t k = 0; k < 8; ++k) {
    CAPTURE(k);
    CHECK(process->mean(k) == doctest::Approx(expected[k]));
    CHECK(process->draw(k, rng, 1.0) == doctest::Approx(expected[k]));
  }
  CHECK(rng.draws() == 8);
  CHECK(process->draw(1, rng, 2.0) == doctest::Approx(30));
  // The phase shifts the season: with phase 1 the peak is at k = 2.
  auto shifted = make_period_demand(seasonal(10, 0.5, 4, 1, "none"));
  CHECK(shifted->mean(1) == doctest::Approx(10));
  CHECK(shifted->mean(2) == doctest::Approx(15));
  CHECK(shifted->mean(4) == doctest::Approx(5));
  // A yearly cycle, at week 10: 100 (1 + 0.3 sin(2 pi 7 / 52)).
  auto yearly = make_period_demand(seasonal(100, 0.3, 52, 3, "none"));
  CHECK(yearly->mean(10) ==
        doctest::Approx(100.0 * (1.0 + 0.3 * std::sin(2.0 * std::numbers::pi * 7.0 / 52.0))));
}

TEST_CASE("seasonal demand with an amplitude above one is never negative") {
  // 10 (1 - 1.5) = -5 at the trough: demand 0.
  auto process = make_period_demand(seasonal(10, 1.5, 4, 0, "none"));
  CHECK(process->mean(3) == 0);
  CHECK(process->mean(1) == doctest::Approx(25));
  RandomStream rng(1, 0, "demand");
  CHECK(process->draw(3, rng, 1.0) == 0);
  auto noisy = make_period_demand(seasonal(10, 1.5, 4, 0, "poisson"));
  CHECK(sample(*noisy, 4000).min >= 0);
}

TEST_CASE("seasonal demand with poisson noise averages the mean over whole cycles") {
  auto process = make_period_demand(seasonal(10, 0.5, 52, 0, "poisson"));
  // 2000 whole cycles: the season averages out to the mean 10, and the
  // variance of the sum is the sum of the Poisson means, 10 n: SE sqrt(10 / n).
  const Sample s = sample(*process, 52 * 2000);
  CHECK(s.integers);
  CHECK(s.draws == 52u * 2000u);
  check_mean(s, 10, std::sqrt(10.0));
}

TEST_CASE("ar1 demand follows its recursion with one normal innovation per period") {
  auto process = make_period_demand(ar1(50, 0.6, 5));
  CHECK(process->describe() == "ar1(mean=50, phi=0.6, sd=5)");
  RandomStream rng(11, 0, "demand");
  RandomStream twin(11, 0, "demand");
  double level = 50.0;  // D_{-1} = mean
  for (std::int64_t k = 0; k < 20; ++k) {
    CAPTURE(k);
    level = 50.0 + 0.6 * (level - 50.0) + 5.0 * std_normal_quantile(twin.uniform01());
    CHECK(process->draw(k, rng, 1.0) == doctest::Approx(level));
    CHECK(rng.draws() == static_cast<std::uint64_t>(k + 1));
  }
}

TEST_CASE("ar1 demand is clipped at zero but its recursion is not") {
  // Mean 2, sd 10: the level often goes negative. The order is max(0, level)
  // while the next level builds on the unclipped one.
  auto process = make_period_demand(ar1(2, 0.5, 10));
  RandomStream rng(5, 0, "demand");
  RandomStream twin(5, 0, "demand");
  double level = 2.0;
  int clipped = 0;
  for (std::int64_t k = 0; k < 200; ++k) {
    CAPTURE(k);
    level = 2.0 + 0.5 * (level - 2.0) + 10.0 * std_normal_quantile(twin.uniform01());
    if (level < 0) ++clipped;
    CHECK(process->draw(k, rng, 1.0) == doctest::Approx(std::max(0.0, level)));
  }
  CHECK(clipped > 20);  // the case was exercised
}

TEST_CASE("ar1 demand has the given mean and lag-one autocorrelation phi") {
  auto process = make_period_demand(ar1(50, 0.6, 5));
  CHECK(process->mean(0) == 50);
  const int n = 100000;
  const Sample s = sample(*process, n);
  CHECK(s.min >= 0);  // 8 stationary sd above zero: never clipped here
  // Long-run sd of the mean of an AR(1): sd / (1 - phi).
  check_mean(s, 50, 5.0 / (1.0 - 0.6));
  // The lag-one sample autocorrelation has SE sqrt((1 - phi^2) / n) (Bartlett).
  double c0 = 0.0, c1 = 0.0;
  for (int i = 0; i < n; ++i) {
    const double x = s.values[static_cast<std::size_t>(i)] - s.mean;
    c0 += x * x;
    if (i > 0) c1 += x * (s.values[static_cast<std::size_t>(i - 1)] - s.mean);
  }
  const double r1 = c1 / c0;
  const double tolerance = kZ * std::sqrt((1.0 - 0.36) / n);
  CAPTURE(r1);
  CAPTURE(tolerance);
  CHECK(std::abs(r1 - 0.6) <= tolerance);
  // The lag-zero autocovariance (the variance) has SE
  // gamma0 sqrt(2 (1 + phi^2) / ((1 - phi^2) n)) (Bartlett).
  const double gamma0 = 25.0 / (1.0 - 0.36);
  const double var_tolerance = kZ * gamma0 * std::sqrt(2.0 * 1.36 / (0.64 * n));
  CAPTURE(c0 / n);
  CAPTURE(var_tolerance);
  CHECK(std::abs(c0 / n - gamma0) <= var_tolerance);
  // The multiplier scales the demand.
  const Sample doubled = sample(*process, n, 2.0, 0, "doubled");
  check_mean(doubled, 100, 2.0 * 5.0 / (1.0 - 0.6));
}

TEST_CASE("an inline trace is played period by period and then repeats, drops to zero or holds") {
  struct Variant {
    const char* after;
    std::vector<double> expected;  // periods 0..7
  };
  const Variant variants[] = {
      {"repeat", {3, 0, 5.5, 3, 0, 5.5, 3, 0}},
      {"zero", {3, 0, 5.5, 0, 0, 0, 0, 0}},
      {"hold_last", {3, 0, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5}},
  };
  for (const Variant& v : variants) {
    CAPTURE(v.after);
    auto process = make_period_demand(trace({3, 0, 5.5}, v.after));
    CHECK(process->describe() == std::string("trace(3 periods, then ") + v.after + ")");
    RandomStream rng(1, 0, "demand");
    for (std::int64_t k = 0; k < 8; ++k) {
      CAPTURE(k);
      const double e = v.expected[static_cast<std::size_t>(k)];
      CHECK(process->mean(k) == e);
      CHECK(process->draw(k, rng, 1.0) == e);
      CHECK(process->draw(k, rng, 2.0) == 2.0 * e);
    }
    // A trace is not random: it draws nothing from its own stream, so it
    // cannot shift any other source either.
    CHECK(rng.draws() == 0);
  }
}

TEST_CASE("a trace's values are given inline or read from its file by the loader, and the chain reads no file") {
  DemandSpec d = demand("trace");
  d.file = "weekly.csv";
  d.after_trace = AfterTrace::kZero;
  CHECK(check_demand(d).size() == 1);
  CHECK_THROWS_WITH_AS(make_period_demand(d),
                       "the trace file 'weekly.csv' was not read: give its values (the scenario loader reads trace "
                       "files, models/scenario/traces.h)",
                       std::invalid_argument);
  d.trace = {4, 8};  // as the loader reads them
  auto process = make_period_demand(d);
  CHECK(process->mean(0) == 4);
  CHECK(process->mean(1) == 8);
  CHECK(process->mean(2) == 0);
  d.values = {1};  // inline values win
  CHECK(make_period_demand(d)->mean(0) == 1);
}

TEST_CASE("distribution demand samples any nonnegative distribution") {
  auto process = make_period_demand(any(Distribution::empirical({0, 10, 20}, {1, 2, 1})));
  CHECK(process->mean(0) == doctest::Approx(10));
  const Sample s = sample(*process, 40000);
  CHECK(s.draws == 40000);
  std::set<double> seen(s.values.begin(), s.values.end());
  CHECK(seen == std::set<double>{0, 10, 20});
  // Values 0, 10, 20 with probabilities 1/4, 1/2, 1/4: variance 50.
  check_mean(s, 10, std::sqrt(50.0));
  const Sample half = sample(*process, 40000, 0.5, 0, "half");
  CHECK(std::set<double>(half.values.begin(), half.values.end()) == std::set<double>{0, 5, 10});
  check_mean(half, 5, std::sqrt(12.5));
}

TEST_CASE("every random draw consumes exactly one uniform whatever the multiplier") {
  const std::vector<DemandSpec> specs = {
      constant(3),
      poisson(40),  // past the switch to the search from the mode
      normal(5, 2),
      negative_binomial(5, 9),
      uniform(1, 6),
      uniform(1, 6.5),
      step(3, 6, 2, "poisson"),
      step(3, 6, 2, "normal", 0.3),
      step(3, 6, 2, "none"),
      seasonal(10, 0.4, 6, 0, "poisson"),
      seasonal(10, 0.4, 6, 0, "normal"),
      seasonal(10, 0.4, 6, 0, "none"),
      ar1(10, 0.3, 2),
      any(Distribution::gamma(2, 3)),
  };
  for (const DemandSpec& spec : specs) {
    auto process = make_period_demand(spec);
    CAPTURE(process->describe());
    RandomStream rng(9, 0, "demand");
    std::uint64_t expected = 0;
    for (const double multiplier : {1.0, 0.0, 2.5, 1.0, 0.3}) {
      CAPTURE(multiplier);
      for (std::int64_t k = 0; k < 5; ++k) {
        const double x = process->draw(k, rng, multiplier);
        ++expected;
        CHECK(rng.draws() == expected);
        CHECK(x >= 0);
        if (multiplier == 0.0) CHECK(x == 0);
      }
    }
  }
}

TEST_CASE("a larger multiplier never gives a smaller draw under common random numbers") {
  const std::vector<DemandSpec> specs = {
      poisson(5),
      normal(3, 2),
      negative_binomial(5, 12),
      uniform(0, 8),
      step(3, 6, 10, "poisson"),
      seasonal(10, 0.4, 6, 0, "poisson"),
  };
  for (const DemandSpec& spec : specs) {
    auto low = make_period_demand(spec);
    auto high = make_period_demand(spec);
    CAPTURE(low->describe());
    RandomStream a(4, 0, "demand");
    RandomStream b(4, 0, "demand");
    for (std::int64_t k = 0; k < 500; ++k) {
      CAPTURE(k);
      REQUIRE(low->draw(k, a, 1.0) <= high->draw(k, b, 1.5));
    }
  }
}

TEST_CASE("make_period_demand rejects impossible parameters with the parameter named") {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Case {
    DemandSpec spec;
    const char* message;
  };
  const Case cases[] = {
      {constant(-1), "value must be >= 0 (got -1)"},
      {constant(inf), "value must be >= 0 (got inf)"},
      {poisson(-2), "mean must be >= 0 (got -2)"},
      {poisson(nan), "mean must be >= 0 (got nan)"},
      {normal(-1, 1), "mean must be >= 0 (got -1)"},
      {normal(1, -0.5), "sd must be >= 0 (got -0.5)"},
      {negative_binomial(5, 4),
       "negative_binomial: variance must exceed the mean (got variance=4, mean=5)"},
      {negative_binomial(5, 5),
       "negative_binomial: variance must exceed the mean (got variance=5, mean=5)"},
      {negative_binomial(0, 1), "negative_binomial: mean must be > 0 (got 0)"},
      {uniform(-1, 3), "low must be >= 0 (got -1)"},
      {uniform(5, 2), "high must be >= low (got low=5, high=2)"},
      {uniform(0, inf), "high must be >= 0 (got inf)"},
      {any(Distribution::normal(5, 1)),
       "demand distribution must not produce negative values (got normal(mean=5, sd=1))"},
      {any(Distribution::uniform(-1, 4)),
       "demand distribution must not produce negative values (got uniform(low=-1, high=4))"},
      {step(-1, 2, 3, "none"), "before must be >= 0 (got -1)"},
      {step(1, -2, 3, "none"), "after must be >= 0 (got -2)"},
      {step(1, 2, -1, "none"), "at must be >= 0 (got -1)"},
      {step(1, 2, 3, "normal", -0.1), "cv must be >= 0 (got -0.1)"},
      {seasonal(-10, 0.5, 52, 0, "none"), "mean must be >= 0 (got -10)"},
      {seasonal(10, 0.5, 0, 0, "none"), "cycle must be > 0 (got 0)"},
      {seasonal(10, 0.5, -4, 0, "none"), "cycle must be > 0 (got -4)"},
      {seasonal(10, inf, 52, 0, "none"), "amplitude must be finite"},
      {ar1(10, 1, 1), "phi must be in (-1, 1) (got 1)"},
      {ar1(10, -1, 1), "phi must be in (-1, 1) (got -1)"},
      {ar1(10, 0.5, -1), "sd must be >= 0 (got -1)"},
      {ar1(-3, 0.5, 1), "mean must be >= 0 (got -3)"},
      {trace({}, "repeat"), "trace needs a file or values"},
      {trace({1, -3}, "repeat"), "trace value must be >= 0 (got -3)"},
      {demand("arrivals"), "arrivals is not a per-period demand"},
  };
  for (const Case& c : cases) {
    CAPTURE(name_of(c.spec.type));
    CHECK_THROWS_WITH_AS(make_period_demand(c.spec), c.message, std::invalid_argument);
  }
}

TEST_CASE("the demand table lists every type and make_period_demand builds all but arrivals") {
  const std::vector<std::string_view> expected = {
      "constant", "poisson", "normal", "negative_binomial", "uniform", "step",
      "seasonal", "ar1",     "trace",  "distribution",      "arrivals"};
  CHECK(std::vector<std::string_view>(enum_names<DemandType>().begin(), enum_names<DemandType>().end()) == expected);
  for (const std::string_view name : enum_names<DemandType>()) {
    const std::string type(name);
    if (type == "arrivals") continue;
    CAPTURE(type);
    DemandSpec d = demand(type);
    d.mean = 5;
    d.variance = 10;
    d.values = {1};
    CHECK(make_period_demand(d) != nullptr);
  }
}

#include "sim/distributions.h"

#include <doctest/doctest.h>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/negative_binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/poisson.hpp>
#include <cmath>
#include <stdexcept>
#include <vector>

using chainsim::sim::Distribution;
using chainsim::sim::RandomStream;

namespace {

struct Case {
  const char* name;
  Distribution dist;
};

std::vector<Case> cases() {
  return {
      {"constant", Distribution::constant(3.5)},
      {"poisson small", Distribution::poisson(3.2)},
      {"poisson at the switch", Distribution::poisson(30.0)},
      {"poisson large", Distribution::poisson(250.0)},
      {"normal", Distribution::normal(10.0, 2.5)},
      {"truncated normal far", Distribution::truncated_normal(10.0, 2.0, 0.0)},
      {"truncated normal near", Distribution::truncated_normal(1.0, 2.0, 0.0)},
      {"truncated normal above the mean", Distribution::truncated_normal(0.0, 1.0, 1.5)},
      {"lognormal", Distribution::lognormal(4.0, 1.5)},
      {"gamma", Distribution::gamma(2.5, 1.6)},
      {"exponential", Distribution::exponential(0.7)},
      {"uniform", Distribution::uniform(-1.0, 5.0)},
      {"uniform int", Distribution::uniform_int(2, 9)},
      {"negative binomial", Distribution::negative_binomial(3.0, 0.4)},
      {"negative binomial by moments", Distribution::negative_binomial_mean_var(8.0, 20.0)},
      {"empirical", Distribution::empirical({1, 2, 5, 10}, {0.1, 0.4, 0.3, 0.2})},
  };
}

}  // namespace

TEST_CASE("every distribution matches its theoretical mean and variance") {
  // n = 400000 draws per distribution. Tolerances: z standard errors, with z
  // chosen so that all 2 * 16 checks together fail with probability 1e-3 for
  // a correct sampler (Bonferroni). SE(mean) = sigma / sqrt(n); SE(variance) =
  // sqrt((mu4 - sigma^4) / n) with mu4 the sample fourth central moment.
  const auto all = cases();
  const double checks = 2.0 * static_cast<double>(all.size());
  const double z = boost::math::quantile(boost::math::complement(
      boost::math::normal_distribution<double>(), 1e-3 / (2.0 * checks)));
  const int n = 400000;
  for (const auto& c : all) {
    CAPTURE(c.name);
    CAPTURE(c.dist.describe());
    RandomStream rng(77, 0, c.name);
    std::vector<double> x(n);
    double sum = 0.0;
    for (double& v : x) {
      v = c.dist.sample(rng);
      sum += v;
    }
    CHECK(rng.draws() == static_cast<std::uint64_t>(n));  // one uniform per variate
    const double mean = sum / n;
    double m2 = 0.0, m4 = 0.0;
    for (const double v : x) {
      const double d = (v - mean) * (v - mean);
      m2 += d;
      m4 += d * d;
    }
    const double var = m2 / (n - 1);
    m4 /= n;
    const double mu = c.dist.mean(), sigma2 = c.dist.variance();
    CAPTURE(mean);
    CAPTURE(var);
    CAPTURE(mu);
    CAPTURE(sigma2);
    if (sigma2 == 0.0) {
      CHECK(mean == mu);
      CHECK(var == 0.0);
      continue;
    }
    CHECK(std::abs(mean - mu) <= z * std::sqrt(sigma2 / n));
    CHECK(std::abs(var - sigma2) <= z * std::sqrt(std::max(m4 - var * var, 0.0) / n));
    if (c.dist.is_integer()) {
      for (int i = 0; i < 1000; ++i) REQUIRE(x[static_cast<std::size_t>(i)] == std::floor(x[static_cast<std::size_t>(i)]));
    }
    if (c.dist.is_nonnegative()) {
      for (const double v : x) REQUIRE(v >= 0.0);
    }
  }
}

TEST_CASE("quantiles are monotone in u, so variants under common random numbers stay ordered") {
  for (const auto& c : cases()) {
    CAPTURE(c.name);
    double prev = -INFINITY;
    for (int i = 1; i < 2000; ++i) {
      const double q = c.dist.quantile(i / 2000.0);
      REQUIRE(q >= prev);
      prev = q;
    }
  }
  // A larger mean gives a larger-or-equal variate from the same uniform.
  for (int i = 1; i < 1000; ++i) {
    const double u = i / 1000.0;
    REQUIRE(Distribution::poisson(8.0).quantile(u) <= Distribution::poisson(9.0).quantile(u));
  }
}

TEST_CASE("the Poisson quantile equals Boost.Math's on both search paths") {
  using boost::math::poisson_distribution;
  for (const double mean : {0.3, 1.0, 8.0, 29.9, 30.0, 31.5, 120.0, 1e4}) {
    const poisson_distribution<double> p(mean);
    for (int i = 1; i < 200; ++i) {
      const double u = i / 200.0;
      CAPTURE(mean);
      CAPTURE(u);
      // Smallest k with P(N <= k) >= u.
      const double ours = chainsim::sim::poisson_quantile(u, mean);
      CHECK(boost::math::cdf(p, ours) >= u - 1e-12);
      if (ours > 0) CHECK(boost::math::cdf(p, ours - 1) < u + 1e-12);
    }
  }
  CHECK(chainsim::sim::poisson_quantile(0.5, 0.0) == 0.0);
}

TEST_CASE("a Poisson distribution's tabled quantile is the search's, bit for bit, out to the extreme tails") {
  RandomStream rng(7, 0, "poisson-table");
  for (const double mean : {1e-9, 0.3, 1.0, 8.0, 17.25, 29.9, 30.0, 45.0}) {
    const Distribution d = Distribution::poisson(mean);
    std::vector<double> us = {1e-300, 1e-17, 0.5, 1.0 - 0x1p-53, 1.0 - 0x1p-52};
    for (int i = 0; i < 2000; ++i) us.push_back(rng.uniform01());
    for (const double u : us) {
      CAPTURE(mean);
      CAPTURE(u);
      CHECK(d.quantile(u) == chainsim::sim::poisson_quantile(u, mean));
    }
  }
}

TEST_CASE("the negative binomial quantile is the smallest k with F(k) >= u") {
  const boost::math::negative_binomial_distribution<double> nb(3.0, 0.4);
  for (int i = 1; i < 200; ++i) {
    const double u = i / 200.0;
    const double ours = chainsim::sim::negative_binomial_quantile(u, 3.0, 0.4);
    CHECK(boost::math::cdf(nb, ours) >= u - 1e-12);
    if (ours > 0) CHECK(boost::math::cdf(nb, ours - 1) < u + 1e-12);
  }
}

TEST_CASE("impossible parameters are rejected with the parameter named") {
  CHECK_THROWS_WITH_AS(Distribution::poisson(-1), "poisson: mean must be >= 0 (got -1)",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(Distribution::normal(1, -2), "normal: sd must be >= 0 (got -2)",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(Distribution::exponential(0), "exponential: mean must be > 0 (got 0)",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(Distribution::uniform(3, 1),
                       "uniform: need finite low <= high (got low=3, high=1)",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(Distribution::negative_binomial_mean_var(5, 4),
                       "negative_binomial: variance must exceed the mean (got variance=4, mean=5)",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(Distribution::empirical({1, 2}, {1}),
                       "empirical: values and weights must have the same length (got 2 and 1)",
                       std::invalid_argument);
  CHECK_THROWS_AS(Distribution::gamma(NAN, 1), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::constant(INFINITY), std::invalid_argument);
}

TEST_CASE("scaled multiplies the mean and keeps integer families integer") {
  CHECK(Distribution::poisson(4).scaled(2).mean() == doctest::Approx(8));
  CHECK(Distribution::poisson(4).scaled(2).kind() == Distribution::Kind::kPoisson);
  const auto nb = Distribution::negative_binomial(3.0, 0.4).scaled(1.5);
  CHECK(nb.kind() == Distribution::Kind::kNegativeBinomial);
  CHECK(nb.mean() == doctest::Approx(4.5 * 1.5));
  CHECK(Distribution::normal(10, 2).scaled(0.5).variance() == doctest::Approx(1.0));
  CHECK(Distribution::uniform_int(1, 3).scaled(2).mean() == doctest::Approx(4.0));
  CHECK(Distribution::lognormal(4, 1).scaled(3).mean() == doctest::Approx(12));
}

TEST_CASE("the binomial quantile is the smallest k with F(k) >= u on both sides of the mode") {
  for (const auto& np : std::vector<std::pair<double, double>>{{1, 0.3}, {10, 0.5}, {57, 0.05}, {400, 0.9}}) {
    const double n = np.first, p = np.second;  // not a structured binding: CAPTURE takes them by reference
    const boost::math::binomial_distribution<double> b(n, p);
    for (int i = 1; i < 300; ++i) {
      const double u = i / 300.0;
      CAPTURE(n);
      CAPTURE(p);
      CAPTURE(u);
      const double k = chainsim::sim::binomial_quantile(u, n, p);
      CHECK(k >= 0);
      CHECK(k <= n);
      CHECK(boost::math::cdf(b, k) >= u - 1e-12);
      if (k > 0) CHECK(boost::math::cdf(b, k - 1) < u + 1e-12);
    }
  }
  CHECK(chainsim::sim::binomial_quantile(0.5, 0, 0.3) == 0);
  CHECK(chainsim::sim::binomial_quantile(0.5, 7, 1.0) == 7);
}

#include "sim/response_surface.h"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "sim/distributions.h"
#include "sim/random.h"

using chainsim::sim::ResponseSurface;
using chainsim::sim::SurfaceFit;

namespace {

// A 5 x 4 grid over a in [10, 50] and b in [0, 1.5], `reps` runs per point.
Eigen::MatrixXd grid(int reps) {
  Eigen::MatrixXd x(5 * 4 * reps, 2);
  int row = 0;
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 4; ++j) {
      for (int r = 0; r < reps; ++r) {
        x(row, 0) = 10.0 + 10.0 * i;
        x(row, 1) = 0.5 * j;
        ++row;
      }
    }
  }
  return x;
}

double truth(double a, double b) { return 3.0 + 2.0 * a - 1.0 * b + 0.5 * a * a - 0.25 * b * b + 0.75 * a * b; }

}  // namespace

TEST_CASE("a known quadratic is recovered exactly in natural units, with R^2 of 1") {
  const Eigen::MatrixXd x = grid(1);
  Eigen::VectorXd y(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) y(i) = truth(x(i, 0), x(i, 1));
  const ResponseSurface rs({"a", "b"}, x);
  REQUIRE(rs.problem().empty());
  CHECK(rs.terms() == std::vector<std::string>{"1", "a", "b", "a^2", "b^2", "a*b"});
  const SurfaceFit f = rs.fit(y);
  const double expected[] = {3.0, 2.0, -1.0, 0.5, -0.25, 0.75};
  for (std::size_t t = 0; t < 6; ++t) {
    CAPTURE(rs.terms()[t]);
    // Exact data: only rounding error, relative to the response's scale (~1e3).
    CHECK(f.natural[t].estimate == doctest::Approx(expected[t]).epsilon(1e-9).scale(1e3));
    CHECK(f.natural[t].se < 1e-6);
  }
  CHECK(f.r_squared == doctest::Approx(1.0).epsilon(1e-12));
  // Coded: z_a = (a - 30) / 20, so the coefficient of z_a^2 is 0.5 * 20^2.
  CHECK(f.coded[3].estimate == doctest::Approx(200.0).epsilon(1e-9));
}

TEST_CASE("with noise the estimates fall within their standard errors and s estimates the noise") {
  const Eigen::MatrixXd x = grid(10);  // 200 runs, 194 residual degrees of freedom
  chainsim::sim::RandomStream rs_noise(5, 0, "noise");
  const double sigma = 4.0;
  Eigen::VectorXd y(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    y(i) = truth(x(i, 0), x(i, 1)) + chainsim::sim::normal_quantile(rs_noise.uniform01(), 0.0, sigma);
  }
  const ResponseSurface rs({"a", "b"}, x);
  const SurfaceFit f = rs.fit(y);
  const double expected[] = {3.0, 2.0, -1.0, 0.5, -0.25, 0.75};
  for (std::size_t t = 0; t < 6; ++t) {
    CAPTURE(rs.terms()[t]);
    CAPTURE(f.natural[t].estimate);
    CAPTURE(f.natural[t].se);
    // |estimate - truth| < 4 se fails with probability about 6e-5 per term.
    CHECK(std::abs(f.natural[t].estimate - expected[t]) < 4.0 * f.natural[t].se);
  }
  // s^2 / sigma^2 ~ chi2(194) / 194: within +-25% with probability > 0.999.
  CHECK(f.residual_sd / sigma == doctest::Approx(1.0).epsilon(0.125));
  CHECK(f.coded[1].p_value < 1e-6);  // a matters
}

TEST_CASE("a parameter with two values has no square term and one with one value no term at all") {
  Eigen::MatrixXd x(12, 3);
  for (int i = 0; i < 12; ++i) {
    x(i, 0) = i % 2;        // two values
    x(i, 1) = i % 3;        // three values
    x(i, 2) = 7.0;          // constant
  }
  const ResponseSurface rs({"p", "q", "c"}, x);
  CHECK(rs.problem().empty());
  CHECK(rs.terms() == std::vector<std::string>{"1", "p", "q", "q^2", "p*q"});
  CHECK(rs.dof() == 7);
}

TEST_CASE("too few runs or no varying parameter is a problem, not a fit") {
  Eigen::MatrixXd few(4, 2);
  few << 0, 0, 1, 0, 0, 1, 2, 2;
  CHECK(ResponseSurface({"a", "b"}, few).problem() ==
        "4 runs cannot determine 6 terms with an error estimate (need more than 6)");
  Eigen::MatrixXd flat = Eigen::MatrixXd::Constant(5, 1, 3.0);
  CHECK(ResponseSurface({"a"}, flat).problem() == "no parameter takes more than one value");
}

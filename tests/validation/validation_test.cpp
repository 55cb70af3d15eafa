// The validation suite: every case of tests/validation/cases.cpp as a test
// (one CTest entry each, so they run in parallel), each comparison checked
// with its inputs CAPTUREd; the beer game also week by week; and checks of
// the theory itself where two derivations must agree.
#include <doctest/doctest.h>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <cmath>
#include <limits>
#include <set>

#include "tests/validation/beer_game.h"
#include "tests/validation/cases.h"
#include "tests/validation/theory.h"

using namespace chainsim::validation;

namespace {

// Runs a case at the suite's level and checks every comparison: within its
// tolerance, and (stochastic) from a run precise enough that the half-width
// is within 1% of the theoretical value.
void check_case(const std::string& name) {
  const ValidationCase* c = find_case(name);
  REQUIRE(c != nullptr);
  const CaseResult r = c->run(suite_confidence_level());
  CAPTURE(r.name);
  CAPTURE(c->reference);
  CAPTURE(r.inputs);
  int stochastic = 0;
  for (const Comparison& row : r.rows) {
    CAPTURE(row.quantity);
    CAPTURE(row.simulated);
    CAPTURE(row.theory);
    CAPTURE(row.difference);
    CAPTURE(row.tolerance);
    CAPTURE(row.max_tolerance);
    CHECK(std::isfinite(row.simulated));
    CHECK(row.precise_enough());
    CHECK(row.within());
    stochastic += row.stochastic ? 1 : 0;
  }
  // The Bonferroni correction counts what the case declares.
  CHECK(stochastic == c->stochastic_checks);
}

// The names of the cases this file runs; a case added to cases.cpp without a
// test here fails the first test below.
const std::set<std::string> kTested = {
    "base_stock_tau3",      "base_stock_tau1",       "bullwhip_ma_L1_p4",        "bullwhip_ma_L2_p4",
    "bullwhip_ma_L3_p2",    "bullwhip_es_L2_alpha0.2", "bullwhip_es_L1_alpha0.5", "littles_law",
    "clark_scarf",          "beer_game_sterman",     "beer_game_no_supply_line", "beer_game_full_supply_line",
    "beer_game_slow",       "information_sharing",   "customer_base",            "lifetime_value",
    "outage_recovery",      "bg_nbd",                "s_S",                      "perishable"};

}  // namespace

TEST_CASE("every validation case has a test and the level is Bonferroni-corrected for all their checks") {
  std::set<std::string> names;
  int checks = 0;
  for (const ValidationCase& c : validation_cases()) {
    names.insert(c.name);
    checks += c.stochastic_checks;
  }
  CHECK(names == kTested);
  CHECK(checks == 46);
  CHECK(suite_confidence_level() == doctest::Approx(1.0 - 0.05 / 46));
}

TEST_CASE("base-stock with Poisson demand and tau 3 matches the lead-time-demand formulas") {
  check_case("base_stock_tau3");
}

TEST_CASE("base-stock with Poisson demand and tau 1 matches the lead-time-demand formulas") {
  check_case("base_stock_tau1");
}

TEST_CASE("moving-average order-up-to amplifies variance by 1 + 2L/p + 2L^2/p^2 with L 1 and p 4") {
  check_case("bullwhip_ma_L1_p4");
}

TEST_CASE("moving-average order-up-to amplifies variance by 1 + 2L/p + 2L^2/p^2 with L 2 and p 4") {
  check_case("bullwhip_ma_L2_p4");
}

TEST_CASE("moving-average order-up-to amplifies variance by 1 + 2L/p + 2L^2/p^2 with L 3 and p 2") {
  check_case("bullwhip_ma_L3_p2");
}

TEST_CASE("exponential-smoothing order-up-to matches Chen, Ryan and Simchi-Levi with L 2 and alpha 0.2") {
  check_case("bullwhip_es_L2_alpha0.2");
}

TEST_CASE("exponential-smoothing order-up-to matches Chen, Ryan and Simchi-Levi with L 1 and alpha 0.5") {
  check_case("bullwhip_es_L1_alpha0.5");
}

TEST_CASE("pipeline and backlog obey Little's law with random lead times") { check_case("littles_law"); }

TEST_CASE("a two-stage chain under optimal echelon base-stock costs what the Clark-Scarf recursion says") {
  check_case("clark_scarf");
}

TEST_CASE("a periodic (s, S) policy costs and orders as Zheng and Federgruen's exact formula says") { check_case("s_S"); }

TEST_CASE("a perishable base-stock shop outdates as the exact Markov chain of its ages says, FIFO and LIFO") {
  check_case("perishable");
}

TEST_CASE("the beer game with Sterman's estimates follows the board's rules") { check_case("beer_game_sterman"); }

TEST_CASE("the beer game ignoring the supply line follows the board's rules") {
  check_case("beer_game_no_supply_line");
}

TEST_CASE("the beer game counting the whole supply line follows the board's rules") {
  check_case("beer_game_full_supply_line");
}

TEST_CASE("the beer game with slow adjustment follows the board's rules") { check_case("beer_game_slow"); }

TEST_CASE("point-of-sale sharing lowers the top's amplification to the centralized value") {
  check_case("information_sharing");
}

TEST_CASE("the beer game matches the board week by week for every player and every quantity") {
  for (const theory::BeerParameters& p : std::vector<theory::BeerParameters>{
           {0.36, 0.26, 0.34, 17}, {0.25, 0.5, 0.0, 20}, {1.0, 1.0, 1.0, 28}, {0.1, 0.1, 0.5, 15}}) {
    CAPTURE(p.theta);
    CAPTURE(p.alpha_s);
    CAPTURE(p.beta);
    CAPTURE(p.s_prime);
    const BeerComparison c = compare_beer_game(p);
    REQUIRE(c.weeks == 36);
    for (std::size_t i = 0; i < 4; ++i) {
      CAPTURE(kBeerPlayers[i]);
      for (std::size_t t = 0; t < static_cast<std::size_t>(c.weeks); ++t) {
        CAPTURE(t);
        CHECK(c.model_incoming[i][t] == doctest::Approx(c.board_incoming[i][t]).epsilon(1e-12));
        CHECK(c.model_orders[i][t] == doctest::Approx(c.board_orders[i][t]).epsilon(1e-12));
        CHECK(c.model_on_hand[i][t] == doctest::Approx(c.board_on_hand[i][t]).epsilon(1e-12));
        CHECK(c.model_backlog[i][t] == doctest::Approx(c.board_backlog[i][t]).epsilon(1e-12));
        CHECK(c.model_on_order[i][t] == doctest::Approx(c.board_on_order[i][t]).epsilon(1e-12));
      }
    }
  }
}

// --- the theory agrees with itself and with hand values ---------------------

TEST_CASE("Poisson expectations match hand values") {
  // X ~ Poisson(1): E[(X - 1)^+] = E[X] - 1 + P(X = 0) = e^-1;
  // E[(2 - X)^+] = 2 P(0) + P(1) = 3 e^-1.
  CHECK(theory::poisson_excess(1.0, 1) == doctest::Approx(std::exp(-1.0)));
  CHECK(theory::poisson_shortfall(1.0, 2) == doctest::Approx(3 * std::exp(-1.0)));
  CHECK(theory::poisson_cdf(1.0, 1) == doctest::Approx(2 * std::exp(-1.0)));
  CHECK(theory::poisson_cdf(1.0, -1) == 0);
  CHECK(theory::poisson_excess(0.0, 0) == 0);
}

TEST_CASE("the BG/NBD expectation is the average of (1 - exp(-lambda p t)) / p over the Gamma and the Beta") {
  // Given lambda and p, the orders before the dropout number min(N(t), G),
  // G ~ Geometric(p) on 1, 2, ...: E = (1 - exp(-lambda p t)) / p. Averaged
  // by quadrature over lambda ~ Gamma(r, alpha) and p ~ Beta(a, b), it must
  // be the closed form with the hypergeometric function.
  const double r = 2, alpha = 4, a = 3, b = 10;
  const boost::math::gamma_distribution<> rate(r, 1 / alpha);
  const boost::math::beta_distribution<> dropout(a, b);
  for (double t : {1.0, 13.0, 52.0}) {
    CAPTURE(t);
    auto given_p = [&](double p) {
      auto f = [&](double lambda) {
        return boost::math::pdf(rate, lambda) * -std::expm1(-lambda * p * t) / p;
      };
      return boost::math::pdf(dropout, p) * boost::math::quadrature::gauss_kronrod<double, 61>::integrate(
                                                  f, 0.0, std::numeric_limits<double>::infinity(), 10, 1e-12);
    };
    const double quadrature =
        boost::math::quadrature::gauss_kronrod<double, 61>::integrate(given_p, 0.0, 1.0, 10, 1e-12);
    CHECK(theory::bgnbd_expected_purchases(r, alpha, a, b, t) == doctest::Approx(quadrature).epsilon(1e-8));
  }
  // Without dropout (b large) it tends to the Poisson mean r t / alpha.
  CHECK(theory::bgnbd_expected_purchases(r, alpha, 2, 1e9, 10) == doctest::Approx(r * 10 / alpha).epsilon(1e-6));
}

TEST_CASE("base-stock with tau 1 has the textbook single-period formulas") {
  // tau = 1: IN = S - D, fill rate E[min(D, S)] / lambda, CSL = P(D <= S | D > 0).
  const double lambda = 2;
  const int S = 3;
  const theory::BaseStock t = theory::base_stock_poisson(lambda, 1, S);
  double p[5], cdf = 0, met = 0;
  for (int k = 0; k < 5; ++k) p[k] = std::exp(-lambda) * std::pow(lambda, k) / std::tgamma(k + 1.0);
  for (int k = 0; k <= S; ++k) cdf += p[k];
  for (int k = 0; k < S; ++k) met += k * p[k];
  met += S * (1 - (p[0] + p[1] + p[2]));
  CHECK(t.fill_rate == doctest::Approx(met / lambda));
  CHECK(t.ready_rate == doctest::Approx(p[0] + p[1] + p[2]));
  CHECK(t.cycle_service_level == doctest::Approx((cdf - p[0]) / (1 - p[0])));
}

TEST_CASE("the serial bullwhip formulas reduce to the single-stage one and bound each other") {
  CHECK(theory::bullwhip_serial_decentralized({2}, 4) == doctest::Approx(theory::bullwhip_moving_average(2, 4)));
  CHECK(theory::bullwhip_serial_centralized({2}, 4) == doctest::Approx(theory::bullwhip_moving_average(2, 4)));
  const std::vector<double> L = {1, 1, 1};
  const double product = std::pow(theory::bullwhip_moving_average(1, 4), 3);
  // Chen et al. (2000): the product is a lower bound for the decentralized
  // chain, and centralized information lowers it.
  CHECK(theory::bullwhip_serial_decentralized(L, 4) > product);
  CHECK(theory::bullwhip_serial_centralized(L, 4) < product);
  CHECK(theory::bullwhip_exponential_smoothing(1, 1.0) == doctest::Approx(5));  // alpha 1: the last demand, as MA p = 1
  CHECK(theory::bullwhip_moving_average(1, 1) == doctest::Approx(5));
}

TEST_CASE("the Clark-Scarf recursion's cost is the direct expectation of its policy, and no neighbour is cheaper") {
  const double lambda = 5, h1 = 2, h2 = 1, b = 4;
  const theory::TwoStage t = theory::clark_scarf_two_stage(lambda, 1, 2, h1, h2, b);
  CAPTURE(t.S1);
  CAPTURE(t.S2);
  const theory::TwoStage d = theory::two_stage_direct(lambda, 1, 2, h1, h2, b, t.S1, t.S2);
  CHECK(t.cost == doctest::Approx(d.cost).epsilon(1e-10));
  for (int d1 = -2; d1 <= 2; ++d1) {
    for (int d2 = -2; d2 <= 2; ++d2) {
      CAPTURE(d1);
      CAPTURE(d2);
      CHECK(theory::two_stage_direct(lambda, 1, 2, h1, h2, b, t.S1 + d1, t.S2 + d2).cost >= t.cost - 1e-9);
    }
  }
}

TEST_CASE("a population segment's customer base is the exact chain's stationary mean and the fixed point of its flows") {
  check_case("customer_base");
}

TEST_CASE("measured lifetime value is the geometric closed form for chainsim's timing, not the churn-first form") {
  check_case("lifetime_value");
}

TEST_CASE("an outage's drop and recovery follow the expected flows, and with q = 0 it leaves no shadow") {
  check_case("outage_recovery");
}

TEST_CASE("individual customers' mean repeat purchases follow the BG/NBD expectation") { check_case("bg_nbd"); }

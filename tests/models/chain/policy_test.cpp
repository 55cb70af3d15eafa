// Replenishment policies, one review at a time: each expected order is worked
// out by hand from the policy's definition (models/chain/policy.h, docs/timing.md),
// never by calling the policy a second way.
#include "models/chain/policy.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

using namespace chainsim::models;

namespace {

// A review's view of a stock point with position = on_hand + on_order - backlog.
PolicyView view(Qty on_hand, Qty on_order, Qty backlog, Qty demand_signal = 0.0,
                std::int64_t review = 0) {
  PolicyView v;
  v.review = review;
  v.period = review;
  v.now = static_cast<double>(review);
  v.on_hand = on_hand;
  v.on_order = on_order;
  v.backlog = backlog;
  v.position = on_hand + on_order - backlog;
  v.demand_signal = demand_signal;
  return v;
}

// A policy of the type named `type` in the scenario format.
PolicySpec spec(const std::string& type) {
  PolicySpec p;
  p.type = parse_enum<PolicyType>(type).value();
  return p;
}

PolicySpec forecast_spec(const std::string& method, int p, double lead_time, double z) {
  PolicySpec s = spec("forecast_order_up_to");
  s.forecast = parse_enum<ForecastMethod>(method).value();
  s.p = p;
  s.lead_time = lead_time;
  s.z = z;
  return s;
}

}  // namespace

TEST_CASE("base_stock orders the gap between S and the inventory position") {
  PolicySpec s = spec("base_stock");
  s.S = 40;
  auto policy = make_policy(s);
  CHECK(policy->describe() == "base_stock(S=40)");
  CHECK_FALSE(policy->needs_echelon_position());
  // position = on hand + on order - backlog, so stock in the pipeline counts
  // and a backlog raises the order.
  CHECK(policy->order(view(10, 0, 0)) == 30);
  CHECK(policy->order(view(10, 15, 0)) == 15);        // position 25
  CHECK(policy->order(view(10, 15, 5)) == 20);        // position 20
  CHECK(policy->order(view(0, 0, 12)) == 52);         // position -12
  CHECK(policy->order(view(40, 0, 0)) == 0);          // at S: nothing
  CHECK(policy->order(view(50, 5, 0)) == -15);        // above S: a negative wish the caller clips
  CHECK(policy->order(view(2.5, 0.25, 0)) == 37.25);  // fractional quantities pass through
}

TEST_CASE("base_stock reads the position the caller computed, not on-hand alone") {
  PolicySpec s = spec("base_stock");
  s.S = 40;
  auto policy = make_policy(s);
  PolicyView v = view(100, 0, 0);
  v.position = 7;  // whatever the caller says the position is
  CHECK(policy->order(v) == 33);
}

TEST_CASE("R_S orders up to S at each review exactly as base_stock does") {
  PolicySpec s = spec("R_S");
  s.S = 25;
  s.review_period = 4;
  s.review_offset = 3;
  auto policy = make_policy(s);
  CHECK(policy->describe() == "R_S(S=25)");
  CHECK_FALSE(policy->needs_echelon_position());
  CHECK(policy->order(view(5, 5, 0)) == 15);
  CHECK(policy->order(view(0, 10, 4)) == 19);
}

TEST_CASE("echelon_base_stock orders up to S on the echelon position and asks for it") {
  PolicySpec s = spec("echelon_base_stock");
  s.S = 100;
  auto policy = make_policy(s);
  CHECK(policy->needs_echelon_position());
  CHECK(policy->describe() == "echelon_base_stock(S=100)");
  PolicyView v = view(10, 20, 0);  // local position 30
  v.echelon_position = 65;         // plus the stock downstream
  CHECK(policy->order(v) == 35);
  v.echelon_position = -5;
  CHECK(policy->order(v) == 105);
}

TEST_CASE("make_to_order orders the backlog less the stock on hand and on order") {
  auto policy = make_policy(spec("make_to_order"));
  CHECK_FALSE(policy->needs_echelon_position());
  CHECK(policy->order(view(0, 0, 0)) == 0);
  CHECK(policy->order(view(0, 0, 7)) == 7);
  CHECK(policy->order(view(2, 3, 7)) == 2);   // 7 owed, 5 already covered
  CHECK(policy->order(view(4, 0, 0)) == -4);  // stock beyond what is owed: the caller clips
}

TEST_CASE("s_S orders up to S when the position is at or below s and nothing above it") {
  PolicySpec s = spec("s_S");
  s.s = 10;
  s.S = 50;
  auto policy = make_policy(s);
  CHECK(policy->describe() == "s_S(s=10, S=50)");
  CHECK(policy->order(view(11, 0, 0)) == 0);
  CHECK(policy->order(view(10.5, 0, 0)) == 0);
  CHECK(policy->order(view(10, 0, 0)) == 40);  // at s: order
  CHECK(policy->order(view(4, 2, 0)) == 44);
  CHECK(policy->order(view(0, 0, 6)) == 56);
  CHECK(policy->order(view(60, 0, 0)) == 0);  // never negative above s
}

TEST_CASE("r_Q orders the fewest lots of Q that lift the position above r") {
  PolicySpec s = spec("r_Q");
  s.r = 20;
  s.Q = 15;
  auto policy = make_policy(s);
  CHECK(policy->describe() == "r_Q(r=20, Q=15)");
  struct Row {
    double position;
    double expected;
  };
  // position + n Q > r with n as small as possible, n = 0 above r.
  const Row rows[] = {
      {21, 0},     // above r
      {20.5, 0},   // above r
      {20, 15},    // at r: 20 + 15 = 35
      {6, 15},     // 6 + 15 = 21
      {5, 30},     // 5 + 15 = 20 is not above r: 5 + 30 = 35
      {-9, 30},    // -9 + 30 = 21
      {-10, 45},   // -10 + 30 = 20 is not above: 45
      {-100, 135}  // -100 + 120 = 20 is not above: 135 (9 lots)
  };
  for (const Row& row : rows) {
    CAPTURE(row.position);
    CHECK(policy->order(view(row.position, 0, 0)) == row.expected);
  }
  // Built from on hand, on order and backlog like every policy.
  CHECK(policy->order(view(3, 10, 8)) == 30);  // position 5
}

TEST_CASE("r_Q works with fractional lots") {
  PolicySpec s = spec("r_Q");
  s.r = 1;
  s.Q = 0.5;
  auto policy = make_policy(s);
  CHECK(policy->order(view(1, 0, 0)) == 0.5);    // 1.5 > 1
  CHECK(policy->order(view(0.2, 0, 0)) == 1.0);  // 0.2 + 0.5 = 0.7, + 1.0 = 1.2
}

TEST_CASE("a moving-average forecast orders up to L times the mean of the last p demands") {
  auto policy = make_policy(forecast_spec("moving_average", 3, 2, 0.0));
  CHECK(policy->describe() == "forecast_order_up_to(moving_average p=3, L=2, z=0)");
  // Review 0 sees demand 10: forecast 10, order up to 2*10 = 20 from position 5.
  CHECK(policy->order(view(5, 0, 0, 10, 0)) == doctest::Approx(15));
  // Window {10, 20}: forecast 15, up to 30 from 15.
  CHECK(policy->order(view(10, 5, 0, 20, 1)) == doctest::Approx(15));
  // Window {10, 20, 30}: forecast 20, up to 40 from 0.
  CHECK(policy->order(view(0, 0, 0, 30, 2)) == doctest::Approx(40));
  // Window {20, 30, 40} (10 dropped): forecast 30, up to 60 from 50.
  CHECK(policy->order(view(30, 30, 10, 40, 3)) == doctest::Approx(10));
  // Window {30, 40, 0}: forecast 70/3, up to 140/3 from -2.
  CHECK(policy->order(view(0, 0, 2, 0, 4)) == doctest::Approx(140.0 / 3.0 + 2.0));
}

TEST_CASE("estimated safety stock is z times the sample sd of the window times sqrt(L)") {
  PolicySpec s = forecast_spec("moving_average", 3, 4, 1.5);
  s.safety = SafetyStock::kEstimated;
  s.sigma = 2;  // used until the window holds two demands
  auto policy = make_policy(s);
  // Window {8}: no sample sd yet, sigma 2: y = 4*8 + 1.5*2*sqrt(4) = 38.
  CHECK(policy->order(view(10, 0, 0, 8, 0)) == doctest::Approx(38.0 - 10.0));
  // Window {8, 12}: mean 10, squares 4 + 4 over n-1 = 1: sd sqrt(8).
  CHECK(policy->order(view(20, 0, 0, 12, 1)) ==
        doctest::Approx(4.0 * 10.0 + 1.5 * std::sqrt(8.0) * 2.0 - 20.0));
  // Window {8, 12, 10}: mean 10, squares 4 + 4 + 0 over 2: sd 2.
  CHECK(policy->order(view(30, 0, 0, 10, 2)) == doctest::Approx(40.0 + 1.5 * 2.0 * 2.0 - 30.0));
  // Window {12, 10, 16}: mean 38/3, squares (2/3)^2 + (8/3)^2 + (10/3)^2 = 56/3 over 2.
  CHECK(policy->order(view(40, 0, 0, 16, 3)) ==
        doctest::Approx(4.0 * 38.0 / 3.0 + 1.5 * std::sqrt(28.0 / 3.0) * 2.0 - 40.0));
}

TEST_CASE("constant safety stock is z times sigma times sqrt(L) whatever the demands") {
  PolicySpec s = forecast_spec("moving_average", 4, 4, 2.0);
  s.safety = SafetyStock::kConstant;
  s.sigma = 3;
  auto policy = make_policy(s);
  // Safety 2 * 3 * sqrt(4) = 12 at every review.
  CHECK(policy->order(view(0, 0, 0, 10, 0)) == doctest::Approx(4.0 * 10.0 + 12.0));
  CHECK(policy->order(view(20, 30, 0, 30, 1)) == doctest::Approx(4.0 * 20.0 + 12.0 - 50.0));
  CHECK(policy->order(view(0, 0, 0, 50, 2)) == doctest::Approx(4.0 * 30.0 + 12.0));
}

TEST_CASE("lead time zero makes forecast_order_up_to order the negative of the position") {
  PolicySpec s = forecast_spec("moving_average", 2, 0, 3.0);
  s.safety = SafetyStock::kConstant;
  s.sigma = 5;
  auto policy = make_policy(s);
  CHECK(policy->order(view(0, 0, 4, 100, 0)) == doctest::Approx(4.0));
}

TEST_CASE("exponential smoothing starts at initial_forecast and weights new demand by alpha") {
  PolicySpec s = forecast_spec("exponential_smoothing", 4, 1, 0.0);
  s.alpha = 0.25;
  s.initial_forecast = 20;
  auto policy = make_policy(s);
  CHECK(policy->describe() == "forecast_order_up_to(exponential_smoothing alpha=0.25, L=1, z=0)");
  // F = 0.25 * 40 + 0.75 * 20 = 25, up to 25 from 5.
  CHECK(policy->order(view(5, 0, 0, 40, 0)) == doctest::Approx(20));
  // F = 0.25 * 0 + 0.75 * 25 = 18.75.
  CHECK(policy->order(view(0, 0, 0, 0, 1)) == doctest::Approx(18.75));
  // F = 0.25 * 20 + 0.75 * 18.75 = 19.0625, from 10.
  CHECK(policy->order(view(10, 0, 0, 20, 2)) == doctest::Approx(9.0625));
}

TEST_CASE("exponential smoothing with alpha 1 forecasts the last demand") {
  PolicySpec s = forecast_spec("exponential_smoothing", 4, 2, 0.0);
  s.alpha = 1;
  s.initial_forecast = 99;
  auto policy = make_policy(s);
  CHECK(policy->order(view(0, 0, 0, 7, 0)) == doctest::Approx(14));
  CHECK(policy->order(view(0, 0, 0, 3, 1)) == doctest::Approx(6));
}

TEST_CASE("exponential smoothing with estimated safety takes the sd of the last p demands") {
  PolicySpec s = forecast_spec("exponential_smoothing", 2, 1, 1.0);
  s.alpha = 0.5;
  s.initial_forecast = 10;
  s.safety = SafetyStock::kEstimated;
  auto policy = make_policy(s);
  // F = 0.5 * 10 + 0.5 * 10 = 10, window {10}: sd falls back to sigma = 0.
  CHECK(policy->order(view(0, 0, 0, 10, 0)) == doctest::Approx(10));
  // F = 0.5 * 14 + 0.5 * 10 = 12, window {10, 14}: sd sqrt(8).
  CHECK(policy->order(view(0, 0, 0, 14, 1)) == doctest::Approx(12.0 + std::sqrt(8.0)));
  // F = 0.5 * 6 + 0.5 * 12 = 9, window {14, 6}: mean 10, squares 16 + 16: sd sqrt(32).
  CHECK(policy->order(view(0, 0, 0, 6, 2)) == doctest::Approx(9.0 + std::sqrt(32.0)));
}

TEST_CASE("beer_game follows Sterman's anchoring and adjustment rule review by review") {
  PolicySpec s = spec("beer_game");
  s.theta = 0.5;
  s.alpha_s = 0.25;
  s.beta = 0.5;
  s.desired_inventory = 12;
  s.desired_supply_line = 8;  // S' = 12 + 0.5 * 8 = 16
  s.initial_forecast = 4;
  auto policy = make_policy(s);
  CHECK(policy->describe() == "beer_game(theta=0.5, alpha_s=0.25, beta=0.5, S'=16)");
  // F = 0.5*8 + 0.5*4 = 6; 6 + 0.25 (16 - (10 - 0) - 0.5*8) = 6.5.
  CHECK(policy->order(view(10, 8, 0, 8, 0)) == doctest::Approx(6.5));
  // F = 0.5*4 + 0.5*6 = 5; effective inventory 0 - 6 = -6; 5 + 0.25 (16 + 6 - 0.5*12) = 9.
  CHECK(policy->order(view(0, 12, 6, 4, 1)) == doctest::Approx(9));
  // F = 0.5*0 + 0.5*5 = 2.5; 2.5 + 0.25 (16 - 40 - 0.5*20) = -6: clipped to 0 by the rule.
  CHECK(policy->order(view(40, 20, 0, 0, 2)) == 0);
  // The forecast moved on at the clipped review: F = 0.5*2 + 0.5*2.5 = 2.25; 2.25 + 0.25*16.
  CHECK(policy->order(view(0, 0, 0, 2, 3)) == doctest::Approx(6.25));
}

TEST_CASE("beer_game uses s_prime when it is given instead of the desired stock and supply line") {
  PolicySpec s = spec("beer_game");
  s.theta = 0.5;
  s.alpha_s = 0.25;
  s.beta = 0.5;
  s.s_prime = 20;
  s.desired_inventory = 100;
  s.desired_supply_line = 100;
  s.initial_forecast = 4;
  auto policy = make_policy(s);
  CHECK(policy->describe() == "beer_game(theta=0.5, alpha_s=0.25, beta=0.5, S'=20)");
  // F = 0.5*4 + 0.5*4 = 4; 4 + 0.25 (20 - 10 - 0.5*4) = 6.
  CHECK(policy->order(view(10, 4, 0, 4, 0)) == doctest::Approx(6));
}

TEST_CASE("beer_game defaults to Sterman's estimated parameters") {
  PolicySpec s = spec("beer_game");
  s.desired_inventory = 10;
  s.desired_supply_line = 5;
  auto policy = make_policy(s);
  // theta 0.36, alpha_s 0.26, beta 0.34; S' = 10 + 0.34 * 5 = 11.7.
  CHECK(policy->describe() == "beer_game(theta=0.36, alpha_s=0.26, beta=0.34, S'=11.7)");
  // F = 0.36 * 8 + 0.64 * 0 = 2.88; 2.88 + 0.26 (11.7 - 3 - 0.34 * 6) = 4.6116.
  CHECK(policy->order(view(3, 6, 0, 8, 0)) == doctest::Approx(4.6116));
}

TEST_CASE("scripted orders its plan by review index and then follows after_plan") {
  const std::vector<double> plan = {5, 0, 7};
  struct Variant {
    const char* after;
    std::vector<double> expected;  // reviews 0..6
  };
  const Variant variants[] = {
      {"zero", {5, 0, 7, 0, 0, 0, 0}},
      {"repeat", {5, 0, 7, 5, 0, 7, 5}},
      {"hold_last", {5, 0, 7, 7, 7, 7, 7}},
  };
  for (const Variant& variant : variants) {
    CAPTURE(variant.after);
    PolicySpec s = spec("scripted");
    s.plan = plan;
    s.after_plan = parse_enum<AfterPlan>(variant.after).value();
    auto policy = make_policy(s);
    CHECK(policy->describe() == std::string("scripted(3 entries, then ") + variant.after + ")");
    for (std::int64_t k = 0; k < 7; ++k) {
      CAPTURE(k);
      PolicyView v = view(100, 0, 0, 50, k);
      v.period = 10 + 3 * k;  // the review index counts, not the period
      CHECK(policy->order(v) == variant.expected[static_cast<std::size_t>(k)]);
    }
  }
}

TEST_CASE("scripted with an empty plan orders nothing whatever after_plan says") {
  for (const char* after : {"zero", "repeat", "hold_last"}) {
    CAPTURE(after);
    PolicySpec s = spec("scripted");
    s.after_plan = parse_enum<AfterPlan>(after).value();
    auto policy = make_policy(s);
    for (std::int64_t k = 0; k < 3; ++k) CHECK(policy->order(view(0, 0, 10, 5, k)) == 0);
  }
}

TEST_CASE("none never orders") {
  auto policy = make_policy(spec("none"));
  CHECK(policy->describe() == "none");
  CHECK_FALSE(policy->needs_echelon_position());
  CHECK(policy->order(view(0, 0, 1000, 50, 0)) == 0);
  CHECK(policy->order(view(-5, 0, 0, 0, 1)) == 0);
}

TEST_CASE("set_parameter changes a named parameter and reports its old value") {
  SUBCASE("base_stock S") {
    PolicySpec s = spec("base_stock");
    s.S = 40;
    auto policy = make_policy(s);
    double old = -1;
    CHECK(policy->set_parameter("S", 55, &old));
    CHECK(old == 40);
    CHECK(policy->order(view(10, 0, 0)) == 45);
    CHECK(policy->describe() == "base_stock(S=55)");
  }
  SUBCASE("echelon_base_stock S") {
    PolicySpec s = spec("echelon_base_stock");
    s.S = 30;
    auto policy = make_policy(s);
    double old = -1;
    CHECK(policy->set_parameter("S", 20, &old));
    CHECK(old == 30);
    PolicyView v = view(0, 0, 0);
    v.echelon_position = 5;
    CHECK(policy->order(v) == 15);
  }
  SUBCASE("s_S s and S") {
    PolicySpec s = spec("s_S");
    s.s = 10;
    s.S = 50;
    auto policy = make_policy(s);
    double old = -1;
    CHECK(policy->set_parameter("s", 20, &old));
    CHECK(old == 10);
    CHECK(policy->set_parameter("S", 60, &old));
    CHECK(old == 50);
    CHECK(policy->order(view(20, 0, 0)) == 40);
    CHECK(policy->order(view(21, 0, 0)) == 0);
  }
  SUBCASE("r_Q r and Q") {
    PolicySpec s = spec("r_Q");
    s.r = 20;
    s.Q = 15;
    auto policy = make_policy(s);
    double old = -1;
    CHECK(policy->set_parameter("r", 30, &old));
    CHECK(old == 20);
    CHECK(policy->set_parameter("Q", 10, &old));
    CHECK(old == 15);
    CHECK(policy->order(view(25, 0, 0)) == 10);  // 25 + 10 = 35 > 30
    CHECK(policy->order(view(20, 0, 0)) == 20);  // 20 + 10 = 30 is not above 30
  }
  SUBCASE("forecast_order_up_to z, lead_time, alpha and sigma") {
    PolicySpec s = forecast_spec("exponential_smoothing", 4, 1, 0.0);
    s.alpha = 0.5;
    s.safety = SafetyStock::kConstant;
    s.sigma = 1;
    s.initial_forecast = 10;
    auto policy = make_policy(s);
    double old = -1;
    CHECK(policy->set_parameter("z", 2, &old));
    CHECK(old == 0);
    CHECK(policy->set_parameter("lead_time", 4, &old));
    CHECK(old == 1);
    CHECK(policy->set_parameter("alpha", 1, &old));
    CHECK(old == 0.5);
    CHECK(policy->set_parameter("sigma", 3, &old));
    CHECK(old == 1);
    // F = 12 (alpha 1), y = 4 * 12 + 2 * 3 * sqrt(4) = 60.
    CHECK(policy->order(view(0, 0, 0, 12, 0)) == doctest::Approx(60));
  }
  SUBCASE("beer_game theta, alpha_s, beta and s_prime") {
    PolicySpec s = spec("beer_game");
    s.s_prime = 16;
    auto policy = make_policy(s);
    double old = -1;
    CHECK(policy->set_parameter("theta", 1, &old));
    CHECK(old == 0.36);
    CHECK(policy->set_parameter("alpha_s", 0.5, &old));
    CHECK(old == 0.26);
    CHECK(policy->set_parameter("beta", 0, &old));
    CHECK(old == 0.34);
    CHECK(policy->set_parameter("s_prime", 20, &old));
    CHECK(old == 16);
    // F = 6 (theta 1); 6 + 0.5 (20 - 8 - 0 * 100) = 12.
    CHECK(policy->order(view(8, 100, 0, 6, 0)) == doctest::Approx(12));
  }
  SUBCASE("a null old pointer is allowed") {
    PolicySpec s = spec("base_stock");
    s.S = 40;
    auto policy = make_policy(s);
    CHECK(policy->set_parameter("S", 41, nullptr));
    CHECK(policy->order(view(0, 0, 0)) == 41);
  }
}

TEST_CASE("set_parameter returns false for a name the policy does not have and changes nothing") {
  struct Case {
    const char* type;
    const char* name;
  };
  const Case cases[] = {
      {"base_stock", "s"},
      {"base_stock", "Q"},
      {"R_S", "r"},
      {"echelon_base_stock", "z"},
      {"s_S", "Q"},
      {"s_S", "r"},
      {"r_Q", "S"},
      {"r_Q", "s"},
      {"forecast_order_up_to", "p"},
      {"forecast_order_up_to", "S"},
      {"beer_game", "S"},
      {"beer_game", "alpha"},
      {"scripted", "S"},
      {"scripted", "plan"},
      {"none", "S"},
      {"base_stock", ""},
      {"base_stock", "s "},
  };
  for (const Case& c : cases) {
    CAPTURE(c.type);
    CAPTURE(c.name);
    PolicySpec s = spec(c.type);
    s.S = 40;
    s.s = 10;
    s.Q = 5;
    s.plan = {3};
    auto policy = make_policy(s);
    const std::string before = policy->describe();
    double old = -123;
    CHECK_FALSE(policy->set_parameter(c.name, 77, &old));
    CHECK(old == -123);
    CHECK(policy->describe() == before);
  }
}

TEST_CASE("make_policy builds every policy of the table, and no other name is a policy") {
  const std::vector<std::string_view> expected = {
      "base_stock",         "s_S",      "r_Q",           "R_S", "forecast_order_up_to", "beer_game",
      "echelon_base_stock", "scripted", "make_to_order", "none"};
  CHECK(std::vector<std::string_view>(enum_names<PolicyType>().begin(), enum_names<PolicyType>().end()) == expected);
  for (const std::string_view type : enum_names<PolicyType>()) {
    CAPTURE(type);
    PolicySpec s = spec(std::string(type));
    s.S = 10;  // s_S needs s < S; r_Q needs Q > 0
    s.Q = 1;
    CHECK(make_policy(s) != nullptr);
    CHECK(!policy_behaviour(s.type).rule.empty());
  }
  CHECK(!parse_enum<PolicyType>("kanban").has_value());
  CHECK(!parse_enum<PolicyType>("").has_value());
}

TEST_CASE("make_policy reports every problem of a policy, not only the first") {
  PolicySpec s = spec("r_Q");
  s.review_period = 0;
  s.r = std::numeric_limits<double>::infinity();
  s.Q = 0;
  CHECK(check_policy(s) ==
        std::vector<std::string>{"review_period must be >= 1 (got 0)", "r must be finite", "r_Q needs Q > 0 (got 0)"});
  CHECK_THROWS_WITH_AS(make_policy(s), "review_period must be >= 1 (got 0); r must be finite; r_Q needs Q > 0 (got 0)",
                       std::invalid_argument);
}

TEST_CASE("make_policy rejects impossible review and order adjustments with the parameter named") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  PolicySpec s = spec("base_stock");
  SUBCASE("review_period") {
    s.review_period = 0;
    CHECK_THROWS_WITH_AS(make_policy(s), "review_period must be >= 1 (got 0)",
                         std::invalid_argument);
  }
  SUBCASE("review_offset at R") {
    s.review_period = 3;
    s.review_offset = 3;
    CHECK_THROWS_WITH_AS(make_policy(s), "review_offset must be in [0, review_period) (got 3)",
                         std::invalid_argument);
  }
  SUBCASE("negative review_offset") {
    s.review_offset = -1;
    CHECK_THROWS_WITH_AS(make_policy(s), "review_offset must be in [0, review_period) (got -1)",
                         std::invalid_argument);
  }
  SUBCASE("lot_size") {
    s.lot_size = -1;
    CHECK_THROWS_WITH_AS(make_policy(s), "lot_size must be >= 0 (got -1)", std::invalid_argument);
    s.lot_size = inf;
    CHECK_THROWS_WITH_AS(make_policy(s), "lot_size must be >= 0 (got inf)", std::invalid_argument);
  }
  SUBCASE("min_order") {
    s.min_order = -2.5;
    CHECK_THROWS_WITH_AS(make_policy(s), "min_order must be >= 0 (got -2.5)",
                         std::invalid_argument);
    s.min_order = nan;
    CHECK_THROWS_WITH_AS(make_policy(s), "min_order must be >= 0 (got nan)", std::invalid_argument);
  }
  SUBCASE("max_order") {
    s.max_order = -1;
    CHECK_THROWS_WITH_AS(make_policy(s), "max_order must be >= 0 (got -1)", std::invalid_argument);
    s.max_order = nan;
    CHECK_THROWS_WITH_AS(make_policy(s), "max_order must be >= 0 (got nan)", std::invalid_argument);
  }
  SUBCASE("the boundaries are accepted") {
    s.review = ReviewMode::kContinuous;
    s.review_period = 1;
    s.review_offset = 0;
    s.lot_size = 0;
    s.min_order = 0;
    s.max_order = inf;
    CHECK_NOTHROW(make_policy(s));
    s.review = ReviewMode::kPeriodic;
    s.review_period = 5;
    s.review_offset = 4;
    s.max_order = 0;
    CHECK_NOTHROW(make_policy(s));
  }
}

TEST_CASE("make_policy rejects impossible policy parameters with the parameter named") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  SUBCASE("order-up-to levels must be finite") {
    for (const char* type : {"base_stock", "R_S", "echelon_base_stock"}) {
      CAPTURE(type);
      PolicySpec s = spec(type);
      s.S = inf;
      CHECK_THROWS_WITH_AS(make_policy(s), "S must be finite", std::invalid_argument);
      s.S = nan;
      CHECK_THROWS_WITH_AS(make_policy(s), "S must be finite", std::invalid_argument);
    }
  }
  SUBCASE("s_S") {
    PolicySpec s = spec("s_S");
    s.s = nan;
    s.S = 10;
    CHECK_THROWS_WITH_AS(make_policy(s), "s and S must be finite", std::invalid_argument);
    s.s = 0;
    s.S = inf;
    CHECK_THROWS_WITH_AS(make_policy(s), "s and S must be finite", std::invalid_argument);
    s.s = 10;
    s.S = 10;
    CHECK_THROWS_WITH_AS(make_policy(s), "s_S needs s < S (got s=10, S=10)", std::invalid_argument);
    s.s = 12.5;
    CHECK_THROWS_WITH_AS(make_policy(s), "s_S needs s < S (got s=12.5, S=10)",
                         std::invalid_argument);
  }
  SUBCASE("r_Q") {
    PolicySpec s = spec("r_Q");
    s.r = -inf;
    s.Q = 5;
    CHECK_THROWS_WITH_AS(make_policy(s), "r must be finite", std::invalid_argument);
    s.r = -3;  // a negative reorder point is a legitimate backorder target
    s.Q = 0;
    CHECK_THROWS_WITH_AS(make_policy(s), "r_Q needs Q > 0 (got 0)", std::invalid_argument);
    s.Q = -5;
    CHECK_THROWS_WITH_AS(make_policy(s), "r_Q needs Q > 0 (got -5)", std::invalid_argument);
    s.Q = inf;
    CHECK_THROWS_WITH_AS(make_policy(s), "r_Q needs Q > 0 (got inf)", std::invalid_argument);
    s.Q = 5;
    CHECK_NOTHROW(make_policy(s));
  }
  SUBCASE("forecast_order_up_to") {
    PolicySpec s = forecast_spec("moving_average", 4, 1, 0);
    CHECK_NOTHROW(make_policy(s));
    PolicySpec bad = s;
    bad.p = 0;
    CHECK_THROWS_WITH_AS(make_policy(bad), "p must be >= 1 (got 0)", std::invalid_argument);
    bad = s;
    bad.alpha = 0;
    CHECK_THROWS_WITH_AS(make_policy(bad), "alpha must be in (0, 1] (got 0)",
                         std::invalid_argument);
    bad.alpha = 1.5;
    CHECK_THROWS_WITH_AS(make_policy(bad), "alpha must be in (0, 1] (got 1.5)",
                         std::invalid_argument);
    bad = s;
    bad.lead_time = -1;
    CHECK_THROWS_WITH_AS(make_policy(bad), "lead_time must be >= 0 (got -1)",
                         std::invalid_argument);
    bad.lead_time = inf;
    CHECK_THROWS_WITH_AS(make_policy(bad), "lead_time must be >= 0 (got inf)",
                         std::invalid_argument);
    bad = s;
    bad.z = nan;
    CHECK_THROWS_WITH_AS(make_policy(bad), "z must be finite", std::invalid_argument);
    bad = s;
    bad.sigma = -1;
    CHECK_THROWS_WITH_AS(make_policy(bad), "sigma must be >= 0 (got -1)", std::invalid_argument);
    // Boundaries: p 1, alpha 1, lead time 0, negative z.
    PolicySpec edge = forecast_spec("exponential_smoothing", 1, 0, -1);
    edge.alpha = 1;
    CHECK_NOTHROW(make_policy(edge));
  }
  SUBCASE("beer_game") {
    PolicySpec s = spec("beer_game");
    PolicySpec bad = s;
    bad.theta = 1.5;
    CHECK_THROWS_WITH_AS(make_policy(bad), "theta, alpha_s and beta must be in [0, 1] (got 1.5)",
                         std::invalid_argument);
    bad = s;
    bad.alpha_s = -0.1;
    CHECK_THROWS_WITH_AS(make_policy(bad), "theta, alpha_s and beta must be in [0, 1] (got -0.1)",
                         std::invalid_argument);
    bad = s;
    bad.beta = nan;
    CHECK_THROWS_WITH_AS(make_policy(bad), "theta, alpha_s and beta must be in [0, 1] (got nan)",
                         std::invalid_argument);
    PolicySpec edge = s;
    edge.theta = 0;
    edge.alpha_s = 1;
    edge.beta = 1;
    CHECK_NOTHROW(make_policy(edge));
  }
  SUBCASE("scripted") {
    PolicySpec s = spec("scripted");
    s.plan = {1, -2, 3};
    CHECK_THROWS_WITH_AS(make_policy(s), "plan entries must be >= 0 (got -2)",
                         std::invalid_argument);
    s.plan = {1, inf};
    CHECK_THROWS_WITH_AS(make_policy(s), "plan entries must be >= 0 (got inf)",
                         std::invalid_argument);
    s.plan = {0, 0.5};
    CHECK_NOTHROW(make_policy(s));
  }
}

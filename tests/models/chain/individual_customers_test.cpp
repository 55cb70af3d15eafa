// Customer segments in individual mode (models/chain/customers_individual.cpp):
// each order's end goes back to its own customer, a line's customers are met
// in turn, the draws are addressed by customer and period, the loyalty
// programme, and the checks of the keys only individual mode reads.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <set>

#include "models/chain/customers.h"
#include "models/chain/spec_checks.h"
#include "tests/models/chain_helpers.h"

using namespace chainsim::models;
using namespace chainsim::models::testing;

namespace {

// A store holding `initial` of an item (price 5, cost 2) that never orders
// more, and one individual-mode segment of `size` customers buying unit
// orders at `rate`, lost when unmet.
ScenarioSpec store(double initial, double size, double rate, int horizon) {
  ScenarioSpec s;
  s.horizon = horizon;
  s.products = {product("item", 2.0, 5.0)};
  s.nodes = {node("supplier", NodeKind::kSupplier),
             node("store", NodeKind::kRetailer, {stock("item", initial, no_orders(), {from("supplier")})})};
  s.lanes = {lane("supplier", "store", 1)};
  SegmentSpec g;
  g.id = "people";
  g.size = size;
  g.orders.rate = rate;
  g.channels = {{"store", "", std::nullopt}};
  g.unmet = CustomerUnmet::kLost;
  g.mode = CustomerMode::kIndividual;
  s.customers = {g};
  return s;
}

// A run that keeps the deliveries to each customer.
struct LoggedRun {
  Run run;
  std::vector<CustomerTransaction> deliveries;
  const Individuals& people() const { return *run.net->segments()[0].people; }
};

LoggedRun logged(const ScenarioSpec& spec, std::uint64_t seed = 1) {
  LoggedRun r;
  r.run.net = build_network(spec, seed, 0);
  r.run.net->keep_transactions();
  r.run.net->add_sink(&r.run.rec);
  r.run.net->run();
  r.run.net->audit();
  r.deliveries = r.run.net->take_transactions();
  return r;
}

const SegmentPeriod& period(const Run& r, std::int64_t k) { return r.rec.segments.at(static_cast<std::size_t>(k)); }

// check_spec's issues, a line each.
std::string messages(const ScenarioSpec& spec) {
  std::string out;
  for (const SpecIssue& i : check_spec(spec)) out += i.path + ": " + i.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("individual mode: the orders of period k are each customer's draw at (k, i, 1), as documented") {
  // No stock: every order is lost, and with q = 1 each customer who ordered
  // in period 0 (once or more) is churned at boundary 1: the churned are the
  // customers, not the orders.
  ScenarioSpec s = store(0, 2000, 1.0, 2);
  s.customers[0].churn.q = 1.0;
  const LoggedRun r = logged(s, 7);
  const chainsim::sim::CounterDraws draws(7, 0, "segment/people/customers");
  double ordered = 0, orders = 0;
  for (std::uint64_t i = 0; i < 2000; ++i) {
    const double u = draws.at(0, i, 1)[1];  // channel 0's count
    const double n = chainsim::sim::poisson_quantile(u, 1.0);
    orders += n;
    ordered += n > 0 ? 1 : 0;
    CHECK((r.people().state[i] == CustomerState::kChurned) == (n > 0));
  }
  CHECK(period(r.run, 0).orders == orders);
  CHECK(period(r.run, 0).lost_stockout == orders);
  CHECK(period(r.run, 1).churned_service == ordered);
  CHECK(ordered < orders);  // some ordered twice, and left once
  CHECK(period(r.run, 1).active == 2000 - ordered);
  CHECK(r.deliveries.empty());
}

TEST_CASE("individual mode: a line's customers are met in turn, and each delivery is logged to its customer") {
  // 30 units for about 100 unit orders in period 0: the first 30 orders (in
  // customer order) are met, the rest lost.
  ScenarioSpec s = store(30, 100, 1.0, 1);
  const LoggedRun r = logged(s);
  REQUIRE(r.deliveries.size() == 30);
  double units = 0, value = 0;
  std::uint32_t previous = 0;
  for (const CustomerTransaction& t : r.deliveries) {
    CHECK(t.time == 0);
    CHECK(t.units == 1);
    CHECK(t.value == 5);
    CHECK(t.customer >= previous);
    previous = t.customer;
    units += t.units;
    value += t.value;
  }
  CHECK(units == period(r.run, 0).met_at_once);
  CHECK(value == period(r.run, 0).revenue);
  CHECK(period(r.run, 0).lost_stockout == period(r.run, 0).orders - 30);
  // A customer's purchases are its orders met.
  std::map<std::uint32_t, std::uint32_t> bought;
  for (const CustomerTransaction& t : r.deliveries) ++bought[t.customer];
  for (std::uint32_t i = 0; i < 100; ++i) CHECK(r.people().purchases[i] == bought[i]);
}

TEST_CASE("individual mode: a backordered order ends late, once, with its wait, and its customer's risk") {
  // 10 on hand, backorders, 5 units arrive at t = 1 (ordered at once):
  // orders beyond the first 10 wait one period.
  ScenarioSpec s = store(10, 40, 0.5, 3);
  s.nodes[1].stocks[0].policy = base_stock(10);
  s.customers[0].unmet = CustomerUnmet::kBackorder;
  s.customers[0].churn.q = 1.0;
  const LoggedRun r = logged(s, 3);
  const SegmentPeriod& p0 = period(r.run, 0);
  REQUIRE(p0.orders > 12);
  CHECK(p0.met_at_once == 10);
  CHECK(period(r.run, 1).met_late == p0.orders - 10);  // all met when the order arrives at t = 1
  // The line's orders are in customer order: the first 10 met at once, the
  // rest late. Each customer with a late order (and only they: no other
  // churn) is churned at boundary 2, since q = 1.
  std::uint32_t last_at_once = 0;
  for (const CustomerTransaction& t : r.deliveries) {
    if (t.time == 0) last_at_once = std::max(last_at_once, t.customer);
  }
  double churned = 0;
  for (std::uint32_t i = 0; i < 40; ++i) {
    CAPTURE(i);
    if (i < last_at_once) CHECK(r.people().state[i] == CustomerState::kActive);
    if (r.people().state[i] == CustomerState::kChurned) {
      ++churned;
      CHECK(i >= last_at_once);
    }
  }
  CHECK(churned >= 1);
  CHECK(churned <= p0.orders - 10);
  CHECK(period(r.run, 2).churned_service == churned);
}

TEST_CASE("individual mode: loyalty members pay less from the purchase after the k-th and are counted") {
  ScenarioSpec s = store(1e6, 200, 0.5, 30);
  LoyaltySpec& l = s.customers[0].loyalty;
  l.after_purchases = 2;
  l.discount = 0.2;
  l.cost_per_member = 0.1;
  const LoggedRun r = logged(s);
  std::map<std::uint32_t, int> count;
  for (const CustomerTransaction& t : r.deliveries) {
    const int n = ++count[t.customer];
    CHECK(t.value == doctest::Approx(n <= 2 ? 5.0 : 4.0));
  }
  double members = 0;
  for (const auto& [customer, n] : count) members += n >= 2 ? 1 : 0;
  CHECK(r.people().members == members);
  CHECK(period(r.run, 29).members == members);
  // The cost of the members of each period, booked at its start.
  CHECK(period(r.run, 29).cost_to_serve == doctest::Approx(0.1 * period(r.run, 28).members));
}

TEST_CASE("individual mode: a member's churn probabilities are times the churn factor") {
  // Intrinsic churn 0.2 a period; members (after 1 purchase) leave at 0 (factor 0).
  ScenarioSpec s = store(1e6, 500, 1.0, 20);
  s.customers[0].churn.intrinsic = 0.2;
  s.customers[0].loyalty = {1, 0.0, 0.0, 0.0};
  const LoggedRun r = logged(s);
  for (std::uint32_t i = 0; i < 500; ++i) {
    CAPTURE(i);
    if (r.people().state[i] == CustomerState::kGone) CHECK(r.people().purchases[i] == 0);
    if (r.people().purchases[i] > 0) CHECK(r.people().state[i] == CustomerState::kActive);
  }
  CHECK(r.people().members > 400);  // rate 1: nearly everyone buys in period 0
}

TEST_CASE("individual mode: heterogeneity draws each customer's rate from the Gamma and dropout from the Beta") {
  ScenarioSpec s = store(1e6, 20000, 0.5, 1);
  s.customers[0].heterogeneity = {2.0, 2.0, 8.0};
  const LoggedRun r = logged(s);
  const Individuals& p = r.people();
  double sum = 0, sum2 = 0, drop = 0;
  for (std::size_t i = 0; i < p.rate.size(); ++i) {
    sum += p.rate[i];
    sum2 += double{p.rate[i]} * p.rate[i];
    drop += p.dropout[i];
  }
  const double n = 20000, mean = sum / n, var = sum2 / n - mean * mean;
  // Gamma(2, mean 0.5): variance 0.125; Beta(2, 8): mean 0.2, variance 0.01455.
  // Four standard errors (the variance's: sd of X^2 is about 0.38 here).
  CHECK(std::abs(mean - 0.5) < 4 * std::sqrt(0.125 / n));
  CHECK(std::abs(var - 0.125) < 4 * 0.38 / std::sqrt(n));
  CHECK(std::abs(drop / n - 0.2) < 4 * std::sqrt(0.01455 / n));
}

TEST_CASE("individual mode: a customer that drops out after an order places no more and is gone") {
  ScenarioSpec s = store(1e6, 3000, 1.0, 10);
  s.customers[0].heterogeneity = {0.0, 1.0, 1.0};  // p ~ uniform: many leave soon
  const LoggedRun r = logged(s);
  const Individuals& p = r.people();
  std::map<std::uint32_t, double> last;
  for (const CustomerTransaction& t : r.deliveries) last[t.customer] = t.time;
  double gone = 0, intrinsic = 0;
  for (std::uint32_t i = 0; i < 3000; ++i) {
    if (p.state[i] == CustomerState::kGone) {
      ++gone;
      REQUIRE(last.count(i));  // it left after an order
    }
  }
  for (const SegmentPeriod& g : r.run.rec.segments) intrinsic += g.churned_intrinsic;
  CHECK(gone == intrinsic);
  CHECK(gone > 1000);
  // Gone at the boundary after its last order: no order after that period.
  for (std::uint32_t i = 0; i < 3000; ++i) {
    if (p.state[i] != CustomerState::kGone) continue;
    for (const CustomerTransaction& t : r.deliveries) {
      if (t.customer == i) CHECK(t.time <= last[i]);
    }
  }
}

TEST_CASE("individual mode: win-back returns churned customers and the audit counts each state") {
  ScenarioSpec s = store(20, 300, 0.3, 60);
  s.nodes[1].stocks[0].policy = base_stock(60);
  s.customers[0].churn.q = 0.5;
  s.customers[0].churn.intrinsic = 0.01;
  s.customers[0].win_back = 0.1;
  s.customers[0].acquisition.per_period = 2;
  const LoggedRun r = logged(s);
  double won = 0, acquired = 0;
  for (const SegmentPeriod& g : r.run.rec.segments) {
    won += g.won_back;
    acquired += g.acquired;
  }
  CHECK(won > 0);
  CHECK(r.people().state.size() == 300 + acquired);
  CHECK(audit_segment(r.run.net->segments()[0]).empty());
}

TEST_CASE("the keys of individual mode are refused in population mode and checked in individual mode") {
  ScenarioSpec s = store(10, 10, 1.0, 2);
  CHECK(messages(s).empty());
  ScenarioSpec pop = s;
  pop.customers[0].mode = CustomerMode::kPopulation;
  pop.customers[0].heterogeneity.rate_shape = 2;
  pop.customers[0].loyalty.after_purchases = 3;
  CHECK(messages(pop) ==
        "customers.0.heterogeneity: needs mode: individual (a population segment's customers are all alike)\n"
        "customers.0.loyalty: needs mode: individual (a population segment does not know who bought what)\n");
  // A value out of range is reported even in population mode (not ignored).
  pop.customers[0].loyalty.after_purchases = 0;
  pop.customers[0].heterogeneity.rate_shape = -1;
  const std::string negative = messages(pop);
  CAPTURE(negative);
  CHECK(negative.find("customers.0.heterogeneity.rate_shape: ") != std::string::npos);
  CHECK(negative.find("customers.0.heterogeneity: needs mode: individual") != std::string::npos);
  ScenarioSpec bad = s;
  bad.customers[0].heterogeneity.dropout_a = 1;
  bad.customers[0].loyalty.discount = 0.1;
  bad.customers[0].size = 2e8;
  CHECK(messages(bad) ==
        "customers.0.size: must be at most 1e8 in individual mode, one record per customer (got 200000000)\n"
        "customers.0.heterogeneity: dropout_a and dropout_b go together: give both above 0, or neither\n"
        "customers.0.loyalty.after_purchases: must be given, a whole number of purchases of at least 1, for a "
        "programme\n");
  bad = s;
  bad.customers[0].loyalty.after_purchases = 2.5;
  CHECK(messages(bad) ==
        "customers.0.loyalty.after_purchases: must be a whole number of purchases in [1, 1e9] (got 2.5)\n");
}

// --- the campaign what-if action ---------------------------------------------

namespace {

EventSpec campaign_at(double at, double p, double cost) {
  EventSpec e;
  e.id = "call";
  e.at = at;
  e.action = ActionKind::kCampaign;
  e.segment = "people";
  e.value = p;
  e.cost = cost;
  return e;
}

}  // namespace

TEST_CASE("a campaign contacts every churned customer at its cost and brings each back with its probability") {
  for (const CustomerMode mode : {CustomerMode::kPopulation, CustomerMode::kIndividual}) {
    CAPTURE(static_cast<int>(mode));
    // No stock for 5 periods: with q = 1 those who order leave; then a
    // campaign at t = 6 brings them all back (p = 1) at $2 each.
    ScenarioSpec s = store(0, 500, 0.2, 7);  // the run ends with period 6: no churn after the campaign
    s.customers[0].mode = mode;
    s.customers[0].churn.q = 1.0;
    s.events = {campaign_at(6, 1.0, 2.0)};
    const LoggedRun r = logged(s);
    const SegmentPeriod& before = period(r.run, 5);
    const SegmentPeriod& at = period(r.run, 6);
    REQUIRE(before.churned_pool > 50);
    // Period 6's own churn comes first (the boundary), then the campaign.
    const double pool = before.churned_pool + at.churned_service;
    CHECK(at.churned_pool == 0);
    CHECK(at.won_back == pool);
    CHECK(at.active == before.active - at.churned_service + pool);
    CHECK(at.acquisition_cost == doctest::Approx(2.0 * pool));
    CHECK(r.run.cost("store", CostKind::kCustomers, 6) == doctest::Approx(2.0 * pool));
    if (mode == CustomerMode::kIndividual) {
      for (const CustomerState st : r.people().state) CHECK(st != CustomerState::kChurned);
    }
  }
}

TEST_CASE("a campaign's returns are a binomial draw in population mode and one draw per customer in individual mode") {
  for (const CustomerMode mode : {CustomerMode::kPopulation, CustomerMode::kIndividual}) {
    CAPTURE(static_cast<int>(mode));
    ScenarioSpec s = store(0, 4000, 0.5, 4);
    s.customers[0].mode = mode;
    s.customers[0].churn.q = 1.0;
    s.events = {campaign_at(3, 0.3, 0.0)};
    const LoggedRun r = logged(s);
    const SegmentPeriod& at = period(r.run, 3);
    const double pool = period(r.run, 2).churned_pool + at.churned_service;
    REQUIRE(pool > 1000);
    // Within four standard deviations of 0.3 of the pool.
    CHECK(std::abs(at.won_back - 0.3 * pool) < 4 * std::sqrt(pool * 0.3 * 0.7));
    CHECK(at.churned_pool == pool - at.won_back);
  }
}

TEST_CASE("a campaign with a probability trigger fires again and again, since nothing holds") {
  ScenarioSpec s = store(0, 1000, 0.3, 40);
  s.customers[0].churn.q = 1.0;
  EventSpec e = campaign_at(0, 0.1, 1.0);
  e.at.reset();
  e.probability = 0.5;
  s.events = {e};
  const LoggedRun r = logged(s);
  int fired = 0;
  for (std::int64_t k = 1; k < 40; ++k) fired += period(r.run, k).acquisition_cost > 0 ? 1 : 0;
  CHECK(fired > 10);
}

TEST_CASE("a campaign needs a segment that exists and a probability, and no other action takes them") {
  ScenarioSpec s = store(10, 10, 1.0, 2);
  s.events = {campaign_at(1, 0.5, 1.0)};
  CHECK(messages(s).empty());
  s.events[0].segment = "ghosts";
  s.events[0].value = 1.5;
  CHECK(messages(s) == "events.0.segment: no customer segment with id 'ghosts'\n"
                       "events.0.value: campaign: must be a probability in [0, 1] (got 1.5)\n");
  s.events[0].segment = "";
  s.events[0].value = 0.5;
  CHECK(messages(s) == "events.0.segment: campaign needs a segment\n");
  s.events[0].action = ActionKind::kNodeDown;
  s.events[0].node = "store";
  s.events[0].segment = "people";
  CHECK(messages(s) == "events.0.segment: action node_down does not take a segment (campaign does)\n"
                       "events.0.cost: action node_down does not take a cost (campaign does)\n");
}

// --- customer state shared up the chain ----------------------------------------

namespace {

// A moving-average order-up-to store (L = 2, no safety stock) under a
// supplier, 400 customers ordering at 0.1 a period, never leaving.
ScenarioSpec forecasting_store(CustomerMode mode, bool share) {
  ScenarioSpec s = store(100, 400, 0.1, 60);
  PolicySpec p;
  p.type = PolicyType::kForecastOrderUpTo;
  p.forecast = ForecastMethod::kMovingAverage;
  p.p = 4;
  p.lead_time = 2;
  p.z = 0;
  p.initial_forecast = 40;
  s.nodes[1].stocks[0].policy = p;
  s.customers[0].mode = mode;
  s.customers[0].unmet = CustomerUnmet::kBackorder;
  s.sharing.customers = share;
  return s;
}

}  // namespace

TEST_CASE("with the customers' state shared, a forecasting stock forecasts rate x active, so it orders what was sold") {
  for (const CustomerMode mode : {CustomerMode::kPopulation, CustomerMode::kIndividual}) {
    CAPTURE(static_cast<int>(mode));
    const Run shared = run(forecasting_store(mode, true));
    const Run own = run(forecasting_store(mode, false));
    // The forecast is the constant 400 x 0.1 = 40 a period: the level is 80,
    // and each review orders back what the period sold, exactly.
    int differ = 0;
    for (std::int64_t k = 1; k < 60; ++k) {
      CAPTURE(k);
      CHECK(shared.at("store", "item", k).ordered == shared.at("store", "item", k).demand);
      differ += own.at("store", "item", k).ordered != own.at("store", "item", k).demand ? 1 : 0;
    }
    CHECK(differ > 30);  // forecasting from its own sales, it does not
  }
}

TEST_CASE("the customers' expected demand sums every channel below a stock, at its share and multiplier") {
  ScenarioSpec s = forecasting_store(CustomerMode::kPopulation, true);
  s.customers[0].orders.size = chainsim::sim::Distribution::constant(2.0);
  s.customers[0].acquisition.per_period = 5;  // the base grows: the forecast follows it
  const Run r = run(s);
  const Segment& g = r.net->segments()[0];
  CHECK(g.order_rate == doctest::Approx(0.1 * g.active));
  // Each review orders up to L x (rate x active x size), active counted at
  // the period's start (after its transitions), and nothing moves the
  // position after the review within a period.
  int checked = 0;
  for (std::int64_t k = 1; k < 60; ++k) {
    CAPTURE(k);
    const StockPeriod& sp = r.at("store", "item", k);
    if (!(sp.ordered > 0)) continue;
    CHECK(sp.position == doctest::Approx(2 * 0.1 * period(r, k).active * 2.0));
    ++checked;
  }
  CHECK(checked > 50);
}

TEST_CASE("sharing customer state needs customer segments") {
  ScenarioSpec s = store(10, 10, 1.0, 2);
  s.customers.clear();
  s.sharing.customers = true;
  const std::vector<SpecIssue> issues = check_spec(s);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "sharing.customers");
  CHECK(issues[0].message == "there is no customer state to share: the scenario has no customer segments");
}

TEST_CASE("acquisition cannot grow an individual-mode segment past its record limit: a clear error, not a crash") {
  Segment s;
  s.name = "crowd";
  s.period_index = 7;
  s.people = std::make_unique<Individuals>();
  s.people->max_records = 10;
  add_individuals(s, 10);
  CHECK(s.people->state.size() == 10);
  CHECK_THROWS_WITH_AS(add_individuals(s, 1),
                       "segment crowd: individual mode keeps at most 10 customer records, and acquisition in period 7 "
                       "would bring it to 11; use population mode for this many",
                       ModelError);
  CHECK(s.people->state.size() == 10);
  CHECK(Individuals{}.max_records == 1e8);  // what the spec check allows at the start
}

TEST_CASE("a campaign on a when trigger runs once each time its condition comes to hold, not every period") {
  // No stock ever: the store's backlog grows every period, so backlog above
  // 0 holds from the first boundary on; the campaign (p = 0: nobody comes
  // back, $1 a contact) runs once, at boundary 1, though the condition holds
  // at every one after.
  ScenarioSpec s = store(0, 500, 0.2, 8);
  s.customers[0].churn.q = 1.0;
  EventSpec e = campaign_at(0, 0.0, 1.0);
  e.at.reset();
  WhenSpec w;
  w.measure = WhenMeasure::kBacklog;
  w.node = "store";
  w.above = -1;
  e.when = w;
  s.events = {e};
  REQUIRE(check_spec(s).empty());
  const LoggedRun r = logged(s);
  int campaigns = 0;
  for (int k = 0; k < 8; ++k) campaigns += r.run.cost("store", CostKind::kCustomers, k) > 0 ? 1 : 0;
  CHECK(campaigns <= 1);
  CHECK(r.run.net->segments()[0].campaigns == 1);
}

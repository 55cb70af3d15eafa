// The `Expect:` lines of the customer teaching scenarios, checked: each
// claim a scenario's header makes is a comparison here, under common random
// numbers with the scenario's own seed and replications, and a difference
// is claimed only where its paired 95% interval excludes zero.
#include <doctest/doctest.h>

#include <boost/math/distributions/poisson.hpp>
#include <string>

#include "tests/scenarios/expect_helpers.h"

using namespace chainsim::models;
using namespace chainsim::models::testing;

TEST_CASE("stockout_costs_a_customer: the profit-optimal base stock sits above the newsvendor's") {
  const ScenarioSpec s = scenario("stockout_costs_a_customer");
  // The newsvendor: margin 2 against holding 0.5, critical ratio 0.8 over the
  // 2 days an order covers (Poisson(20)): the smallest S with P(D <= S) >= 0.8.
  const double margin = s.products[0].price - s.products[0].unit_cost;
  const double h = s.nodes[1].holding_cost;
  const boost::math::poisson_distribution<double> d(2 * 10.0);
  int newsvendor = 0;
  while (boost::math::cdf(d, newsvendor) < margin / (margin + h)) ++newsvendor;
  CHECK(newsvendor == 24);
  const Comparison c = compare(scenario("stockout_costs_a_customer", {"nodes.store.policy.S=24"}),
                               scenario("stockout_costs_a_customer", {"nodes.store.policy.S=28"}));
  const KpiComparison& profit = kpi(c, "node.store.profit");
  CAPTURE(profit.difference.mean);
  CAPTURE(profit.difference.half_width);
  CHECK(profit.difference.mean - profit.difference.half_width > 0);  // more profit at 28 than at 24
  CHECK(kpi(c, "segment.regulars.active_end").difference.mean > 5);    // and more customers kept
}

TEST_CASE("treat_customers_differently: priority keeps the valuable segment that proportional allocation loses") {
  const ScenarioSpec s = scenario("treat_customers_differently");
  const Comparison c = compare(s, scenario("treat_customers_differently", {"nodes.store.allocation=priority"}));
  // Proportional: equal fill rates, unequal losses.
  const double fill_c = kpi(c, "segment.contractors.fill_rate").baseline.mean;
  const double fill_w = kpi(c, "segment.walk_ins.fill_rate").baseline.mean;
  CHECK(std::abs(fill_c - fill_w) < 0.01);
  const double per_customer_c = kpi(c, "segment.contractors.churned_service").baseline.mean / 40;
  const double per_customer_w = kpi(c, "segment.walk_ins.churned_service").baseline.mean / 120;
  CHECK(per_customer_c > 5 * per_customer_w);
  // Priority: the contractors' fill rate, their numbers and the profit rise.
  for (const char* column : {"segment.contractors.fill_rate", "segment.contractors.active_end", "node.store.profit"}) {
    CAPTURE(column);
    const KpiComparison& k = kpi(c, column);
    CHECK(k.difference.mean - k.difference.half_width > 0);
  }
  const KpiComparison& walk_ins = kpi(c, "segment.walk_ins.fill_rate");
  CHECK(walk_ins.difference.mean + walk_ins.difference.half_width < 0);
}

TEST_CASE("outage_long_shadow: customers lost in the outage stay lost for months, unless won back") {
  const ScenarioSpec s = scenario("outage_long_shadow");
  // The base through the outage (days 120-141) and a year later, mean over
  // the replications, against the same run without the outage.
  auto active = [&](const ScenarioSpec& spec, std::int64_t day) {
    double sum = 0;
    for (int r = 0; r < spec.replications; ++r) {
      for (const SegmentPeriod& g : run_replication(spec, spec.seed, r).segments) {
        if (g.period == day) sum += g.active;
      }
    }
    return sum / spec.replications;
  };
  const double before = active(s, 119), after = active(s, 141), year = active(s, 506);
  CAPTURE(before);
  CAPTURE(after);
  CAPTURE(year);
  CHECK(before - after > 50);  // a fifth of the base gone in three weeks
  // Recovery at the pace of acquisition against churn: exp(-365 / 400) of the gap left.
  CHECK(before - year > 0.25 * (before - after));
  CHECK(before - year < 0.6 * (before - after));
  const Comparison c = compare(s, scenario("outage_long_shadow", {"customers.regulars.win_back=0.01"}));
  for (const char* column : {"segment.regulars.active_end", "segment.regulars.won_back", "network.profit"}) {
    CAPTURE(column);
    const KpiComparison& k = kpi(c, column);
    CHECK(k.difference.mean - k.difference.half_width > 0);
  }
}

TEST_CASE("loyalty_programme: a programme pays at 2% off and loses at 10%, keeping the same customers") {
  const ScenarioSpec base = scenario("loyalty_programme");
  const Comparison cheap = compare(base, scenario("loyalty_programme_members"));
  const Comparison dear =
      compare(base, scenario("loyalty_programme_members", {"customers.buyers.loyalty.discount=0.1"}));
  const KpiComparison& kept = kpi(cheap, "segment.buyers.active_end");
  CAPTURE(kept.baseline.mean);
  CHECK(kept.baseline.mean > 6300);  // about 6,700 still active without a programme
  CHECK(kept.baseline.mean < 7100);
  CHECK(kept.difference.mean > 600);  // about 730 more with it
  CHECK(kept.difference.mean < 850);
  const KpiComparison& gain = kpi(cheap, "network.profit");
  CAPTURE(gain.difference.mean);
  CHECK(gain.difference.mean - gain.difference.half_width > 0);  // about +$42,000
  CHECK(gain.difference.mean > 30000);
  const KpiComparison& loss = kpi(dear, "network.profit");
  CAPTURE(loss.difference.mean);
  CHECK(loss.difference.mean + loss.difference.half_width < 0);  // about -$85,000
  CHECK(loss.difference.mean < -60000);
  // The discount changes no customer's choices: the same customers stay.
  CHECK(kpi(dear, "segment.buyers.active_end").difference.mean == kept.difference.mean);
}

TEST_CASE("outage_long_shadow_campaign: a campaign brings back a share of the lost customers and pays") {
  const Comparison c = compare(scenario("outage_long_shadow"), scenario("outage_long_shadow_campaign"));
  const KpiComparison& called = kpi(c, "segment.regulars.acquisition_cost");
  CAPTURE(called.difference.mean);
  CHECK(called.difference.mean > 5 * 80);  // about 90 called at $5
  CHECK(called.difference.mean < 5 * 100);
  const KpiComparison& back = kpi(c, "segment.regulars.won_back");
  CHECK(back.difference.mean == doctest::Approx(0.4 * called.difference.mean / 5).epsilon(0.15));  // 0.4 of those called
  const KpiComparison& profit = kpi(c, "network.profit");
  CAPTURE(profit.difference.mean);
  CHECK(profit.difference.mean - profit.difference.half_width > 0);  // about +$2,300
  const KpiComparison& end = kpi(c, "segment.regulars.active_end");
  CHECK(end.difference.mean - end.difference.half_width > 0);  // about 9 more
  CHECK(end.difference.mean < 20);
  // The service is the same: the outage loses the same customers.
  CHECK(kpi(c, "segment.regulars.churned_service").difference.mean == 0);
}

TEST_CASE("integration_stages: one plan, then the customers' state shared, each damps the bullwhip and keeps customers") {
  const ScenarioSpec one = scenario("integration_stages");
  const ScenarioSpec two = scenario("integration_stages_one_plan");
  const ScenarioSpec three = scenario("integration_stages_shared");
  CHECK_FALSE(one.sharing.pos);
  CHECK(two.sharing.pos);
  CHECK_FALSE(two.sharing.customers);
  CHECK(three.sharing.customers);
  const Comparison plan = compare(one, two);
  const Comparison state = compare(two, three);
  const KpiComparison& amp1 = kpi(plan, "network.bullwhip_amplification");
  CAPTURE(amp1.baseline.mean);
  CAPTURE(amp1.variant.mean);
  CHECK(amp1.baseline.mean > 200);  // about 300 on its own
  CHECK(amp1.variant.mean < 15);    // about 8 with one plan
  const KpiComparison& amp2 = kpi(state, "network.bullwhip_amplification");
  CAPTURE(amp2.variant.mean);
  CHECK(amp2.variant.mean < 4);  // about 2.6 knowing the customers
  CHECK(amp2.difference.mean + amp2.difference.half_width < 0);
  for (const Comparison* c : {&plan, &state}) {
    const KpiComparison& profit = kpi(*c, "network.profit");
    const KpiComparison& fill = kpi(*c, "network.fill_rate");
    CAPTURE(profit.difference.mean);
    CAPTURE(fill.difference.mean);
    CHECK(profit.difference.mean - profit.difference.half_width > 0);
    CHECK(fill.difference.mean - fill.difference.half_width > 0);
  }
  const KpiComparison& kept = kpi(state, "segment.households.active_end");
  CAPTURE(kept.difference.mean);
  CHECK(kept.difference.mean - kept.difference.half_width > 0);  // about 90 more customers
  CHECK(kpi(plan, "segment.households.active_end").baseline.mean < 1900);  // about 1,820 of 2,000
  // Who gains, stage 1 to stage 3: every firm, the factory most, the store least.
  const Comparison all = compare(one, three);
  double gains = 0;
  for (const char* firm : {"maker", "distributor", "wholesaler", "grocer"}) {
    CAPTURE(firm);
    const KpiComparison& p = kpi(all, std::string("firm.") + firm + ".profit");
    CHECK(p.difference.mean - p.difference.half_width > 0);
    gains += p.difference.mean;
  }
  const double maker = kpi(all, "firm.maker.profit").difference.mean;
  const double grocer = kpi(all, "firm.grocer.profit").difference.mean;
  CHECK(maker > 5 * grocer);
  CHECK(maker > kpi(all, "firm.distributor.profit").difference.mean);
  CHECK(gains == doctest::Approx(kpi(all, "network.profit").difference.mean).epsilon(0.01));
}

#include <doctest/doctest.h>

#include "tests/models/chain_helpers.h"

using namespace chainsim::models;
using namespace chainsim::models::testing;

SCENARIO("a serial chain with constant demand computed by hand, period by period") {
  GIVEN("supplier -> stage1 -> retailer, base-stock S=10, transport 2, order delay 1, demand 3") {
    // Timing (docs/timing.md): the retailer orders 3 at the review of period
    // t; the order reaches stage1 at t+1 (order delay 1), ships then and
    // arrives at t+3 (transport 2). Stage1 orders 3 from the supplier at t+1,
    // which ships at t+2 and lands at t+4.
    const ScenarioSpec spec = serial_chain(2, 10, 2, 1, constant_demand(3), 8);
    Run r = run(spec);
    THEN("the retailer's on-hand falls by 3 a period until replenishment starts arriving") {
      // On hand at the end of period t: 10 - 3(t+1) for t < 3, then flat.
      const double expected_on_hand[] = {7, 4, 1, 1, 1, 1, 1, 1};
      for (int t = 0; t < 8; ++t) {
        CAPTURE(t);
        const StockPeriod& p = r.at("retailer", "item", t);
        CHECK(p.demand == 3);
        CHECK(p.shipped == 3);
        CHECK(p.met_immediately == 3);
        CHECK(p.ordered == 3);
        CHECK(p.received == (t >= 3 ? 3 : 0));
        CHECK(p.on_hand == expected_on_hand[t]);
        CHECK(p.position == 10);
        CHECK(p.backlog == 0);
      }
    }
    THEN("stage1 ships every order the period it arrives and replenishes from the supplier") {
      // Stage1 sees 3 a period from t=1 on; its on-hand falls 10, 7, 4, 4, ...
      // (orders to the supplier at t+1 arrive at t+1+1+2 = t+4... with order
      // delay 1 and transport 2: ordered at period 1, received at period 4).
      const double expected_on_hand[] = {10, 7, 4, 1, 1, 1, 1, 1};
      for (int t = 0; t < 8; ++t) {
        CAPTURE(t);
        const StockPeriod& p = r.at("stage1", "item", t);
        CHECK(p.demand == (t >= 1 ? 3 : 0));
        CHECK(p.shipped == (t >= 1 ? 3 : 0));
        CHECK(p.received == (t >= 4 ? 3 : 0));
        CHECK(p.on_hand == expected_on_hand[t]);
        CHECK(p.position == 10);
      }
    }
  }
}

// A scenario played (models/experiment/game.h): what the player sees is the
// scripted run of the orders typed, and the scenario written replays it.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "models/experiment/experiment.h"
#include "models/experiment/game.h"
#include "models/scenario/loader.h"

using namespace chainsim::models;

namespace {

LoadedScenario beer_game() { return load_scenario(std::string(CHAINSIM_SOURCE_DIR) + "/scenarios/beer_game.yaml"); }

}  // namespace

TEST_CASE("a played week shows the board game's view: what arrived, what was asked, the stock after shipping") {
  Game g(beer_game(), "");
  CHECK(g.role() == "retailer");
  CHECK(g.horizon() == 36);
  const GameWeek w0 = g.view();
  CHECK(w0.week == 0);
  CHECK(w0.shipment_in == 4);  // the pipeline's first slot
  CHECK(w0.order_in == 4);     // customer demand before the step
  CHECK(w0.on_hand == 12);
  CHECK(w0.backlog == 0);
  CHECK(w0.cost_so_far == doctest::Approx(6.0));  // 12 cases at 0.5
  CHECK(std::isnan(w0.customer_demand));          // not shared in this scenario
  for (int k = 0; k < 4; ++k) g.order(4);
  const GameWeek w4 = g.view();
  CHECK(w4.order_in == 8);  // the step in week 5
  CHECK(w4.on_hand == 8);   // 12 + 4 received - 8 shipped
}

TEST_CASE("orders are whole units within bounds, and a played game replays from its scenario") {
  Game g(beer_game(), "distributor");
  CHECK_THROWS_AS(g.order(-1), std::invalid_argument);
  CHECK_THROWS_AS(g.order(2.5), std::invalid_argument);
  CHECK_THROWS_AS(g.order(1e7), std::invalid_argument);
  for (int k = 0; k < 36; ++k) g.order(k % 2 == 0 ? 0 : 16);  // a wild player
  CHECK(g.over());
  const std::vector<GameStage> stages = g.debrief();
  REQUIRE(stages.size() == 4);
  CHECK(stages[2].node == "distributor");
  CHECK(stages[2].player);
  CHECK(stages[2].bullwhip > stages[0].bullwhip);  // zero-sixteen swings amplify
  CHECK(stages[2].cost != doctest::Approx(stages[2].cost_benchmark));
  // The written scenario is the game: the distributor's orders are the plan.
  const LoadedScenario played = load_scenario_text(g.played_yaml(), "played.yaml", CHAINSIM_SOURCE_DIR "/scenarios");
  const NodeSpec& d = played.spec.nodes[2];
  CHECK(d.stocks[0].policy.type == PolicyType::kScripted);
  CHECK(d.stocks[0].policy.plan == g.orders());
}

TEST_CASE("a role that cannot be played is refused with what is wrong") {
  CHECK_THROWS_WITH_AS(Game(beer_game(), "brewer"),
                       "--role: no node 'brewer' (the nodes: retailer, wholesaler, distributor, factory)",
                       std::invalid_argument);
  const LoadedScenario serial = load_scenario(std::string(CHAINSIM_SOURCE_DIR) + "/scenarios/serial_base_stock.yaml");
  CHECK_THROWS_WITH_AS(Game(serial, "supplier"), "--role: node 'supplier' orders nothing (no policy): there is nothing to play",
                       std::invalid_argument);
  CHECK(Game(serial, "").role() == "store");
}

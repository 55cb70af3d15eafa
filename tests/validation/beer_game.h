// The beer game, twice: chainsim running scenarios/beer_game.yaml with a set
// of ordering parameters, and the board played by its own rules
// (theory::beer_game_board), week by week, for the validation suite.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "tests/validation/theory.h"

namespace chainsim::validation {

inline const std::array<std::string, 4> kBeerPlayers = {"retailer", "wholesaler", "distributor", "factory"};

// Per player (kBeerPlayers order), per week.
struct BeerComparison {
  int weeks = 0;
  using Series = std::array<std::vector<double>, 4>;
  Series model_orders, board_orders;        // ordered (the factory: brewing requested) in the week
  Series model_on_hand, board_on_hand;      // end of the week
  Series model_backlog, board_backlog;      // end of the week
  Series model_on_order, board_on_order;    // the supply line at the end of the week
  Series model_incoming, board_incoming;    // orders (customer demand) received in the week
  Series model_net_stock, board_net_stock;  // on hand - backlog
  double model_factory_bullwhip = 0;        // the factory's bullwhip_ratio KPI
  double board_factory_bullwhip = 0;        // Var(factory orders) / Var(orders it received), by hand
};

// Runs both. Throws when the scenario does not load.
BeerComparison compare_beer_game(const theory::BeerParameters& p);

}  // namespace chainsim::validation

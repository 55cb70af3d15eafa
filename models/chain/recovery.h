// Returns centres (docs/returns.md): customer returns sent to a centre
// (`returns.to`) are graded there, as they arrive, into routes by the
// shares of its `recovery` for the product: back to a stock as new
// (resell), through a line first (refurbish, remanufacture: a cost, a
// yield, a capacity), sold to a recycler (recycle), or thrown away (scrap).
// Units on their way back to a stock are in recovery (the units audit
// counts them beside those in transit and in production); units recycled
// or scrapped leave the network, and so do units sent back to their vendor,
// whose credit note (kCredit, a finance message) arrives later: the vendor
// books it as cost_returns, the centre as a credit on its cost_returns.
//
// Random stream "grading/<selling node>/<product>", one per stock whose
// returns go to a centre: three uniforms per route for every batch of its
// returns graded (its count, the line's yield, the lead time), whatever the
// batch, so common random numbers hold across variants (a change at one
// store leaves the others' grading alone).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "models/chain/kinds.h"
#include "models/chain/observations.h"
#include "models/chain/types.h"
#include "sim/distributions.h"
#include "sim/random.h"

namespace chainsim::models {

struct RecoveryLine {
  RecoveryRoute route = RecoveryRoute::kScrap;
  double share = 0.0;
  StockId to = kNone;  // restocking routes: the stock the units go back to
  sim::Distribution lead_time = sim::Distribution::constant(0.0);
  double cost = 0.0;   // per unit put on the route
  double yield = 1.0;
  double capacity = kInfinity;  // units per period (a line)
  double value = 0.0;           // recycle: cash per unit
  NodeId vendor = kNone;        // vendor: who takes the units back
  double credit = 0.0;          // vendor: credit note per unit
  double credit_delay = 0.0;
  Time free_at = 0.0;           // a line with a capacity: when it is through with what it has
};

struct Recovery {
  std::string name;  // "<node>/<product>"
  NodeId node = kNone;
  ProductId product = kNone;
  double inspection_cost = 0.0;
  double scrap_cost = 0.0;
  std::vector<RecoveryLine> routes;
  RecoveryPeriod flows;  // the current period's (period and index set when recorded)
};

}  // namespace chainsim::models

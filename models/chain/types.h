// Vocabulary shared by the supply-chain models: identifiers, quantities, the
// phases of an instant and the engine priorities that realise them.
//
// Time, periods and phases (docs/timing.md has the full table). Period k is
// the half-open interval [t_k, t_k + period) with t_k = start + k * period.
// At every instant the network runs the phases in this order, for every node
// that has something to do:
//   receive   -> arriving shipments, production and payments are put away
//   orders_in -> arriving orders and customer demand join the backlog
//   fulfil    -> ship what stock allows, by the node's allocation rule
//   review    -> policies read the inventory position and order or produce
// and period k is recorded (closed) at t_{k+1}, before anything else happens
// at that instant. A message with zero delay is delivered at once; if its
// phase has already run at this instant, that phase and the ones after it run
// again at the same instant, before the period is recorded.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "sim/simulator.h"

namespace chainsim::models {

using sim::Time;
using NodeId = std::uint32_t;
using ProductId = std::uint32_t;
using LaneId = std::uint32_t;
using StockId = std::uint32_t;  // index of a (node, product) stock point
using Qty = double;             // units of a product
using Money = double;           // the scenario's currency

inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

enum class Phase : int { kReceive = 0, kOrdersIn = 1, kFulfil = 2, kReview = 3 };
inline constexpr int kPhaseCount = 4;

const char* phase_name(Phase p);

// Engine priorities (lower runs first at one instant).
namespace priority {
inline constexpr sim::Priority kClosePeriod = -200;  // record period k-1 at t_k
inline constexpr sim::Priority kWhatIf = -100;       // disruptions apply before the phases
inline constexpr sim::Priority kPhaseBase = 10;      // phase p runs at kPhaseBase + 10 p
inline constexpr sim::Priority of(Phase p) { return kPhaseBase + 10 * static_cast<int>(p); }
}  // namespace priority

// Cost kinds booked by the finance flow.
enum class CostKind : int {
  kHolding = 0,
  kBackorder,
  kLostSale,
  kOrdering,
  kTransport,
  kProduction,
  kPurchase,    // invoices from suppliers (net of early-payment discounts)
  kMaterial,    // a supplier's own cost of the goods it ships
  kReturns,     // refunds for customer returns and scrap
  kCustomers,   // customer segments: cost to serve, acquisition (reported only with segments)
  kWaste,       // disposal of expired perishable units (reported only with perishable products)
  kCount
};
inline constexpr int kCostKinds = static_cast<int>(CostKind::kCount);
const char* cost_kind_name(CostKind k);

// One problem of a spec found by a check: the key below the item checked
// where it is ("" for the item itself, "interarrival", "policy.S", ...) and
// what is wrong.
struct Problem {
  std::string key;
  std::string message;
};

// Thrown when the model's own invariants break (conservation, negative stock):
// a bug, reported with the time, node and values.
class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace chainsim::models

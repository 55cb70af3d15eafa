// Replenishment policies: small strategy classes behind one narrow interface.
// A node never branches on the policy type; it hands the policy a view of the
// stock point at a review and places whatever the policy returns.
//
// Conventions (docs/policies.md):
//   - position = on hand + on order - backlog, where on order counts every
//     unit ordered and not yet received (orders travelling upstream, backlog
//     at the supplier, shipments in transit, production requested or in
//     progress). Policies order on position, never on on-hand alone.
//   - The demand signal of a review is the demand observed since the previous
//     review: the units ordered from this stock by its customers (downstream
//     nodes and end customers), or, with shared point-of-sale data, the end
//     demand of the retailers it serves.
//   - A policy returns the quantity it wants; negative wishes are clipped to
//     zero by the caller, lot sizes and caps applied after.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/chain/spec.h"
#include "models/chain/types.h"

namespace chainsim::models {

struct PolicyView {
  Time now = 0.0;
  std::int64_t period = 0;   // index of the current period
  std::int64_t review = 0;   // index of this review (0 for the first)
  Qty on_hand = 0.0;
  Qty backlog = 0.0;
  Qty on_order = 0.0;
  Qty position = 0.0;          // on_hand + on_order - backlog
  Qty echelon_position = 0.0;  // filled only for policies that ask for it
  Qty demand_signal = 0.0;     // demand observed since the previous review
};

class ReplenishmentPolicy {
 public:
  virtual ~ReplenishmentPolicy() = default;

  // The quantity to order at this review (may be negative: the caller clips).
  // Called exactly once per review, in time order; forecasting policies
  // update their state from view.demand_signal here.
  virtual Qty order(const PolicyView& view) = 0;

  // Changes a numeric parameter by name (what-if events). Returns false when
  // the policy has no such parameter; otherwise stores the previous value in
  // *old.
  virtual bool set_parameter(std::string_view name, double value, double* old) = 0;

  // True when the policy needs PolicyView::echelon_position.
  virtual bool needs_echelon_position() const { return false; }

  // A short description, e.g. "base_stock(S=40)".
  virtual std::string describe() const = 0;
};

// Builds the policy named by spec.type. Throws std::invalid_argument naming the
// parameter when a value is impossible (the scenario loader reports these with
// the file position).
std::unique_ptr<ReplenishmentPolicy> make_policy(const PolicySpec& spec);

// The policy types make_policy accepts.
const std::vector<std::string>& policy_types();

}  // namespace chainsim::models

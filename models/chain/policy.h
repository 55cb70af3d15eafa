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
#include <limits>
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
  // With customer state shared (sharing.customers): the demand the customer
  // segments at and below this stock are expected to place in the review
  // period, from their active customers and order rates; NaN otherwise.
  Qty expected_demand = std::numeric_limits<double>::quiet_NaN();
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

// What the registry knows of one policy type (its row in
// policies/policies.def names it; its file in policies/ defines it).
struct PolicyBehaviour {
  // The decision rule before the order adjustments, for docs/policies.md
  // (Markdown): the wish q0 in terms of the view (IP, OH, OO, BL, D).
  std::string_view rule;
  bool continuous = false;  // may review continuously (review: continuous)
  bool orders = true;       // ever orders (false for none)
  // Appends a message for every problem of the policy's own parameters, each
  // naming the parameter ("s_S needs s < S (got s=10, S=10)").
  void (*check)(const PolicySpec&, std::vector<std::string>& problems) = nullptr;
  // The policy. REQUIRES: check() found no problem.
  std::unique_ptr<ReplenishmentPolicy> (*make)(const PolicySpec&) = nullptr;
};
const PolicyBehaviour& policy_behaviour(PolicyType type);

// Every problem of a policy spec, in one pass: the review and the order
// adjustments every policy shares, then its own parameters. Empty when it
// can be built.
std::vector<std::string> check_policy(const PolicySpec& spec);

// Builds the policy of spec.type. Throws std::invalid_argument with every
// problem check_policy() finds (joined by "; "), naming each parameter.
std::unique_ptr<ReplenishmentPolicy> make_policy(const PolicySpec& spec);

// Declarations of the behaviours the policies' files define.
#define CHAINSIM_POLICY(id, name, behaviour) extern const PolicyBehaviour behaviour;
#include "models/chain/policies/policies.def"
#undef CHAINSIM_POLICY

}  // namespace chainsim::models

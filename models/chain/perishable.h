// Perishable stock: units kept in batches by expiry date (docs/perishables.md).
//
// A product with a shelf life ages from the moment a unit first enters a
// stock of the network (put away from a supplier's shipment or a production
// line, or on hand at time 0); the clock keeps running while the unit travels
// between stocks, so a shipment carries the batches it was issued from. A
// stock issues its batches in the order its `issuing` rule gives: first in
// first out (arrival order), first expired first out, or last in first out
// (the customer who picks the freshest). Units whose expiry has come are
// removed at the next instant the stock is touched, and at every period
// boundary, before anything else is received or issued there.
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <vector>

#include "models/chain/kinds.h"
#include "models/chain/types.h"
#include "sim/distributions.h"
#include "sim/random.h"

namespace chainsim::models {

struct AgeBatch {
  Qty qty = 0.0;
  Time expires = 0.0;  // the units are outdated from this time on
};

// A stock's units by batch. Under FIFO and LIFO the batches are kept in
// arrival order; under FEFO in expiry order (ties in arrival order).
class AgeBatches {
 public:
  explicit AgeBatches(Issuing rule = Issuing::kFifo) : rule_(rule) {}

  Issuing rule() const noexcept { return rule_; }
  void add(Qty qty, Time expires);
  // Takes `qty` units in issuing order (all there are, if fewer); appends
  // the parts taken to `out` when it is not null. Returns the units taken.
  Qty take(Qty qty, std::vector<AgeBatch>* out);
  // Removes every unit whose expiry is at or before `now` (round-off
  // allowed: expired_by); returns how many.
  Qty expire(Time now);
  static bool expired_by(Time expires, Time now) noexcept;
  // The earliest expiry held (infinity when empty).
  Time next_expiry() const noexcept { return next_expiry_; }
  Qty total() const noexcept { return total_; }
  std::size_t size() const noexcept { return batches_.size(); }
  const std::deque<AgeBatch>& batches() const noexcept { return batches_; }

 private:
  void refresh_next_expiry() noexcept;

  Issuing rule_;
  std::deque<AgeBatch> batches_;  // see the class comment for the order
  Qty total_ = 0.0;
  Time next_expiry_ = kInfinity;
};

// What a perishable stock keeps: its batches, how long new units last and
// what throwing one away costs.
struct Perishable {
  AgeBatches batches;
  sim::Distribution shelf_life = sim::Distribution::constant(1.0);
  sim::RandomStream rng{0, 0, ""};  // one uniform per batch put away without a date
  Money disposal_cost = 0.0;        // per unit expired, paid in cash
  // The expiry of units put away now that carry no date (shelf life >= 0).
  Time expiry_from(Time now) { return now + std::max(0.0, shelf_life.quantile(rng.uniform01())); }
};

}  // namespace chainsim::models

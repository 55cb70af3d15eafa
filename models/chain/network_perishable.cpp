// The network's side of perishable products (models/chain/perishable.h):
// expiry at each period boundary and before a stock issues, batches put away
// on arrival, and the batches a shipment between stocks carries.
#include <algorithm>
#include <fmt/core.h>

#include "models/chain/network.h"

namespace chainsim::models {

void Network::expire_due(StockPoint& sp) {
  const Time now = sim_.now();
  Perishable& p = *sp.perishable;
  if (!AgeBatches::expired_by(p.batches.next_expiry(), now)) return;
  touch(sp);
  const Qty gone = p.batches.expire(now);
  if (gone <= 0.0) return;
  // Round-off of fractional takes: the batches' total is what is on hand.
  sp.on_hand = p.batches.total();
  sp.flows.expired += gone;
  sp.changed = true;  // the position fell
  units_.expired += gone;
  log(LogEvent::kExpiry, sp.node, sp.node, sp.product, gone);
  if (p.disposal_cost != 0.0) nodes_[sp.node].account.cost(CostKind::kWaste, gone * p.disposal_cost, true);
}

void Network::put_away_batches(StockPoint& sp, const Message& m) {
  Perishable& p = *sp.perishable;
  if (m.batches == 0) {
    p.batches.add(m.qty, p.expiry_from(sim_.now()));
  } else {
    std::vector<AgeBatch>& carried = transit_batches_[m.batches - 1];
    // Oldest first, whatever order the seller issued them in (a LIFO seller
    // takes the freshest first): the buyer's own rule then orders them.
    std::stable_sort(carried.begin(), carried.end(),
                     [](const AgeBatch& a, const AgeBatch& b) { return a.expires < b.expires; });
    for (const AgeBatch& b : carried) p.batches.add(b.qty, b.expires);
    carried.clear();
    free_transit_batches_.push_back(m.batches - 1);
  }
  sp.on_hand = p.batches.total();
  expire_due(sp);  // what arrives outdated is thrown away at once
}

std::uint32_t Network::take_transit_batches(StockPoint& seller, Qty qty) {
  std::uint32_t slot = 0;
  if (!free_transit_batches_.empty()) {
    slot = free_transit_batches_.back();
    free_transit_batches_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(transit_batches_.size());
    transit_batches_.emplace_back();
  }
  seller.perishable->batches.take(qty, &transit_batches_[slot]);
  return slot + 1;
}

}  // namespace chainsim::models

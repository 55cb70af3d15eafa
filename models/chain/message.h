// The messages that carry the three flows between nodes, and the channel that
// holds them while they travel.
//
// Every flow is a separate message with its own delay: product (shipments,
// production completions, customer returns), information (purchase orders,
// production orders, point-of-sale data, VMI status) and finance (invoices,
// payments). A Channel keeps its messages ordered by (arrival time, send
// order); a channel whose delay is fixed receives them in arrival order, so
// pushing is O(1) and it doubles as the ring of arrival slots of a lane.
// Random delays insert in order (O(messages in transit)).
#pragma once

#include <cstdint>

#include "models/chain/detail/ring_queue.h"
#include "models/chain/types.h"

namespace chainsim::models {

enum class MessageKind : std::uint8_t {
  kOrder,              // info: buyer -> seller, joins the seller's backlog
  kProductionOrder,    // info: review -> production line of the same stock
  kPointOfSale,        // info: a retailer's end demand, shared upstream
  kVmiStatus,          // info: a VMI customer's inventory position, to its supplier
  kShipment,           // product: seller -> buyer
  kProductionDone,     // product: finished units from the line
  kCustomerReturn,     // product: units coming back from end customers
  kRecovered,          // product: units a returns centre sends back to a stock (ref: the centre + 1)
  kInvoice,            // finance: seller -> buyer
  kPayment,            // finance: buyer -> seller
  kCredit,             // finance: a vendor's credit note for units a returns centre sent back (ref: the centre + 1)
};

struct Message {
  Time arrival = 0.0;
  MessageKind kind = MessageKind::kOrder;
  StockId stock = kNone;   // the stock point the message is for (buyer's for shipments)
  StockId origin = kNone;  // the stock point that sent it (buyer's for orders)
  LaneId lane = kNone;
  Qty qty = 0.0;           // units, or amount for finance messages
  Qty closes = 0.0;        // shipment: units of the buyer's on-order it closes (>= qty)
  std::uint64_t ref = 0;   // order id (orders, shipments), invoice id (finance)
  Time sent = 0.0;         // when it was sent
  Time placed = 0.0;       // shipment/order: when the order was placed
  double extra = 0.0;      // payment: amount of receivable it settles; order: priority
  // A shipment of a perishable product from a stock: its batches' slot in
  // the network's store of batches travelling, plus 1 (0: none).
  std::uint32_t batches = 0;
};

class Channel {
 public:
  // Adds a message. O(1) when it arrives no earlier than the last one.
  void push(const Message& m) {
    if (q_.empty() || q_.back().arrival <= m.arrival) {
      q_.push_back(m);
    } else {
      q_.insert_sorted(m, [](const Message& a, const Message& b) { return a.arrival < b.arrival; });
    }
  }
  // Appends a blank message to be filled in place; settle() must follow
  // once its arrival is set, before the channel is used again.
  Message& append() { return q_.emplace_back(); }
  // Puts the message appended last in (arrival, send order) place: O(1)
  // when it arrives no earlier than the one before it.
  void settle() {
    q_.settle_back([](const Message& a, const Message& b) { return a.arrival < b.arrival; });
  }
  // True when the earliest message has arrived by `now`.
  bool ready(Time now) const noexcept { return !q_.empty() && q_.front().arrival <= now; }
  // REQUIRES: !empty().
  const Message& front() const noexcept { return q_.front(); }
  void pop() noexcept { q_.pop_front(); }
  bool empty() const noexcept { return q_.empty(); }
  std::size_t size() const noexcept { return q_.size(); }
  const Message& operator[](std::size_t i) const noexcept { return q_[i]; }

 private:
  detail::RingQueue<Message> q_;
};

}  // namespace chainsim::models

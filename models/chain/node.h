// The state of the network's entities: stock points, nodes and lanes. The
// behaviour lives in the Network's phase handlers (models/chain/network_phases.cpp);
// this header is the state machine's reference.
//
// A stock point is one product at one node. Its state:
//   on_hand   units on the shelf (an unlimited source for suppliers)
//   backlog   lines owed to customers (downstream nodes via a lane, or end
//             customers), oldest first
//   on_order  units ordered or requested from production and not yet put away
//   need      units production at this node has asked of it as a component
//             and not yet started (its lines' `wanted` times units per unit)
//   position  on_hand + on_order - backlog - need
// and the events that move it, with the phase each runs in:
//   receive    a shipment arrives: on_hand += qty, on_order -= closes;
//              production completes: on_hand += qty, on_order -= qty;
//              a customer return arrives: restocked part to on_hand
//   orders_in  an order arrives: a backlog line is added;
//              end-customer demand of the period arrives (first pass at a
//              period boundary: the demand processes', then each customer
//              segment's orders), or one customer arrives (continuous time)
//   fulfil     stock is allocated to backlog lines (allocation rule, lane
//              capacity, closed lanes, node down): each allocated line becomes
//              a shipment (and an invoice) or a sale to end customers; demand
//              whose customers leave now (leave_at) is lost, and a segment's
//              order that ends is reported to its segment (models/chain/
//              customers.h); then production starts what its
//              components and capacity allow
//   review     periodic (every review_period periods from review_offset, at
//              most once per period) or continuous (at any instant where the
//              position changed): the policy's order, adjusted by lot size,
//              min/max and storage capacity, is split among sources and sent,
//              or sent to the production line
// A node is down during a what-if outage: it ships and produces nothing,
// takes orders into its backlog, and (in_transit: hold) holds arriving
// shipments until it is up.
#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/chain/allocation.h"
#include "models/chain/demand.h"
#include "models/chain/finance.h"
#include "models/chain/message.h"
#include "models/chain/perishable.h"
#include "models/chain/policy.h"
#include "models/chain/spec.h"
#include "sim/random.h"

namespace chainsim::models {

struct BacklogEntry {
  Qty qty = 0.0;            // still owed
  Time arrived = 0.0;       // when the order or demand arrived
  std::uint64_t ref = 0;    // the buyer's order id (0 for end customers)
  LaneId lane = kNone;      // kNone: end customer
  StockId buyer = kNone;    // the buyer's stock point (kNone: end customer)
  double priority = 0.0;    // allocation priority (higher first)
  Time placed = 0.0;        // when the buyer placed the order
  // End customers leave at the first fulfil at or after this time with what
  // is still owed (lost): `arrived` for those who do not wait, arrived +
  // patience, or never (infinity: backordered; every line from a lane).
  Time leave_at = kInfinity;
  std::uint32_t segment = kNone;  // the customer segment that ordered (kNone: none)
  // A segment's block: orders per unit owed (its orders end in proportion).
  // A float keeps the entry at 64 bytes; it only weighs orders for churn.
  float orders_per_unit = 0.0f;
};

struct OpenOrder {
  std::uint64_t id = 0;
  Time placed = 0.0;
  Qty ordered = 0.0;
  Qty remaining = 0.0;
};

struct VmiOrder {
  std::uint64_t serial = 0;  // 1, 2, ... per customer stock
  Qty qty = 0.0;
};

struct Source {
  LaneId lane = kNone;
  double share = 1.0;
  Qty cumulative = 0.0;  // units ordered through this source so far
};

struct ProductionLine {
  std::vector<std::pair<StockId, double>> inputs;  // component stock, units per unit
  double capacity = kInfinity;  // units started per period
  double capacity_used = 0.0;   // this period
  double capacity_left() const noexcept { return std::max(0.0, capacity - capacity_used); }
  Distribution lead_time = Distribution::constant(1.0);
  sim::RandomStream rng{0, 0, ""};
  double request_delay = 0.0;
  double batch = 0.0;
  double cost = 0.0;
  Qty queued = 0.0;  // requested and not yet started
  // Units the line has wanted to start (capacity and batch allowing) and
  // counted as demand on its components, but not yet started.
  Qty wanted = 0.0;
};

struct ArrivalStream {
  Distribution interarrival;
  Distribution size;
  double priority = 0.0;
  Time start = 0.0;
  sim::RandomStream rng{0, 0, ""};
};

// Per-period flow totals of a stock point (reset when the period closes).
struct StockFlows {
  Qty demand = 0.0, customer_demand = 0.0, met_immediately = 0.0, shipped = 0.0, lost = 0.0;
  Qty ordered = 0.0, received = 0.0, produced = 0.0, consumed = 0.0;
  Qty returned = 0.0, restocked = 0.0, scrapped = 0.0;
  Qty expired = 0.0;  // perishable units outdated
  std::int32_t order_lines = 0;
  bool stockout = false;
  bool reviewed = false;
};

struct StockPoint {
  // The fields every phase and the period's record read for every stock,
  // every period come first, so that a stock's visit touches a few cache
  // lines rather than all of them: a network of 100,000 stores does not fit
  // in cache, and its periods wait on memory (docs/performance.md). The
  // production line and the returns, read at every visit only to see whether
  // there are any, are pointers: a null test reads 8 bytes, where an
  // optional's flag sat after its payload (a few hundred bytes on).
  StockId id = kNone;
  NodeId node = kNone;
  ProductId product = kNone;
  bool infinite = false;  // a supplier's unlimited source
  bool continuous = false;
  bool changed = true;  // position changed since the last review (continuous review)
  bool lose_unmet = false;     // end-customer demand that cannot be met at once is lost
  bool vmi = false;            // replenished by its supplier's decisions
  bool use_shared_demand = false;
  bool vmi_pending = false;         // a report arrived and awaits the supplier's review

  Qty on_hand = 0.0;
  Qty on_order = 0.0;
  Qty backlog_qty = 0.0;
  // What production at this node waits for from this stock as a component:
  // owed like a backlog line, though it is not one (it ships nowhere and has
  // no backorder cost; the produced stock's backlog carries the shortage).
  Qty production_need = 0.0;
  Qty position() const noexcept { return on_hand + on_order - backlog_qty - production_need; }

  std::unique_ptr<ReplenishmentPolicy> policy;
  int review_period = 1;
  int review_offset = 0;
  std::int64_t last_review_period = -1;
  std::int64_t reviews = 0;
  Qty lot_size = 0.0, min_order = 0.0, max_order = kInfinity;
  Qty storage_capacity = kInfinity;
  double demand_multiplier = 1.0;
  Qty signal = 0.0;            // demand observed since the last review

  double holding_cost = 0.0;   // per unit per time unit
  double backorder_cost = 0.0; // per unit per time unit
  double lost_sale_cost = 0.0; // per unit
  double unit_value = 0.0;
  double price = 0.0;          // retail price to end customers

  StockFlows flows;
  // Time integrals over the current period (exact, updated at every change).
  double on_hand_integral = 0.0;
  double backlog_integral = 0.0;
  Time out_of_stock = 0.0;  // time with nothing on hand
  Time integral_from = 0.0;
  Qty consigned = 0.0;  // units of on_hand other firms still own (consignments, below)

  detail::RingQueue<BacklogEntry> backlog;
  detail::RingQueue<OpenOrder> open_orders;  // this stock's orders not yet complete
  std::vector<std::unique_ptr<PeriodDemand>> period_demand;
  std::vector<sim::RandomStream> demand_rng;
  std::vector<double> demand_priority;  // allocation priority of each period_demand process's customers
  std::vector<ArrivalStream> arrivals;
  // The customer segments buying here: (segment, its channel index), in
  // segment order; their orders join the backlog after the demand processes'.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> segment_channels;
  // Serves end customers: demand processes, arrival streams or segments.
  bool has_end_demand() const noexcept {
    return !period_demand.empty() || !arrivals.empty() || !segment_channels.empty();
  }

  std::vector<Source> sources;
  SplitRule split = SplitRule::kShares;
  std::unique_ptr<ProductionLine> production;  // null: not made here
  std::unique_ptr<ReturnsSpec> returns;         // null: customers return nothing
  std::uint32_t return_centre = kNone;  // returns.to: its recovery of this product (Network::recoveries_)
  // A perishable product's batches by expiry (null: the product keeps, or
  // an unlimited source); its total is on_hand.
  std::unique_ptr<Perishable> perishable;
  std::vector<StockId> downstream;  // same-product stocks it supplies (echelon)
  std::vector<LaneId> downstream_lanes;

  // Consignment stock (LaneSpec::consignment): the part of on_hand each
  // seller still owns, per lane, used after the stock's own units and
  // invoiced as used; `consigned` is their sum (<= on_hand).
  struct Consigned {
    LaneId lane = kNone;
    Qty qty = 0.0;
    double integral = 0.0;  // qty x time over the current period, up to `since`
    Time since = 0.0;
  };
  std::vector<Consigned> consignments;

  // Read less often than once a period.
  Qty vmi_reported_position = 0.0;  // as seen by the managing supplier
  Qty vmi_signal = 0.0;             // demand reported to the supplier, not yet used
  detail::RingQueue<VmiOrder> vmi_orders;  // VMI orders not yet covered by a report
  std::uint64_t vmi_serial = 0;            // VMI orders created so far
  std::string name;  // "node/product"
  sim::RandomStream returns_rng{0, 0, ""};
  sim::RandomStream grading_rng{0, 0, ""};  // the centre's draws for these returns (models/chain/recovery.h)
};

struct Node {
  // The fields every phase reads for every node, every period first, as in
  // StockPoint.
  NodeId id = kNone;
  NodeKind kind = NodeKind::kWarehouse;
  std::uint8_t dirty = 0;  // bit p: phase p must run for this node at this instant
  bool down = false;
  bool hold_in_transit = false;
  bool outside = false;  // a supplier the network does not own (NodeSpec::owned)
  // The firm that owns the node (NodeSpec::firm; kNone: no firms declared,
  // or a supplier outside the network), and this period's trade with other
  // firms: sales invoiced to them net of discounts given, purchases invoiced
  // by them or by suppliers outside the network net of discounts taken.
  std::uint32_t firm = kNone;
  Money firm_sales = 0.0, firm_purchases = 0.0;
  std::vector<StockId> stocks;
  // The stocks in review order: a product made here before the components
  // its line consumes, so that a component reviews after the production its
  // product's review starts at the same instant (see Network::review).
  std::vector<StockId> review_order;
  std::vector<StockId> vmi_customers;  // customer stocks this node replenishes
  std::unique_ptr<AllocationRule> allocation;
  double capacity = kInfinity;  // units dispatched per period
  double capacity_used = 0.0;   // this period
  double capacity_left() const noexcept { return std::max(0.0, capacity - capacity_used); }
  double ordering_cost = 0.0;

  Channel inbox_receive;  // shipments, production completions, returns
  Channel inbox_orders;   // orders, production orders, point-of-sale data, VMI status
  Channel inbox_finance;  // invoices and payments

  Account account;
  PaymentTerms terms;  // on which this node pays its suppliers

  // Suppliers (unlimited sources); their draws come from each lane's
  // dispatch streams (Lane::dispatch_rng).
  Distribution lead_time = Distribution::constant(0.0);
  double reliability = 1.0;
  double shortfall = 0.0;
  std::optional<Distribution> yield;
  double material_cost = 0.0;
  std::string name;
};

struct Lane {
  LaneId id = kNone;
  std::string name;
  NodeId from = kNone;  // seller
  NodeId to = kNone;    // buyer
  std::vector<Distribution> transport;  // per product id
  std::vector<double> price;            // per product id
  sim::RandomStream rng{0, 0, ""};
  // From a supplier: per product, the stream of its dispatches to this
  // buyer (completeness, yield, lead time), so that one customer's orders
  // never shift another's draws (common random numbers).
  std::vector<sim::RandomStream> dispatch_rng;
  double order_delay = 0.0;
  double invoice_delay = 0.0;
  double payment_delay = 0.0;
  double capacity_per_shipment = kInfinity;
  double capacity_per_period = kInfinity;
  double capacity_used = 0.0;  // this period
  double capacity_left() const noexcept { return std::max(0.0, capacity_per_period - capacity_used); }
  double cost_per_unit = 0.0;
  double cost_per_shipment = 0.0;
  double holding_cost = 0.0;  // per unit per time unit in transit, the buyer's
  bool prevent_overtaking = false;
  bool consignment = false;  // the seller owns what it ships until the buyer uses it
  // Trade on the lane is invoiced: false between two of the network's own
  // nodes when one firm owns them all (ScenarioSpec::ownership private).
  bool invoiced = true;
  Time last_arrival = 0.0;
  double priority = 0.0;
  double lead_time_factor = 1.0;  // what-if multiplier on transit times
  bool closed = false;

  // Statistics for the current period and for Little's law.
  Qty in_transit = 0.0;
  double in_transit_integral = 0.0;
  Time integral_from = 0.0;
  Qty shipped = 0.0;
  std::int32_t shipments = 0;
  Qty delivered = 0.0;
  double transit_time_sum = 0.0;
  std::vector<Qty> orders_in_transit;  // per product id: units in order messages
};

}  // namespace chainsim::models

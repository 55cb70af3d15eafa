// What the models record: named observations, emitted as the simulation runs,
// that KPI code and output writers turn into fill rates, bullwhip ratios,
// time series and reports. The models never compute a KPI themselves.
//
// A period's observations are emitted when the period closes (at the start of
// the next period, before anything else happens then). Flows (demand,
// shipments, orders, costs) are totals over the period; levels (on hand,
// backlog, position, cash) are taken at its end; *_avg fields are time
// averages over the period (the exact time integral divided by its length).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "models/chain/kinds.h"
#include "models/chain/types.h"

namespace chainsim::models {

struct StockPeriod {
  std::int64_t period = 0;
  StockId stock = kNone;
  Qty demand = 0.0;           // units requested from this stock (customers and downstream orders)
  Qty customer_demand = 0.0;  // the end-customer part of demand
  Qty met_immediately = 0.0;  // units of this period's demand shipped at the instant they arrived
  Qty shipped = 0.0;          // units shipped to customers and downstream
  Qty lost = 0.0;             // end-customer demand lost
  Qty ordered = 0.0;          // units ordered (or production requested)
  std::int32_t order_lines = 0;  // order messages placed
  Qty received = 0.0;         // units put away (shipments and production)
  Qty produced = 0.0;         // units finished by production here
  Qty consumed = 0.0;         // units used as components
  Qty returned = 0.0;         // end-customer returns received
  Qty restocked = 0.0;        // returns put back on the shelf
  Qty scrapped = 0.0;         // returns scrapped
  Qty expired = 0.0;          // perishable units outdated
  Qty on_hand = 0.0;          // end of period
  Qty backlog = 0.0;          // end of period
  Qty on_order = 0.0;         // end of period (the supply line)
  Qty position = 0.0;         // on_hand + on_order - backlog - production_need
  Qty on_hand_avg = 0.0;
  Qty backlog_avg = 0.0;
  Qty consigned_avg = 0.0;    // time average of the part of on hand its sellers still own (consignment)
  Money stock_value = 0.0;    // on hand at unit value, end of period
  Time out_of_stock = 0.0;    // time in the period with nothing on hand
  bool stockout = false;      // some demand of this period was not met at once
  bool reviewed = false;      // the policy reviewed in this period
};

struct NodePeriod {
  std::int64_t period = 0;
  NodeId node = kNone;
  Money cash = 0.0;         // end of period
  Money receivables = 0.0;  // end of period
  Money payables = 0.0;     // end of period
  Money revenue = 0.0;      // this period (sales net of discounts given)
  Money customer_revenue = 0.0;  // the part of revenue from end customers (cash sales)
  std::array<Money, kCostKinds> costs{};  // this period, by kind
  Money paid_in = 0.0;      // payments received this period
  Money paid_out = 0.0;     // payments made this period
  // The part of costs[kPurchase] invoiced by suppliers outside the network
  // (net of discounts taken): what the network buys from outside.
  Money outside_purchases = 0.0;
  Money outside_payables = 0.0;  // end of period: the part of payables owed outside
  // Firms (NodeShape::firm): this period's sales to other firms and purchases
  // from outside the node's firm (other firms and outside suppliers), both
  // net of early-payment discounts; 0 when no firms are declared.
  Money firm_sales = 0.0;
  Money firm_purchases = 0.0;
  // Consignment (NodeShape::consigns): at the end of the period, the units
  // this node still owns on hand at its buyers, and the units its sellers
  // still own on hand here, each at the product's salvage_value.
  Money consigned_out_value = 0.0;
  Money consigned_in_value = 0.0;
  bool down = false;        // the node was down at the end of the period
};

struct LanePeriod {
  std::int64_t period = 0;
  LaneId lane = kNone;
  Qty shipped = 0.0;          // units dispatched this period
  std::int32_t shipments = 0; // shipment messages dispatched
  Qty delivered = 0.0;        // units that arrived this period
  Qty in_transit = 0.0;       // end of period
  Qty in_transit_avg = 0.0;   // time average over the period
  Qty transit_time_sum = 0.0; // sum over delivered units of their transit time
};

// A customer segment's period (models/chain/customers.h): its counts at the
// period's start (after the transitions at t_k, which are this record's), and
// its flows over the period. Units and orders end when met or lost, which may
// be in a later period than they were placed.
struct SegmentPeriod {
  std::int64_t period = 0;
  std::uint32_t segment = kNone;
  double active = 0.0;            // customers buying during the period
  double churned_pool = 0.0;      // customers who left for the service (win-back draws from them)
  double cohort = 0.0;            // of the customers active at time 0, those expected still active
  double acquired = 0.0, won_back = 0.0;                  // transitions at the period's start
  double churned_service = 0.0, churned_intrinsic = 0.0;  // ditto: left for the service, or anyway
  double orders = 0.0, units = 0.0;                        // placed
  double met_at_once = 0.0, met_late = 0.0, on_time = 0.0;  // units ended
  double wait_units = 0.0;        // sum over units met late of their wait (time units)
  double lost_stockout = 0.0, lost_outage = 0.0, lost_patience = 0.0;  // units lost, by why
  Money revenue = 0.0, cogs = 0.0, cost_to_serve = 0.0, acquisition_cost = 0.0;
  double satisfaction = 1.0;      // smoothed experienced fill rate at the period's start
  double goodwill = 1.0;          // the goodwill model's demand multiplier in the period
  double members = 0.0;           // individual mode: active loyalty programme members at the period's end
};

// A returns centre's period for one product (models/chain/recovery.h): the
// units it graded and where they went, and what came back into stock.
struct RecoveryPeriod {
  std::int64_t period = 0;
  std::uint32_t recovery = kNone;  // index in RunShape::recoveries
  Qty graded = 0.0;                // units that arrived and were graded
  // Units put on each route (RecoveryRoute order); a line's rejects count
  // as scrap, so the routes sum to the units graded.
  std::array<Qty, kRecoveryRoutes> routes{};
  Qty restocked = 0.0;             // recovered units that reached their stock
  double restock_wait = 0.0;       // sum over them of units x time from grading to stock
  Money restocked_value = 0.0;     // their unit value
  Money recycled_value = 0.0;      // cash from the recycler
  Money credited = 0.0;            // credit notes from vendors that arrived
  Money cost = 0.0;                // inspection, the routes' costs and scrapping (in cost_returns)
};

// One purchase order completed (fully received) at the buyer, or one block
// of end-customer demand served.
struct Delivery {
  StockId stock = kNone;  // the buyer's stock point (or the retailer's, for customers)
  Time placed = 0.0;      // when the order was placed or the demand arrived
  Time delivered = 0.0;   // when the last unit arrived (or was handed over)
  Qty qty = 0.0;
  bool customer = false;  // end-customer demand (wait at the retailer)
};

// The network a run records, announced to each sink before the first
// observation: its size, names and the structure measures need, never its
// live state (so storage can be sized once, and KPI code reads nothing but
// observations).
struct StockShape {
  std::string name;  // "node/product"
  NodeId node = kNone;
  ProductId product = kNone;
  bool infinite = false;     // a supplier's unlimited source
  bool end_demand = false;   // serves end customers (per-period demand or arrivals)
  bool replenished = false;  // orders from sources or produces
  std::vector<StockId> suppliers;  // the stocks its sources ship from
  int review_bucket = 1;     // periods between reviews (1 under continuous review)
  double unit_value = 0.0;   // the product's unit cost
  bool perishable = false;   // keeps batches by expiry (models/chain/perishable.h)
  bool consigned = false;    // buys on a consignment lane (LaneSpec::consignment)
  Money disposal_cost = 0.0; // per unit expired (perishable)
};
struct NodeShape {
  std::string name;
  std::vector<StockId> stocks;
  Money initial_cash = 0.0;
  bool outside = false;  // outside the network's books (a supplier it does not own)
  std::uint32_t firm = kNone;  // index in RunShape::firms (kNone: none)
  bool consigns = false;  // sells on a consignment lane (LaneSpec::consignment)
};
struct RecoveryShape {
  std::string name;  // "node/product": the returns centre and the product it grades
  NodeId node = kNone;
};
struct ProductShape {
  std::string name;
  double salvage_value = 0.0;  // what a unit left at the horizon is worth
};
struct SegmentShape {
  std::string name;
  double initial = 0.0;        // active customers at time 0
  double discount_rate = 0.0;  // per period, for lifetime value
  Money acquisition_cost = 0.0;  // per customer acquired
};
struct RunShape {
  std::int64_t periods = 0;  // periods recorded (the horizon)
  std::int64_t warmup = 0;   // periods before measurement starts
  Time start = 0.0;          // start of period 0
  double period = 1.0;       // length of a period
  std::vector<StockShape> stocks;  // in id order
  std::vector<NodeShape> nodes;
  std::vector<std::string> lanes;  // lane names
  std::vector<ProductShape> products;
  std::vector<SegmentShape> segments;  // customer segments (none: demand processes only)
  bool perishables = false;  // some stock keeps a perishable product
  std::vector<std::string> firms;  // the firms that own the nodes (none declared: empty)
  std::vector<RecoveryShape> recoveries;  // returns centres' products (docs/returns.md)
  // Start time of period k, as Network::period_start computes it.
  Time period_start(std::int64_t k) const noexcept { return start + static_cast<double>(k) * period; }
};

// What is still open at the horizon, once the last period is recorded: the
// orders the lead-time KPIs cannot count (censored).
struct StockEnd {
  std::size_t open_orders = 0;
  Time oldest_open_order = 0.0;  // when the oldest of them was placed (0 when none)
};
struct RunEnd {
  Time time = 0.0;  // the horizon
  std::vector<StockEnd> stocks;  // in id order
};

// The records of one closed period: every stock point and node, and every
// lane that can carry anything (a source orders along it or a pipeline
// starts on it: a lane no one uses has no records, and its flows are zero),
// each in id order.
struct PeriodRecords {
  std::span<const StockPeriod> stocks;
  std::span<const LanePeriod> lanes;
  std::span<const NodePeriod> nodes;
  std::span<const SegmentPeriod> segments;
  std::span<const RecoveryPeriod> recoveries;
};

// Receives observations. Implementations: time-series storage
// (SeriesRecorder below) and the KPI accumulators. When a period closes each
// sink in turn gets on_period(); its default hands the records one by one to
// on_stock_period, on_lane_period, on_node_period and on_segment_period, in
// that order, and a sink may override it to take the batch at once.
class ObservationSink {
 public:
  virtual ~ObservationSink() = default;
  virtual void on_start(const RunShape&) {}
  virtual void on_period(const PeriodRecords& r) {
    for (const StockPeriod& s : r.stocks) on_stock_period(s);
    for (const LanePeriod& l : r.lanes) on_lane_period(l);
    for (const NodePeriod& n : r.nodes) on_node_period(n);
    for (const SegmentPeriod& g : r.segments) on_segment_period(g);
    for (const RecoveryPeriod& g : r.recoveries) on_recovery_period(g);
  }
  virtual void on_stock_period(const StockPeriod&) {}
  virtual void on_segment_period(const SegmentPeriod&) {}
  virtual void on_recovery_period(const RecoveryPeriod&) {}
  virtual void on_node_period(const NodePeriod&) {}
  virtual void on_lane_period(const LanePeriod&) {}
  virtual void on_delivery(const Delivery&) {}
  virtual void on_end(const RunEnd&) {}
};

// The event log (chainsim run --log): every order, shipment, receipt,
// production start and finish, sale, lost sale, invoice, payment and what-if
// start and end, as it happens. Only a network given a log
// (Network::set_event_log) reports them; without one it costs a test of a
// null pointer at each.
enum class LogEvent : std::uint8_t {
  kOrder,            // a purchase order placed: from the buyer, to the seller
  kShipment,         // a shipment sent: from the seller, to the buyer
  kReceipt,          // a shipment put away: from the seller, to the buyer
  kProductionStart,  // at the node (from = to)
  kProductionDone,
  kSale,             // to end customers (to: none); amount the revenue
  kLostSale,         // end-customer demand lost
  kInvoice,          // issued by the seller (from) to the buyer (to)
  kPayment,          // paid by the buyer (from) to the seller (to)
  kWhatIfStart,
  kWhatIfEnd,
  kExpiry,           // perishable units outdated at a stock (from = to)
};
const char* log_event_name(LogEvent e);

struct LoggedEvent {
  Time time = 0.0;
  const char* phase = "";  // the engine phase it happened in ("receive", ...), or "what-if"
  LogEvent event = LogEvent::kOrder;
  NodeId from = kNone, to = kNone;  // kNone: end customers, or nobody
  ProductId product = kNone;
  Qty qty = 0.0;
  std::uint64_t order = 0;    // the purchase order's id (0: none)
  std::uint64_t invoice = 0;  // the invoice's id (0: none)
  Money amount = 0.0;         // invoices, payments, sales
  const std::string* what_if = nullptr;  // the what-if event's id
};

class EventLog {
 public:
  virtual ~EventLog() = default;
  // Before the first event: the network's names.
  virtual void on_start(const RunShape&) {}
  virtual void on_event(const LoggedEvent& e) = 0;
};

// Keeps every observation in memory, in period order.
class SeriesRecorder final : public ObservationSink {
 public:
  // Reserves room for every period record of the run, so that recording
  // never reallocates (and copies) the series as it grows.
  void on_start(const RunShape& r) override {
    const auto periods = static_cast<std::size_t>(std::max<std::int64_t>(r.periods, 0));
    stocks.reserve(stocks.size() + periods * r.stocks.size());
    nodes.reserve(nodes.size() + periods * r.nodes.size());
    lanes.reserve(lanes.size() + periods * r.lanes.size());
  }
  void on_period(const PeriodRecords& r) override {
    stocks.insert(stocks.end(), r.stocks.begin(), r.stocks.end());
    lanes.insert(lanes.end(), r.lanes.begin(), r.lanes.end());
    nodes.insert(nodes.end(), r.nodes.begin(), r.nodes.end());
    segments.insert(segments.end(), r.segments.begin(), r.segments.end());
  }
  void on_stock_period(const StockPeriod& s) override { stocks.push_back(s); }
  void on_node_period(const NodePeriod& n) override { nodes.push_back(n); }
  void on_lane_period(const LanePeriod& l) override { lanes.push_back(l); }
  void on_segment_period(const SegmentPeriod& g) override { segments.push_back(g); }
  void on_delivery(const Delivery& d) override { deliveries.push_back(d); }

  std::vector<StockPeriod> stocks;  // period-major, stocks in id order within a period
  std::vector<NodePeriod> nodes;
  std::vector<LanePeriod> lanes;
  std::vector<SegmentPeriod> segments;
  std::vector<Delivery> deliveries;
};

}  // namespace chainsim::models

// A supply-chain network ready to run: nodes, stock points and lanes, the
// engine that plays them forward, and the instant driver that runs the
// period phases (models/chain/types.h, docs/timing.md).
//
// Representation. Entities live in three vectors indexed by NodeId, StockId
// and LaneId. Each node has three inboxes (Channel): product (receive phase),
// information (orders-in phase) and finance. A message is pushed into the
// receiver's inbox with its arrival time; arrivals on a period boundary cost
// no engine event (every node runs every phase at a boundary), an arrival
// between boundaries schedules one wake-up event, and a zero-delay arrival
// marks the receiver for its phase at the current instant. The driver is one
// engine event per instant that runs the phases in order over the nodes
// marked for them, looping back when a zero-delay message targets a phase
// that already ran, and yielding to other engine events due at the same
// instant with an earlier or equal priority.
//
// Build one with models/chain/builder.h; run() may be called once.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/chain/customers.h"
#include "models/chain/node.h"
#include "models/chain/observations.h"
#include "models/chain/recovery.h"
#include "models/chain/spec.h"
#include "sim/simulator.h"

namespace chainsim::models {

class WhatIfEngine;

struct ProductInfo {
  std::string name;
  double unit_cost = 0.0;
  double price = 0.0;
  double salvage_value = 0.0;  // a unit left at the horizon
  std::optional<Distribution> shelf_life;  // perishable (models/chain/perishable.h)
  double disposal_cost = 0.0;              // per unit expired
};

// Network-wide running totals used by the conservation audit.
struct UnitTotals {
  Qty initial = 0.0;      // on hand, in transit and in production at time 0
  Qty supplied = 0.0;     // units shipped by unlimited sources
  Qty started = 0.0;      // units started by production lines
  Qty consumed = 0.0;     // units used as components
  Qty sold = 0.0;         // units handed to end customers
  Qty restocked = 0.0;    // customer returns put back on a shelf
  Qty expired = 0.0;      // perishable units outdated
  Qty in_transit = 0.0;   // shipments travelling now
  Qty in_production = 0.0;  // started, not finished
  // Returns centres (models/chain/recovery.h): returns graded enter the
  // network, units recycled or scrapped leave it, and those on their way
  // back to a stock are in recovery.
  Qty graded = 0.0;
  Qty disposed = 0.0;
  Qty in_recovery = 0.0;
};
struct MoneyTotals {
  Money initial_cash = 0.0;
  Money customer_cash = 0.0;           // end-customer sales
  Money invoices_in_transit = 0.0;
  Money payments_in_transit = 0.0;     // amounts travelling
  Money payments_in_transit_settle = 0.0;  // receivables they will close
  Money invoiced = 0.0;  // every invoice so far: the scale of the money that changed hands
};
// One firm's running totals for the per-firm money audit (docs/finance.md,
// firms): what the flows put into and took out of its nodes' cash and
// receivables, counted where the money moves, not read from the accounts.
struct FirmMoney {
  Money initial_cash = 0.0;
  Money customer_cash = 0.0;        // end-customer sales and recyclers' cash
  Money payments_in = 0.0;          // payments its nodes received
  Money payments_out = 0.0;         // payments its nodes sent
  Money credits_received = 0.0;     // credit notes its returns centres received
  Money credits_sent = 0.0;         // credit notes its nodes sent as vendors
  Money invoices_in_transit = 0.0;  // its nodes' invoices on their way to buyers
  Money settles_in_transit = 0.0;   // receivables the payments on their way to its nodes will close
};
// What one firm's nodes hold at an instant, read from their accounts.
struct FirmBooks {
  Money cash = 0.0;
  Money cash_costs = 0.0;   // every cost paid in cash so far, credit notes apart
  Money receivables = 0.0;
  Money owed = 0.0;         // buyers' open payables for the firm's invoices
};
// The per-firm money audit of `firm`: its cash is its initial cash plus its
// customers' cash, less its cash costs, plus the payments and credit notes
// its nodes received less those they sent; its receivables are its buyers' payables to it plus
// its invoices and the payments to it in transit. "" when both hold within
// 1e-6 x `scale`, else what does not, naming the firm.
std::string audit_firm_money(const std::string& firm, const FirmBooks& b, const FirmMoney& m, double scale);

class Network {
 public:
  Network();
  ~Network();
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  // Observers of the run (not owned; must outlive run()). Each gets
  // on_start(shape()) first, then every period's records and deliveries, and
  // on_end() once the last period is recorded.
  void add_sink(ObservationSink* sink) { sinks_.push_back(sink); }
  // Reports every event of the run to `log` (nullptr: none), from now on.
  void set_event_log(EventLog* log);
  // A what-if event `id` starts or ends (the what-if engine tells).
  void log_what_if(const std::string& id, bool start);

  // Plays the horizon forward: periods 0 .. horizon-1, each closed (recorded)
  // at its end. REQUIRES: not run before. Throws ModelError when an invariant
  // breaks, sim::SchedulingError on an engine misuse.
  void run();

  // The entry point for end-customer demand of the demand processes and
  // arrival streams: `qty` units of the stock's product asked for now. With
  // lose_if_unmet, what cannot be shipped at this instant is lost; otherwise
  // it is backordered. (Customer segments place theirs at the period
  // boundary, models/chain/network_customers.cpp.)
  void customer_order(StockId stock, Qty qty, double priority, bool lose_if_unmet);

  // Checks unit and money conservation and the customer audit of every
  // segment; throws ModelError with the figures when they do not balance
  // (tolerance 1e-6 relative).
  void audit() const;

  const std::vector<Node>& nodes() const noexcept { return nodes_; }
  const std::vector<StockPoint>& stocks() const noexcept { return stocks_; }
  const std::vector<Lane>& lanes() const noexcept { return lanes_; }
  const std::vector<ProductInfo>& products() const noexcept { return products_; }
  const std::vector<Segment>& segments() const noexcept { return segments_; }
  // From now on, every delivery to a customer of an individual-mode segment
  // is kept (customers.csv); take them with take_transactions().
  void keep_transactions();
  std::vector<CustomerTransaction> take_transactions() { return std::move(transactions_); }
  // The campaign what-if action (what_if/campaign.cpp): segment g's churned
  // customers are contacted at `cost` each and come back with probability p.
  void campaign(std::uint32_t g, double p, Money cost);
  // The stock point of `product` at `node`, or kNone.
  StockId stock_of(NodeId node, ProductId product) const;
  StockId find_stock(const std::string& node, const std::string& product) const;
  NodeId find_node(const std::string& name) const;

  const std::string& name() const noexcept { return name_; }
  int horizon() const noexcept { return horizon_; }
  int warmup() const noexcept { return warmup_; }
  double period_length() const noexcept { return period_; }
  // Start time of period k: start + k * period (never by repeated addition).
  Time period_start(std::int64_t k) const noexcept {
    return start_ + static_cast<double>(k) * period_;
  }
  sim::Simulator& simulator() noexcept { return sim_; }
  const UnitTotals& unit_totals() const noexcept { return units_; }
  const MoneyTotals& money_totals() const noexcept { return money_; }
  // Per firm, in RunShape::firms order, then the suppliers in no firm (no
  // firms declared: empty): the totals the per-firm money audit checks.
  const std::vector<FirmMoney>& firm_money_totals() const noexcept { return firm_money_; }
  // Passes of the phase loop at the busiest instant (1 = no loop-back).
  int max_passes() const noexcept { return max_passes_; }
  std::uint64_t messages_sent() const noexcept { return messages_sent_; }
  // Whether a replication's results can depend on its random numbers: some
  // source of variation is not degenerate (a demand with noise, a lead time
  // with a spread, a supplier's reliability or yield, a probability or
  // up/down what-if, customer arrivals, returns or segments). False means
  // every replication and seed gives the same results, although the streams
  // are still drawn (draws never depend on the parameters, for common random
  // numbers). Errs on the side of true.
  bool random() const noexcept;
  // The stock records of the period closed last (what a `when` trigger reads).
  const std::vector<StockPeriod>& last_period_stocks() const noexcept { return period_stocks_; }
  // The network as its observers see it (sizes, names, structure).
  const RunShape& shape() const noexcept { return shape_; }

  // --- used by the what-if engine ---
  Node& node_mut(NodeId id) { return nodes_[id]; }
  StockPoint& stock_mut(StockId id) { return stocks_[id]; }
  Lane& lane_mut(LaneId id) { return lanes_[id]; }
  ProductInfo& product_mut(ProductId id) { return products_[id]; }
  // Asks for `phase` (and the later ones) to run for `node` at the current instant.
  void request(NodeId node, Phase phase) {
    if (sim_.now() != instant_) begin_instant(sim_.now(), false);
    Node& n = nodes_[node];
    if (n.dirty == 0) dirty_list_.push_back(node);
    n.dirty |= static_cast<std::uint8_t>((0xFu << static_cast<int>(phase)) & 0xFu);
    if (in_driver_) {
      next_phase_ = std::min(next_phase_, static_cast<int>(phase));
    } else {
      ensure_driver(phase);
    }
  }

 private:
  friend class NetworkBuilder;

  // Driver (network.cpp).
  void begin_instant(Time t, bool boundary);
  void ensure_driver(Phase phase);
  void drive();
  // Runs `body` as an event's action whose driver, if it asks for one, runs
  // at its end: at once when it would be the next event anyway
  // (Simulator::run_next), else as a scheduled event.
  template <class F>
  void as_event(F&& body);
  void run_phase(Phase phase);
  template <Phase P>
  void run_phase_for();
  void boundary(std::int64_t k);
  void close_period(std::int64_t k);
  void record_stocks(std::int64_t k);
  void record_lanes(std::int64_t k);
  void record_nodes(std::int64_t k);
  // Customer segments (network_customers.cpp).
  void customers_begin_period();
  void place_segment_orders(StockPoint& sp);
  Money individual_revenue(StockPoint& sp, const BacklogEntry& line, Qty qty, bool done);
  BacklogEntry& add_customer_line(StockPoint& sp, Qty qty, double priority, Time leave_at);
  void segment_sale(StockPoint& sp, const BacklogEntry& line, Qty qty, Money revenue);
  void segment_lost(const Node& n, const BacklogEntry& line);
  void record_segments(std::int64_t k);
  void audit_customers() const;
  // Time averages over the period: x / 1 is x exactly, so the common unit
  // period skips the division (same bits).
  double per_period(double x) const { return period_ == 1.0 ? x : x / period_; }
  void audit_stocks() const;
  void audit_messages() const;
  void audit_units() const;
  void audit_money() const;
  void audit_firms_money(double scale) const;
  // Node `n`'s index in firm_money_: its firm's, or the last (suppliers in no firm).
  std::size_t firm_bucket(const Node& n) const noexcept { return n.firm == kNone ? firms_.size() : n.firm; }
  // The per-firm totals of node `n`'s firm; nullptr when no firms are declared.
  FirmMoney* firm_money(const Node& n) noexcept {
    return firm_money_.empty() ? nullptr : &firm_money_[firm_bucket(n)];
  }
  bool is_boundary_time(Time t) const {
    // The nearest period index k, then the exact test t == start + k * period.
    // x is within a few ulps of (t - start) / period, and adding 0.5 and
    // truncating differs from rounding only near a half-period, where no
    // boundary lies; so k is the index of t whenever t is a boundary.
    const double x = (t - start_) * inv_period_;
    if (!(x > -0.5)) return false;  // before the start (or NaN)
    if (x >= 0x1p52) return x < 0x1p62 && period_start(static_cast<std::int64_t>(x)) == t;  // integral already
    return period_start(static_cast<std::int64_t>(x + 0.5)) == t;
  }
  // Sending a message is two steps: compose() returns a blank message in
  // the receiver's inbox to fill in place, post() puts it in arrival order
  // and arranges its delivery: a zero-delay message asks for its phase now,
  // one arriving between boundaries schedules a wake-up, one arriving on a
  // boundary waits for it (every node runs every phase there). Nothing may
  // be sent to the same inbox in between.
  Message& compose(NodeId to, Channel Node::*inbox) { return (nodes_[to].*inbox).append(); }
  void post(NodeId to, Channel Node::*inbox, Phase phase, Time arrival) {
    (nodes_[to].*inbox).settle();
    ++messages_sent_;
    if (arrival == sim_.now()) {
      request(to, phase);
    } else if (!is_boundary_time(arrival)) {
      wake(to, phase, arrival);
    }
  }
  // compose() and post() for a message built elsewhere.
  void deliver(NodeId to, Channel Node::*inbox, Phase phase, const Message& m) {
    compose(to, inbox) = m;
    post(to, inbox, phase, m.arrival);
  }
  void wake(NodeId node, Phase phase, Time at);
  void schedule_arrival(StockId stock, std::size_t stream, Time from);

  // Phase handlers (network_phases.cpp).
  void receive(Node& n);
  void receive_return(Node& n, StockPoint& sp, const Message& m);  // a customer return's arrival
  // The seller's invoice for `qty` units of `product` on lane `l` to stock `buyer`.
  void invoice_units(Lane& l, ProductId product, StockId buyer, Qty qty, std::uint64_t ref);
  // Consignment (LaneSpec::consignment): units a seller still owns arrive at
  // `sp`; `used` units leave it (before on_hand falls): the seller's part is
  // invoiced now. Their holding cost goes to the seller (consigned_holding).
  void receive_consigned(StockPoint& sp, LaneId lane, Qty qty);
  void use_consigned(StockPoint& sp, Qty used);
  // Books the period's holding cost of the consigned units to their sellers;
  // returns the part of sp.on_hand_integral the stock's own units make.
  double consigned_holding(StockPoint& sp);
  // Returns centres (network_recovery.cpp): `qty` units arrive at centre
  // `g` now and are graded with draws from `rng` (the selling stock's
  // grading stream); recovered units (kRecovered) reach their stock.
  void grade(Recovery& g, sim::RandomStream& rng, Qty qty);
  void receive_recovered(StockPoint& sp, const Message& m);
  void send_credit(Recovery& g, const RecoveryLine& r, Qty n);
  void receive_credit(Node& n, const Message& m);
  void record_recoveries(std::int64_t k);
  void orders_in(Node& n);
  void fulfil(Node& n);
  void review(Node& n);
  void apply_finance(Node& n, const Message& m);
  void book_invoice(Node& n, Money amount, LaneId lane, std::uint64_t invoice, Time sent);
  void book_payment(Node& n, Money amount, Money settles, LaneId lane);
  // Firms (NodeSpec::firm): the seller and the buyer of `lane` belong to
  // different firms (an outside supplier belongs to none), when firms are declared.
  bool between_firms(LaneId lane) const {
    return !firms_.empty() && nodes_[lanes_[lane].from].firm != nodes_[lanes_[lane].to].firm;
  }
  void ship_from_stock(Node& n, StockPoint& sp);
  // Perishable stocks (models/chain/perishable.h): outdates what expired by
  // now; puts away an arrival's units (the shipment's batches, or a new
  // batch dated now); takes `qty` units for a shipment and returns the slot
  // of their batches in transit_batches_ plus 1.
  void expire_due(StockPoint& sp);
  void put_away_batches(StockPoint& sp, const Message& m);
  std::uint32_t take_transit_batches(StockPoint& seller, Qty qty);
  void dispatch_from_source(Node& n, StockPoint& sp);
  void start_production(Node& n, StockPoint& sp);
  void send_shipment(StockPoint& seller, const BacklogEntry& line, Qty qty, Qty closes, Time extra_delay);
  void sell_to_customer(StockPoint& sp, const BacklogEntry& line, Qty qty);
  void do_review(StockPoint& sp, Qty position_override, bool vmi);
  Qty adjust_order(const StockPoint& sp, Qty wanted, Qty position) const;
  void place_order(StockPoint& sp, Source& src, Qty qty, bool direct);
  void add_order_line(StockPoint& seller, const Message& m);
  void split_order(StockPoint& sp, Qty qty, bool direct);
  void split_in_order(StockPoint& sp, Qty qty, bool direct);
  void split_by_shares(StockPoint& sp, Qty qty, bool direct);
  Qty source_room(const StockPoint& sp, const Source& src) const;
  bool source_up(const Source& src) const;
  Qty echelon_position(const StockPoint& sp) const;
  bool review_due(const StockPoint& sp) const;
  void pay_due(Node& n);
  // The event log's entry, when there is a log.
  void log(LogEvent event, NodeId from, NodeId to, ProductId product, Qty qty, std::uint64_t order = 0,
           Money amount = 0.0, std::uint64_t invoice = 0) {
    if (log_ == nullptr) return;
    LoggedEvent e;
    e.time = sim_.now();
    e.phase = log_phase_;
    e.event = event;
    e.from = from;
    e.to = to;
    e.product = product;
    e.qty = qty;
    e.order = order;
    e.amount = amount;
    e.invoice = invoice;
    log_->on_event(e);
  }
  void touch(StockPoint& sp) {
    const Time now = sim_.now();
    const Time dt = now - sp.integral_from;
    sp.on_hand_integral += sp.on_hand * dt;
    sp.backlog_integral += sp.backlog_qty * dt;
    sp.out_of_stock += sp.on_hand <= 1e-9 ? dt : 0.0;  // round-off dust is not stock
    sp.integral_from = now;
  }
  void touch(Lane& l) {
    const Time now = sim_.now();
    l.in_transit_integral += l.in_transit * (now - l.integral_from);
    l.integral_from = now;
  }

  std::string name_;
  Time start_ = 0.0;
  double period_ = 1.0;
  double inv_period_ = 1.0;  // 1 / period_ (set by run())
  int horizon_ = 1;
  int warmup_ = 0;
  double sharing_delay_ = 0.0;

  sim::Simulator sim_;
  std::vector<ProductInfo> products_;
  std::vector<Node> nodes_;
  std::vector<StockPoint> stocks_;
  std::vector<Lane> lanes_;
  std::vector<std::vector<StockId>> stock_index_;  // [node][product] -> stock
  // POS subscribers of each retailer stock (upstream stocks using shared data).
  std::vector<std::vector<StockId>> pos_subscribers_;
  // sharing.customers: for each stock, the segment channels (segment,
  // channel) at it or below it, whose expected demand it forecasts.
  bool share_customers_ = false;
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> customers_below_;
  Qty expected_customer_demand(const StockPoint& sp) const;
  std::vector<Qty> pos_pending_;  // per stock: end demand not yet shared
  std::vector<Segment> segments_;
  std::unique_ptr<WhatIfEngine> what_if_;
  std::vector<ObservationSink*> sinks_;
  RunShape shape_;  // described once by the builder
  EventLog* log_ = nullptr;
  const char* log_phase_ = "start";  // the phase running, for the log

  // Instant driver state.
  Time instant_ = -kInfinity;
  bool boundary_ = false;
  bool first_pass_ = false;  // the boundary's first orders-in pass has not drawn demand yet
  std::int64_t period_index_ = 0;
  bool in_driver_ = false;
  int next_phase_ = kPhaseCount;
  sim::EventHandle driver_event_;
  int driver_phase_ = -1;
  // While an arrival or wake-up event runs (as_event), the driver it asks
  // for waits for the event's end: the earliest phase asked, or kPhaseCount.
  bool defer_driver_ = false;
  int deferred_phase_ = kPhaseCount;
  std::vector<NodeId> dirty_list_;
  std::vector<NodeId> pass_order_;
  // Phase orders (see run_phase): nodes by depth from the sources, and back.
  std::vector<NodeId> up_order_, down_order_;
  std::vector<int> up_rank_, down_rank_;
  int passes_ = 0;
  int max_passes_ = 0;
  bool ran_ = false;
  bool finished_ = false;

  std::uint64_t next_order_id_ = 0;
  std::uint64_t next_invoice_id_ = 0;
  std::uint64_t messages_sent_ = 0;
  UnitTotals units_;
  MoneyTotals money_;
  // The records of the period being closed (see close_period).
  std::vector<StockPeriod> period_stocks_;
  std::vector<LanePeriod> period_lanes_;
  // The lanes that can carry anything (a source orders along them, or a
  // pipeline starts on them), in id order: the only ones recorded each
  // period. A lane no source uses never carries a unit; its records would
  // all be zero, and a network declaring every pair (SupplyNetPy's
  // benchmark: 4,496 lanes, 186 used) would pay for each of them every
  // period. Its KPIs (docs/kpis.md) are zero all the same.
  std::vector<LaneId> active_lanes_;
  std::vector<LaneId> held_lanes_;  // active lanes with a holding cost on their pipeline
  std::vector<NodePeriod> period_nodes_;
  std::vector<SegmentPeriod> period_segments_;
  std::vector<CustomerTransaction> transactions_;
  std::vector<Qty> scratch_wanted_;
  std::vector<std::size_t> scratch_order_;
  std::vector<std::uint8_t> scratch_up_;
  std::vector<AllocationLine> scratch_lines_;
  std::vector<Qty> scratch_out_;
  // Perishable products (models/chain/perishable.h): the stocks that keep
  // batches, and the batches of shipments travelling between stocks (slots
  // reused through the free list).
  std::vector<StockId> perishable_stocks_;
  // What used capacity this period (nodes dispatching, lanes, production
  // lines), each listed once: the next boundary resets these rather than
  // every node, lane and stock (three sweeps of the whole network a period,
  // with 100,000 stores each a cache miss per entity).
  std::vector<NodeId> capacity_nodes_;
  std::vector<LaneId> capacity_lanes_;
  std::vector<StockId> capacity_lines_;
  template <class Id>
  static void use_capacity(double& used, Id id, std::vector<Id>& list, Qty q) {
    if (used == 0.0 && q != 0.0) list.push_back(id);
    used += q;
  }
  std::vector<std::string> firms_;  // firm names, in order of first appearance (none: no firms)
  std::vector<FirmMoney> firm_money_;  // per firm, then suppliers in none (no firms: empty)
  bool consignment_ = false;  // a lane ships on consignment (LaneSpec::consignment)
  std::vector<std::vector<AgeBatch>> transit_batches_;
  std::vector<std::uint32_t> free_transit_batches_;
  std::vector<Recovery> recoveries_;  // returns centres, one per (node, product) graded
  std::vector<RecoveryPeriod> period_recoveries_;
  Money credits_in_transit_ = 0.0;  // vendors' credit notes travelling to returns centres
};

}  // namespace chainsim::models

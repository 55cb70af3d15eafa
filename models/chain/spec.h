// The scenario as plain data: one struct per YAML mapping, fields named as the
// keys, defaults as member initialisers. The YAML loader fills these; a test
// can fill them in C++ directly; the builder (models/chain/builder.h) checks them
// and turns them into a running Network. Units: quantities in units of the
// product, times in the scenario's time unit (periods are `period` time units
// long, 1 by default), money in the scenario's currency.
//
// docs/scenario-format.md documents every key; the key table in
// models/scenario/keys.cpp is the single list the loader, the reference page
// and the JSON Schema are checked against.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/chain/kinds.h"
#include "models/chain/types.h"
#include "sim/distributions.h"

namespace chainsim::models {

using sim::Distribution;

struct ProductSpec {
  std::string id;          // unique name, required
  double unit_cost = 1.0;  // value of one unit for holding cost and stock valuation, >= 0
  double price = 0.0;      // retail price paid by end customers per unit, >= 0
  std::optional<double> salvage_value;  // a unit left at the horizon; unit_cost when absent, >= 0
  // Perishable: time units a unit lasts from when it first enters a stock
  // (models/chain/perishable.h); absent: the product keeps.
  std::optional<Distribution> shelf_life;
  double disposal_cost = 0.0;  // per unit expired, >= 0 (perishable products only)
};

// How a stock point reviews and what it orders. `type` selects the policy;
// each type reads only its own parameters (docs/scenario-format.md).
struct PolicySpec {
  PolicyType type = PolicyType::kBaseStock;  // policies/policies.def lists them
  ReviewMode review = ReviewMode::kPeriodic;
  int review_period = 1;            // R, periods between reviews, >= 1 (periodic)
  int review_offset = 0;            // first review at period review_offset, 0 <= offset < R
  double S = 0.0;                   // order-up-to level (base_stock, s_S, R_S, echelon)
  double s = 0.0;                   // reorder point of s_S: order when position <= s
  double r = 0.0;                   // reorder point of r_Q: order when position <= r
  double Q = 0.0;                   // lot of r_Q: order the fewest Q that lift position above r
  // forecast_order_up_to: order up to L * forecast + safety stock
  ForecastMethod forecast = ForecastMethod::kMovingAverage;
  int p = 4;                                // moving-average window, reviews >= 1
  double alpha = 0.3;                       // smoothing constant in (0, 1]
  double lead_time = 1.0;                   // L: periods of demand the position covers, >= 0
  double z = 0.0;                           // safety factor
  SafetyStock safety = SafetyStock::kEstimated;  // estimated: z * sd of the window * sqrt(L);
                                                 // constant: z * sigma * sqrt(L)
  double sigma = 0.0;                       // per-period demand sd for constant safety, >= 0
  double initial_forecast = 0.0;            // forecast before any demand is seen
  // beer_game (Sterman 1989): order = max(0, F + alpha_s (S' - (on_hand - backlog) - beta SL))
  double theta = 0.36;               // weight of the newest demand in the forecast F, [0, 1]
  double alpha_s = 0.26;             // fraction of the stock gap ordered per period, [0, 1]
  double beta = 0.34;                // weight of the supply line SL, [0, 1]
  std::optional<double> s_prime;     // S' directly; else desired_inventory + beta * desired_supply_line
  double desired_inventory = 0.0;    // S*
  double desired_supply_line = 0.0;  // SL*
  // scripted: order plan[k] at the k-th review (k = 0, 1, ...)
  std::vector<double> plan;
  AfterPlan after_plan = AfterPlan::kZero;
  // Adjustments applied to every policy's order, in this order:
  double lot_size = 0.0;        // round orders up to a multiple of lot_size (0: off)
  double min_order = 0.0;       // orders below this are raised to it (0: off)
  double max_order = kInfinity; // orders are capped here
};

// Production of a product at a node from components held at the same node.
struct InputSpec {
  std::string product;   // component product id
  double quantity = 1.0; // units of the component per unit of output, > 0
};
struct ProductionSpec {
  std::vector<InputSpec> inputs;     // empty: made from nothing (raw material is free)
  double capacity = kInfinity;       // units started per period, >= 0
  Distribution lead_time = Distribution::constant(1.0);  // from start to finished stock
  double request_delay = 0.0;        // delay of a production order from review to the line
  double batch = 0.0;                // production runs in multiples of this (0: any amount)
  double cost = 0.0;                 // cost per unit produced
  std::vector<double> initial_wip;   // units completing at periods 0, 1, ...
  std::vector<double> initial_requests;  // production orders arriving at periods 0, 1, ...
};

// Per-period demand or customer arrivals at a retailer's stock point.
struct DemandSpec {
  DemandType type = DemandType::kPoisson;  // demand/demand_types.def lists them
  double value = 0.0;            // constant
  double mean = 0.0;             // poisson, normal, negative_binomial, ar1, seasonal (base)
  double sd = 0.0;               // normal, ar1 innovation sd
  double variance = 0.0;         // negative_binomial (> mean)
  double low = 0.0, high = 0.0;  // uniform (integers when both are)
  double before = 0.0, after = 0.0;  // step: `before` until period `at`, then `after`
  int at = 0;
  double amplitude = 0.0;        // seasonal: mean * (1 + amplitude sin(2 pi (k - phase) / cycle))
  double cycle = 52.0;
  double phase = 0.0;
  Noise noise = Noise::kPoisson;  // seasonal and step
  double cv = 0.0;                // seasonal/step with normal noise: sd = cv * mean
  double phi = 0.0;               // ar1: D_k = mean + phi (D_{k-1} - mean) + e_k, |phi| < 1
  std::string file;               // trace: CSV file, one value per line (a header allowed)
  std::string column;             // trace: column name when the CSV has several
  AfterTrace after_trace = AfterTrace::kRepeat;
  std::vector<double> values;     // trace given inline instead of a file
  // trace: the file's values, read by the scenario loader (models/scenario/
  // traces.h) when no values are given inline; not a key of the format.
  std::vector<double> trace;
  Distribution distribution = Distribution::constant(0.0);  // distribution: any distribution
  // arrivals: customers arriving in continuous time
  Distribution interarrival = Distribution::exponential(1.0);
  Distribution size = Distribution::constant(1.0);
  double start = 0.0;             // arrivals: first arrival after this time
  double priority = 0.0;          // allocation priority of these customers (higher first)
};

struct ReturnsSpec {
  double fraction = 0.0;        // share of units sold that come back, [0, 1]
  Distribution delay = Distribution::constant(1.0);  // time from sale to return, >= 0
  double restock_fraction = 1.0;  // share of returned units put back on the shelf, [0, 1]
  double refund = 1.0;            // share of the price refunded, [0, 1]
  double scrap_cost = 0.0;        // cost per unit scrapped
  // The returns centre the returns go to (a node with `recovery` for the
  // product), which grades them; empty: back to this stock, restock_fraction
  // of them on the shelf.
  std::string to;
};

// One route out of a returns centre (docs/returns.md).
struct RecoveryRouteSpec {
  std::optional<RecoveryRoute> route;  // required
  double share = 0.0;            // of the units graded, (0, 1]; a centre's shares sum to 1
  std::string to;                // resell, refurbish, remanufacture: the node whose stock they go back to; vendor: the vendor
  // resell, refurbish, remanufacture: the product the units re-enter stock
  // as (a grade: refurbished, open box...); unset: the returned product.
  std::optional<std::string> product;
  Distribution lead_time = Distribution::constant(0.0);  // from grading (or the line) to that stock, >= 0
  double cost = 0.0;             // per unit put on the route, paid at the centre
  double yield = 1.0;            // refurbish, remanufacture: share of the units that come out good, [0, 1]
  double capacity = kInfinity;   // refurbish, remanufacture: units processed per period, > 0
  double value = 0.0;            // recycle: cash per unit from the recycler, >= 0
  double credit = 0.0;           // vendor: the credit note per unit the vendor (`to`) sends, >= 0
  double credit_delay = 0.0;     // vendor: from sending the units back to the credit note's arrival, >= 0
};

// What a returns centre does with one product's returns.
struct RecoverySpec {
  std::string product;             // required
  double inspection_cost = 0.0;    // per unit graded
  double scrap_cost = 0.0;         // per unit scrapped (the scrap route and units a line rejects)
  std::vector<RecoveryRouteSpec> routes;
};

struct SourceSpec {
  std::string from;    // supplying node id
  std::string lane;    // lane id when several lanes join the same two nodes (optional)
  // Share of the stock's orders placed here (split: shares), in (0, 1]. Give
  // every source of a stock a share, summing to 1, or none: equal shares.
  std::optional<double> share;
};

struct StockSpec {
  std::string product;             // product id, required
  double initial = 0.0;            // on hand at time 0, >= 0
  double initial_backlog = 0.0;    // units owed to end customers at time 0, >= 0
  PolicySpec policy;
  std::vector<SourceSpec> sources; // where orders go; empty with production: made here
  // shares; the cheapest sources with room first (cheapest); the sources
  // with room in the order listed (fallback)
  SplitRule split = SplitRule::kShares;
  GroupSources from_members = GroupSources::kBlock;  // a source naming a node group: which members
  std::optional<ProductionSpec> production;
  std::vector<DemandSpec> demand;  // end-customer demand (retailers)
  std::optional<ReturnsSpec> returns;
  std::optional<Issuing> issuing;  // perishable products only; default fifo
  double storage_capacity = kInfinity;  // orders never lift the position above this
  std::optional<double> holding_cost;   // per unit per time unit; default: the node's
  std::optional<double> backorder_cost; // per unit per time unit backlogged
  std::optional<double> lost_sale_cost; // per unit lost
  std::optional<UnmetDemand> unmet_demand;  // default: the node's
  bool vmi = false;                // the supplier decides this stock's replenishment
  bool use_shared_demand = false;  // forecast from point-of-sale data shared by retailers
};

struct PaymentTermsSpec {
  double net = 0.0;            // invoices are due `net` time units after issue, >= 0
  double discount = 0.0;       // early-payment discount rate, [0, 1)
  double discount_within = 0.0;// paying within this time earns the discount (0: no discount)
};

struct NodeSpec {
  std::string id;                // unique name, required
  // A group of `count` identical nodes, <id>_1 ... <id>_<count>, when > 1
  // (expand_groups makes them; the builder takes expanded specs only).
  int count = 1;
  NodeKind kind = NodeKind::kWarehouse;
  // The firm that owns the node (docs/finance.md, firms): its books
  // consolidate per firm as well as for the network. Once one node names a
  // firm, every node of the network must; suppliers outside it name none.
  std::optional<std::string> firm;
  std::vector<StockSpec> stocks;
  AllocationKind allocation = AllocationKind::kFifo;
  UnmetDemand unmet_demand = UnmetDemand::kBackorder;  // end customers
  double holding_cost = 0.0;     // per unit per time unit on hand (default for stocks)
  double holding_rate = 0.0;     // alternatively, per time unit as a share of unit value
  double backorder_cost = 0.0;   // per unit per time unit of backlog owed
  double lost_sale_cost = 0.0;   // per unit of demand lost
  double ordering_cost = 0.0;    // fixed cost per order placed (per order line)
  double initial_cash = 0.0;
  PaymentTermsSpec payment_terms;  // terms this node pays its suppliers on
  // Suppliers (kind supplier): an unlimited source of every product they sell.
  Distribution lead_time = Distribution::constant(0.0);  // from order receipt to dispatch
  double capacity = kInfinity;     // units dispatched per period (all products)
  double reliability = 1.0;        // probability an order line ships complete, [0, 1]
  double shortfall = 0.0;          // share shipped when not complete, [0, 1)
  std::optional<Distribution> yield;  // share of each shipment that is good, in [0, 1]
  double material_cost = 0.0;      // supplier's own cost per unit shipped
  // The network owns this supplier (an own plant): its books are the
  // network's, and buying from it is internal. A supplier is outside the
  // network by default: what the network pays it is a cost of the network.
  bool owned = false;
  // A returns centre: how it grades each product's returns (docs/returns.md).
  std::vector<RecoverySpec> recovery;
};

struct LaneSpec {
  std::string id;    // default "<from>-><to>"
  std::string from;  // seller (ships)
  std::string to;    // buyer (orders)
  LanePairs pairs = LanePairs::kSourced;  // from or to a node group: which member pairs
  Distribution transport_time = Distribution::constant(1.0);  // shipment transit, >= 0
  std::map<std::string, Distribution> transport_time_by_product;  // overrides per product
  double order_delay = 0.0;     // orders travel upstream in this time, >= 0
  double invoice_delay = 0.0;   // invoices reach the buyer this long after shipping
  double payment_delay = 0.0;   // payments reach the seller this long after sending
  double capacity_per_shipment = kInfinity;  // a shipment above it goes as several
  double capacity_per_period = kInfinity;    // units shipped on the lane per period
  double cost_per_unit = 0.0;     // transport cost per unit, paid by the seller
  double cost_per_shipment = 0.0; // transport cost per shipment, paid by the seller
  double holding_cost = 0.0;      // per unit per time unit in transit, paid by the buyer (cost_holding)
  double price = 0.0;             // price per unit the buyer pays (default all products)
  std::map<std::string, double> price_by_product;
  bool prevent_overtaking = false;  // random transit times never reorder shipments
  // Consignment: the seller owns what it ships on the lane until the buyer
  // uses it (invoiced then, not at shipping), and pays its holding cost.
  bool consignment = false;
  double priority = 0.0;          // the buyer's allocation priority at the seller
  // Pipeline at time 0, element k arriving at period k:
  std::map<std::string, std::vector<double>> initial_shipments;  // per product id
  std::map<std::string, std::vector<double>> initial_orders;     // per product id
};

// A what-if event (docs/scenario-format.md, "events").
// A state trigger: a condition on one stock point, read at every period
// boundary from the periods just closed.
struct WhenSpec {
  std::optional<WhenMeasure> measure;  // required
  std::string node;
  std::string product;            // the node's stock of it (optional for a node's single stock)
  std::optional<double> below, above;  // exactly one
  int over = 1;                   // fill_rate: over this many periods
};

struct EventSpec {
  std::string id;
  // When: exactly one of at / probability / up_down / after.
  std::optional<double> at;            // a fixed time
  std::optional<double> probability;   // each period, independently
  std::optional<double> mean_up;       // two-state process: mean time up (exponential)
  std::optional<double> mean_down;     // and mean time down; the action holds while down
  std::optional<std::string> after;    // another event's id
  std::optional<WhenSpec> when;        // a condition on a stock, at every period boundary
  double delay = 0.0;                  // after the other event, this much later
  std::optional<double> duration;      // revert the action after this long
  // What:
  std::optional<ActionKind> action;  // what_if/actions.def lists them; required
  std::string node;
  std::string lane;
  std::string product;
  std::string parameter;  // policy_parameter: S, s, r, Q, z, ...
  double value = 0.0;     // factor, capacity, price, parameter value, or campaign's return probability
  InTransit in_transit = InTransit::kArrive;  // node_down: shipments to the node
  std::string segment;    // campaign: the customer segment whose churned customers are contacted
  double cost = 0.0;      // campaign: the cost of contacting one customer, >= 0
};

// --- customers (docs/customers.md) -----------------------------------------

// Where a segment buys: one stock point, and the share of the segment's
// orders placed there.
struct ChannelSpec {
  std::string node;     // the node sold from, required
  std::string product;  // the product bought; may be omitted when the node holds one stock
  // Share of the segment's orders placed here, in (0, 1]. Give every channel
  // of a segment a share, summing to 1, or none: equal shares.
  std::optional<double> share;
};

// The orders of one active customer.
struct CustomerOrdersSpec {
  double rate = 1.0;  // orders per active customer per period (Poisson), >= 0
  Distribution size = Distribution::constant(1.0);  // units per order, >= 0
};

// Why customers leave: an intrinsic hazard, and a service-driven part whose
// model `model` chooses (customers/churn_models.def); each model reads only
// its own parameters.
struct ChurnSpec {
  ChurnModel model = ChurnModel::kPerStockout;
  double intrinsic = 0.0;  // probability an active customer leaves each period whatever the service, [0, 1]
  // per_stockout: an order not met at once makes its customer leave with
  // probability q + q_per_period_waited * (periods it waited), at most 1.
  double q = 0.0;                    // [0, 1]
  double q_per_period_waited = 0.0;  // >= 0
  // satisfaction: each period's experienced fill rate f (the share of the
  // period's units met at once) is smoothed, s <- (1 - smoothing) s + smoothing f;
  // each active customer leaves with probability
  // min(1, sensitivity * max(0, target - s)).
  double smoothing = 0.3;    // (0, 1]
  double target = 0.95;      // [0, 1]
  double sensitivity = 1.0;  // >= 0
  // goodwill: a multiplier g on the segment's order rate, starting at 1;
  // after a period with an order placed and not met at once g <- max(floor, g (1 - down)),
  // after one without, g <- min(1, g (1 + up)). Customers do not leave for it.
  double down = 0.1;   // [0, 1]
  double up = 0.05;    // >= 0
  double floor = 0.0;  // [0, 1]
};

// New customers: `per_period` on average (Poisson) plus word of mouth, each
// active customer bringing `word_of_mouth` new ones per period times the
// segment's satisfaction.
struct AcquisitionSpec {
  double per_period = 0.0;     // >= 0
  double word_of_mouth = 0.0;  // >= 0
  double cost = 0.0;           // paid per customer acquired
};

// What serving the segment costs, besides the goods.
struct CostToServeSpec {
  double per_order = 0.0;     // per order placed
  double per_unit = 0.0;      // per unit delivered
  double per_customer = 0.0;  // per active customer per period
};

// Individual mode: how customers differ (the BG/NBD model's heterogeneity,
// Fader, Hardie & Lee 2005). Each customer's order rate is drawn once from a
// Gamma with shape rate_shape and mean orders.rate (rate_shape 0: every
// customer at orders.rate); after each order, the customer leaves for good
// with its own probability p, drawn once from Beta(dropout_a, dropout_b)
// (both 0: no such dropout).
struct HeterogeneitySpec {
  double rate_shape = 0.0;  // >= 0
  double dropout_a = 0.0;   // >= 0
  double dropout_b = 0.0;   // >= 0
};

// Individual mode: a loyalty programme. A customer becomes a member after
// `after_purchases` purchases (orders with a unit delivered) and stays one;
// members pay the price less `discount`, their leaving probabilities are
// multiplied by churn_factor (at most 1), and each costs cost_per_member per
// period.
struct LoyaltySpec {
  double after_purchases = 0.0;  // a whole number >= 1; 0: no programme
  double discount = 0.0;         // [0, 1]
  double churn_factor = 1.0;     // >= 0
  double cost_per_member = 0.0;  // >= 0
};

// A customer segment: customers who buy through the channels, churn with the
// service they get, come back and are acquired (population mode: counts per
// segment, binomial transitions at the period boundary; individual mode: one
// record per customer).
struct SegmentSpec {
  std::string id;                     // unique segment id, required
  double size = 0.0;                  // active customers at time 0, a whole number >= 0
  std::vector<ChannelSpec> channels;  // where it buys, at least one
  CustomerOrdersSpec orders;
  double priority = 0.0;              // allocation priority of its orders (higher first)
  double price_factor = 1.0;          // its price: the product's price times this, >= 0
  // The share of its purchases it returns: the channel stock's returns
  // fraction times this (capped at 1), >= 0.
  double return_factor = 1.0;
  CustomerUnmet unmet = CustomerUnmet::kStock;
  double patience = 0.0;              // unmet: patience, the longest wait in time units, >= 0
  double promised_lead_time = 0.0;    // time units; units met within it are on time (OTIF), >= 0
  ChurnSpec churn;
  double win_back = 0.0;              // probability a customer who left for the service returns each period, [0, 1]
  AcquisitionSpec acquisition;
  CostToServeSpec cost_to_serve;
  double discount_rate = 0.0;         // per period, for lifetime value, >= 0
  CustomerMode mode = CustomerMode::kPopulation;
  HeterogeneitySpec heterogeneity;    // individual mode only
  LoyaltySpec loyalty;                // individual mode only
};

struct SharingSpec {
  bool pos = false;    // retailers share point-of-sale demand with every upstream node
  double delay = 0.0;  // the shared data arrives this long after the sale
  // Customer state (each segment's active customers and their order rates)
  // is known up the chain: a forecasting stock with customer segments below
  // it (or buying from it) forecasts the demand their state implies.
  bool customers = false;
};

struct ScenarioSpec {
  std::string name = "scenario";
  std::string description;
  std::string time_unit = "period";
  double period = 1.0;       // length of a period in time units, > 0
  int horizon = 52;          // periods simulated, >= 1
  int warmup = 0;            // periods excluded from flow KPIs, 0 <= warmup < horizon
  std::uint64_t seed = 1;
  int replications = 1;
  std::vector<ProductSpec> products;
  std::vector<NodeSpec> nodes;
  std::vector<LaneSpec> lanes;
  std::vector<EventSpec> events;
  std::vector<SegmentSpec> customers;
  SharingSpec sharing;
  // firms: as the nodes' `firm` keys say; private: one firm owns every node
  // of the network, trade between them is not invoiced and the `firm` keys
  // are ignored; independent: each node of the network is a firm of its own
  // (named by its id), the `firm` keys ignored.
  Ownership ownership = Ownership::kFirms;
  bool record_timeseries = true;  // keep per-period records (off for very long runs)
};

}  // namespace chainsim::models

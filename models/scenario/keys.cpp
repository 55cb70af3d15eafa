#include "models/scenario/keys.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "models/chain/kinds.h"

namespace chainsim::models {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The names of an enum's values, in order.
template <typename E>
std::vector<std::string> names() {
  std::vector<std::string> out;
  for (std::string_view n : enum_names<E>()) out.emplace_back(n);
  return out;
}

// Small constructors that keep the table readable.
KeyInfo key(std::string name, KeyType type, std::string doc, std::string def = "") {
  KeyInfo k;
  k.name = std::move(name);
  k.type = type;
  k.doc = std::move(doc);
  k.default_text = std::move(def);
  return k;
}
KeyInfo req(KeyInfo k) {
  k.required = true;
  return k;
}
KeyInfo nonneg(KeyInfo k) {
  k.minimum = 0;
  return k;
}
KeyInfo positive(KeyInfo k) {
  k.minimum = 0;
  k.exclusive_minimum = true;
  return k;
}
// In (0, 1].
KeyInfo positive_share(KeyInfo k) {
  k.minimum = 0;
  k.exclusive_minimum = true;
  k.maximum = 1;
  return k;
}
KeyInfo unit(KeyInfo k) {
  k.minimum = 0;
  k.maximum = 1;
  return k;
}
KeyInfo at_most(KeyInfo k, double maximum) {
  k.maximum = maximum;
  return k;
}
KeyInfo infinite_ok(KeyInfo k) {
  k.allow_infinity = true;
  return k;
}
KeyInfo of(KeyInfo k, std::string section) {
  k.section = std::move(section);
  return k;
}
KeyInfo one_of(KeyInfo k, std::vector<std::string> values) {
  k.values = std::move(values);
  return k;
}
// Required for these types (of the ones it applies to).
KeyInfo needed(KeyInfo k, std::vector<std::string> types) {
  k.required_for = std::move(types);
  return k;
}
KeyInfo only(KeyInfo k, std::vector<std::string> types) {
  k.only_for = std::move(types);
  return k;
}

std::vector<KeyInfo> stock_keys() {
  return {
      req(key("product", KeyType::kString, "Product id of this stock point.")),
      nonneg(key("initial", KeyType::kNumber, "Units on hand at time 0.", "0")),
      nonneg(key("initial_backlog", KeyType::kNumber, "Units owed to end customers at time 0.", "0")),
      of(key("policy", KeyType::kSection, "Replenishment policy (see policy).", "base_stock with S = 0"), "policy"),
      key("sources", KeyType::kSourceList,
          "Where orders go: node ids, or mappings {from, lane, share}.", "none"),
      key("from", KeyType::kString, "Shorthand for a single source: sources: [from]."),
      one_of(key("split", KeyType::kEnum, "How orders are split among several sources.", "shares"),
             names<SplitRule>()),
      of(key("production", KeyType::kSection, "Made here from components (see production)."),
         "production"),
      of(key("demand", KeyType::kSectionOrList,
             "End-customer demand: one process or a list (see demand)."),
         "demand"),
      of(key("returns", KeyType::kSection, "Customer returns (see returns)."), "returns"),
      infinite_ok(positive(key("storage_capacity", KeyType::kNumber,
                               "Orders never lift the inventory position above this (units).", ".inf"))),
      nonneg(key("holding_cost", KeyType::kNumber, "Per unit on hand per time unit.", "the node's")),
      nonneg(key("backorder_cost", KeyType::kNumber, "Per unit backlogged per time unit.", "the node's")),
      nonneg(key("lost_sale_cost", KeyType::kNumber, "Per unit of demand lost.", "the node's")),
      one_of(key("unmet_demand", KeyType::kEnum,
                 "End-customer demand that cannot be met at once: backordered or lost.", "the node's"),
             names<UnmetDemand>()),
      key("vmi", KeyType::kBoolean, "Vendor-managed: the supplier decides this stock's replenishment.",
          "false"),
      key("use_shared_demand", KeyType::kBoolean,
          "Forecast from the end demand shared by the retailers downstream (point of sale).", "false"),
  };
}

KeyInfo remove_key() {
  return key("remove", KeyType::kBoolean,
             "In a scenario that extends a baseline: delete the baseline's item with this id.", "false");
}

SectionInfo section(std::string name, std::string doc, std::vector<KeyInfo> keys, std::string type_key = "",
                    std::vector<std::string> types = {}) {
  SectionInfo s;
  s.name = std::move(name);
  s.doc = std::move(doc);
  s.keys = std::move(keys);
  s.type_key = std::move(type_key);
  s.types = std::move(types);
  return s;
}

std::vector<SectionInfo> build_sections() {
  std::vector<SectionInfo> s;

  s.push_back(section("scenario", "The top level of a scenario file.",
               {
                   key("extends", KeyType::kString,
                       "A baseline scenario file this one modifies (path relative to this file)."),
                   key("name", KeyType::kString, "Name of the scenario (the default output folder).",
                       "the file name"),
                   key("description", KeyType::kString, "What the scenario shows.", ""),
                   key("time_unit", KeyType::kString, "Name of the time unit (day, week, ...).", "period"),
                   positive((key("period", KeyType::kNumber, "Length of a period in time units.", "1"))),
                   req(positive(key("horizon", KeyType::kInteger, "Number of periods simulated (>= 1)."))),
                   nonneg(key("warmup", KeyType::kInteger, "Periods excluded from flow KPIs (< horizon).", "0")),
                   nonneg(key("seed", KeyType::kInteger, "Random seed.", "1")),
                   at_most(positive(key("replications", KeyType::kInteger,
                                       "Independent replications (1 to 10000: `chainsim sweep` runs more).", "1")),
                           kMaxReplications),
                   req(of(key("products", KeyType::kSectionList, "The products."), "product")),
                   req(of(key("nodes", KeyType::kSectionList, "The nodes."), "node")),
                   of(key("lanes", KeyType::kSectionList, "The lanes between nodes.", "none"), "lane"),
                   of(key("events", KeyType::kSectionList, "What-if events.", "none"), "event"),
                   of(key("sharing", KeyType::kSection, "Information sharing.", "off"), "sharing"),
               }));

  s.push_back(section("product", "A product (SKU).",
               {
                   req(key("id", KeyType::kString, "Unique product id.")),
                   nonneg(key("unit_cost", KeyType::kNumber,
                              "Value of one unit: holding cost rates and stock valuation.", "1")),
                   nonneg(key("price", KeyType::kNumber, "Retail price paid by end customers per unit.", "0")),
                   nonneg(key("salvage_value", KeyType::kNumber,
                              "Value of one unit left in stock at the horizon (the KPI inventory_value_end).",
                              "unit_cost")),
               }));

  SectionInfo node = section("node",
                   "A supplier, factory, warehouse or retailer. A node with a single stock point may "
                   "give the stock's keys directly instead of a stocks list.",
                   {
                       req(key("id", KeyType::kString, "Unique node id.")),
                       one_of(key("kind", KeyType::kEnum, "What the node is.", "warehouse"),
                              names<NodeKind>()),
                       of(key("stocks", KeyType::kSectionList, "Stock points, one per product held."), "stock"),
                       one_of(key("allocation", KeyType::kEnum, "Sharing short stock among backlog lines.", "fifo"),
                              names<AllocationKind>()),
                       nonneg(key("holding_cost", KeyType::kNumber,
                                  "Per unit on hand per time unit (default for its stocks).", "0")),
                       nonneg(key("holding_rate", KeyType::kNumber,
                                  "Holding cost per time unit as a share of unit value.", "0")),
                       nonneg(key("backorder_cost", KeyType::kNumber,
                                  "Per unit backlogged per time unit (default for its stocks).", "0")),
                       nonneg(key("lost_sale_cost", KeyType::kNumber,
                                  "Per unit of end demand lost (default for its stocks).", "0")),
                       one_of(key("unmet_demand", KeyType::kEnum,
                                  "End demand that cannot be met at once: backordered or lost (default for its stocks).",
                                  "backorder"),
                              names<UnmetDemand>()),
                       nonneg(key("ordering_cost", KeyType::kNumber, "Fixed cost per order line placed.", "0")),
                       key("initial_cash", KeyType::kNumber, "Cash at time 0.", "0"),
                       of(key("payment_terms", KeyType::kSection, "Terms this node pays its suppliers on.",
                              "pay at once"),
                          "payment_terms"),
                       key("lead_time", KeyType::kDistribution,
                           "Supplier: time from an order line's dispatch decision to departure.", "0"),
                       infinite_ok(nonneg(key("capacity", KeyType::kNumber,
                                              "Supplier: units dispatched per period, all products.", ".inf"))),
                       unit(key("reliability", KeyType::kNumber,
                                "Supplier: probability an order line ships complete.", "1")),
                       unit(key("shortfall", KeyType::kNumber,
                                "Supplier: share of a line shipped when it is not complete (< 1).", "0")),
                       key("yield", KeyType::kDistribution,
                           "Supplier: good share of each shipment, drawn per line, clamped to [0, 1].", "1"),
                       nonneg(key("material_cost", KeyType::kNumber, "Supplier: own cost per unit shipped.", "0")),
                   });
  for (KeyInfo k : stock_keys()) {
    if (k.name == "product") k.required = false;  // only for the shorthand
    if (node.find(k.name) == nullptr) node.keys.push_back(k);
  }
  // The node's defaults for its stocks share names with the stock keys.
  s.push_back(node);

  s.push_back(section("stock", "One product held at a node.", stock_keys()));

  std::vector<std::string> all_policies = names<PolicyType>();
  const std::vector<std::string> level = {"base_stock", "R_S", "echelon_base_stock", "s_S"};
  const std::vector<std::string> fc = {"forecast_order_up_to"};
  const std::vector<std::string> bg = {"beer_game"};
  s.push_back(section("policy",
               "A replenishment policy. docs/policies.md explains each type.",
               {
                   req(one_of(key("type", KeyType::kEnum, "The policy."), all_policies)),
                   one_of(key("review", KeyType::kEnum, "Review periodically or whenever the position changes.",
                              "periodic"),
                          names<ReviewMode>()),
                   positive(key("review_period", KeyType::kInteger, "R: periods between reviews.", "1")),
                   nonneg(key("review_offset", KeyType::kInteger, "First review period, in [0, R).", "0")),
                   needed(only(key("S", KeyType::kNumber,
                                   "Order-up-to level (units; echelon level for echelon_base_stock)."),
                               level),
                          level),
                   needed(only(key("s", KeyType::kNumber, "Reorder point: order when the position is <= s."), {"s_S"}),
                          {"s_S"}),
                   needed(only(key("r", KeyType::kNumber, "Reorder point: order when the position is <= r."), {"r_Q"}),
                          {"r_Q"}),
                   needed(only(positive(key("Q", KeyType::kNumber,
                                            "Lot: order the fewest Q that lift the position above r.")),
                               {"r_Q"}),
                          {"r_Q"}),
                   only(one_of(key("forecast", KeyType::kEnum, "Forecasting method.", "moving_average"),
                               names<ForecastMethod>()),
                        fc),
                   only(positive(key("p", KeyType::kInteger, "Moving-average window (reviews).", "4")), fc),
                   only(unit(key("alpha", KeyType::kNumber, "Exponential smoothing constant, in (0, 1].", "0.3")), fc),
                   only(nonneg(key("lead_time", KeyType::kNumber,
                                   "L: periods of demand the order-up-to level covers.", "1")),
                        fc),
                   only(key("z", KeyType::kNumber, "Safety factor.", "0"), fc),
                   only(one_of(key("safety", KeyType::kEnum,
                                   "estimated: z * sd of the window * sqrt(L); constant: z * sigma * sqrt(L).",
                                   "estimated"),
                               names<SafetyStock>()),
                        fc),
                   only(nonneg(key("sigma", KeyType::kNumber, "Per-period demand sd for constant safety stock.", "0")),
                        fc),
                   only(key("initial_forecast", KeyType::kNumber, "Forecast before any demand is seen.", "0"),
                        {"forecast_order_up_to", "beer_game"}),
                   only(unit(key("theta", KeyType::kNumber, "Weight of the newest demand in the forecast.", "0.36")),
                        bg),
                   only(unit(key("alpha_s", KeyType::kNumber, "Share of the stock gap ordered per period.", "0.26")),
                        bg),
                   only(unit(key("beta", KeyType::kNumber, "Weight of the supply line.", "0.34")), bg),
                   only(key("s_prime", KeyType::kNumber, "S': desired stock + beta * desired supply line.",
                            "desired_inventory + beta * desired_supply_line"),
                        bg),
                   only(key("desired_inventory", KeyType::kNumber, "S*: desired effective inventory.", "0"), bg),
                   only(key("desired_supply_line", KeyType::kNumber, "SL*: desired supply line.", "0"), bg),
                   needed(only(key("plan", KeyType::kNumberList, "Order quantity at each review."), {"scripted"}),
                          {"scripted"}),
                   only(one_of(key("after_plan", KeyType::kEnum, "What to order after the plan.", "zero"),
                               names<AfterPlan>()),
                        {"scripted"}),
                   nonneg(key("lot_size", KeyType::kNumber, "Round orders up to a multiple of this (0: off).", "0")),
                   nonneg(key("min_order", KeyType::kNumber, "Orders below this are raised to it (0: off).", "0")),
                   infinite_ok(nonneg(key("max_order", KeyType::kNumber, "Orders are capped here.", ".inf"))),
               },
               "type",
               all_policies));

  s.push_back(section("source",
               "One source of a stock.",
               {
                   req(key("from", KeyType::kString, "The supplying node.")),
                   key("lane", KeyType::kString, "The lane, when several join the two nodes.", "the only lane"),
                   positive_share(key("share", KeyType::kNumber,
                                      "Share of the stock's orders placed with this source (split: shares); "
                                      "give every source a share, the shares summing to 1, or none.",
                                      "equal shares")),
               }));

  s.push_back(section("production",
               "Production of the stock's product here, from components held at the same node.",
               {
                   of(key("inputs", KeyType::kSectionList, "Bill of materials (empty: from free raw material).",
                          "[]"),
                      "input"),
                   infinite_ok(nonneg(key("capacity", KeyType::kNumber, "Units started per period.", ".inf"))),
                   key("lead_time", KeyType::kDistribution, "From start to finished stock (time units).", "1"),
                   nonneg(key("request_delay", KeyType::kNumber,
                              "Delay of a production order from the review to the line.", "0")),
                   nonneg(key("batch", KeyType::kNumber,
                              "Production runs in whole batches of this; requests are rounded up to them (0: any amount).",
                              "0")),
                   nonneg(key("cost", KeyType::kNumber, "Cost per unit produced.", "0")),
                   key("initial_wip", KeyType::kNumberList, "Units finishing at periods 0, 1, ...", "[]"),
                   key("initial_requests", KeyType::kNumberList, "Production orders reaching the line at periods 0, 1, ...",
                       "[]"),
               }));

  s.push_back(section("input",
               "A component of a bill of materials.",
               {
                   req(key("product", KeyType::kString, "Component product id.")),
                   positive(key("quantity", KeyType::kNumber, "Units of the component per unit made.", "1")),
               }));

  std::vector<std::string> dtypes = names<DemandType>();
  s.push_back(section("demand",
               "End-customer demand at a stock point: per period, or customers arriving in continuous time.",
               {
                   req(one_of(key("type", KeyType::kEnum, "The process."), dtypes)),
                   needed(only(nonneg(key("value", KeyType::kNumber, "Demand every period.")), {"constant"}),
                          {"constant"}),
                   needed(only(nonneg(key("mean", KeyType::kNumber, "Mean demand per period.")),
                               {"poisson", "normal", "negative_binomial", "seasonal", "ar1"}),
                          {"poisson", "normal", "negative_binomial", "seasonal", "ar1"}),
                   needed(only(nonneg(key("sd", KeyType::kNumber, "Standard deviation (ar1: of the innovation).")),
                               {"normal", "ar1"}),
                          {"normal", "ar1"}),
                   needed(only(nonneg(key("variance", KeyType::kNumber, "Variance (> mean).")), {"negative_binomial"}),
                          {"negative_binomial"}),
                   needed(only(nonneg(key("low", KeyType::kNumber, "Lowest value.")), {"uniform"}), {"uniform"}),
                   needed(only(nonneg(key("high", KeyType::kNumber, "Highest value.")), {"uniform"}), {"uniform"}),
                   needed(only(nonneg(key("before", KeyType::kNumber, "Mean before the step.")), {"step"}), {"step"}),
                   needed(only(nonneg(key("after", KeyType::kNumber, "Mean from the step on.")), {"step"}), {"step"}),
                   needed(only(nonneg(key("at", KeyType::kInteger, "Period of the step.")), {"step"}), {"step"}),
                   only(key("amplitude", KeyType::kNumber, "Relative amplitude of the season.", "0"), {"seasonal"}),
                   only(positive(key("cycle", KeyType::kNumber, "Periods per season.", "52")), {"seasonal"}),
                   only(key("phase", KeyType::kNumber, "Shift of the season (periods).", "0"), {"seasonal"}),
                   only(one_of(key("noise", KeyType::kEnum, "Noise around the mean.", "poisson"),
                               names<Noise>()),
                        {"step", "seasonal"}),
                   only(nonneg(key("cv", KeyType::kNumber, "Coefficient of variation of normal noise.", "0")),
                        {"step", "seasonal"}),
                   needed(only(key("phi", KeyType::kNumber, "Autocorrelation, in (-1, 1)."), {"ar1"}), {"ar1"}),
                   only(key("file", KeyType::kString, "CSV file of per-period demand (relative to the scenario)."),
                        {"trace"}),
                   only(key("column", KeyType::kString, "Column of the CSV.", "the only one"), {"trace"}),
                   only(one_of(key("after_trace", KeyType::kEnum, "After the trace ends.", "repeat"),
                               names<AfterTrace>()),
                        {"trace"}),
                   only(key("values", KeyType::kNumberList, "The trace inline, instead of a file."), {"trace"}),
                   only(key("distribution", KeyType::kDistribution, "Any distribution, drawn each period."),
                        {"distribution"}),
                   only(key("interarrival", KeyType::kDistribution, "Time between customers.", "exponential(1)"),
                        {"arrivals"}),
                   only(key("size", KeyType::kDistribution, "Units per customer.", "1"), {"arrivals"}),
                   only(nonneg(key("start", KeyType::kNumber, "The first customer comes one inter-arrival time after this.",
                                   "0")),
                        {"arrivals"}),
                   key("priority", KeyType::kNumber, "Allocation priority of these customers (higher first).", "0"),
               },
               "type",
               dtypes));

  s.push_back(section("returns",
               "Customer returns: a share of units sold comes back.",
               {
                   unit(key("fraction", KeyType::kNumber, "Share of units sold that come back.", "0")),
                   key("delay", KeyType::kDistribution, "Time from sale to return.", "1"),
                   unit(key("restock_fraction", KeyType::kNumber, "Share of returns put back on the shelf.", "1")),
                   unit(key("refund", KeyType::kNumber, "Share of the price refunded.", "1")),
                   nonneg(key("scrap_cost", KeyType::kNumber, "Cost per unit scrapped.", "0")),
               }));

  s.push_back(section("payment_terms",
               "When a node pays its suppliers' invoices.",
               {
                   nonneg(key("net", KeyType::kNumber, "Invoices are due this long after issue (time units).", "0")),
                   key("discount", KeyType::kNumber, "Early-payment discount rate, in [0, 1).", "0"),
                   nonneg(key("discount_within", KeyType::kNumber, "Paying within this time earns the discount.",
                              "0")),
               }));

  s.push_back(section("lane",
               "A directed link: the seller ships along it, the buyer's orders travel the other way.",
               {
                   key("id", KeyType::kString, "Unique lane id.", "from->to"),
                   req(key("from", KeyType::kString, "The seller.")),
                   req(key("to", KeyType::kString, "The buyer.")),
                   key("transport_time", KeyType::kDistribution, "Transit time of a shipment (time units).", "1"),
                   key("transport_time_by_product", KeyType::kDistributionMap, "Transit time per product.", "{}"),
                   nonneg(key("order_delay", KeyType::kNumber, "Orders take this long to reach the seller.", "0")),
                   nonneg(key("invoice_delay", KeyType::kNumber, "Invoices reach the buyer this long after shipping.",
                              "0")),
                   nonneg(key("payment_delay", KeyType::kNumber, "Payments reach the seller this long after sending.",
                              "0")),
                   infinite_ok(positive(key("capacity_per_shipment", KeyType::kNumber,
                                            "A larger shipment goes as several (units).", ".inf"))),
                   infinite_ok(positive(key("capacity_per_period", KeyType::kNumber,
                                            "Units shipped on the lane per period.", ".inf"))),
                   nonneg(key("cost_per_unit", KeyType::kNumber, "Transport cost per unit, paid by the seller.", "0")),
                   nonneg(key("cost_per_shipment", KeyType::kNumber, "Transport cost per shipment.", "0")),
                   nonneg(key("price", KeyType::kNumber, "Price per unit the buyer pays (all products).", "0")),
                   key("price_by_product", KeyType::kNumberMap, "Price per product.", "{}"),
                   key("prevent_overtaking", KeyType::kBoolean, "Random transit times never reorder shipments.",
                       "false"),
                   key("priority", KeyType::kNumber, "The buyer's allocation priority at the seller.", "0"),
                   key("initial_shipments", KeyType::kPipeline,
                       "In transit at time 0: element k arrives at period k (list, or product -> list).", "[]"),
                   key("initial_orders", KeyType::kPipeline,
                       "Orders travelling at time 0: element k reaches the seller at period k.", "[]"),
               }));

  s.push_back(section("event",
               "A what-if event: a trigger and an action (docs/scenario-format.md, Events).",
               {
                   key("id", KeyType::kString, "Unique event id.", "event<index>"),
                   nonneg(key("at", KeyType::kNumber, "Trigger: at this time.")),
                   unit(key("probability", KeyType::kNumber, "Trigger: each period with this probability.")),
                   positive(key("mean_up", KeyType::kNumber, "Trigger: up/down process, mean time up.")),
                   positive(key("mean_down", KeyType::kNumber, "Up/down process: mean time down (action held).")),
                   key("after", KeyType::kString, "Trigger: when this other event fires."),
                   nonneg(key("delay", KeyType::kNumber, "With after: this much later.", "0")),
                   nonneg(key("duration", KeyType::kNumber, "Revert the action after this long.", "permanent")),
                   req(one_of(key("action", KeyType::kEnum, "What happens."),
                              names<ActionKind>())),
                   key("node", KeyType::kString, "The node acted on."),
                   key("lane", KeyType::kString, "The lane acted on."),
                   key("product", KeyType::kString, "The product acted on."),
                   key("parameter", KeyType::kString, "policy_parameter: the parameter's name (S, s, r, Q, z, ...)."),
                   infinite_ok(key("value", KeyType::kNumber, "Factor, capacity, price or parameter value.", "0")),
                   one_of(key("in_transit", KeyType::kEnum, "node_down: shipments to the node arrive or are held.",
                              "arrive"),
                          names<InTransit>()),
               }));

  s.push_back(section("sharing",
               "Information sharing.",
               {
                   key("pos", KeyType::kBoolean,
                       "Retailers share point-of-sale demand with every upstream stock, which forecasts from it.",
                       "false"),
                   nonneg(key("delay", KeyType::kNumber, "The shared data arrives this long after the sale.", "0")),
               }));

  const std::vector<std::string> dist_types = {"constant", "poisson", "normal", "truncated_normal", "lognormal",
                                               "gamma", "exponential", "uniform", "uniform_int", "negative_binomial",
                                               "empirical"};
  s.push_back(section("distribution",
               "A probability distribution; a plain number means a constant. Every variate is drawn by "
               "inversion from one uniform (docs/engine.md).",
               {
                   req(one_of(key("type", KeyType::kEnum, "The family."), dist_types)),
                   only(key("value", KeyType::kNumber, "The constant."), {"constant"}),
                   only(key("mean", KeyType::kNumber, "Mean."),
                        {"poisson", "normal", "truncated_normal", "lognormal", "exponential", "gamma",
                         "negative_binomial"}),
                   only(nonneg(key("sd", KeyType::kNumber, "Standard deviation.")),
                        {"normal", "truncated_normal", "lognormal", "gamma"}),
                   only(key("lower", KeyType::kNumber, "Lower truncation point.", "0"), {"truncated_normal"}),
                   only(positive(key("shape", KeyType::kNumber, "Shape k (or give mean and sd).")), {"gamma"}),
                   only(positive(key("scale", KeyType::kNumber, "Scale theta.")), {"gamma"}),
                   only(key("low", KeyType::kNumber, "Lower bound."), {"uniform", "uniform_int"}),
                   only(key("high", KeyType::kNumber, "Upper bound."), {"uniform", "uniform_int"}),
                   only(positive(key("r", KeyType::kNumber, "Number of successes (or give mean and variance).")),
                        {"negative_binomial"}),
                   only(unit(key("p", KeyType::kNumber, "Success probability.")), {"negative_binomial"}),
                   only(positive(key("variance", KeyType::kNumber, "Variance (> mean).")), {"negative_binomial"}),
                   only(key("values", KeyType::kNumberList, "Values."), {"empirical"}),
                   only(key("weights", KeyType::kNumberList, "Their weights.", "equal"), {"empirical"}),
               },
               "type",
               dist_types));
  for (SectionInfo& sec : s) {
    if (sec.name == "product" || sec.name == "node" || sec.name == "stock" || sec.name == "lane" ||
        sec.name == "event" || sec.name == "input") {
      sec.keys.push_back(remove_key());
    }
  }
  return s;
}

}  // namespace

const KeyInfo* SectionInfo::find(std::string_view k) const {
  for (const KeyInfo& ki : keys) {
    if (ki.name == k) return &ki;
  }
  return nullptr;
}

const std::vector<SectionInfo>& scenario_sections() {
  static const std::vector<SectionInfo> sections = build_sections();
  return sections;
}

const SectionInfo& scenario_section(std::string_view name) {
  for (const SectionInfo& s : scenario_sections()) {
    if (s.name == name) return s;
  }
  throw std::logic_error("no scenario section " + std::string(name));
}

std::vector<std::string> close_keys(const SectionInfo& section, std::string_view k) {
  std::vector<std::string> names;
  for (const KeyInfo& ki : section.keys) names.push_back(ki.name);
  return close_names(names, k);
}

std::vector<std::string> close_names(const std::vector<std::string>& names, std::string_view k) {
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      }
      std::swap(prev, cur);
    }
    return prev[b.size()];
  };
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const std::string& name : names) {
    const std::size_t d = distance(k, name);
    const std::size_t limit = k.size() <= 3 ? 1 : 2;
    if (d <= limit) scored.emplace_back(d, name);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& [d, name] : scored) out.push_back(name);
  return out;
}

namespace {

nlohmann::ordered_json number_schema(const KeyInfo& k, bool integer) {
  nlohmann::ordered_json j;
  j["type"] = integer ? "integer" : "number";
  if (std::isfinite(k.minimum)) j[k.exclusive_minimum ? "exclusiveMinimum" : "minimum"] = k.minimum;
  if (std::isfinite(k.maximum)) j["maximum"] = k.maximum;
  return j;
}

nlohmann::ordered_json value_schema(const KeyInfo& k) {
  using J = nlohmann::ordered_json;
  const J number = {{"type", "number"}};
  const J number_list = {{"type", "array"}, {"items", number}};
  const J distribution = {{"oneOf", J::array({number, {{"$ref", "#/$defs/distribution"}}})}};
  switch (k.type) {
    case KeyType::kString: return {{"type", "string"}};
    case KeyType::kNumber: return number_schema(k, false);
    case KeyType::kInteger: return number_schema(k, true);
    case KeyType::kBoolean: return {{"type", "boolean"}};
    case KeyType::kEnum: return {{"enum", k.values}};
    case KeyType::kDistribution: return distribution;
    case KeyType::kNumberList: return number_list;
    case KeyType::kSection: return {{"$ref", "#/$defs/" + k.section}};
    case KeyType::kSectionList: return {{"type", "array"}, {"items", {{"$ref", "#/$defs/" + k.section}}}};
    case KeyType::kSectionOrList: {
      const J ref = {{"$ref", "#/$defs/" + k.section}};
      return {{"oneOf", J::array({ref, {{"type", "array"}, {"items", ref}}})}};
    }
    case KeyType::kSourceList:
      return {{"type", "array"},
              {"items", {{"oneOf", J::array({{{"type", "string"}}, {{"$ref", "#/$defs/source"}}})}}}};
    case KeyType::kNumberMap: return {{"type", "object"}, {"additionalProperties", number}};
    case KeyType::kDistributionMap: return {{"type", "object"}, {"additionalProperties", distribution}};
    case KeyType::kPipeline:
      return {{"oneOf", J::array({number_list, {{"type", "object"}, {"additionalProperties", number_list}}})}};
  }
  return {};
}

std::string type_name(const KeyInfo& k) {
  switch (k.type) {
    case KeyType::kString: return "string";
    case KeyType::kNumber: return "number";
    case KeyType::kInteger: return "integer";
    case KeyType::kBoolean: return "boolean";
    case KeyType::kEnum: {
      std::string s;
      for (const auto& v : k.values) s += (s.empty() ? "" : " \\| ") + ("`" + v + "`");
      return s;
    }
    case KeyType::kDistribution: return "distribution";
    case KeyType::kNumberList: return "list of numbers";
    case KeyType::kSection: return "[" + k.section + "](#" + k.section + ")";
    case KeyType::kSectionList: return "list of [" + k.section + "](#" + k.section + ")";
    case KeyType::kSectionOrList: return "[" + k.section + "](#" + k.section + ") or a list";
    case KeyType::kSourceList: return "list of node ids or [source](#source)";
    case KeyType::kNumberMap: return "product → number";
    case KeyType::kDistributionMap: return "product → distribution";
    case KeyType::kPipeline: return "list of numbers, or product → list";
  }
  return "?";
}

}  // namespace

std::string scenario_json_schema() {
  using J = nlohmann::ordered_json;
  J defs = J::object();
  for (const SectionInfo& s : scenario_sections()) {
    J props = J::object();
    J required = J::array();
    for (const KeyInfo& k : s.keys) {
      J v = value_schema(k);
      v["description"] = k.doc;
      props[k.name] = v;
      if (k.required) required.push_back(k.name);
    }
    J def = {{"type", "object"}, {"description", s.doc}, {"properties", props}, {"additionalProperties", false}};
    if (!required.empty()) def["required"] = required;
    // Keys some types of a typed section require: if type is T, then required.
    J conditions = J::array();
    for (const std::string& t : s.types) {
      J needs = J::array();
      for (const KeyInfo& k : s.keys) {
        if (std::find(k.required_for.begin(), k.required_for.end(), t) != k.required_for.end()) needs.push_back(k.name);
      }
      if (needs.empty()) continue;
      conditions.push_back({{"if", {{"properties", {{s.type_key, {{"const", t}}}}}, {"required", J::array({s.type_key})}}},
                            {"then", {{"required", needs}}}});
    }
    if (!conditions.empty()) def["allOf"] = conditions;
    if (s.name == "scenario") continue;
    defs[s.name] = def;
  }
  const SectionInfo& top = scenario_sections().front();
  J props = J::object();
  J required = J::array();
  for (const KeyInfo& k : top.keys) {
    J v = value_schema(k);
    v["description"] = k.doc;
    props[k.name] = v;
    // A variant that extends a baseline may leave the required keys to it.
    if (k.required) required.push_back(k.name);
  }
  J schema = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
              {"title", "chainsim scenario"},
              {"description", top.doc + " Generated by `chainsim schema`; do not edit."},
              {"type", "object"},
              {"properties", props},
              {"additionalProperties", false},
              {"if", {{"not", {{"required", J::array({"extends"})}}}}},
              {"then", {{"required", required}}},
              {"$defs", defs}};
  return schema.dump(2) + "\n";
}

std::string scenario_reference_tables() {
  std::string out;
  for (const SectionInfo& s : scenario_sections()) {
    out += "### " + s.name + "\n\n" + s.doc + "\n\n";
    out += "| key | type | default | meaning |\n| --- | --- | --- | --- |\n";
    for (const KeyInfo& k : s.keys) {
      std::string doc = k.doc;
      if (!k.only_for.empty()) {
        std::string types;
        for (const auto& t : k.only_for) types += (types.empty() ? "" : ", ") + t;
        doc += " (" + types + ")";
      }
      std::string def = k.required ? "**required**" : (k.default_text.empty() ? "—" : k.default_text);
      if (!k.required_for.empty()) {
        std::string types;
        for (const auto& t : k.required_for) types += (types.empty() ? "" : ", ") + t;
        def = "**required** (" + types + ")";
      }
      out += "| `" + k.name + "` | " + type_name(k) + " | " + def + " | " + doc + " |\n";
    }
    out += "\n";
  }
  return out;
}

}  // namespace chainsim::models

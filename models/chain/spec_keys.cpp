// The declarations of the spec's keys (the table), and the check of declared
// ranges made from it.
#include "models/chain/spec_keys.h"

#include <cmath>
#include <fmt/core.h>
#include <map>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <unordered_map>

namespace chainsim::models {

namespace {

template <typename T>
struct is_optional : std::false_type {};
template <typename T>
struct is_optional<std::optional<T>> : std::true_type {};
template <typename T>
struct is_vector : std::false_type {};
template <typename T>
struct is_vector<std::vector<T>> : std::true_type {};

// The kind of a field of type T.
template <typename T>
constexpr FieldAccess::Kind kind_of() {
  using K = FieldAccess::Kind;
  if constexpr (std::is_same_v<T, double>) return K::kDouble;
  else if constexpr (std::is_same_v<T, std::optional<double>>) return K::kOptionalDouble;
  else if constexpr (std::is_same_v<T, int>) return K::kInt;
  else if constexpr (std::is_same_v<T, std::uint64_t>) return K::kUint64;
  else if constexpr (std::is_same_v<T, bool>) return K::kBool;
  else if constexpr (std::is_same_v<T, std::string>) return K::kString;
  else if constexpr (std::is_same_v<T, std::optional<std::string>>) return K::kOptionalString;
  else if constexpr (std::is_enum_v<T>) return K::kEnum;
  else if constexpr (std::is_same_v<T, Distribution>) return K::kDistribution;
  else if constexpr (std::is_same_v<T, std::optional<Distribution>>) return K::kOptionalDistribution;
  else if constexpr (std::is_same_v<T, std::vector<double>>) return K::kNumberList;
  else if constexpr (std::is_same_v<T, std::map<std::string, double>>) return K::kNumberMap;
  else if constexpr (std::is_same_v<T, std::map<std::string, Distribution>>) return K::kDistributionMap;
  else if constexpr (std::is_same_v<T, std::map<std::string, std::vector<double>>>) return K::kPipeline;
  else if constexpr (is_optional<T>::value) {
    if constexpr (std::is_enum_v<typename T::value_type>) return K::kOptionalEnum;
    else return K::kOptionalStruct;
  }
  else if constexpr (is_vector<T>::value) return K::kStructList;
  else return K::kStruct;
}

template <typename S, typename T>
class Member final : public FieldAccess {
 public:
  explicit Member(T S::*m) : m_(m) {}
  Kind kind() const override { return kind_of<T>(); }
  void* field(void* o) const override { return &(static_cast<S*>(o)->*m_); }
  const void* field(const void* o) const override { return &(static_cast<const S*>(o)->*m_); }

  void set_enum(void* f, std::size_t i) const override {
    if constexpr (std::is_enum_v<T>) {
      *static_cast<T*>(f) = static_cast<T>(i);
    } else if constexpr (kind_of<T>() == Kind::kOptionalEnum) {
      *static_cast<T*>(f) = static_cast<typename T::value_type>(i);
    }
  }
  std::size_t enum_index(const void* f) const override {
    if constexpr (std::is_enum_v<T>) {
      return static_cast<std::size_t>(*static_cast<const T*>(f));
    } else if constexpr (kind_of<T>() == Kind::kOptionalEnum) {
      const T& v = *static_cast<const T*>(f);
      return v ? static_cast<std::size_t>(*v) : static_cast<std::size_t>(-1);
    }
    return static_cast<std::size_t>(-1);
  }
  void* emplace(void* f) const override {
    if constexpr (kind_of<T>() == Kind::kOptionalStruct) {
      return &static_cast<T*>(f)->emplace();
    }
    return nullptr;
  }
  const void* get(const void* f) const override {
    if constexpr (kind_of<T>() == Kind::kOptionalStruct) {
      const T& v = *static_cast<const T*>(f);
      return v ? &*v : nullptr;
    }
    return nullptr;
  }
  void* append(void* f) const override {
    if constexpr (kind_of<T>() == Kind::kStructList) {
      return &static_cast<T*>(f)->emplace_back();
    }
    return nullptr;
  }
  std::size_t size(const void* f) const override {
    if constexpr (kind_of<T>() == Kind::kStructList) return static_cast<const T*>(f)->size();
    return 0;
  }
  const void* element(const void* f, std::size_t i) const override {
    if constexpr (kind_of<T>() == Kind::kStructList) return &(*static_cast<const T*>(f))[i];
    return nullptr;
  }

 private:
  T S::*m_;
};

// The names of an enum's values, in order.
template <typename E>
std::vector<std::string> names() {
  std::vector<std::string> out;
  for (std::string_view n : enum_names<E>()) out.emplace_back(n);
  return out;
}

// A key bound to member `m`; enums take their names from the enum.
template <typename S, typename T>
KeyInfo key(std::string name, T S::*m, KeyType type, std::string doc, std::string def = "") {
  KeyInfo k = declare::key(std::move(name), type, std::move(doc), std::move(def));
  k.access = std::make_shared<Member<S, T>>(m);
  if constexpr (std::is_enum_v<T>) {
    k.values = names<T>();
  } else if constexpr (kind_of<T>() == FieldAccess::Kind::kOptionalEnum) {
    k.values = names<typename T::value_type>();
  }
  return k;
}

using namespace declare;

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

using K = KeyType;

SectionInfo scenario_keys() {
  using S = ScenarioSpec;
  return section(
      "scenario", "The top level of a scenario file.",
      {
          key("name", &S::name, K::kString, "Name of the scenario (the default output folder).", "the file name"),
          key("description", &S::description, K::kString, "What the scenario shows.", ""),
          key("time_unit", &S::time_unit, K::kString, "Name of the time unit (day, week, ...).", "period"),
          positive(key("period", &S::period, K::kNumber, "Length of a period in time units.", "1")),
          req(positive(key("horizon", &S::horizon, K::kInteger, "Number of periods simulated (>= 1)."))),
          apart(nonneg(key("warmup", &S::warmup, K::kInteger, "Periods excluded from flow KPIs (< horizon).", "0"))),
          nonneg(key("seed", &S::seed, K::kInteger, "Random seed.", "1")),
          at_most(positive(key("replications", &S::replications, K::kInteger,
                               "Independent replications (1 to 10000: `chainsim sweep` runs more).", "1")),
                  kMaxReplications, "chainsim sweep runs more, streaming their KPIs"),
          req(of(key("products", &S::products, K::kSectionList, "The products."), "product")),
          req(of(key("nodes", &S::nodes, K::kSectionList, "The nodes."), "node")),
          of(key("lanes", &S::lanes, K::kSectionList, "The lanes between nodes.", "none"), "lane"),
          of(key("events", &S::events, K::kSectionList, "What-if events.", "none"), "event"),
          of(key("customers", &S::customers, K::kSectionList,
                 "Customer segments (docs/customers.md): who buys, churns, comes back.", "none"),
             "segment"),
          of(key("sharing", &S::sharing, K::kSection, "Information sharing.", "off"), "sharing"),
          key("ownership", &S::ownership, K::kEnum,
              "Who owns the network's nodes (docs/finance.md): firms (as the nodes' firm keys say), private "
              "(one firm owns them all: no trade between them is invoiced) or independent (each node a firm of "
              "its own, named by its id). private and independent ignore the firm keys: one switch on the same "
              "network.",
              "firms"),
      });
}

SectionInfo product_keys() {
  using S = ProductSpec;
  return section("product", "A product (SKU).",
                 {
                     req(key("id", &S::id, K::kString, "Unique product id.")),
                     nonneg(key("unit_cost", &S::unit_cost, K::kNumber,
                                "Value of one unit: holding cost rates and stock valuation.", "1")),
                     nonneg(key("price", &S::price, K::kNumber, "Retail price paid by end customers per unit.", "0")),
                     nonneg(key("salvage_value", &S::salvage_value, K::kNumber,
                                "Value of one unit left in stock at the horizon (the KPI inventory_value_end).",
                                "unit_cost")),
                     nonneg(key("shelf_life", &S::shelf_life, K::kDistribution,
                                "Perishable: time units a unit lasts from when it first enters a stock "
                                "(docs/perishables.md); drawn per batch put away.",
                                "keeps")),
                     nonneg(key("disposal_cost", &S::disposal_cost, K::kNumber,
                                "Perishable: cost per unit expired, paid in cash (beside the value lost).", "0")),
                 });
}

SectionInfo node_keys() {
  using S = NodeSpec;
  return section(
      "node",
      "A supplier, factory, warehouse or retailer. A node with a single stock point may give the stock's keys "
      "directly instead of a stocks list.",
      {
          req(key("id", &S::id, K::kString, "Unique node id.")),
          at_most(positive(key("count", &S::count, K::kInteger,
                               "A group of this many identical nodes, named <id>_1 to <id>_<count>; sources and "
                               "lanes that name the group's id join its members (docs/scenario-format.md, groups).",
                               "1")),
                  10'000'000, "split a larger group into several"),
          key("kind", &S::kind, K::kEnum, "What the node is.", "warehouse"),
          key("firm", &S::firm, K::kString,
              "The company that owns the node: KPIs consolidate per firm, trade between firms counting as sales "
              "and purchases (docs/finance.md). Once a node names a firm every node of the network must; a "
              "supplier outside the network names none."),
          of(key("stocks", &S::stocks, K::kSectionList, "Stock points, one per product held."), "stock"),
          key("allocation", &S::allocation, K::kEnum, "Sharing short stock among backlog lines.", "fifo"),
          nonneg(key("holding_cost", &S::holding_cost, K::kNumber,
                     "Per unit on hand per time unit (default for its stocks).", "0")),
          nonneg(key("holding_rate", &S::holding_rate, K::kNumber,
                     "Holding cost per time unit as a share of unit value.", "0")),
          nonneg(key("backorder_cost", &S::backorder_cost, K::kNumber,
                     "Per unit backlogged per time unit (default for its stocks).", "0")),
          nonneg(key("lost_sale_cost", &S::lost_sale_cost, K::kNumber,
                     "Per unit of end demand lost (default for its stocks).", "0")),
          key("unmet_demand", &S::unmet_demand, K::kEnum,
              "End demand that cannot be met at once: backordered or lost (default for its stocks).", "backorder"),
          nonneg(key("ordering_cost", &S::ordering_cost, K::kNumber, "Fixed cost per order line placed.", "0")),
          key("initial_cash", &S::initial_cash, K::kNumber, "Cash at time 0.", "0"),
          of(key("payment_terms", &S::payment_terms, K::kSection, "Terms this node pays its suppliers on.",
                 "pay at once"),
             "payment_terms"),
          nonneg(key("lead_time", &S::lead_time, K::kDistribution,
                     "Supplier: time from an order line's dispatch decision to departure.", "0")),
          infinite_ok(nonneg(key("capacity", &S::capacity, K::kNumber,
                                 "Supplier: units dispatched per period, all products.", ".inf"))),
          unit(key("reliability", &S::reliability, K::kNumber, "Supplier: probability an order line ships complete.",
                   "1")),
          apart(unit(key("shortfall", &S::shortfall, K::kNumber,
                         "Supplier: share of a line shipped when it is not complete (< 1).", "0"))),
          nonneg(key("yield", &S::yield, K::kDistribution,
                     "Supplier: good share of each shipment, drawn per line, clamped to [0, 1].", "1")),
          nonneg(key("material_cost", &S::material_cost, K::kNumber, "Supplier: own cost per unit shipped.", "0")),
          key("owned", &S::owned, K::kBoolean,
              "Supplier: the network owns it (an own plant): its costs and cash are the network's and buying "
              "from it is internal. By default a supplier is outside: the network pays it as a cost.",
              "false"),
          of(key("recovery", &S::recovery, K::kSectionList,
                 "A returns centre: how it grades each product's customer returns (see recovery).", "[]"),
             "recovery"),
      });
}

SectionInfo stock_keys() {
  using S = StockSpec;
  return section(
      "stock", "One product held at a node.",
      {
          req(key("product", &S::product, K::kString, "Product id of this stock point.")),
          nonneg(key("initial", &S::initial, K::kNumber, "Units on hand at time 0.", "0")),
          nonneg(key("initial_backlog", &S::initial_backlog, K::kNumber, "Units owed to end customers at time 0.", "0")),
          of(key("policy", &S::policy, K::kSection, "Replenishment policy (see policy).", "base_stock with S = 0"),
             "policy"),
          of(key("sources", &S::sources, K::kSourceList, "Where orders go: node ids, or mappings {from, lane, share}.",
                 "none"),
             "source"),
          key("split", &S::split, K::kEnum,
              "How orders are split among several sources: by shares; the cheapest sources with room first; or "
              "the sources with room in the order listed (fallback).",
              "shares"),
          key("from_members", &S::from_members, K::kEnum,
              "A source naming a node group: member k of N buys from member floor(k M / N) of its M (block), or "
              "from all M in equal shares (all).",
              "block"),
          of(key("production", &S::production, K::kSection, "Made here from components (see production)."),
             "production"),
          of(key("demand", &S::demand, K::kSectionOrList, "End-customer demand: one process or a list (see demand)."),
             "demand"),
          of(key("returns", &S::returns, K::kSection, "Customer returns (see returns)."), "returns"),
          key("issuing", &S::issuing, K::kEnum,
              "A perishable product's issuing order: first in first out, first expired first out, or last in "
              "first out (customers who pick the freshest).",
              "fifo"),
          infinite_ok(positive(key("storage_capacity", &S::storage_capacity, K::kNumber,
                                   "Orders never lift the inventory position above this (units).", ".inf"))),
          nonneg(key("holding_cost", &S::holding_cost, K::kNumber, "Per unit on hand per time unit.", "the node's")),
          nonneg(key("backorder_cost", &S::backorder_cost, K::kNumber, "Per unit backlogged per time unit.",
                     "the node's")),
          nonneg(key("lost_sale_cost", &S::lost_sale_cost, K::kNumber, "Per unit of demand lost.", "the node's")),
          key("unmet_demand", &S::unmet_demand, K::kEnum,
              "End-customer demand that cannot be met at once: backordered or lost.", "the node's"),
          key("vmi", &S::vmi, K::kBoolean, "Vendor-managed: the supplier decides this stock's replenishment.", "false"),
          key("use_shared_demand", &S::use_shared_demand, K::kBoolean,
              "Forecast from the end demand shared by the retailers downstream (point of sale).", "false"),
      });
}

SectionInfo policy_keys() {
  using S = PolicySpec;
  const std::vector<std::string> level = {"base_stock", "R_S", "echelon_base_stock", "s_S"};
  const std::vector<std::string> fc = {"forecast_order_up_to"};
  const std::vector<std::string> bg = {"beer_game"};
  return section(
      "policy", "A replenishment policy. docs/policies.md explains each type.",
      {
          req(key("type", &S::type, K::kEnum, "The policy.")),
          key("review", &S::review, K::kEnum, "Review periodically or whenever the position changes.", "periodic"),
          positive(key("review_period", &S::review_period, K::kInteger, "R: periods between reviews.", "1")),
          nonneg(key("review_offset", &S::review_offset, K::kInteger, "First review period, in [0, R).", "0")),
          needed(only(key("S", &S::S, K::kNumber, "Order-up-to level (units; echelon level for echelon_base_stock)."),
                      level),
                 level),
          needed(only(key("s", &S::s, K::kNumber, "Reorder point: order when the position is <= s."), {"s_S"}),
                 {"s_S"}),
          needed(only(key("r", &S::r, K::kNumber, "Reorder point: order when the position is <= r."), {"r_Q"}),
                 {"r_Q"}),
          needed(only(positive(key("Q", &S::Q, K::kNumber, "Lot: order the fewest Q that lift the position above r.")),
                      {"r_Q"}),
                 {"r_Q"}),
          only(key("forecast", &S::forecast, K::kEnum, "Forecasting method.", "moving_average"), fc),
          only(positive(key("p", &S::p, K::kInteger, "Moving-average window (reviews).", "4")), fc),
          only(unit(key("alpha", &S::alpha, K::kNumber, "Exponential smoothing constant, in (0, 1].", "0.3")), fc),
          only(nonneg(key("lead_time", &S::lead_time, K::kNumber, "L: periods of demand the order-up-to level covers.",
                          "1")),
               fc),
          only(key("z", &S::z, K::kNumber, "Safety factor.", "0"), fc),
          only(key("safety", &S::safety, K::kEnum,
                   "estimated: z * sd of the window * sqrt(L); constant: z * sigma * sqrt(L).", "estimated"),
               fc),
          only(nonneg(key("sigma", &S::sigma, K::kNumber, "Per-period demand sd for constant safety stock.", "0")), fc),
          only(key("initial_forecast", &S::initial_forecast, K::kNumber, "Forecast before any demand is seen.", "0"),
               {"forecast_order_up_to", "beer_game"}),
          only(unit(key("theta", &S::theta, K::kNumber, "Weight of the newest demand in the forecast.", "0.36")), bg),
          only(unit(key("alpha_s", &S::alpha_s, K::kNumber, "Share of the stock gap ordered per period.", "0.26")), bg),
          only(unit(key("beta", &S::beta, K::kNumber, "Weight of the supply line.", "0.34")), bg),
          only(key("s_prime", &S::s_prime, K::kNumber, "S': desired stock + beta * desired supply line.",
                   "desired_inventory + beta * desired_supply_line"),
               bg),
          only(key("desired_inventory", &S::desired_inventory, K::kNumber, "S*: desired effective inventory.", "0"),
               bg),
          only(key("desired_supply_line", &S::desired_supply_line, K::kNumber, "SL*: desired supply line.", "0"), bg),
          needed(only(key("plan", &S::plan, K::kNumberList, "Order quantity at each review."), {"scripted"}),
                 {"scripted"}),
          only(key("after_plan", &S::after_plan, K::kEnum, "What to order after the plan.", "zero"), {"scripted"}),
          nonneg(key("lot_size", &S::lot_size, K::kNumber, "Round orders up to a multiple of this (0: off).", "0")),
          nonneg(key("min_order", &S::min_order, K::kNumber, "Orders below this are raised to it (0: off).", "0")),
          infinite_ok(nonneg(key("max_order", &S::max_order, K::kNumber, "Orders are capped here.", ".inf"))),
      },
      "type", names<PolicyType>());
}

SectionInfo source_keys() {
  using S = SourceSpec;
  return section("source", "One source of a stock.",
                 {
                     req(key("from", &S::from, K::kString, "The supplying node.")),
                     key("lane", &S::lane, K::kString, "The lane, when several join the two nodes.", "the only lane"),
                     positive_share(key("share", &S::share, K::kNumber,
                                        "Share of the stock's orders placed with this source (split: shares); give "
                                        "every source a share, the shares summing to 1, or none.",
                                        "equal shares")),
                 });
}

SectionInfo production_keys() {
  using S = ProductionSpec;
  return section(
      "production", "Production of the stock's product here, from components held at the same node.",
      {
          of(key("inputs", &S::inputs, K::kSectionList, "Bill of materials (empty: from free raw material).", "[]"),
             "input"),
          infinite_ok(nonneg(key("capacity", &S::capacity, K::kNumber, "Units started per period.", ".inf"))),
          nonneg(key("lead_time", &S::lead_time, K::kDistribution, "From start to finished stock (time units).", "1")),
          nonneg(key("request_delay", &S::request_delay, K::kNumber,
                     "Delay of a production order from the review to the line.", "0")),
          nonneg(key("batch", &S::batch, K::kNumber,
                     "Production runs in whole batches of this; requests are rounded up to them (0: any amount).", "0")),
          nonneg(key("cost", &S::cost, K::kNumber, "Cost per unit produced.", "0")),
          nonneg(key("initial_wip", &S::initial_wip, K::kNumberList, "Units finishing at periods 0, 1, ...", "[]")),
          nonneg(key("initial_requests", &S::initial_requests, K::kNumberList,
                     "Production orders reaching the line at periods 0, 1, ...", "[]")),
      });
}

SectionInfo input_keys() {
  using S = InputSpec;
  return section("input", "A component of a bill of materials.",
                 {
                     req(key("product", &S::product, K::kString, "Component product id.")),
                     positive(key("quantity", &S::quantity, K::kNumber, "Units of the component per unit made.", "1")),
                 });
}

SectionInfo demand_keys() {
  using S = DemandSpec;
  const std::vector<std::string> mean_types = {"poisson", "normal", "negative_binomial", "seasonal", "ar1"};
  return section(
      "demand", "End-customer demand at a stock point: per period, or customers arriving in continuous time.",
      {
          req(key("type", &S::type, K::kEnum, "The process.")),
          needed(only(nonneg(key("value", &S::value, K::kNumber, "Demand every period.")), {"constant"}), {"constant"}),
          needed(only(nonneg(key("mean", &S::mean, K::kNumber, "Mean demand per period.")), mean_types), mean_types),
          needed(only(nonneg(key("sd", &S::sd, K::kNumber, "Standard deviation (ar1: of the innovation).")),
                      {"normal", "ar1"}),
                 {"normal", "ar1"}),
          needed(only(nonneg(key("variance", &S::variance, K::kNumber, "Variance (> mean).")), {"negative_binomial"}),
                 {"negative_binomial"}),
          needed(only(nonneg(key("low", &S::low, K::kNumber, "Lowest value.")), {"uniform"}), {"uniform"}),
          needed(only(nonneg(key("high", &S::high, K::kNumber, "Highest value.")), {"uniform"}), {"uniform"}),
          needed(only(nonneg(key("before", &S::before, K::kNumber, "Mean before the step.")), {"step"}), {"step"}),
          needed(only(nonneg(key("after", &S::after, K::kNumber, "Mean from the step on.")), {"step"}), {"step"}),
          needed(only(nonneg(key("at", &S::at, K::kInteger, "Period of the step.")), {"step"}), {"step"}),
          only(key("amplitude", &S::amplitude, K::kNumber, "Relative amplitude of the season.", "0"), {"seasonal"}),
          only(positive(key("cycle", &S::cycle, K::kNumber, "Periods per season.", "52")), {"seasonal"}),
          only(key("phase", &S::phase, K::kNumber, "Shift of the season (periods).", "0"), {"seasonal"}),
          only(key("noise", &S::noise, K::kEnum, "Noise around the mean.", "poisson"), {"step", "seasonal"}),
          only(nonneg(key("cv", &S::cv, K::kNumber, "Coefficient of variation of normal noise.", "0")),
               {"step", "seasonal"}),
          needed(only(key("phi", &S::phi, K::kNumber, "Autocorrelation, in (-1, 1)."), {"ar1"}), {"ar1"}),
          only(key("file", &S::file, K::kString, "CSV file of per-period demand (relative to the scenario)."),
               {"trace"}),
          only(key("column", &S::column, K::kString, "Column of the CSV.", "the only one"), {"trace"}),
          only(key("after_trace", &S::after_trace, K::kEnum, "After the trace ends.", "repeat"), {"trace"}),
          only(key("values", &S::values, K::kNumberList, "The trace inline, instead of a file."), {"trace"}),
          only(key("distribution", &S::distribution, K::kDistribution, "Any distribution, drawn each period."),
               {"distribution"}),
          only(key("interarrival", &S::interarrival, K::kDistribution, "Time between customers.", "exponential(1)"),
               {"arrivals"}),
          only(key("size", &S::size, K::kDistribution, "Units per customer.", "1"), {"arrivals"}),
          only(nonneg(key("start", &S::start, K::kNumber, "The first customer comes one inter-arrival time after this.",
                          "0")),
               {"arrivals"}),
          key("priority", &S::priority, K::kNumber, "Allocation priority of these customers (higher first).", "0"),
      },
      "type", names<DemandType>());
}

SectionInfo returns_keys() {
  using S = ReturnsSpec;
  return section("returns", "Customer returns: a share of units sold comes back.",
                 {
                     unit(key("fraction", &S::fraction, K::kNumber, "Share of units sold that come back.", "0")),
                     nonneg(key("delay", &S::delay, K::kDistribution, "Time from sale to return.", "1")),
                     unit(key("restock_fraction", &S::restock_fraction, K::kNumber,
                              "Share of returns put back on the shelf.", "1")),
                     unit(key("refund", &S::refund, K::kNumber, "Share of the price refunded.", "1")),
                     nonneg(key("scrap_cost", &S::scrap_cost, K::kNumber, "Cost per unit scrapped.", "0")),
                     key("to", &S::to, K::kString,
                         "A returns centre (a node with recovery for the product) that grades the returns instead "
                         "(docs/returns.md); restock_fraction and scrap_cost then belong to it.",
                         "this stock"),
                 });
}

SectionInfo recovery_keys() {
  using S = RecoverySpec;
  return section("recovery", "What a returns centre does with one product's returns (docs/returns.md).",
                 {
                     req(key("product", &S::product, K::kString, "The product graded.")),
                     nonneg(key("inspection_cost", &S::inspection_cost, K::kNumber, "Per unit graded.", "0")),
                     nonneg(key("scrap_cost", &S::scrap_cost, K::kNumber,
                                "Per unit scrapped: the scrap route's and those a refurbishing line rejects.", "0")),
                     req(of(key("routes", &S::routes, K::kSectionList,
                                "Where the graded units go, with the share of each route (summing to 1)."),
                            "route")),
                 });
}

SectionInfo route_keys() {
  using S = RecoveryRouteSpec;
  const std::vector<std::string> back = {"resell", "refurbish", "remanufacture"};
  const std::vector<std::string> to = {"resell", "refurbish", "remanufacture", "vendor"};
  const std::vector<std::string> line = {"refurbish", "remanufacture"};
  return section(
      "route", "One route out of a returns centre.",
      {
          req(key("type", &S::route, K::kEnum,
                  "Back to a stock as new (resell), after a line (refurbish, remanufacture), sold for materials "
                  "(recycle), back to its vendor for a credit note (vendor), or thrown away (scrap).")),
          req(positive(unit(key("share", &S::share, K::kNumber, "Share of the units graded that take this route.")))),
          only(key("to", &S::to, K::kString,
                   "The node whose stock of the product the units go back to; vendor: the supplier or node they go "
                   "back to."),
               to),
          only(key("product", &S::product, K::kString,
                   "The product the units re-enter stock as: a grade of their own (refurbished, open box) with its "
                   "own price and demand; the stock `to` must hold it.",
                   "the returned product"),
               back),
          only(nonneg(key("lead_time", &S::lead_time, K::kDistribution,
                          "From grading to that stock (time units; with a line, after its capacity).", "0")),
               back),
          nonneg(key("cost", &S::cost, K::kNumber, "Per unit put on the route, paid at the centre.", "0")),
          only(unit(key("yield", &S::yield, K::kNumber, "Share of the line's units that come out good.", "1")), line),
          only(infinite_ok(positive(key("capacity", &S::capacity, K::kNumber, "Units the line processes per period.",
                                        ".inf"))),
               line),
          only(nonneg(key("value", &S::value, K::kNumber, "Cash per unit from the recycler.", "0")), {"recycle"}),
          only(nonneg(key("credit", &S::credit, K::kNumber, "The vendor's credit note per unit sent back.", "0")),
               {"vendor"}),
          only(nonneg(key("credit_delay", &S::credit_delay, K::kNumber,
                          "From sending the units back to the credit note's arrival (time units).", "0")),
               {"vendor"}),
      },
      "type", names<RecoveryRoute>());
}

SectionInfo payment_terms_keys() {
  using S = PaymentTermsSpec;
  return section("payment_terms", "When a node pays its suppliers' invoices.",
                 {
                     nonneg(key("net", &S::net, K::kNumber, "Invoices are due this long after issue (time units).", "0")),
                     apart(key("discount", &S::discount, K::kNumber, "Early-payment discount rate, in [0, 1).", "0")),
                     nonneg(key("discount_within", &S::discount_within, K::kNumber,
                                "Paying within this time earns the discount.", "0")),
                 });
}

SectionInfo lane_keys() {
  using S = LaneSpec;
  return section(
      "lane", "A directed link: the seller ships along it, the buyer's orders travel the other way.",
      {
          key("id", &S::id, K::kString, "Unique lane id.", "from->to"),
          req(key("from", &S::from, K::kString, "The seller.")),
          req(key("to", &S::to, K::kString, "The buyer.")),
          key("pairs", &S::pairs, K::kEnum,
              "From or to a node group: a lane for each member pair some stock's sources join (sourced), or for "
              "every pair (all).",
              "sourced"),
          nonneg(key("transport_time", &S::transport_time, K::kDistribution, "Transit time of a shipment (time units).",
                     "1")),
          nonneg(key("transport_time_by_product", &S::transport_time_by_product, K::kDistributionMap,
                     "Transit time per product.", "{}")),
          nonneg(key("order_delay", &S::order_delay, K::kNumber, "Orders take this long to reach the seller.", "0")),
          nonneg(key("invoice_delay", &S::invoice_delay, K::kNumber,
                     "Invoices reach the buyer this long after shipping.", "0")),
          nonneg(key("payment_delay", &S::payment_delay, K::kNumber,
                     "Payments reach the seller this long after sending.", "0")),
          infinite_ok(positive(key("capacity_per_shipment", &S::capacity_per_shipment, K::kNumber,
                                   "A larger shipment goes as several (units).", ".inf"))),
          infinite_ok(positive(key("capacity_per_period", &S::capacity_per_period, K::kNumber,
                                   "Units shipped on the lane per period.", ".inf"))),
          nonneg(key("cost_per_unit", &S::cost_per_unit, K::kNumber, "Transport cost per unit, paid by the seller.",
                     "0")),
          nonneg(key("cost_per_shipment", &S::cost_per_shipment, K::kNumber, "Transport cost per shipment.", "0")),
          nonneg(key("holding_cost", &S::holding_cost, K::kNumber,
                     "Holding cost of the pipeline: per unit per time unit in transit on the lane, paid as "
                     "cost_holding by the buyer (by the seller on a consignment lane).",
                     "0")),
          nonneg(key("price", &S::price, K::kNumber, "Price per unit the buyer pays (all products).", "0")),
          nonneg(key("price_by_product", &S::price_by_product, K::kNumberMap, "Price per product.", "{}")),
          key("prevent_overtaking", &S::prevent_overtaking, K::kBoolean,
              "Random transit times never reorder shipments.", "false"),
          key("consignment", &S::consignment, K::kBoolean,
              "Consignment stock: the seller owns the units it ships here until the buyer uses them (sells, ships "
              "on or consumes), invoicing them then instead of at shipping, and pays their holding cost at the "
              "buyer (docs/finance.md).",
              "false"),
          key("priority", &S::priority, K::kNumber, "The buyer's allocation priority at the seller.", "0"),
          apart(nonneg(key("initial_shipments", &S::initial_shipments, K::kPipeline,
                           "In transit at time 0: element k arrives at period k (list, or product -> list).", "[]"))),
          apart(nonneg(key("initial_orders", &S::initial_orders, K::kPipeline,
                           "Orders travelling at time 0: element k reaches the seller at period k.", "[]"))),
      });
}

SectionInfo event_keys() {
  using S = EventSpec;
  return section(
      "event", "A what-if event: a trigger and an action (docs/scenario-format.md, Events).",
      {
          key("id", &S::id, K::kString, "Unique event id.", "event<index>"),
          nonneg(key("at", &S::at, K::kNumber, "Trigger: at this time.")),
          unit(key("probability", &S::probability, K::kNumber, "Trigger: each period with this probability.")),
          positive(key("mean_up", &S::mean_up, K::kNumber, "Trigger: up/down process, mean time up.")),
          positive(key("mean_down", &S::mean_down, K::kNumber, "Up/down process: mean time down (action held).")),
          key("after", &S::after, K::kString, "Trigger: when this other event fires."),
          of(key("when", &S::when, K::kSection,
                 "Trigger: a condition on a stock point, read at every period boundary (see when)."),
             "when"),
          nonneg(key("delay", &S::delay, K::kNumber, "With after: this much later.", "0")),
          nonneg(key("duration", &S::duration, K::kNumber, "Revert the action after this long.", "permanent")),
          req(key("action", &S::action, K::kEnum, "What happens.")),
          key("node", &S::node, K::kString, "The node acted on."),
          key("lane", &S::lane, K::kString, "The lane acted on."),
          key("product", &S::product, K::kString, "The product acted on."),
          key("parameter", &S::parameter, K::kString, "policy_parameter: the parameter's name (S, s, r, Q, z, ...)."),
          apart(infinite_ok(key("value", &S::value, K::kNumber, "Factor, capacity, price, parameter value, or campaign's return probability.", "0"))),
          key("in_transit", &S::in_transit, K::kEnum, "node_down: shipments to the node arrive or are held.",
              "arrive"),
          key("segment", &S::segment, K::kString, "campaign: the customer segment whose churned customers it contacts."),
          nonneg(key("cost", &S::cost, K::kNumber, "campaign: the cost of contacting one customer.", "0")),
      });
}

SectionInfo when_keys() {
  using S = WhenSpec;
  return section(
      "when",
      "A state trigger: the event fires at the first period boundary where the condition holds (on the period "
      "just closed) and, without a duration, holds while it does.",
      {
          req(key("measure", &S::measure, K::kEnum,
                  "on_hand, position or backlog at the period's end, or fill_rate over the last `over` periods.")),
          req(key("node", &S::node, K::kString, "The node whose stock is watched.")),
          key("product", &S::product, K::kString, "The product (needed when the node holds several).",
              "the node's single stock"),
          key("below", &S::below, K::kNumber, "Fires when the measure is below this."),
          key("above", &S::above, K::kNumber, "Fires when the measure is above this."),
          positive(key("over", &S::over, K::kInteger, "fill_rate: the periods it is read over.", "1")),
      });
}

SectionInfo sharing_keys() {
  using S = SharingSpec;
  return section(
      "sharing", "Information sharing.",
      {
          key("pos", &S::pos, K::kBoolean,
              "Retailers share point-of-sale demand with every upstream stock, which forecasts from it.", "false"),
          nonneg(key("delay", &S::delay, K::kNumber, "The shared data arrives this long after the sale.", "0")),
          key("customers", &S::customers, K::kBoolean,
              "Customer segments' state is shared up the chain: forecasting stocks forecast the demand it implies "
              "(docs/customers.md).",
              "false"),
      });
}

SectionInfo segment_keys() {
  using S = SegmentSpec;
  return section(
      "segment",
      "A customer segment: counts of customers with binomial transitions at each period boundary (population "
      "mode), or one record per customer (individual mode); docs/customers.md.",
      {
          req(key("id", &S::id, K::kString, "Unique segment id.")),
          apart(nonneg(key("size", &S::size, K::kNumber, "Active customers at time 0 (a whole number).", "0"))),
          req(of(key("channels", &S::channels, K::kSectionList, "Where the segment buys: stocks and shares."),
                 "channel")),
          of(key("orders", &S::orders, K::kSection, "The orders of one active customer.", "rate 1, size 1"),
             "customer_orders"),
          key("priority", &S::priority, K::kNumber, "Allocation priority of its orders (higher first).", "0"),
          nonneg(key("price_factor", &S::price_factor, K::kNumber, "Its price is the product's price times this.",
                     "1")),
          nonneg(key("return_factor", &S::return_factor, K::kNumber,
                     "Its purchases come back at the channel stock's returns fraction times this (at most 1; "
                     "docs/returns.md).",
                     "1")),
          key("unmet", &S::unmet, K::kEnum,
              "An order not met at once: as the stock decides (its unmet_demand), backordered, lost, or waiting at "
              "most `patience`.",
              "stock"),
          nonneg(key("patience", &S::patience, K::kNumber, "unmet: patience, the longest wait in time units.", "0")),
          nonneg(key("promised_lead_time", &S::promised_lead_time, K::kNumber,
                     "Units met within this many time units are on time (OTIF).", "0")),
          of(key("churn", &S::churn, K::kSection, "Why customers leave.", "per_stockout, no churn"), "churn"),
          unit(key("win_back", &S::win_back, K::kNumber,
                   "Probability a customer who left for the service returns, each period.", "0")),
          of(key("acquisition", &S::acquisition, K::kSection, "New customers.", "none"), "acquisition"),
          of(key("cost_to_serve", &S::cost_to_serve, K::kSection, "What serving the segment costs besides the goods.",
                 "0"),
             "cost_to_serve"),
          nonneg(key("discount_rate", &S::discount_rate, K::kNumber, "Per period, for lifetime value.", "0")),
          key("mode", &S::mode, K::kEnum,
              "population (counts per state, binomial transitions) or individual (one record per customer).",
              "population"),
          of(key("heterogeneity", &S::heterogeneity, K::kSection,
                 "Individual mode: how customers' order rates and dropout differ (BG/NBD).", "none"),
             "heterogeneity"),
          of(key("loyalty", &S::loyalty, K::kSection, "Individual mode: a loyalty programme.", "none"), "loyalty"),
      });
}

SectionInfo heterogeneity_keys() {
  using S = HeterogeneitySpec;
  return section(
      "heterogeneity", "Individual mode: each customer's order rate and dropout, drawn once (BG/NBD).",
      {
          nonneg(key("rate_shape", &S::rate_shape, K::kNumber,
                     "Shape r of the Gamma each customer's order rate is drawn from, its mean orders.rate (0: every "
                     "customer at orders.rate).",
                     "0")),
          nonneg(key("dropout_a", &S::dropout_a, K::kNumber,
                     "a of the Beta(a, b) each customer's probability to leave after an order is drawn from (both 0: "
                     "no dropout).",
                     "0")),
          nonneg(key("dropout_b", &S::dropout_b, K::kNumber, "b of that Beta.", "0")),
      });
}

SectionInfo loyalty_keys() {
  using S = LoyaltySpec;
  return section(
      "loyalty", "Individual mode: a loyalty programme.",
      {
          nonneg(key("after_purchases", &S::after_purchases, K::kNumber,
                     "Purchases (orders with a unit delivered) after which a customer becomes a member (0: no "
                     "programme).",
                     "0")),
          unit(key("discount", &S::discount, K::kNumber, "Share of the price members do not pay.", "0")),
          nonneg(key("churn_factor", &S::churn_factor, K::kNumber,
                     "Multiplies a member's probabilities of leaving (at most 1).", "1")),
          nonneg(key("cost_per_member", &S::cost_per_member, K::kNumber, "Per member per period.", "0")),
      });
}

SectionInfo channel_keys() {
  using S = ChannelSpec;
  return section("channel", "A stock a segment buys from.",
                 {
                     req(key("node", &S::node, K::kString, "The node sold from.")),
                     key("product", &S::product, K::kString, "The product bought.", "the node's only stock"),
                     apart(positive_share(key("share", &S::share, K::kNumber,
                                              "Share of the segment's orders placed here (all channels or none).",
                                              "equal shares"))),
                 });
}

SectionInfo customer_orders_keys() {
  using S = CustomerOrdersSpec;
  return section("customer_orders", "The orders of one active customer.",
                 {
                     nonneg(key("rate", &S::rate, K::kNumber, "Orders per active customer per period (Poisson).", "1")),
                     nonneg(key("size", &S::size, K::kDistribution, "Units per order.", "1")),
                 });
}

SectionInfo churn_keys() {
  using S = ChurnSpec;
  const std::vector<std::string> satisfaction = {"satisfaction"};
  const std::vector<std::string> goodwill = {"goodwill"};
  return section(
      "churn", "Why customers leave: an intrinsic hazard, and a service-driven part by `model`.",
      {
          key("model", &S::model, K::kEnum, "The service-driven part (docs/customers.md).", "per_stockout"),
          unit(key("intrinsic", &S::intrinsic, K::kNumber,
                   "Probability an active customer leaves each period whatever the service.", "0")),
          only(unit(key("q", &S::q, K::kNumber, "Probability an order not met at once makes its customer leave.", "0")),
               {"per_stockout"}),
          only(nonneg(key("q_per_period_waited", &S::q_per_period_waited, K::kNumber,
                          "Added to q for every period the order waited (capped at 1).", "0")),
               {"per_stockout"}),
          only(positive_share(key("smoothing", &S::smoothing, K::kNumber,
                                  "Weight of the latest period's experienced fill rate in the satisfaction.", "0.3")),
               satisfaction),
          only(unit(key("target", &S::target, K::kNumber, "Satisfaction below which customers leave.", "0.95")),
               satisfaction),
          only(nonneg(key("sensitivity", &S::sensitivity, K::kNumber,
                          "Leaving probability per unit of satisfaction below target.", "1")),
               satisfaction),
          only(unit(key("down", &S::down, K::kNumber, "Share the multiplier falls after a period with a short order.",
                        "0.1")),
               goodwill),
          only(nonneg(key("up", &S::up, K::kNumber, "Share the multiplier rises after a period without.", "0.05")),
               goodwill),
          only(unit(key("floor", &S::floor, K::kNumber, "The lowest multiplier.", "0")), goodwill),
      },
      "model", names<ChurnModel>());
}

SectionInfo acquisition_keys() {
  using S = AcquisitionSpec;
  return section("acquisition", "New customers each period: Poisson, with word of mouth.",
                 {
                     nonneg(key("per_period", &S::per_period, K::kNumber, "Mean new customers per period.", "0")),
                     nonneg(key("word_of_mouth", &S::word_of_mouth, K::kNumber,
                                "New customers per active customer per period, times the satisfaction.", "0")),
                     nonneg(key("cost", &S::cost, K::kNumber, "Paid per customer acquired.", "0")),
                 });
}

SectionInfo cost_to_serve_keys() {
  using S = CostToServeSpec;
  return section("cost_to_serve", "What serving a segment costs besides the goods.",
                 {
                     nonneg(key("per_order", &S::per_order, K::kNumber, "Per order placed.", "0")),
                     nonneg(key("per_unit", &S::per_unit, K::kNumber, "Per unit delivered.", "0")),
                     nonneg(key("per_customer", &S::per_customer, K::kNumber, "Per active customer per period.", "0")),
                 });
}

std::vector<SectionInfo> build_sections() {
  return {scenario_keys(), product_keys(), node_keys(),         stock_keys(),    policy_keys(),
          source_keys(),   production_keys(), input_keys(),     demand_keys(),   returns_keys(),
          recovery_keys(), route_keys(),
          payment_terms_keys(), lane_keys(), event_keys(),      segment_keys(),  channel_keys(),
          customer_orders_keys(), churn_keys(), acquisition_keys(), cost_to_serve_keys(), heterogeneity_keys(),
          loyalty_keys(), sharing_keys(), when_keys()};
}

// --- the check of declared ranges ---------------------------------------

// The message for number x outside key k's range (check_spec's wording), or
// "" when it is inside.
std::string range_problem(const KeyInfo& k, double x, bool integer) {
  const bool low = k.exclusive_minimum ? !(x > k.minimum) : !(x >= k.minimum);  // NaN is low
  if (integer) {
    if (low) return fmt::format("must be >= {} (got {})", k.exclusive_minimum ? k.minimum + 1 : k.minimum, x);
    if (x > k.maximum) return fmt::format("must be <= {} (got {})", k.maximum, x);
    return {};
  }
  const bool not_finite = !std::isfinite(x) && !(k.allow_infinity && x > 0);
  if (std::isfinite(k.maximum) && std::isfinite(k.minimum)) {
    if (low || !(x <= k.maximum)) {
      return fmt::format("must be in {}{}, {}] (got {})", k.exclusive_minimum ? "(" : "[", k.minimum, k.maximum, x);
    }
    return {};
  }
  if (!std::isfinite(k.minimum)) return not_finite ? fmt::format("must be finite (got {})", x) : std::string();
  if (k.exclusive_minimum) {
    if (low) return fmt::format("must be > {} (got {})", k.minimum, x);
    return not_finite ? fmt::format("must be finite (got {})", x) : std::string();
  }
  if (low || not_finite) return fmt::format("must be a finite number >= {} (got {})", k.minimum, x);
  return {};
}

void check_distribution(const std::string& path, const Distribution& d, std::vector<Problem>& out) {
  if (!d.is_nonnegative()) out.push_back({path, "must not produce negative values (got " + d.describe() + ")"});
}

}  // namespace

namespace declare {

KeyInfo key(std::string name, KeyType type, std::string doc, std::string def) {
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
KeyInfo positive_share(KeyInfo k) {
  k = positive(std::move(k));
  k.maximum = 1;
  return k;
}
KeyInfo unit(KeyInfo k) {
  k.minimum = 0;
  k.maximum = 1;
  return k;
}
KeyInfo at_most(KeyInfo k, double maximum, std::string hint) {
  k.maximum = maximum;
  k.limit_hint = std::move(hint);
  return k;
}
KeyInfo infinite_ok(KeyInfo k) {
  k.allow_infinity = true;
  return k;
}
KeyInfo apart(KeyInfo k) {
  k.checked_apart = true;
  return k;
}
KeyInfo of(KeyInfo k, std::string section) {
  k.section = std::move(section);
  return k;
}
KeyInfo needed(KeyInfo k, std::vector<std::string> types) {
  k.required_for = std::move(types);
  return k;
}
KeyInfo only(KeyInfo k, std::vector<std::string> types) {
  k.only_for = std::move(types);
  return k;
}

}  // namespace declare

const KeyInfo* SectionInfo::find(std::string_view k) const {
  for (const KeyInfo& ki : keys) {
    if (ki.name == k) return &ki;
  }
  return nullptr;
}

const std::vector<SectionInfo>& spec_sections() {
  static const std::vector<SectionInfo> sections = build_sections();
  return sections;
}

const SectionInfo& spec_section(std::string_view name) {
  // Asked for once per checked item (every lane of a large network): hashed, not scanned.
  static const std::unordered_map<std::string_view, const SectionInfo*> by_name = [] {
    std::unordered_map<std::string_view, const SectionInfo*> m;
    for (const SectionInfo& s : spec_sections()) m.emplace(s.name, &s);
    return m;
  }();
  if (const auto it = by_name.find(name); it != by_name.end()) return *it->second;
  throw std::logic_error("no spec section " + std::string(name));
}

void check_declared_ranges(const SectionInfo& section, const void* object, const std::string& path,
                           std::vector<Problem>& out) {
  using Kind = FieldAccess::Kind;
  for (const KeyInfo& k : section.keys) {
    if (!k.access || k.checked_apart || k.of_stock) continue;
    // The key's path (and a product's below it) is made only for a problem:
    // a valid spec, checked every replication, builds no string.
    auto at = [&](const std::string* product = nullptr) {
      std::string p = path.empty() ? k.name : path + "." + k.name;
      return product != nullptr ? p + "." + *product : p;
    };
    const void* f = k.access->field(object);
    auto number = [&](double x, bool integer, const std::string* product = nullptr) {
      if (std::string why = range_problem(k, x, integer); !why.empty()) out.push_back({at(product), std::move(why)});
    };
    auto distribution = [&](const Distribution& d, const std::string* product = nullptr) {
      if (!d.is_nonnegative()) check_distribution(at(product), d, out);
    };
    const bool bounded = std::isfinite(k.minimum);
    switch (k.access->kind()) {
      case Kind::kDouble: number(*static_cast<const double*>(f), false); break;
      case Kind::kOptionalDouble:
        if (const auto& v = *static_cast<const std::optional<double>*>(f)) number(*v, false);
        break;
      case Kind::kInt: number(*static_cast<const int*>(f), true); break;
      case Kind::kDistribution:
        if (bounded) distribution(*static_cast<const Distribution*>(f));
        break;
      case Kind::kOptionalDistribution:
        if (const auto& v = *static_cast<const std::optional<Distribution>*>(f); v && bounded) distribution(*v);
        break;
      case Kind::kNumberList:
        if (bounded) {
          for (double x : *static_cast<const std::vector<double>*>(f)) number(x, false);
        }
        break;
      case Kind::kNumberMap:
        if (bounded) {
          for (const auto& [product, x] : *static_cast<const std::map<std::string, double>*>(f)) {
            number(x, false, &product);
          }
        }
        break;
      case Kind::kDistributionMap:
        if (bounded) {
          for (const auto& [product, d] : *static_cast<const std::map<std::string, Distribution>*>(f)) {
            distribution(d, &product);
          }
        }
        break;
      case Kind::kPipeline:
        if (bounded) {
          for (const auto& [product, qs] : *static_cast<const std::map<std::string, std::vector<double>>*>(f)) {
            for (double x : qs) number(x, false, &product);
          }
        }
        break;
      default: break;
    }
  }
}

}  // namespace chainsim::models

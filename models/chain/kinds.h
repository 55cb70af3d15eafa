// The spec's choices as enums, each with the names the scenario format gives
// its values. The variant families (node kinds, policies, demand processes,
// allocation rules, what-if actions, churn models) are generated from their
// tables, the .def files beside their behaviour (models/chain/node_kinds.def,
// policies/policies.def, demand/demand_types.def, allocation_rules.def,
// what_if/actions.def, customers/churn_models.def); the small fixed choices
// (review mode, forecast method, ...) are listed here.
//
// For every enum E: name_of(e) is its name, enum_names<E>() all of them in
// declaration order, and parse_enum<E>(text) the value of a name (nullopt for
// any other text; names are case-sensitive).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace chainsim::models {

template <typename E>
struct EnumNames;  // specialised below: static constexpr std::array names

template <typename E>
constexpr std::span<const std::string_view> enum_names() {
  return EnumNames<E>::names;
}
template <typename E>
constexpr std::string_view name_of(E e) {
  return EnumNames<E>::names[static_cast<std::size_t>(e)];
}
template <typename E>
constexpr std::optional<E> parse_enum(std::string_view text) {
  const auto& names = EnumNames<E>::names;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

// Declares enum E with its values and names, in that order.
#define CHAINSIM_NAMED_ENUM(E, ...)                                               \
  template <>                                                                     \
  struct EnumNames<E> {                                                           \
    static constexpr std::array names = std::to_array<std::string_view>({__VA_ARGS__}); \
  }

// --- the variant families ------------------------------------------------

enum class NodeKind : std::uint8_t {
#define CHAINSIM_NODE_KIND(id, name, unlimited, doc) id,
#include "models/chain/node_kinds.def"
#undef CHAINSIM_NODE_KIND
};
template <>
struct EnumNames<NodeKind> {
  static constexpr std::array names = std::to_array<std::string_view>({
#define CHAINSIM_NODE_KIND(id, name, unlimited, doc) name,
#include "models/chain/node_kinds.def"
#undef CHAINSIM_NODE_KIND
  });
};

enum class PolicyType : std::uint8_t {
#define CHAINSIM_POLICY(id, name, behaviour) id,
#include "models/chain/policies/policies.def"
#undef CHAINSIM_POLICY
};
template <>
struct EnumNames<PolicyType> {
  static constexpr std::array names = std::to_array<std::string_view>({
#define CHAINSIM_POLICY(id, name, behaviour) name,
#include "models/chain/policies/policies.def"
#undef CHAINSIM_POLICY
  });
};

enum class DemandType : std::uint8_t {
#define CHAINSIM_DEMAND(id, name, behaviour) id,
#include "models/chain/demand/demand_types.def"
#undef CHAINSIM_DEMAND
};
template <>
struct EnumNames<DemandType> {
  static constexpr std::array names = std::to_array<std::string_view>({
#define CHAINSIM_DEMAND(id, name, behaviour) name,
#include "models/chain/demand/demand_types.def"
#undef CHAINSIM_DEMAND
  });
};

enum class AllocationKind : std::uint8_t {
#define CHAINSIM_ALLOCATION(id, name, rule, doc) id,
#include "models/chain/allocation_rules.def"
#undef CHAINSIM_ALLOCATION
};
template <>
struct EnumNames<AllocationKind> {
  static constexpr std::array names = std::to_array<std::string_view>({
#define CHAINSIM_ALLOCATION(id, name, rule, doc) name,
#include "models/chain/allocation_rules.def"
#undef CHAINSIM_ALLOCATION
  });
};

enum class ActionKind : std::uint8_t {
#define CHAINSIM_ACTION(id, name, behaviour) id,
#include "models/chain/what_if/actions.def"
#undef CHAINSIM_ACTION
};
template <>
struct EnumNames<ActionKind> {
  static constexpr std::array names = std::to_array<std::string_view>({
#define CHAINSIM_ACTION(id, name, behaviour) name,
#include "models/chain/what_if/actions.def"
#undef CHAINSIM_ACTION
  });
};

enum class ChurnModel : std::uint8_t {
#define CHAINSIM_CHURN_MODEL(id, name, behaviour) id,
#include "models/chain/customers/churn_models.def"
#undef CHAINSIM_CHURN_MODEL
};
template <>
struct EnumNames<ChurnModel> {
  static constexpr std::array names = std::to_array<std::string_view>({
#define CHAINSIM_CHURN_MODEL(id, name, behaviour) name,
#include "models/chain/customers/churn_models.def"
#undef CHAINSIM_CHURN_MODEL
  });
};

// --- the fixed choices ---------------------------------------------------

// When a policy reviews: at period boundaries, or whenever the position changes.
enum class ReviewMode : std::uint8_t { kPeriodic, kContinuous };
CHAINSIM_NAMED_ENUM(ReviewMode, "periodic", "continuous");

// forecast_order_up_to's forecast.
enum class ForecastMethod : std::uint8_t { kMovingAverage, kExponentialSmoothing };
CHAINSIM_NAMED_ENUM(ForecastMethod, "moving_average", "exponential_smoothing");

// forecast_order_up_to's safety stock: z times the window's sd, or z times sigma.
enum class SafetyStock : std::uint8_t { kEstimated, kConstant };
CHAINSIM_NAMED_ENUM(SafetyStock, "estimated", "constant");

// What a scripted policy orders after its plan.
enum class AfterPlan : std::uint8_t { kZero, kRepeat, kHoldLast };
CHAINSIM_NAMED_ENUM(AfterPlan, "zero", "repeat", "hold_last");

// What a demand trace gives after its last value.
enum class AfterTrace : std::uint8_t { kRepeat, kZero, kHoldLast };
CHAINSIM_NAMED_ENUM(AfterTrace, "repeat", "zero", "hold_last");

// The noise around a step or seasonal demand's mean.
enum class Noise : std::uint8_t { kPoisson, kNormal, kNone };
CHAINSIM_NAMED_ENUM(Noise, "poisson", "normal", "none");

// How a stock's orders are split among several sources.
enum class SplitRule : std::uint8_t { kShares, kCheapest, kFallback };
CHAINSIM_NAMED_ENUM(SplitRule, "shares", "cheapest", "fallback");

// Which members of a node group a stock buys from when its source names the
// group (expand_groups): member k of N buys from member floor(k M / N) of the
// M in the group (block: each seller serves a contiguous block of buyers), or
// from all M, in equal shares (all).
enum class GroupSources : std::uint8_t { kBlock, kAll };
CHAINSIM_NAMED_ENUM(GroupSources, "block", "all");

// Which member pairs a lane between node groups joins (expand_groups): the
// pairs some stock's sources join (sourced), or every pair (all).
enum class LanePairs : std::uint8_t { kSourced, kAll };
CHAINSIM_NAMED_ENUM(LanePairs, "sourced", "all");

// What a stock point does about end-customer demand it cannot meet at once.
enum class UnmetDemand : std::uint8_t { kBackorder, kLost };
CHAINSIM_NAMED_ENUM(UnmetDemand, "backorder", "lost");

// What a segment's customer does about an order not met at once: what the
// stock it buys from does (its unmet_demand), wait, leave, or wait at most
// `patience` time units and then leave.
enum class CustomerUnmet : std::uint8_t { kStock, kBackorder, kLost, kPatience };
CHAINSIM_NAMED_ENUM(CustomerUnmet, "stock", "backorder", "lost", "patience");

// How a segment keeps its customers: counts per state with binomial
// transitions (population), or one record per customer (individual).
enum class CustomerMode : std::uint8_t { kPopulation, kIndividual };
CHAINSIM_NAMED_ENUM(CustomerMode, "population", "individual");

// node_down: shipments travelling to the node arrive, or are held until it is up.
enum class InTransit : std::uint8_t { kArrive, kHold };
CHAINSIM_NAMED_ENUM(InTransit, "arrive", "hold");

// The order a perishable stock issues its batches in: first in first out,
// first expired first out, or last in first out (the freshest first).
enum class Issuing : std::uint8_t { kFifo, kFefo, kLifo };
CHAINSIM_NAMED_ENUM(Issuing, "fifo", "fefo", "lifo");

// Who owns the network's nodes (docs/finance.md, ownership): the firms the
// nodes name, one firm that owns them all (no trade is invoiced between
// them), or each node a firm of its own.
enum class Ownership : std::uint8_t { kFirms, kPrivate, kIndependent };
CHAINSIM_NAMED_ENUM(Ownership, "firms", "private", "independent");

// What a state-triggered what-if (`when:`) watches at a stock point.
enum class WhenMeasure : std::uint8_t { kOnHand, kPosition, kBacklog, kFillRate };
CHAINSIM_NAMED_ENUM(WhenMeasure, "on_hand", "position", "backlog", "fill_rate");

// What a returns centre does with a graded unit (docs/returns.md): back to a
// stock as new, refurbished or remanufactured there first, sold for its
// materials, sent back to its vendor for a credit note, or thrown away.
enum class RecoveryRoute : std::uint8_t { kResell, kRefurbish, kRemanufacture, kRecycle, kVendor, kScrap, kCount };
CHAINSIM_NAMED_ENUM(RecoveryRoute, "resell", "refurbish", "remanufacture", "recycle", "vendor", "scrap");
inline constexpr std::size_t kRecoveryRoutes = static_cast<std::size_t>(RecoveryRoute::kCount);
// Whether units on `route` go back into a stock.
constexpr bool restocks(RecoveryRoute route) noexcept { return route < RecoveryRoute::kRecycle; }

// --- node kinds ----------------------------------------------------------

struct NodeKindInfo {
  NodeKind kind;
  std::string_view name;
  bool unlimited_source;  // a supplier: holds every product it is asked for, buys nothing
  std::string_view doc;
};
inline constexpr NodeKindInfo kNodeKinds[] = {
#define CHAINSIM_NODE_KIND(id, name, unlimited, doc) {NodeKind::id, name, unlimited, doc},
#include "models/chain/node_kinds.def"
#undef CHAINSIM_NODE_KIND
};
constexpr const NodeKindInfo& node_kind_info(NodeKind k) { return kNodeKinds[static_cast<std::size_t>(k)]; }

}  // namespace chainsim::models

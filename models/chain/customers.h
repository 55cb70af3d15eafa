// Customer segments: in population mode counts of customers per segment and
// state (active, churned), moved by binomial transitions at the period
// boundary; in individual mode one record per customer (customers_individual.cpp);
// and the orders the active customers place through their channels.
// The network (models/chain/network_customers.cpp) injects the orders as
// backlog lines that remember their segment, and reports each order's end
// back here: met at once, met after a wait, or lost (stock-out, outage,
// patience).
//
// Timeline of period k (docs/timing.md, docs/customers.md), at its boundary
// t_k, before the what-if events and the phases of that instant:
//   1. transition (k >= 1): service-driven defections from the outcomes that
//      ended in period k-1 (the churn model's binomial), intrinsic churn of
//      the rest, win-back of the churned pool (as it was before this
//      boundary), acquisition; the active count A_k is what results;
// then, in the first orders-in pass of the instant (after the what-if events
// due then), each channel stock draws the segment's orders of period k there
// (draw_channel_orders: Poisson with mean rate * A_k * share * the churn
// model's demand factor * the stock's what-if demand multiplier) and they join
// its backlog after the stock's own demand processes'; they end in fulfil.
// A customer acquired at t_k thus buys in period k before it can churn at
// t_{k+1}: a period's margin comes before that period's churn.
//
// Random streams, derived from (seed, replication, name), one uniform per draw:
//   segment/<id>/orders/<c>  one per period (channel c's order count)
//   segment/<id>/sizes/<c>   one per order there, unless the size is constant
//   segment/<id>/churn    per period from k = 1: one for the service-driven
//                         defections, one for intrinsic churn
//   segment/<id>/win_back one per period from k = 1
//   segment/<id>/acquire  one per period from k = 1
// each taken every period whenever the draw's parameters allow it (q or
// sensitivity, intrinsic, win_back, acquisition above 0), whatever the state
// so the draws of one part never shift another's (common random numbers).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/chain/spec.h"
#include "models/chain/types.h"
#include "sim/random.h"

namespace chainsim::models {

// How an order ended.
enum class OrderEnd : std::uint8_t { kMetAtOnce, kMetLate, kLostStockout, kLostOutage, kLostPatience };

// A segment's flows over the current period (reset when it is recorded).
struct SegmentFlows {
  double orders = 0.0, units = 0.0;  // placed this period
  // per_stockout: orders not met at once and their expected defections.
  double short_orders = 0.0, short_defections = 0.0;
  double met_at_once = 0.0, met_late = 0.0, on_time = 0.0;  // units
  double wait_units = 0.0;  // sum over units met late of their wait (time units)
  double lost_stockout = 0.0, lost_outage = 0.0, lost_patience = 0.0;  // units
  double revenue = 0.0, cogs = 0.0, cost_to_serve = 0.0, acquisition_cost = 0.0;

  // Every flow back to 0, in plain stores: `*this = SegmentFlows{}` compiles
  // to `rep stos`, whose start-up costs more than the 15 stores each period.
  void clear() noexcept {
    orders = units = short_orders = short_defections = 0.0;
    met_at_once = met_late = on_time = wait_units = 0.0;
    lost_stockout = lost_outage = lost_patience = 0.0;
    revenue = cogs = cost_to_serve = acquisition_cost = 0.0;
  }
};
static_assert(sizeof(SegmentFlows) == 15 * sizeof(double), "SegmentFlows::clear() clears every member");

// The share of the period's units met at once (when they were placed: a
// segment places its orders at the period's start), the experienced fill
// rate the satisfaction smooths. REQUIRES: f.units > 0.
inline double period_fill(const SegmentFlows& f) { return f.met_at_once / f.units; }

// The service-driven defections of a period, as one binomial draw.
struct ServiceDefections {
  double trials = 0.0;       // whole customers or orders at risk
  double probability = 0.0;  // of each, [0, 1]
};

// exp(x) remembered for recent arguments (64 slots, direct-mapped by the
// argument's bits): a segment's draws take exp of a few recurring values
// (n log(1 - h), and the acquisition's -mean, which move with the active
// count; the order draw has sim/walk_memo.h), and a value remembered is the
// value std::exp gave, so results do not depend on it.
class ExpMemo {
 public:
  double operator()(double x) noexcept {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    Slot& slot = slots_[(bits * 0x9E3779B97F4A7C15ull) >> 58];
    if (!(slot.x == x)) {
      slot.x = x;
      slot.value = std::exp(x);
    }
    return slot.value;
  }

 private:
  struct Slot {
    double x = std::numeric_limits<double>::quiet_NaN();  // never equal: empty
    double value = 0.0;
  };
  std::array<Slot, 64> slots_{};
};

struct Segment;

// What the registry knows of one churn model (its row in
// customers/churn_models.def names it; its file in customers/ defines it).
struct ChurnBehaviour {
  // Appends the problems of the model's own parameters.
  void (*check)(const ChurnSpec&, std::vector<Problem>& problems) = nullptr;
  // The defections the service of the period that just ended causes.
  ServiceDefections (*service)(const Segment&) = nullptr;
  // Updates the model's state once the period's outcomes are in.
  void (*end_period)(Segment&) = nullptr;
  // The factor on the segment's order rate (1 for models that churn customers).
  double (*demand_factor)(const Segment&) = nullptr;
  // Whether the model's parameters let customers leave for the service.
  bool (*churns_for_service)(const ChurnSpec&) = nullptr;
};
const ChurnBehaviour& churn_behaviour(ChurnModel model);

// Every problem of a churn spec's model parameters.
std::vector<Problem> check_churn(const ChurnSpec& spec);

// --- individual mode -----------------------------------------------------

enum class CustomerState : std::uint8_t { kActive, kChurned, kGone };

// A customer's flags (Individuals::flags).
inline constexpr std::uint8_t kMember = 1;    // in the loyalty programme
inline constexpr std::uint8_t kDropping = 2;  // left after an order this period: gone at the next boundary
inline constexpr std::uint8_t kHasLeft = 4;   // has been churned at least once

// One customer's order in a backlog line.
struct CustomerOrder {
  std::uint32_t customer = 0;
  float units = 0.0f;
};

// The customer orders of one backlog line, in the order they are met (a
// line is met first in, first out, so this is what per-order lines of the
// same priority and arrival would get): orders before `next` have ended;
// `met_of_next` units of order `next` have been delivered.
struct CustomerBlock {
  std::vector<CustomerOrder> orders;
  std::size_t next = 0;
  double met_of_next = 0.0;
};

// One delivery to one customer (customers.csv).
struct CustomerTransaction {
  std::uint32_t segment = 0, customer = 0;
  double time = 0.0, units = 0.0, value = 0.0;
};

// The customers of an individual-mode segment, one entry per customer in
// each array (index = customer number, in order of arrival: the initial ones
// first, then each acquired one). The random draws are addressed by customer
// and period (sim::CounterDraws), so customer i's choices in period k are the
// same in every variant that leaves its own history alone:
//   traits  "segment/<id>/traits" at (i, 0): u0 its order rate (Gamma
//           quantile), u1 its dropout probability (Beta quantile)
//   draws   "segment/<id>/customers" at (k, i, 0): u0 intrinsic churn, u1
//           service-driven churn, u2 win-back; at (k, i, 1): u0 the order
//           after which it drops out (geometric), u1..u3 its order counts in
//           channels 0..2; at (k, i, 2 + j): channels 3 + 4j ... 6 + 4j.
// The most customer records an individual-mode segment keeps (about 2 GB).
inline constexpr double kMaxIndividuals = 1e8;

struct Individuals {
  double max_records = kMaxIndividuals;  // add_individuals refuses to pass it
  std::vector<float> rate, dropout;  // traits: orders per period, probability to leave after an order
  std::vector<CustomerState> state;
  std::vector<std::uint8_t> flags;
  std::vector<std::uint32_t> purchases;
  std::vector<float> stay;  // per_stockout: the probability this period's short orders leave it staying
  // satisfaction: its own smoothed fill rate, and this period's units placed and met at once.
  std::vector<float> satisfaction, units, at_once;
  sim::CounterDraws traits{0, 0, ""}, draws{0, 0, ""};
  std::vector<std::vector<CustomerOrder>> pending;  // per channel: this period's orders until they join the backlog
  std::int64_t drawn_period = -1;
  std::unordered_map<std::uint64_t, CustomerBlock> blocks;  // by backlog line (BacklogEntry::ref)
  std::uint64_t next_block = 0;
  double members = 0.0;  // active customers in the loyalty programme
  std::vector<CustomerTransaction>* log = nullptr;  // deliveries are appended here when set
};

struct SegmentChannel {
  StockId stock = kNone;
  double share = 1.0;
  double orders = 0.0, units = 0.0;  // drawn for the current period
  // Individual mode: the channel stock's what-if demand multiplier when the
  // period's orders are drawn, and share x demand factor x multiplier.
  double multiplier = 1.0, scale = 0.0;
  sim::RandomStream orders_rng{0, 0, ""}, sizes_rng{0, 0, ""};
};

// One segment: its parameters, its channels and its state. Customers who
// left for the service wait in the churned pool, which win-back draws from;
// those who left on their own (the intrinsic hazard: moved away, no longer
// need) are gone. Invariants (the customer audit): active = initial +
// acquired - churned + won_back, and churned_pool = churned for the service
// - won_back, all >= 0 and whole.
struct Segment {
  std::string name;
  SegmentSpec spec;
  double period = 1.0;  // the scenario's period length (waits count in periods)
  NodeId home = kNone;  // books the segment's costs: its first channel's node
  std::vector<SegmentChannel> channels;

  double active = 0.0, churned_pool = 0.0;
  // The customers active at time 0 expected to be still active: it keeps the
  // share of the active customers that stayed at each boundary.
  double cohort = 0.0;
  double satisfaction = 1.0;  // smoothed experienced fill rate (every model keeps it)
  double goodwill = 1.0;      // the goodwill model's demand multiplier
  double initial = 0.0, acquired_total = 0.0, won_back_total = 0.0, churned_total = 0.0;
  double churned_service_total = 0.0;
  // The transitions at the start of the current period.
  double acquired = 0.0, won_back = 0.0, churned_service = 0.0, churned_intrinsic = 0.0;
  SegmentFlows flows;

  sim::RandomStream churn_rng{0, 0, ""}, win_back_rng{0, 0, ""}, acquire_rng{0, 0, ""};
  sim::RandomStream campaign_rng{0, 0, ""};          // population mode: one uniform per campaign
  sim::CounterDraws campaign_draws{0, 0, ""};         // individual mode: at (campaign, customer)
  std::uint64_t campaigns = 0;                       // campaigns so far
  double log_keep = 0.0;  // log(1 - intrinsic)
  ExpMemo exp;            // the draws' exponentials
  bool service_churn = true;  // the churn model can make customers leave for the service (its parameters allow)
  double order_factor = 1.0;  // the churn model's demand factor, set at each transition
  double constant_size = -1.0;  // units per order when the size is constant (else < 0)
  std::int64_t period_index = 0;  // the current period (set before each transition)
  double order_rate = 0.0;  // the active customers' orders per period, summed (set after each transition)
  std::uint32_t index = 0;        // the segment's number in the scenario
  std::unique_ptr<Individuals> people;  // individual mode only
};

// Step 1 of the timeline: the transitions into the current period; resets
// the period's flows (record the period that ended first).
void transition(Segment& s);
// Channel c's orders of the current period (its `orders` and `units`), with
// `multiplier` the what-if demand multiplier of its stock; adds them to the
// period's flows. REQUIRES: c < s.channels.size().
void draw_channel_orders(Segment& s, std::size_t c, double multiplier);
// `orders` orders (`units` units) of the segment ended after waiting `wait`
// time units; `on_time` when met within the promised lead time.
void order_ended(Segment& s, OrderEnd how, double orders, double units, Time wait);
// Individual mode: the transitions of each customer at the current
// boundary (their counts; `cohort` is the initial customers still active
// that never left).
struct Moves {
  double service = 0.0, intrinsic = 0.0, won = 0.0, cohort = 0.0;
};
Moves individual_moves(Segment& s);
// The orders per period the active customers place, summed over them
// (rate x active in population mode; each one's own rate in individual mode).
double active_order_rate(const Segment& s);
// Individual mode: appends `count` customers with their traits, active.
// Throws ModelError past people->max_records records.
void add_individuals(Segment& s, double count);
// Individual mode: every active customer's orders of the current period in
// every channel (into people->pending, the channels' `orders` and `units`,
// and the period's flows), with each channel's `multiplier` the what-if
// demand multiplier of its stock.
// of channel c's stock.
void draw_individual_orders(Segment& s);
// Individual mode: `qty` units of backlog line `b` delivered at `now` (the
// line arrived at `arrived`; `done` when it is met in full), at `price` a
// unit before a member's discount: the orders they end, the customers'
// purchases, memberships and defection risks; returns the revenue.
Money individual_sale(Segment& s, CustomerBlock& b, Qty qty, Money price, Time arrived, Time now, bool done);
// Individual mode: a campaign (number `firing`) brings each churned
// customer back with probability p; returns how many came back.
double individual_campaign(Segment& s, std::uint64_t firing, double p);
// Individual mode: the orders of `b` still open are lost at `now`.
void individual_lost(Segment& s, CustomerBlock& b, Time arrived, Time now);

// The customer audit; "" when it balances, else what does not.
std::string audit_segment(const Segment& s);

// The smallest k with P(K <= k) >= u for K ~ Binomial(n, p): exact inversion,
// walking up from 0 when the mean n p is small (a few multiplications; at
// most n p + 40 sqrt(n p) + 100 steps), else sim::binomial_quantile.
// REQUIRES: n whole, p in [0, 1].
double binomial_draw(double u, double n, double p);
// The same with exp(n log(1 - p)) taken from `exp`. REQUIRES: log_q ==
// log1p(-p).
double binomial_draw(double u, double n, double p, double log_q, ExpMemo& exp);

// A Poisson count with `mean`, drawn from u by inversion; above the 1e6 the
// exact sampler walks in bounded time, by inversion of the normal
// approximation (rounded, at least 0; its error in any probability is below
// 1e-3 there), so that a growing population never stops the run.
double poisson_draw(double u, double mean);

// Declarations of the behaviours the churn models' files define.
#define CHAINSIM_CHURN_MODEL(id, name, behaviour) extern const ChurnBehaviour behaviour;
#include "models/chain/customers/churn_models.def"
#undef CHAINSIM_CHURN_MODEL

}  // namespace chainsim::models

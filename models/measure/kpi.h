// KPIs: one definition each (the table in models/measure/kpi_definitions.cpp, which
// docs/kpis.md is generated from), computed from the observations the models
// record and nothing else: a KpiCollector is an ObservationSink that learns
// the network's shape from on_start, accumulates what it needs as the run
// goes (O(1) memory per stock point, plus one value per completed order or
// served block of customer demand for the percentiles), ignores everything
// before the start of its measurement (the end of the warm-up), and reads
// what is still open at the horizon from on_end; finish() turns the
// accumulators into a KpiSet.
//
// Flows (demand, shipments, costs, revenue) count from the start of
// measurement to the horizon. Levels (on hand, backlog, position) are averaged
// over the measured periods only. Stocks of money (cash) are measured as their
// change since the end of the warm-up, and their level at the horizon.
#pragma once

#include <limits>
#include <array>
#include <cstdint>
#include <utility>
#include <string>
#include <vector>

#include "models/chain/observations.h"
#include "models/measure/kpi_name.h"
#include "sim/statistics.h"

namespace chainsim::models {

// num / den, or NaN when den is not positive (a KPI without a base is undefined).
inline double kpi_ratio(double num, double den) {
  return den > 0 ? num / den : std::numeric_limits<double>::quiet_NaN();
}

// One KPI value: scope is "network", "stock" (name "node/product"), "node",
// "lane", "firm" or "segment"; kpi is the KPI's name. Trivially copyable: the
// names are views of text that lives as long as the process (KpiName).
struct KpiValue {
  KpiName scope;
  KpiName name;
  KpiName kpi;
  double value = 0.0;
};

// The KPIs of one replication, in a fixed order (network, then stocks, nodes
// and lanes in id order; KPIs in definition order).
struct KpiSet {
  std::vector<KpiValue> values;
  // The value of (scope, name, kpi); NaN when absent.
  double get(std::string_view scope, std::string_view name, std::string_view kpi) const;
};

// The written definition of a KPI at one scope, for docs/kpis.md and report
// tooltips. A KPI reported at several scopes (fill_rate at a stock and for
// the network) has one entry per scope.
struct KpiDefinition {
  std::string kpi;
  std::string scope;       // network | stock | node | lane
  std::string unit;
  std::string formula;     // in the notation of docs/kpis.md (n periods measured, T = n * period)
  std::string definition;  // what counts, and when it is read
};
// How many of `time_unit` make a year (day 365, week 365/7, month 12,
// quarter 4, year 1, hour 8760; plural or not), NaN for any other name.
double time_units_per_year(std::string_view time_unit);
// A quantity over a span of `span` time units as a year's worth (turns a
// year), or NaN when the time unit has no year or the span is empty.
double per_year(double over_span, double span, std::string_view time_unit);

// Every KPI finish() reports, in report order.
const std::vector<KpiDefinition>& kpi_definitions();
// The definition of `kpi` at `scope` ("network", "stock", "node", "lane"), or
// nullptr when there is none.
const KpiDefinition* find_kpi_definition(const std::string& scope, const std::string& kpi);
// The reference table of docs/kpis.md (Markdown), generated from
// kpi_definitions(); a test keeps the committed page equal to it.
std::string kpi_reference_markdown();

// The order-to-delivery times of a stock's completed orders: their sum in
// arrival order (the mean) and their distribution, exactly (the p95), as a
// histogram of (time, orders) merged from a small buffer. Memory grows with
// the distinct times, not with the orders: lead times of whole periods take a
// few entries however long the run (a million periods of the serial chain
// kept 8 bytes an order before).
class LeadTimeLog {
 public:
  void add(double time) {
    sum_ += time;
    ++count_;
    buffer_.push_back(time);
    if (buffer_.size() == kBuffer) merge();
  }
  double sum() const noexcept { return sum_; }
  std::uint64_t count() const noexcept { return count_; }
  // (time, orders), by increasing time, every time once.
  std::vector<std::pair<double, double>> histogram() const;

 private:
  static constexpr std::size_t kBuffer = 4096;
  void merge();
  double sum_ = 0.0;
  std::uint64_t count_ = 0;
  std::vector<double> buffer_;
  std::vector<std::pair<double, double>> histogram_;  // sorted by time
};

class KpiCollector final : public ObservationSink {
 public:
  // Measures from the end of the run's warm-up (RunShape::warmup), or from
  // the start of period `from`, to the horizon; a sink in front of the
  // collector may cut the observations off earlier (batch means).
  // REQUIRES: 0 <= from; the shape on_start() gets outlives finish() (the
  // Network owns it).
  KpiCollector() = default;
  explicit KpiCollector(std::int64_t from) : from_(from) {}

  void on_start(const RunShape& r) override;
  void on_period(const PeriodRecords& r) override;
  void on_stock_period(const StockPeriod& s) override;
  void on_node_period(const NodePeriod& n) override;
  void on_lane_period(const LanePeriod& l) override;
  void on_segment_period(const SegmentPeriod& g) override;  // segment_kpis.cpp
  void on_recovery_period(const RecoveryPeriod& g) override;  // recovery_kpis.cpp
  void on_delivery(const Delivery& d) override;
  void on_end(const RunEnd& end) override;

  // The KPIs after the run. REQUIRES: on_start() was called.
  KpiSet finish() const;

 private:
  // Fills served_by_ and serving_ from the stocks' suppliers.
  void served_chains(const RunShape& r);


  struct StockAcc {
    double demand = 0, customer_demand = 0, met = 0, shipped = 0, lost = 0, ordered = 0, received = 0;
    double expired = 0;  // perishable units outdated
    double returned = 0;  // end-customer returns received
    double consigned_avg_sum = 0;  // consignment: the sellers' part of on hand
    double on_hand_avg_sum = 0, backlog_avg_sum = 0, on_order_sum = 0, position_sum = 0, value_sum = 0;
    double on_hand_end = 0;  // after the last period
    double max_backlog = 0;
    std::int64_t periods = 0, ready_periods = 0;
    // Replenishment cycles: from one receipt to the next.
    std::int64_t cycles = 0, cycles_short = 0;
    bool in_cycle = false, cycle_short = false;
    // Per review-period buckets for the bullwhip ratio.
    sim::RunningStats orders_per_bucket, demand_per_bucket;
    double bucket_orders = 0, bucket_demand = 0;
    int bucket_len = 0;
    // Its group of end-customer demand served (served_groups_), or -1.
    int served_group = -1;
    LeadTimeLog lead_times;  // order-to-delivery times of completed orders
    double out_of_stock = 0;          // time with nothing on hand
    std::int64_t backorder_free = 0;  // periods that ended owing nothing
    double customer_wait_units = 0, customer_wait_sum = 0, served_at_once = 0;
    std::vector<std::pair<double, double>> customer_waits;  // (wait, units) per block served late
  };
  struct NodeAcc {
    std::array<double, kCostKinds> costs{};
    double revenue = 0, customer_revenue = 0, paid_in = 0, paid_out = 0, outside_purchases = 0;
    double firm_sales = 0, firm_purchases = 0;  // trade with other firms (and outside suppliers)
    double cash_start = 0, cash_end = 0;
    double consigned_out_end = 0, consigned_in_end = 0;  // consignment values after the last period
    double receivables_sum = 0, payables_sum = 0, outside_payables_sum = 0;
    std::int64_t periods = 0;
  };
  struct LaneAcc {
    double shipped = 0, delivered = 0, transit_sum = 0, in_transit_avg_sum = 0;
    std::int64_t periods = 0, shipments = 0;
  };

  struct SegmentAcc {
    std::int64_t periods = 0;
    double active_sum = 0, active_end = 0, previous_active = 0, exposed = 0;
    double acquired = 0, won_back = 0, churned_service = 0, churned_intrinsic = 0;
    double orders = 0, units = 0, met_at_once = 0, met_late = 0, on_time = 0, wait_units = 0;
    double lost_stockout = 0, lost_outage = 0, lost_patience = 0;
    double revenue = 0, cogs = 0, cost_to_serve = 0, acquisition_cost = 0;
    // From period 0, whatever the warm-up: the initial cohort's discounted
    // margin, and the cohort in the last period.
    double cohort_value = 0, cohort_end = 0, discount = 1, discount_step = 1;  // step: 1 / (1 + d)
  };

  using Put = std::vector<KpiValue>;
  // cost_customers is reported only when the run has customer segments,
  // cost_waste only when it has perishable products.
  bool reports_cost(int kind) const {
    if (kind == static_cast<int>(CostKind::kCustomers)) return !shape_->segments.empty();
    if (kind == static_cast<int>(CostKind::kWaste)) return shape_->perishables;
    return true;
  }
  void segment_kpis(std::size_t segment, Put& out) const;
  void network_kpis(Put& out) const;
  // The network's velocity: turns, days of supply, flow time, cash-to-cash.
  void velocity_kpis(Put& out, double on_hand) const;
  void stock_kpis(const StockShape& sp, Put& out) const;
  void node_kpis(const NodeShape& node, Put& out) const;
  // Each firm's consolidated books (RunShape::firms; none declared: none).
  void firm_kpis(Put& out) const;
  void lane_kpis(Put& out) const;
  // The returns centres' KPIs, summed over them (RunShape::recoveries; none: none).
  void recovery_kpis(Put& out) const;

  const RunShape* shape_ = nullptr;
  // The shape's names as KPI names, taken once a run (each a lookup in the
  // table of names) rather than once a KPI.
  std::vector<KpiName> stock_names_, node_names_, lane_names_, firm_names_, segment_names_;
  std::int64_t from_ = -1;  // -1: the warm-up
  RunEnd end_;
  std::vector<StockAcc> stocks_;
  std::vector<NodeAcc> nodes_;
  std::vector<LaneAcc> lanes_;
  std::vector<SegmentAcc> segments_;
  RecoveryPeriod recovered_{};  // the returns centres' flows, summed over them and the periods measured
  std::vector<int> bucket_size_;  // review period of each stock
  // The end-customer demand a stock serves (its own and that of every stock
  // buying from it, directly or through others), summed over buckets of its
  // review period for the cumulative bullwhip ratio. Stocks that serve the
  // same end stocks with the same bucket share one group (every stage of a
  // serial chain: one sum a period, not one per stage). A bucket closes
  // when the period closes, once every stock's demand is in.
  struct ServedGroup {
    int bucket = 1, len = 0;
    double end = 0;
    sim::RunningStats per_bucket;
  };
  std::vector<ServedGroup> served_groups_;
  std::vector<std::vector<int>> groups_of_end_;  // per stock with end demand: the groups it adds to
  // The network's amplification: end-customer demand and the orders of the
  // top stocks, summed over buckets of amp_bucket_ periods (a period is
  // complete when its last stock is recorded: stocks come in id order).
  std::vector<std::uint8_t> is_top_;  // bytes, not bits: read once per stock record
  int amp_bucket_ = 1, amp_len_ = 0;
  double amp_demand_ = 0, amp_orders_ = 0;
  sim::RunningStats amp_demand_stats_, amp_orders_stats_;
};

// Per KPI across replications: mean, sd, 95% Student-t half-width and n.
struct KpiSummary {
  KpiName scope, name, kpi;
  sim::Interval interval;
};
std::vector<KpiSummary> summarize(const std::vector<KpiSet>& replications, double level = 0.95);

}  // namespace chainsim::models

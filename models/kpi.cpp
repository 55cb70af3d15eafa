#include "models/kpi.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace chainsim::models {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double num, double den) { return den > 0 ? num / den : kNaN; }

// The p-quantile of a sample (linear interpolation between order statistics,
// Hyndman & Fan type 7, as numpy and R use by default). Only the two order
// statistics it needs are selected (O(n), not a full sort).
double quantile(std::vector<double> v, double p) {
  if (v.empty()) return kNaN;
  const double h = (static_cast<double>(v.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto at_lo = v.begin() + static_cast<std::ptrdiff_t>(lo);
  std::nth_element(v.begin(), at_lo, v.end());
  const double x_lo = *at_lo;
  const double x_hi = lo + 1 < v.size() ? *std::min_element(at_lo + 1, v.end()) : x_lo;
  return x_lo + (h - static_cast<double>(lo)) * (x_hi - x_lo);
}

}  // namespace

double KpiSet::get(const std::string& scope, const std::string& name, const std::string& kpi) const {
  for (const KpiValue& v : values) {
    if (v.scope == scope && v.name == name && v.kpi == kpi) return v.value;
  }
  return kNaN;
}

const std::vector<KpiDefinition>& kpi_definitions() {
  static const std::vector<KpiDefinition> defs = {
      {"fill_rate", "share", "Units met from stock at the instant they were demanded / units demanded."},
      {"ready_rate", "share", "Share of periods ending with stock on hand (> 0)."},
      {"cycle_service_level", "share",
       "Share of replenishment cycles (from one receipt to the next) in which no period ended with demand "
       "unmet (backlog or lost sales)."},
      {"backorders_mean", "units", "Time-average backlog."},
      {"backorders_max", "units", "Largest end-of-period backlog."},
      {"lost_sales", "units", "End-customer demand lost."},
      {"on_hand_mean", "units", "Time-average stock on hand."},
      {"position_mean", "units", "Mean end-of-period inventory position (on hand + on order - backlog)."},
      {"pipeline_mean", "units", "Mean end-of-period on order (the supply line)."},
      {"demand_mean", "units/period", "Units demanded per period (customers and downstream orders)."},
      {"orders_mean", "units/period", "Units ordered (or production requested) per period."},
      {"bullwhip_ratio", "ratio",
       "Variance of orders placed / variance of demand received, per review period (periods without an order "
       "count as 0)."},
      {"inventory_turns", "turns", "Units shipped / time-average on hand, over the measured horizon."},
      {"days_of_supply", "time units", "Time-average on hand / units shipped per time unit."},
      {"order_lead_time_mean", "time units", "Mean time from placing an order to receiving its last unit."},
      {"order_lead_time_p95", "time units", "95th percentile of the order-to-delivery time."},
      {"customer_wait_mean", "time units", "Unit-weighted mean wait of end-customer demand (0 when served at once)."},
      {"customer_wait_p95", "time units", "95th percentile of the waits of served end-customer demand blocks."},
      {"revenue", "money", "Sales net of discounts given."},
      {"cost_holding", "money", "Holding cost: rate times the time integral of stock on hand."},
      {"cost_backorder", "money", "Backorder penalty: rate times the time integral of backlog (no cash)."},
      {"cost_lost_sale", "money", "Lost-sale penalty per unit lost (no cash)."},
      {"cost_ordering", "money", "Fixed cost per order line."},
      {"cost_transport", "money", "Transport cost per unit and per shipment, paid by the seller."},
      {"cost_production", "money", "Production cost per unit started."},
      {"cost_purchase", "money", "Invoices received, net of early-payment discounts taken."},
      {"cost_material", "money", "A supplier's own cost of the units it ships."},
      {"cost_returns", "money", "Refunds of customer returns and scrap costs."},
      {"total_cost", "money", "All costs, penalties included."},
      {"profit", "money", "Revenue - costs paid (all costs but the backorder and lost-sale penalties)."},
      {"cash_end", "money", "Cash at the horizon."},
      {"cash_change", "money", "Cash at the horizon - cash at the end of the warm-up."},
      {"dio", "time units", "Days inventory outstanding: mean stock value / cost of goods shipped per time unit."},
      {"dso", "time units", "Days sales outstanding: mean receivables / revenue per time unit."},
      {"dpo", "time units", "Days payables outstanding: mean payables / purchases per time unit."},
      {"cash_to_cash", "time units", "DIO + DSO - DPO."},
      {"bullwhip_amplification", "ratio",
       "Variance of the orders (or production requests) placed per period by the most upstream stocks of the "
       "products end customers buy / variance of end-customer demand per period."},
      {"shipped", "units", "Units dispatched on the lane."},
      {"in_transit_mean", "units", "Time-average units in transit on the lane."},
      {"transit_time_mean", "time units", "Mean transit time of the units delivered."},
  };
  return defs;
}

KpiCollector::KpiCollector(const Network& net)
    : net_(net),
      warmup_(net.warmup()),
      stocks_(net.stocks().size()),
      nodes_(net.nodes().size()),
      lanes_(net.lanes().size()),
      bucket_size_(net.stocks().size(), 1),
      is_top_(net.stocks().size(), 0) {
  const auto measured = static_cast<std::size_t>(std::max<std::int64_t>(0, net.horizon() - warmup_));
  end_demand_.reserve(measured);
  top_orders_.reserve(measured);
  for (const Node& n : net.nodes()) nodes_[n.id].cash_start = n.account.cash();  // cash at time 0
  // The top of the chain, for the network's amplification: for each product
  // end customers buy, its stocks that are not replenished by another stock
  // of that product (produced here, or bought from unlimited sources).
  std::vector<bool> end_product(net.products().size(), false);
  for (const StockPoint& sp : net.stocks()) {
    if (!sp.period_demand.empty() || !sp.arrivals.empty()) end_product[sp.product] = true;
  }
  for (const StockPoint& sp : net.stocks()) {
    bucket_size_[sp.id] = sp.continuous ? 1 : sp.review_period;
    if (sp.infinite || !end_product[sp.product]) continue;
    bool top = sp.production.has_value() || !sp.sources.empty();
    for (const Source& s : sp.sources) {
      top = top && net.stocks()[net.stock_of(net.lanes()[s.lane].from, sp.product)].infinite;
    }
    is_top_[sp.id] = top;
  }
}

void KpiCollector::on_start(const RunShape& r) {
  // Room for one completed order and one served block of customer demand per
  // measured period where a stock can have them (more only grow the vector).
  const auto periods = static_cast<std::size_t>(std::max<std::int64_t>(0, r.periods - warmup_));
  for (const StockPoint& sp : net_.stocks()) {
    if (sp.infinite) continue;
    StockAcc& a = stocks_[sp.id];
    if (!sp.sources.empty() || sp.production) a.lead_times.reserve(periods);
    if (!sp.period_demand.empty() || !sp.arrivals.empty()) a.customer_waits.reserve(periods);
  }
}

void KpiCollector::on_period(const PeriodRecords& r) {
  // The same accumulation as record by record, without a virtual call each.
  for (const StockPeriod& s : r.stocks) KpiCollector::on_stock_period(s);
  for (const LanePeriod& l : r.lanes) KpiCollector::on_lane_period(l);
  for (const NodePeriod& n : r.nodes) KpiCollector::on_node_period(n);
}

void KpiCollector::on_stock_period(const StockPeriod& s) {
  if (s.period < warmup_) return;
  StockAcc& a = stocks_[s.stock];
  a.demand += s.demand;
  a.customer_demand += s.customer_demand;
  a.met += s.met_immediately;
  a.shipped += s.shipped;
  a.lost += s.lost;
  a.ordered += s.ordered;
  a.received += s.received;
  a.on_hand_avg_sum += s.on_hand_avg;
  a.backlog_avg_sum += s.backlog_avg;
  a.on_order_sum += s.on_order;
  a.position_sum += s.position;
  a.value_sum += s.stock_value;
  a.max_backlog = std::max(a.max_backlog, s.backlog);
  ++a.periods;
  if (s.on_hand > 0) ++a.ready_periods;
  const bool short_end = s.backlog > 1e-9 || s.lost > 0;
  if (s.received > 0) {
    if (a.in_cycle) {
      ++a.cycles;
      if (a.cycle_short) ++a.cycles_short;
    }
    a.in_cycle = true;
    a.cycle_short = false;
  }
  if (a.in_cycle && short_end) a.cycle_short = true;
  a.bucket_orders += s.ordered;
  a.bucket_demand += s.demand;
  if (++a.bucket_len == bucket_size_[s.stock]) {
    a.orders_per_bucket.add(a.bucket_orders);
    a.demand_per_bucket.add(a.bucket_demand);
    a.bucket_orders = a.bucket_demand = 0;
    a.bucket_len = 0;
  }
  const auto i = static_cast<std::size_t>(s.period - warmup_);
  if (i >= end_demand_.size()) {
    end_demand_.resize(i + 1, 0.0);
    top_orders_.resize(i + 1, 0.0);
  }
  end_demand_[i] += s.customer_demand;
  if (is_top_[s.stock]) top_orders_[i] += s.ordered;
}

void KpiCollector::on_node_period(const NodePeriod& n) {
  NodeAcc& a = nodes_[n.node];
  if (n.period == warmup_ - 1) a.cash_start = n.cash;
  if (n.period < warmup_) return;
  for (int k = 0; k < kCostKinds; ++k) a.costs[static_cast<std::size_t>(k)] += n.costs[static_cast<std::size_t>(k)];
  a.revenue += n.revenue;
  a.paid_in += n.paid_in;
  a.paid_out += n.paid_out;
  a.cash_end = n.cash;
  a.receivables_sum += n.receivables;
  a.payables_sum += n.payables;
  ++a.periods;
}

void KpiCollector::on_lane_period(const LanePeriod& l) {
  if (l.period < warmup_) return;
  LaneAcc& a = lanes_[l.lane];
  a.shipped += l.shipped;
  a.delivered += l.delivered;
  a.transit_sum += l.transit_time_sum;
  a.in_transit_avg_sum += l.in_transit_avg;
  a.shipments += l.shipments;
  ++a.periods;
}

void KpiCollector::on_delivery(const Delivery& d) {
  if (d.delivered < net_.period_start(warmup_)) return;
  StockAcc& a = stocks_[d.stock];
  const double wait = d.delivered - d.placed;
  if (d.customer) {
    a.customer_wait_units += d.qty;
    a.customer_wait_sum += d.qty * wait;
    a.customer_waits.push_back(wait);
  } else {
    a.lead_times.push_back(wait);
  }
}

KpiSet KpiCollector::finish() const {
  KpiSet out;
  // Every KPI is always present (NaN when undefined, e.g. a ratio with a zero
  // denominator), so replications of one network line up index by index.
  auto put = [&](const char* scope, const std::string& name, const char* kpi, double v) {
    out.values.push_back({scope, name, kpi, v});
  };
  const double period = net_.period_length();
  const auto& defs = kpi_definitions();
  (void)defs;

  // Network totals.
  double net_met = 0, net_demand = 0, net_lost = 0, net_backorders = 0, net_on_hand = 0;
  for (const StockPoint& sp : net_.stocks()) {
    const StockAcc& a = stocks_[sp.id];
    if (sp.infinite || a.periods == 0) continue;
    net_on_hand += a.on_hand_avg_sum / static_cast<double>(a.periods);
    if (a.customer_demand > 0) {
      net_met += a.met;
      net_demand += a.demand;
      net_lost += a.lost;
      net_backorders += a.backlog_avg_sum / static_cast<double>(a.periods);
    }
  }
  double revenue = 0, total_cost = 0, profit = 0, cash_end = 0, cash_change = 0;
  for (const Node& n : net_.nodes()) {
    const NodeAcc& a = nodes_[n.id];
    double all = 0, paid = 0;
    for (int k = 0; k < kCostKinds; ++k) {
      const double c = a.costs[static_cast<std::size_t>(k)];
      all += c;
      if (k != static_cast<int>(CostKind::kBackorder) && k != static_cast<int>(CostKind::kLostSale)) paid += c;
    }
    revenue += a.revenue;
    total_cost += all;
    profit += a.revenue - paid;
    cash_end += a.cash_end;
    cash_change += a.cash_end - a.cash_start;
  }
  sim::RunningStats end, top;
  for (const double v : end_demand_) end.add(v);
  for (const double v : top_orders_) top.add(v);
  put("network", "", "fill_rate", ratio(net_met, net_demand));
  put("network", "", "lost_sales", net_lost);
  put("network", "", "backorders_mean", net_backorders);
  put("network", "", "on_hand_mean", net_on_hand);
  put("network", "", "revenue", revenue);
  put("network", "", "total_cost", total_cost);
  put("network", "", "profit", profit);
  put("network", "", "cash_end", cash_end);
  put("network", "", "cash_change", cash_change);
  put("network", "", "bullwhip_amplification", end.variance() > 0 ? top.variance() / end.variance() : kNaN);

  for (const StockPoint& sp : net_.stocks()) {
    const StockAcc& a = stocks_[sp.id];
    if (sp.infinite || a.periods == 0) continue;
    const double n = static_cast<double>(a.periods);
    const std::string& id = sp.name;
    put("stock", id, "fill_rate", ratio(a.met, a.demand));
    put("stock", id, "ready_rate", static_cast<double>(a.ready_periods) / n);
    put("stock", id, "cycle_service_level",
        a.cycles > 0 ? 1.0 - static_cast<double>(a.cycles_short) / static_cast<double>(a.cycles) : kNaN);
    put("stock", id, "backorders_mean", a.backlog_avg_sum / n);
    put("stock", id, "backorders_max", a.max_backlog);
    put("stock", id, "lost_sales", a.lost);
    const double on_hand = a.on_hand_avg_sum / n;
    put("stock", id, "on_hand_mean", on_hand);
    put("stock", id, "position_mean", a.position_sum / n);
    put("stock", id, "pipeline_mean", a.on_order_sum / n);
    put("stock", id, "demand_mean", a.demand / n);
    put("stock", id, "orders_mean", a.ordered / n);
    const double dv = a.demand_per_bucket.variance();
    put("stock", id, "bullwhip_ratio",
        a.demand_per_bucket.count() > 1 && dv > 0 ? a.orders_per_bucket.variance() / dv : kNaN);
    put("stock", id, "inventory_turns", ratio(a.shipped, on_hand));
    put("stock", id, "days_of_supply", ratio(on_hand, a.shipped / (n * period)));
    double lt = 0;
    for (double x : a.lead_times) lt += x;
    put("stock", id, "order_lead_time_mean", ratio(lt, static_cast<double>(a.lead_times.size())));
    put("stock", id, "order_lead_time_p95", quantile(a.lead_times, 0.95));
    put("stock", id, "customer_wait_mean", ratio(a.customer_wait_sum, a.customer_wait_units));
    put("stock", id, "customer_wait_p95", quantile(a.customer_waits, 0.95));
  }

  for (const Node& node : net_.nodes()) {
    const NodeAcc& a = nodes_[node.id];
    if (a.periods == 0) continue;
    const double n = static_cast<double>(a.periods);
    const double span = n * period;
    double all = 0, paid = 0;
    put("node", node.name, "revenue", a.revenue);
    for (int k = 0; k < kCostKinds; ++k) {
      const double c = a.costs[static_cast<std::size_t>(k)];
      all += c;
      if (k != static_cast<int>(CostKind::kBackorder) && k != static_cast<int>(CostKind::kLostSale)) paid += c;
      const std::string name = std::string("cost_") + cost_kind_name(static_cast<CostKind>(k));
      out.values.push_back({"node", node.name, name, c});
    }
    put("node", node.name, "total_cost", all);
    put("node", node.name, "profit", a.revenue - paid);
    put("node", node.name, "cash_end", a.cash_end);
    put("node", node.name, "cash_change", a.cash_end - a.cash_start);
    double value_sum = 0, cogs = 0;
    for (const StockId s : node.stocks) {
      const StockPoint& sp = net_.stocks()[s];
      if (sp.infinite) continue;
      value_sum += stocks_[s].value_sum;
      cogs += stocks_[s].shipped * sp.unit_value;
    }
    const double dio = ratio(value_sum / n, cogs / span);
    const double dso = ratio(a.receivables_sum / n, a.revenue / span);
    const double purchases = a.costs[static_cast<std::size_t>(CostKind::kPurchase)];
    const double dpo = ratio(a.payables_sum / n, purchases / span);
    put("node", node.name, "dio", dio);
    put("node", node.name, "dso", dso);
    put("node", node.name, "dpo", dpo);
    put("node", node.name, "cash_to_cash", (std::isnan(dio) ? 0.0 : dio) + (std::isnan(dso) ? 0.0 : dso) -
                                                (std::isnan(dpo) ? 0.0 : dpo));
  }

  for (const Lane& l : net_.lanes()) {
    const LaneAcc& a = lanes_[l.id];
    if (a.periods == 0) continue;
    put("lane", l.name, "shipped", a.shipped);
    put("lane", l.name, "in_transit_mean", a.in_transit_avg_sum / static_cast<double>(a.periods));
    put("lane", l.name, "transit_time_mean", ratio(a.transit_sum, a.delivered));
  }
  return out;
}

std::vector<KpiSummary> summarize(const std::vector<KpiSet>& reps, double level) {
  std::vector<KpiSummary> out;
  if (reps.empty()) return out;
  // Replications of one network list the same KPIs in the same order.
  const std::size_t n = reps.front().values.size();
  for (std::size_t i = 0; i < n; ++i) {
    const KpiValue& v = reps.front().values[i];
    sim::RunningStats s;
    for (const KpiSet& r : reps) {
      const double x = r.values[i].value;
      if (!std::isnan(x)) s.add(x);  // undefined in this replication
    }
    KpiSummary k{v.scope, v.name, v.kpi, sim::confidence_interval(s, level)};
    if (s.count() == 0) k.interval.mean = kNaN;
    out.push_back(k);
  }
  return out;
}

}  // namespace chainsim::models

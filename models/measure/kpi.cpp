#include "models/measure/kpi.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace chainsim::models {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double num, double den) { return den > 0 ? num / den : kNaN; }

// The weighted p-quantile of (value, weight) pairs: the smallest value x
// such that the values <= x carry at least p of the total weight (the
// inverse of the weighted empirical distribution function; Hyndman & Fan
// type 1 when all weights are equal). NaN when there is no weight.
double weighted_quantile(std::vector<std::pair<double, double>> v, double p) {
  double total = 0;
  for (const auto& [x, w] : v) total += w;
  if (!(total > 0)) return kNaN;
  std::sort(v.begin(), v.end());
  const double target = p * total * (1.0 - 1e-12);  // 0.95 * 20 is 19, not a hair above
  double cumulative = 0;
  for (const auto& [x, w] : v) {
    cumulative += w;
    if (cumulative >= target) return x;
  }
  return v.back().first;  // round-off in the sum
}

}  // namespace

double KpiSet::get(const std::string& scope, const std::string& name, const std::string& kpi) const {
  for (const KpiValue& v : values) {
    if (v.scope == scope && v.name == name && v.kpi == kpi) return v.value;
  }
  return kNaN;
}

KpiCollector::KpiCollector(const Network& net) : KpiCollector(net, net.warmup()) {}

KpiCollector::KpiCollector(const Network& net, std::int64_t from)
    : net_(net),
      from_(from),
      stocks_(net.stocks().size()),
      nodes_(net.nodes().size()),
      lanes_(net.lanes().size()),
      bucket_size_(net.stocks().size(), 1),
      is_top_(net.stocks().size(), 0) {
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
    is_top_[sp.id] = top ? 1 : 0;
    if (top) amp_bucket_ = std::lcm(amp_bucket_, bucket_size_[sp.id]);
  }
}

void KpiCollector::on_start(const RunShape& r) {
  // Room for one completed order per measured period where a stock can have
  // them (more only grow the vector).
  const auto periods = static_cast<std::size_t>(std::max<std::int64_t>(0, r.periods - from_));
  for (const StockPoint& sp : net_.stocks()) {
    if (sp.infinite) continue;
    StockAcc& a = stocks_[sp.id];
    if (!sp.sources.empty() || sp.production) a.lead_times.reserve(periods);
  }
}

void KpiCollector::on_period(const PeriodRecords& r) {
  // The same accumulation as record by record, without a virtual call each.
  for (const StockPeriod& s : r.stocks) KpiCollector::on_stock_period(s);
  for (const LanePeriod& l : r.lanes) KpiCollector::on_lane_period(l);
  for (const NodePeriod& n : r.nodes) KpiCollector::on_node_period(n);
}

void KpiCollector::on_stock_period(const StockPeriod& s) {
  if (s.period < from_) return;
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
  a.on_hand_end = s.on_hand;
  a.max_backlog = std::max(a.max_backlog, s.backlog);
  ++a.periods;
  if (s.on_hand > 1e-9) ++a.ready_periods;  // round-off dust is not stock
  // A replenishment cycle closes when the next one starts (a receipt); it is
  // short when any of its periods ended with demand unmet.
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
  amp_demand_ += s.customer_demand;
  if (is_top_[s.stock]) amp_orders_ += s.ordered;
  // Every stock is recorded every period, in id order: the last one closes
  // the period for the network's amplification.
  if (s.stock + 1 == stocks_.size() && ++amp_len_ == amp_bucket_) {
    amp_demand_stats_.add(amp_demand_);
    amp_orders_stats_.add(amp_orders_);
    amp_demand_ = amp_orders_ = 0;
    amp_len_ = 0;
  }
}

void KpiCollector::on_node_period(const NodePeriod& n) {
  NodeAcc& a = nodes_[n.node];
  if (n.period == from_ - 1) a.cash_start = n.cash;
  if (n.period < from_) return;
  for (int k = 0; k < kCostKinds; ++k) a.costs[static_cast<std::size_t>(k)] += n.costs[static_cast<std::size_t>(k)];
  a.revenue += n.revenue;
  a.customer_revenue += n.customer_revenue;
  a.paid_in += n.paid_in;
  a.paid_out += n.paid_out;
  a.cash_end = n.cash;
  a.receivables_sum += n.receivables;
  a.payables_sum += n.payables;
  ++a.periods;
}

void KpiCollector::on_lane_period(const LanePeriod& l) {
  if (l.period < from_) return;
  LaneAcc& a = lanes_[l.lane];
  a.shipped += l.shipped;
  a.delivered += l.delivered;
  a.transit_sum += l.transit_time_sum;
  a.in_transit_avg_sum += l.in_transit_avg;
  a.shipments += l.shipments;
  ++a.periods;
}

void KpiCollector::on_delivery(const Delivery& d) {
  if (d.delivered < net_.period_start(from_)) return;
  StockAcc& a = stocks_[d.stock];
  const double wait = d.delivered - d.placed;
  if (d.customer) {
    a.customer_wait_units += d.qty;
    a.customer_wait_sum += d.qty * wait;
    if (wait == 0) {
      a.served_at_once += d.qty;  // most sales: one counter, not one entry each
    } else {
      a.customer_waits.emplace_back(wait, d.qty);
    }
  } else {
    a.lead_times.push_back(wait);
  }
}

KpiSet KpiCollector::finish() const {
  KpiSet out;
  // Every KPI is always present (NaN when undefined, e.g. a ratio with a zero
  // denominator), so replications of one network line up index by index.
  auto put = [&](const char* scope, const std::string& name, const std::string& kpi, double v) {
    out.values.push_back({scope, name, kpi, v});
  };
  auto paid = [](const std::array<double, kCostKinds>& c) {
    double sum = 0;
    for (int k = 0; k < kCostKinds; ++k) {
      if (k != static_cast<int>(CostKind::kBackorder) && k != static_cast<int>(CostKind::kLostSale)) {
        sum += c[static_cast<std::size_t>(k)];
      }
    }
    return sum;
  };
  const double period = net_.period_length();

  // Network totals.
  double net_met = 0, net_demand = 0, net_lost = 0, net_backorders = 0, net_on_hand = 0;
  for (const StockPoint& sp : net_.stocks()) {
    const StockAcc& a = stocks_[sp.id];
    if (sp.infinite || a.periods == 0) continue;
    net_on_hand += a.on_hand_avg_sum / static_cast<double>(a.periods);
    net_lost += a.lost;
    if (a.customer_demand > 0) {
      net_met += a.met;
      net_demand += a.demand;
      net_backorders += a.backlog_avg_sum / static_cast<double>(a.periods);
    }
  }
  // Consolidated money: purchases between the network's nodes are internal.
  std::array<double, kCostKinds> costs{};
  double revenue = 0, cash_end = 0, cash_change = 0, value_end = 0;
  for (const StockPoint& sp : net_.stocks()) {
    if (!sp.infinite) value_end += stocks_[sp.id].on_hand_end * net_.products()[sp.product].salvage_value;
  }
  for (const Node& n : net_.nodes()) {
    const NodeAcc& a = nodes_[n.id];
    for (std::size_t k = 0; k < costs.size(); ++k) costs[k] += a.costs[k];
    revenue += a.customer_revenue;
    cash_end += a.cash_end;
    cash_change += a.cash_end - a.cash_start;
  }
  costs[static_cast<std::size_t>(CostKind::kPurchase)] = 0;
  double total_cost = 0;
  for (double c : costs) total_cost += c;
  put("network", "", "fill_rate", ratio(net_met, net_demand));
  put("network", "", "lost_sales", net_lost);
  put("network", "", "backorders_mean", net_backorders);
  put("network", "", "on_hand_mean", net_on_hand);
  put("network", "", "revenue", revenue);
  for (int k = 0; k < kCostKinds; ++k) {
    if (k == static_cast<int>(CostKind::kPurchase)) continue;
    put("network", "", std::string("cost_") + cost_kind_name(static_cast<CostKind>(k)),
        costs[static_cast<std::size_t>(k)]);
  }
  put("network", "", "total_cost", total_cost);
  put("network", "", "profit", revenue - paid(costs));
  put("network", "", "cash_end", cash_end);
  put("network", "", "cash_change", cash_change);
  put("network", "", "inventory_value_end", value_end);
  const double end_var = amp_demand_stats_.variance();
  put("network", "", "bullwhip_amplification",
      amp_demand_stats_.count() > 1 && end_var > 0 ? amp_orders_stats_.variance() / end_var : kNaN);

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
    std::vector<std::pair<double, double>> orders;
    orders.reserve(a.lead_times.size());
    for (double x : a.lead_times) orders.emplace_back(x, 1.0);
    put("stock", id, "order_lead_time_mean", ratio(lt, static_cast<double>(a.lead_times.size())));
    put("stock", id, "order_lead_time_p95", weighted_quantile(std::move(orders), 0.95));
    // The orders the lead-time KPIs cannot count yet (censored at the horizon).
    const Time end = static_cast<double>(net_.horizon()) * period;
    double oldest = 0;
    for (std::size_t i = 0; i < sp.open_orders.size(); ++i) oldest = std::max(oldest, end - sp.open_orders[i].placed);
    put("stock", id, "open_orders_end", static_cast<double>(sp.open_orders.size()));
    put("stock", id, "open_order_age_max", sp.open_orders.empty() ? kNaN : oldest);
    put("stock", id, "customer_wait_mean", ratio(a.customer_wait_sum, a.customer_wait_units));
    std::vector<std::pair<double, double>> waits = a.customer_waits;
    if (a.served_at_once > 0) waits.emplace_back(0.0, a.served_at_once);
    put("stock", id, "customer_wait_p95", weighted_quantile(std::move(waits), 0.95));
  }

  for (const Node& node : net_.nodes()) {
    const NodeAcc& a = nodes_[node.id];
    if (a.periods == 0) continue;
    const double n = static_cast<double>(a.periods);
    const double span = n * period;
    double all = 0;
    put("node", node.name, "revenue", a.revenue);
    for (int k = 0; k < kCostKinds; ++k) {
      const double c = a.costs[static_cast<std::size_t>(k)];
      all += c;
      put("node", node.name, std::string("cost_") + cost_kind_name(static_cast<CostKind>(k)), c);
    }
    put("node", node.name, "total_cost", all);
    put("node", node.name, "profit", a.revenue - paid(a.costs));
    put("node", node.name, "cash_end", a.cash_end);
    put("node", node.name, "cash_change", a.cash_end - a.cash_start);
    double value_sum = 0, cogs = 0, value_end = 0;
    for (const StockId s : node.stocks) {
      const StockPoint& sp = net_.stocks()[s];
      if (sp.infinite) continue;
      value_sum += stocks_[s].value_sum;
      value_end += stocks_[s].on_hand_end * net_.products()[sp.product].salvage_value;
      cogs += stocks_[s].shipped * sp.unit_value;
    }
    put("node", node.name, "inventory_value_end", value_end);
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

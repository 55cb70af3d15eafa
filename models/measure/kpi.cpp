#include "models/measure/kpi.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <limits>
#include <numeric>
#include <utility>

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

void LeadTimeLog::merge() {
  std::sort(buffer_.begin(), buffer_.end());
  std::vector<std::pair<double, double>> merged;
  merged.reserve(histogram_.size() + buffer_.size());
  std::size_t h = 0, b = 0;
  auto put = [&](double time, double orders) {
    if (!merged.empty() && merged.back().first == time) {
      merged.back().second += orders;
    } else {
      merged.emplace_back(time, orders);
    }
  };
  while (h < histogram_.size() || b < buffer_.size()) {
    if (b == buffer_.size() || (h < histogram_.size() && histogram_[h].first <= buffer_[b])) {
      put(histogram_[h].first, histogram_[h].second);
      ++h;
    } else {
      put(buffer_[b++], 1.0);
    }
  }
  histogram_ = std::move(merged);
  buffer_.clear();
}

std::vector<std::pair<double, double>> LeadTimeLog::histogram() const {
  LeadTimeLog copy = *this;
  copy.merge();
  return std::move(copy.histogram_);
}

double KpiSet::get(std::string_view scope, std::string_view name, std::string_view kpi) const {
  for (const KpiValue& v : values) {
    if (v.scope == scope && v.name == name && v.kpi == kpi) return v.value;
  }
  return kNaN;
}

void KpiCollector::on_start(const RunShape& r) {
  shape_ = &r;
  auto names = [](std::vector<KpiName>& out, std::size_t n, auto&& name_of) {
    out.clear();
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) out.emplace_back(name_of(i));
  };
  names(stock_names_, r.stocks.size(), [&](std::size_t i) -> const std::string& { return r.stocks[i].name; });
  names(node_names_, r.nodes.size(), [&](std::size_t i) -> const std::string& { return r.nodes[i].name; });
  names(lane_names_, r.lanes.size(), [&](std::size_t i) -> const std::string& { return r.lanes[i]; });
  names(firm_names_, r.firms.size(), [&](std::size_t i) -> const std::string& { return r.firms[i]; });
  names(segment_names_, r.segments.size(), [&](std::size_t i) -> const std::string& { return r.segments[i].name; });
  if (from_ < 0) from_ = r.warmup;
  stocks_.assign(r.stocks.size(), {});
  nodes_.assign(r.nodes.size(), {});
  lanes_.assign(r.lanes.size(), {});
  segments_.assign(r.segments.size(), {});
  for (std::size_t g = 0; g < r.segments.size(); ++g) segments_[g].discount_step = 1.0 / (1.0 + r.segments[g].discount_rate);
  bucket_size_.assign(r.stocks.size(), 1);
  is_top_.assign(r.stocks.size(), 0);
  for (std::size_t n = 0; n < r.nodes.size(); ++n) nodes_[n].cash_start = r.nodes[n].initial_cash;
  // The top of the chain, for the network's amplification: for each product
  // end customers buy, its stocks that are not replenished by another stock
  // of that product (produced here, or bought from unlimited sources).
  std::vector<bool> end_product(r.products.size(), false);
  for (const StockShape& sp : r.stocks) {
    if (sp.end_demand) end_product[sp.product] = true;
  }
  for (std::size_t id = 0; id < r.stocks.size(); ++id) {
    const StockShape& sp = r.stocks[id];
    bucket_size_[id] = sp.review_bucket;
    if (sp.infinite || !end_product[sp.product]) continue;
    bool top = sp.replenished;
    for (const StockId s : sp.suppliers) top = top && r.stocks[s].infinite;
    is_top_[id] = top ? 1 : 0;
    if (top) amp_bucket_ = std::lcm(amp_bucket_, bucket_size_[id]);
  }
  served_chains(r);
}

void KpiCollector::served_chains(const RunShape& r) {
  // Up from each end stock through its suppliers (same product): the end
  // stocks each stock serves, in id order.
  std::vector<std::vector<StockId>> serves(r.stocks.size());
  std::vector<std::size_t> seen(r.stocks.size(), r.stocks.size());  // the end stock that last reached it
  std::vector<StockId> up;
  for (std::size_t e = 0; e < r.stocks.size(); ++e) {
    if (!r.stocks[e].end_demand || r.stocks[e].infinite) continue;
    up.assign(1, static_cast<StockId>(e));
    seen[e] = e;
    for (std::size_t i = 0; i < up.size(); ++i) {
      for (const StockId s : r.stocks[up[i]].suppliers) {
        if (r.stocks[s].infinite || seen[s] == e) continue;
        seen[s] = e;
        up.push_back(s);
      }
    }
    for (const StockId s : up) serves[s].push_back(static_cast<StockId>(e));
  }
  served_groups_.clear();
  groups_of_end_.assign(r.stocks.size(), {});
  std::map<std::pair<std::vector<StockId>, int>, int> group_of;
  for (std::size_t s = 0; s < r.stocks.size(); ++s) {
    if (serves[s].empty()) continue;
    auto [it, added] = group_of.try_emplace({serves[s], bucket_size_[s]}, static_cast<int>(served_groups_.size()));
    if (added) {
      served_groups_.push_back({bucket_size_[s], 0, 0.0, {}});
      for (const StockId e : serves[s]) groups_of_end_[e].push_back(it->second);
    }
    stocks_[s].served_group = it->second;
  }
}

void KpiCollector::on_end(const RunEnd& end) { end_ = end; }

void KpiCollector::on_period(const PeriodRecords& r) {
  // The same accumulation as record by record, without a virtual call each.
  for (const StockPeriod& s : r.stocks) KpiCollector::on_stock_period(s);
  for (const LanePeriod& l : r.lanes) KpiCollector::on_lane_period(l);
  for (const NodePeriod& n : r.nodes) KpiCollector::on_node_period(n);
  for (const SegmentPeriod& g : r.segments) KpiCollector::on_segment_period(g);
  for (const RecoveryPeriod& g : r.recoveries) KpiCollector::on_recovery_period(g);
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
  a.expired += s.expired;
  a.returned += s.returned;
  a.consigned_avg_sum += s.consigned_avg;
  a.on_hand_avg_sum += s.on_hand_avg;
  a.backlog_avg_sum += s.backlog_avg;
  a.on_order_sum += s.on_order;
  a.position_sum += s.position;
  a.value_sum += s.stock_value;
  a.on_hand_end = s.on_hand;
  a.max_backlog = std::max(a.max_backlog, s.backlog);
  ++a.periods;
  if (s.on_hand > 1e-9) ++a.ready_periods;  // round-off dust is not stock
  if (s.backlog <= 1e-9) ++a.backorder_free;
  a.out_of_stock += s.out_of_stock;
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
  if (s.customer_demand != 0) {
    for (const int g : groups_of_end_[s.stock]) served_groups_[static_cast<std::size_t>(g)].end += s.customer_demand;
  }
  amp_demand_ += s.customer_demand;
  if (is_top_[s.stock]) amp_orders_ += s.ordered;
  // Every stock is recorded every period, in id order: the last one closes
  // the period for the network's amplification and the cumulative ratios.
  if (s.stock + 1 != stocks_.size()) return;
  if (++amp_len_ == amp_bucket_) {
    amp_demand_stats_.add(amp_demand_);
    amp_orders_stats_.add(amp_orders_);
    amp_demand_ = amp_orders_ = 0;
    amp_len_ = 0;
  }
  for (ServedGroup& g : served_groups_) {
    if (++g.len < g.bucket) continue;
    g.per_bucket.add(g.end);
    g.end = 0;
    g.len = 0;
  }
}

void KpiCollector::on_node_period(const NodePeriod& n) {
  NodeAcc& a = nodes_[n.node];
  if (n.period == from_ - 1) a.cash_start = n.cash;
  a.consigned_out_end = n.consigned_out_value;
  a.consigned_in_end = n.consigned_in_value;
  if (n.period < from_) return;
  for (int k = 0; k < kCostKinds; ++k) a.costs[static_cast<std::size_t>(k)] += n.costs[static_cast<std::size_t>(k)];
  a.revenue += n.revenue;
  a.firm_sales += n.firm_sales;
  a.firm_purchases += n.firm_purchases;
  a.customer_revenue += n.customer_revenue;
  a.paid_in += n.paid_in;
  a.paid_out += n.paid_out;
  a.outside_purchases += n.outside_purchases;
  a.cash_end = n.cash;
  a.receivables_sum += n.receivables;
  a.payables_sum += n.payables;
  a.outside_payables_sum += n.outside_payables;
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
  if (d.delivered < shape_->period_start(from_)) return;
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
    a.lead_times.add(wait);
  }
}

namespace {

// A ratio's numerator and denominator as the KPI's terms: NaN with no denominator.
double undefined_as_zero(double x) { return std::isnan(x) ? 0.0 : x; }

// "cost_<kind>" for each cost kind, taken into the table of names once.
KpiName cost_kpi(int kind) {
  static const std::array<KpiName, kCostKinds> names = [] {
    std::array<KpiName, kCostKinds> n;
    for (int k = 0; k < kCostKinds; ++k) {
      n[static_cast<std::size_t>(k)] = KpiName(std::string("cost_") + cost_kind_name(static_cast<CostKind>(k)));
    }
    return n;
  }();
  return names[static_cast<std::size_t>(kind)];
}

// Costs that move money: all but the backorder and lost-sale penalties.
double paid(const std::array<double, kCostKinds>& c) {
  double sum = 0;
  for (int k = 0; k < kCostKinds; ++k) {
    if (k != static_cast<int>(CostKind::kBackorder) && k != static_cast<int>(CostKind::kLostSale)) {
      sum += c[static_cast<std::size_t>(k)];
    }
  }
  return sum;
}

}  // namespace

// Every KPI is always present (NaN when undefined, e.g. a ratio with a zero
// denominator), so replications of one network line up index by index.
KpiSet KpiCollector::finish() const {
  KpiSet out;
  // Room for every KPI at once (a large network has millions): a bound, not a
  // count, generous per item; the vector never regrows and copies its strings.
  constexpr std::size_t kPerItem = 32;
  out.values.reserve(kPerItem * (1 + shape_->stocks.size() + shape_->nodes.size() + shape_->lanes.size() +
                                 shape_->segments.size()));
  network_kpis(out.values);
  for (std::size_t id = 0; id < shape_->stocks.size(); ++id) {
    if (shape_->stocks[id].infinite || stocks_[id].periods == 0) continue;
    stock_kpis(shape_->stocks[id], out.values);
  }
  for (const NodeShape& node : shape_->nodes) node_kpis(node, out.values);
  firm_kpis(out.values);
  lane_kpis(out.values);
  for (std::size_t g = 0; g < shape_->segments.size(); ++g) segment_kpis(g, out.values);
  // A run of many short replications keeps every set: a small one's unused
  // room would lie between them, a page or two more to fault in for each
  // (1,000 replications of the serial chain: 3,047 -> 2,012 page faults, 10%
  // of the time). A large one's room is a mapping of its own, never touched.
  if (out.values.capacity() * sizeof(KpiValue) < (std::size_t{1} << 20)) out.values.shrink_to_fit();
  return out;
}

void KpiCollector::network_kpis(Put& out) const {
  auto put = [&](KpiName kpi, double v) { out.push_back({"network", "", kpi, v}); };
  double met = 0, demand = 0, lost = 0, backorders = 0, on_hand = 0, value_end = 0;
  for (std::size_t id = 0; id < shape_->stocks.size(); ++id) {
    const StockShape& sp = shape_->stocks[id];
    const StockAcc& a = stocks_[id];
    if (!sp.infinite) value_end += a.on_hand_end * shape_->products[sp.product].salvage_value;
    if (sp.infinite || a.periods == 0) continue;
    on_hand += a.on_hand_avg_sum / static_cast<double>(a.periods);
    lost += a.lost;
    if (a.customer_demand > 0) {
      met += a.met;
      demand += a.demand;
      backorders += a.backlog_avg_sum / static_cast<double>(a.periods);
    }
  }
  // Consolidated money, over the network's own nodes (not the suppliers
  // outside it): purchases between them are internal, purchases from outside
  // are the network's cost_purchase.
  std::array<double, kCostKinds> costs{};
  double revenue = 0, cash_end = 0, cash_change = 0, bought = 0;
  for (std::size_t n = 0; n < nodes_.size(); ++n) {
    if (shape_->nodes[n].outside) {
      value_end -= nodes_[n].consigned_out_end;  // a supplier outside owns these units, not the network
      continue;
    }
    const NodeAcc& a = nodes_[n];
    for (std::size_t k = 0; k < costs.size(); ++k) costs[k] += a.costs[k];
    revenue += a.customer_revenue;
    cash_end += a.cash_end;
    cash_change += a.cash_end - a.cash_start;
    bought += a.outside_purchases;
  }
  costs[static_cast<std::size_t>(CostKind::kPurchase)] = bought;
  double total_cost = 0;
  for (double c : costs) total_cost += c;
  put("fill_rate", ratio(met, demand));
  put("lost_sales", lost);
  put("backorders_mean", backorders);
  put("on_hand_mean", on_hand);
  put("revenue", revenue);
  for (int k = 0; k < kCostKinds; ++k) {
    if (!reports_cost(k)) continue;
    put(cost_kpi(k), costs[static_cast<std::size_t>(k)]);
  }
  put("total_cost", total_cost);
  put("profit", revenue - paid(costs));
  put("cash_end", cash_end);
  put("cash_change", cash_change);
  put("inventory_value_end", value_end);
  if (shape_->perishables) {
    double expired = 0, wasted = 0;
    for (std::size_t id = 0; id < shape_->stocks.size(); ++id) {
      const StockShape& sp = shape_->stocks[id];
      expired += stocks_[id].expired;
      wasted += stocks_[id].expired * (sp.unit_value + sp.disposal_cost);
    }
    put("expired", expired);
    put("waste_value", wasted);
  }
  if (!shape_->recoveries.empty()) recovery_kpis(out);
  velocity_kpis(out, on_hand);
  const double end_var = amp_demand_stats_.variance();
  put("bullwhip_amplification",
      amp_demand_stats_.count() > 1 && end_var > 0 ? amp_orders_stats_.variance() / end_var : kNaN);
}

void KpiCollector::velocity_kpis(Put& out, double on_hand) const {
  auto put = [&](KpiName kpi, double v) { out.push_back({"network", "", kpi, v}); };
  const double T = static_cast<double>(std::max<std::int64_t>(0, shape_->periods - from_)) * shape_->period;
  // Cost of goods sold: units delivered to end customers at their unit cost.
  double sold = 0, cogs = 0, value = 0;
  for (std::size_t id = 0; id < shape_->stocks.size(); ++id) {
    const StockShape& sp = shape_->stocks[id];
    const StockAcc& a = stocks_[id];
    if (sp.infinite || a.periods == 0) continue;
    sold += a.customer_wait_units;
    cogs += a.customer_wait_units * sp.unit_value;
    value += a.on_hand_avg_sum / static_cast<double>(a.periods) * sp.unit_value;
  }
  double in_transit = 0;
  for (const LaneAcc& l : lanes_) in_transit += l.periods > 0 ? l.in_transit_avg_sum / static_cast<double>(l.periods) : 0;
  double payables = 0, bought = 0;
  for (std::size_t n = 0; n < nodes_.size(); ++n) {
    if (shape_->nodes[n].outside || nodes_[n].periods == 0) continue;
    payables += nodes_[n].outside_payables_sum / static_cast<double>(nodes_[n].periods);
    bought += nodes_[n].outside_purchases;
  }
  const double days_of_supply = ratio(value, cogs / T);
  const double dpo = ratio(payables, bought / T);
  put("inventory_turns", ratio(cogs, value));
  put("inventory_turns_units", ratio(sold, on_hand));
  put("days_of_supply", days_of_supply);
  put("flow_time", ratio(on_hand + in_transit, sold / T));
  // End customers pay in cash: the consolidated network has no receivables.
  put("cash_to_cash", undefined_as_zero(days_of_supply) - undefined_as_zero(dpo));
}

void KpiCollector::stock_kpis(const StockShape& sp, Put& out) const {
  const std::size_t id = static_cast<std::size_t>(&sp - shape_->stocks.data());
  const StockAcc& a = stocks_[id];
  auto put = [&](KpiName kpi, double v) { out.push_back({"stock", stock_names_[id], kpi, v}); };
  const double n = static_cast<double>(a.periods), period = shape_->period;
  put("fill_rate", ratio(a.met, a.demand));
  put("ready_rate", static_cast<double>(a.ready_periods) / n);
  put("cycle_service_level",
      a.cycles > 0 ? 1.0 - static_cast<double>(a.cycles_short) / static_cast<double>(a.cycles) : kNaN);
  put("out_of_stock_share", a.out_of_stock / (n * period));
  put("backorder_free_share", static_cast<double>(a.backorder_free) / n);
  put("backorders_mean", a.backlog_avg_sum / n);
  put("backorders_max", a.max_backlog);
  put("lost_sales", a.lost);
  if (sp.perishable) {
    put("expired", a.expired);
    put("waste_share", ratio(a.expired, a.expired + a.shipped));
  }
  if (sp.consigned) put("consigned_mean", a.consigned_avg_sum / n);
  const double on_hand = a.on_hand_avg_sum / n;
  put("on_hand_mean", on_hand);
  put("position_mean", a.position_sum / n);
  put("pipeline_mean", a.on_order_sum / n);
  put("demand_mean", a.demand / n);
  put("orders_mean", a.ordered / n);
  const double dv = a.demand_per_bucket.variance();
  put("bullwhip_ratio", a.demand_per_bucket.count() > 1 && dv > 0 ? a.orders_per_bucket.variance() / dv : kNaN);
  const sim::RunningStats* served =
      a.served_group < 0 ? nullptr : &served_groups_[static_cast<std::size_t>(a.served_group)].per_bucket;
  const double ev = served ? served->variance() : 0.0;
  // Its buckets are the stock's own (both start with the measured periods),
  // so the orders' variance is the one bullwhip_ratio uses.
  put("bullwhip_cumulative", served && served->count() > 1 && ev > 0 ? a.orders_per_bucket.variance() / ev : kNaN);
  put("inventory_turns", ratio(a.shipped, on_hand));
  put("days_of_supply", ratio(on_hand, a.shipped / (n * period)));
  // The same figures as from every order's time: the sum in arrival order,
  // and the histogram's weights are whole counts, so its cumulative sums are
  // exact as the orders' were.
  put("order_lead_time_mean", ratio(a.lead_times.sum(), static_cast<double>(a.lead_times.count())));
  put("order_lead_time_p95", weighted_quantile(a.lead_times.histogram(), 0.95));
  // The orders the lead-time KPIs cannot count yet (censored at the horizon).
  const StockEnd open = id < end_.stocks.size() ? end_.stocks[id] : StockEnd{};
  const Time end = static_cast<double>(shape_->periods) * period;
  put("open_orders_end", static_cast<double>(open.open_orders));
  put("open_order_age_max", open.open_orders == 0 ? kNaN : std::max(0.0, end - open.oldest_open_order));
  put("customer_wait_mean", ratio(a.customer_wait_sum, a.customer_wait_units));
  std::vector<std::pair<double, double>> waits = a.customer_waits;
  if (a.served_at_once > 0) waits.emplace_back(0.0, a.served_at_once);
  put("customer_wait_p95", weighted_quantile(std::move(waits), 0.95));
}

void KpiCollector::firm_kpis(Put& out) const {
  // What each firm sells to end customers and to other firms, and what it
  // buys from other firms and from outside: trade between its own nodes is
  // internal, as it is in the network's consolidated books. One pass over
  // the nodes (a network of many single-store firms stays linear).
  struct FirmAcc {
    std::array<double, kCostKinds> costs{};
    double revenue = 0, sold_to_firms = 0, bought = 0, cash_end = 0, cash_change = 0;
  };
  std::vector<FirmAcc> firms(shape_->firms.size());
  for (std::size_t n = 0; n < nodes_.size(); ++n) {
    const std::uint32_t f = shape_->nodes[n].firm;
    if (f >= firms.size()) continue;
    const NodeAcc& a = nodes_[n];
    FirmAcc& t = firms[f];
    for (std::size_t k = 0; k < t.costs.size(); ++k) t.costs[k] += a.costs[k];
    t.revenue += a.customer_revenue + a.firm_sales;
    t.sold_to_firms += a.firm_sales;
    t.bought += a.firm_purchases;
    t.cash_end += a.cash_end;
    t.cash_change += a.cash_end - a.cash_start;
  }
  for (std::size_t f = 0; f < firms.size(); ++f) {
    auto& [costs, revenue, sold_to_firms, bought, cash_end, cash_change] = firms[f];
    costs[static_cast<std::size_t>(CostKind::kPurchase)] = bought;
    const KpiName name = firm_names_[f];
    auto put = [&](KpiName kpi, double v) { out.push_back({"firm", name, kpi, v}); };
    put("revenue", revenue);
    put("intercompany_sales", sold_to_firms);
    double total = 0;
    for (int k = 0; k < kCostKinds; ++k) {
      total += costs[static_cast<std::size_t>(k)];
      if (reports_cost(k)) put(cost_kpi(k), costs[static_cast<std::size_t>(k)]);
    }
    put("total_cost", total);
    put("profit", revenue - paid(costs));
    put("cash_end", cash_end);
    put("cash_change", cash_change);
  }
}

void KpiCollector::node_kpis(const NodeShape& node, Put& out) const {
  const std::size_t id = static_cast<std::size_t>(&node - shape_->nodes.data());
  const NodeAcc& a = nodes_[id];
  if (a.periods == 0) return;
  auto put = [&](KpiName kpi, double v) { out.push_back({"node", node_names_[id], kpi, v}); };
  const double n = static_cast<double>(a.periods);
  const double span = n * shape_->period;
  double all = 0;
  put("revenue", a.revenue);
  for (int k = 0; k < kCostKinds; ++k) {
    const double c = a.costs[static_cast<std::size_t>(k)];
    all += c;
    if (reports_cost(k)) put(cost_kpi(k), c);
  }
  put("total_cost", all);
  put("profit", a.revenue - paid(a.costs));
  put("cash_end", a.cash_end);
  put("cash_change", a.cash_end - a.cash_start);
  double value_sum = 0, cogs = 0, value_end = 0;
  for (const StockId s : node.stocks) {
    const StockShape& sp = shape_->stocks[s];
    if (sp.infinite) continue;
    value_sum += stocks_[s].value_sum;
    value_end += stocks_[s].on_hand_end * shape_->products[sp.product].salvage_value;
    cogs += stocks_[s].shipped * sp.unit_value;
  }
  // Consigned units are on their owner's books: the seller's, not the buyer's.
  put("inventory_value_end", value_end - a.consigned_in_end + a.consigned_out_end);
  if (node.consigns) put("consigned_value_end", a.consigned_out_end);
  const double dio = ratio(value_sum / n, cogs / span);
  const double dso = ratio(a.receivables_sum / n, a.revenue / span);
  const double purchases = a.costs[static_cast<std::size_t>(CostKind::kPurchase)];
  const double dpo = ratio(a.payables_sum / n, purchases / span);
  put("dio", dio);
  put("dso", dso);
  put("dpo", dpo);
  put("cash_to_cash", undefined_as_zero(dio) + undefined_as_zero(dso) - undefined_as_zero(dpo));
}

void KpiCollector::lane_kpis(Put& out) const {
  // The periods measured: every stock is recorded every period; a lane
  // that can carry nothing is not (Network::active_lanes_), and its sums
  // stay zero.
  std::int64_t measured = 0;
  for (const StockAcc& s : stocks_) measured = std::max(measured, s.periods);
  for (std::size_t id = 0; id < shape_->lanes.size(); ++id) {
    const LaneAcc& a = lanes_[id];
    const std::int64_t periods = a.periods > 0 ? a.periods : measured;
    if (periods == 0) continue;
    const KpiName name = lane_names_[id];
    out.push_back({"lane", name, "shipped", a.shipped});
    out.push_back({"lane", name, "in_transit_mean", a.in_transit_avg_sum / static_cast<double>(periods)});
    out.push_back({"lane", name, "transit_time_mean", ratio(a.transit_sum, a.delivered)});
  }
}

std::vector<KpiSummary> summarize(const std::vector<KpiSet>& reps, double level) {
  std::vector<KpiSummary> out;
  if (reps.empty()) return out;
  // Replications of one network list the same KPIs in the same order.
  const std::size_t n = reps.front().values.size();
  out.reserve(n);  // millions of KPIs in a large network: no regrowth, no copies
  for (std::size_t i = 0; i < n; ++i) {
    const KpiValue& v = reps.front().values[i];
    sim::RunningStats s;
    for (const KpiSet& r : reps) {
      const double x = r.values[i].value;
      if (!std::isnan(x)) s.add(x);  // undefined in this replication
    }
    KpiSummary k{v.scope, v.name, v.kpi, sim::confidence_interval(s, level)};
    if (s.count() == 0) k.interval.mean = kNaN;
    out.push_back(std::move(k));
  }
  return out;
}

}  // namespace chainsim::models

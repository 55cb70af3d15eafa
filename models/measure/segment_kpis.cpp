// The KPIs of customer segments (definitions in kpi_definitions.cpp,
// docs/customers.md): accumulated from the segments' period records.
#include <cmath>
#include <limits>

#include "models/measure/kpi.h"

namespace chainsim::models {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double num, double den) { return den > 0 ? num / den : kNaN; }

}  // namespace

void KpiCollector::on_segment_period(const SegmentPeriod& g) {
  SegmentAcc& a = segments_[g.segment];
  // Lifetime value from period 0: the initial cohort's share of the period's
  // margin per active customer, discounted to time 0.
  const double margin = g.revenue - g.cogs - g.cost_to_serve;
  if (g.active > 0) a.cohort_value += a.discount * g.cohort * margin / g.active;
  a.discount *= a.discount_step;
  a.cohort_end = g.cohort;
  const double previous = a.previous_active;
  a.previous_active = g.active;
  if (g.period < from_) return;
  ++a.periods;
  a.active_sum += g.active;
  a.active_end = g.active;
  if (g.period > 0) a.exposed += previous;  // the customers the period's churn was drawn from
  a.acquired += g.acquired;
  a.won_back += g.won_back;
  a.churned_service += g.churned_service;
  a.churned_intrinsic += g.churned_intrinsic;
  a.orders += g.orders;
  a.units += g.units;
  a.met_at_once += g.met_at_once;
  a.met_late += g.met_late;
  a.on_time += g.on_time;
  a.wait_units += g.wait_units;
  a.lost_stockout += g.lost_stockout;
  a.lost_outage += g.lost_outage;
  a.lost_patience += g.lost_patience;
  a.revenue += g.revenue;
  a.cogs += g.cogs;
  a.cost_to_serve += g.cost_to_serve;
  a.acquisition_cost += g.acquisition_cost;
}

void KpiCollector::segment_kpis(std::size_t segment, Put& out) const {
  const SegmentAcc& a = segments_[segment];
  const SegmentShape& shape = shape_->segments[segment];
  auto put = [&](KpiName kpi, double v) { out.push_back({"segment", segment_names_[segment], kpi, v}); };
  const double n = static_cast<double>(a.periods);
  put("active_mean", ratio(a.active_sum, n));
  put("active_end", a.active_end);
  put("acquired", a.acquired);
  put("won_back", a.won_back);
  put("churned_service", a.churned_service);
  put("churned_intrinsic", a.churned_intrinsic);
  const double churn = ratio(a.churned_service + a.churned_intrinsic, a.exposed);
  put("churn_rate", churn);
  put("retention_rate", 1.0 - churn);
  put("cohort_retained", ratio(a.cohort_end, shape.initial));
  put("orders", a.orders);
  put("demand", a.units);
  const double met = a.met_at_once + a.met_late;
  const double ended = met + a.lost_stockout + a.lost_outage + a.lost_patience;
  put("fill_rate", ratio(a.met_at_once, ended));
  put("otif", ratio(a.on_time, ended));
  put("wait_mean", ratio(a.wait_units, met));
  put("lost_stockout", a.lost_stockout);
  put("lost_outage", a.lost_outage);
  put("lost_patience", a.lost_patience);
  put("share_of_wallet", ratio(met, ended));
  put("revenue", a.revenue);
  const double gross = a.revenue - a.cogs;
  put("gross_margin", gross);
  put("cost_to_serve", a.cost_to_serve);
  put("acquisition_cost", a.acquisition_cost);
  put("profit", gross - a.cost_to_serve - a.acquisition_cost);
  put("lifetime_value", ratio(a.cohort_value, shape.initial));
  const double m = ratio(gross - a.cost_to_serve, a.active_sum);
  const double d = shape.discount_rate, r = 1.0 - churn;
  const double ltv = 1.0 + d - r > 0 ? m * (1.0 + d) / (1.0 + d - r) : kNaN;
  put("lifetime_value_formula", ltv);
  put("customer_equity", a.active_end * ltv);
  put("acquisition_value", ltv - shape.acquisition_cost);
}

}  // namespace chainsim::models

#include "models/report/customer_charts.h"

#include <cmath>
#include <fmt/core.h>
#include <limits>

#include "models/report/chart.h"
#include "models/report/kpi_table.h"
#include "models/report/page.h"

namespace chainsim::models::report {

namespace {

using Field = SegmentAccumulator::Field;

// Segment g's trace of `fields` summed (their sds added: a conservative band).
Trace segment_trace(const SegmentAccumulator& acc, std::size_t g, std::initializer_list<Field> fields) {
  Trace t;
  t.mean.assign(acc.periods(), 0.0);
  t.sd.assign(acc.periods(), 0.0);
  for (std::size_t k = 0; k < acc.periods(); ++k) {
    for (Field f : fields) {
      const CellStats c = acc.at(k, g, f);
      t.mean[k] += c.mean();
      t.sd[k] += c.stddev();
    }
  }
  return t;
}

// One chart per segment of the traces `lines` (name, fields).
std::string segment_multiples(const RunChartsInput& in, const std::string& id, const std::string& title,
                              const std::string& y_label,
                              const std::vector<std::pair<std::string, std::initializer_list<Field>>>& lines) {
  const ExperimentResult& r = *in.result;
  std::vector<LineChart> charts;
  for (std::size_t g = 0; g < r.info.segments.size(); ++g) {
    LineChart c = time_chart(in, fmt::format("{}-{}", id, g), fmt::format("{} — {}", title, r.info.segments[g]),
                             y_label);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      add_trace(c, r, lines[i].first, segment_trace(*r.segment_series, g, lines[i].second), i,
                "95% band of the mean");
    }
    charts.push_back(std::move(c));
  }
  return small_multiples(charts, false, id + "-legend");
}

BarChart segment_bars(const ExperimentResult& r, std::string id, std::string title, std::string value_label,
                      const std::vector<std::pair<std::string, std::string>>& layers) {
  BarChart b;
  b.id = std::move(id);
  b.title = std::move(title);
  b.value_label = std::move(value_label);
  b.width = 800;
  for (const auto& layer : layers) b.layers.push_back(layer.first);
  for (const std::string& g : r.info.segments) {
    BarChart::Row row;
    row.label = g;
    for (const auto& layer : layers) {
      const KpiSummary* k = find_kpi(r.summary, "segment", g, layer.second);
      row.values.push_back(k ? k->interval.mean : std::numeric_limits<double>::quiet_NaN());
    }
    b.rows.push_back(std::move(row));
  }
  return b;
}

std::string lifetime_value_chart(const ExperimentResult& r) {
  BarChart b;
  b.id = "segment-lifetime-value";
  b.title = "Lifetime value per customer";
  b.value_label = "money per customer";
  b.width = 800;
  b.value_text = [](const BarChart::Row& row) {
    sim::Interval i;
    i.mean = row.values.empty() ? std::numeric_limits<double>::quiet_NaN() : row.values[0];
    i.half_width = row.error;
    i.n = std::isfinite(row.error) ? 2 : 1;
    return format_estimate(i);
  };
  for (const std::string& g : r.info.segments) {
    for (const auto& [label, kpi] : {std::pair{"measured (initial cohort)", "lifetime_value"},
                                     std::pair{"closed form m (1+d) / (1+d-r)", "lifetime_value_formula"}}) {
      const KpiSummary* k = find_kpi(r.summary, "segment", g, kpi);
      if (!k) continue;
      BarChart::Row row;
      row.label = label;
      row.group = g;
      row.values = {k->interval.mean};
      if (k->interval.n > 1) row.error = k->interval.half_width;
      b.rows.push_back(std::move(row));
    }
  }
  return render(b);
}

}  // namespace

std::string customer_charts(const RunChartsInput& in) {
  const ExperimentResult& r = *in.result;
  if (r.info.segments.empty() || !r.segment_series) return "";
  std::string o;
  if (r.series != nullptr && r.series->periods() > 0) {
    o += subheading("Active customers per segment");
    o += segment_multiples(in, "segment-active", "Active customers", "customers", {{"active", {Field::kActive}}});
    o += subheading("Customers lost and gained per period");
    o += segment_multiples(in, "segment-flows", "Per period", "customers",
                           {{"left for the service", {Field::kChurnedService}},
                            {"left anyway", {Field::kChurnedIntrinsic}},
                            {"acquired or won back", {Field::kAcquired, Field::kWonBack}}});
    o += subheading("Experienced service");
    o += segment_multiples(in, "segment-satisfaction", "Satisfaction", "smoothed fill rate",
                           {{"satisfaction", {Field::kSatisfaction}}});
  }
  o += subheading("Who left and who came, over the measured span");
  o += render(segment_bars(r, "segment-churn", "Customers who left, by cause", "customers",
                           {{"for the service", "churned_service"}, {"anyway (intrinsic)", "churned_intrinsic"}}));
  o += render(segment_bars(r, "segment-gains", "Customers who came", "customers",
                           {{"acquired", "acquired"}, {"won back", "won_back"}}));
  o += subheading("Lifetime value");
  o += lifetime_value_chart(r);
  o += paragraph(
      "The measured value follows the customers active at time 0 to the horizon (censored: cohort_retained of them "
      "are still active at the end); the closed form uses the run's measured margin per active customer and "
      "retention rate. They agree when retention is steady; docs/customers.md derives the form.",
      true);
  return o;
}

}  // namespace chainsim::models::report

#include "models/report/customer_charts.h"

#include <cmath>
#include <fmt/core.h>
#include <limits>
#include <optional>

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

// The running total of segment g's `fields` from period 0 (the means'
// running sum: the band of a sum over periods is not kept, so none is drawn).
std::vector<double> running_total(const SegmentAccumulator& acc, std::size_t g, std::initializer_list<Field> fields) {
  std::vector<double> out(acc.periods(), 0.0);
  double sum = 0.0;
  for (std::size_t k = 0; k < acc.periods(); ++k) {
    for (Field f : fields) sum += acc.at(k, g, f).mean();
    out[k] = sum;
  }
  return out;
}

struct Line {
  std::string name;
  std::initializer_list<Field> fields;
};

// One chart per segment (the whole width for one segment) of the traces
// `lines`, each with its 95% band; `cumulative`: their running totals, no band.
std::string segment_multiples(const RunChartsInput& in, const std::string& id, const std::string& title,
                              const std::string& y_label, const std::vector<Line>& lines, bool cumulative = false,
                              std::optional<std::pair<double, double>> y_domain = std::nullopt) {
  const ExperimentResult& r = *in.result;
  std::vector<LineChart> charts;
  for (std::size_t g = 0; g < r.info.segments.size(); ++g) {
    LineChart c = time_chart(in, fmt::format("{}-{}", id, g), fmt::format("{} — {}", title, r.info.segments[g]),
                             y_label);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (cumulative) {
        std::vector<double> x(r.segment_series->periods());
        for (std::size_t k = 0; k < x.size(); ++k) x[k] = static_cast<double>(k) * r.info.period;
        c.series.push_back({lines[i].name, x, running_total(*r.segment_series, g, lines[i].fields), palette_style(i)});
      } else {
        add_trace(c, r, lines[i].name, segment_trace(*r.segment_series, g, lines[i].fields), i,
                  "95% band, " + lines[i].name);
      }
    }
    if (y_domain) {
      c.y_domain = y_domain;
      for (Band& b : c.bands) {
        for (double& v : b.hi) v = std::min(v, y_domain->second);
      }
    }
    charts.push_back(std::move(c));
  }
  if (charts.size() == 1) return render(charts.front());
  for (LineChart& c : charts) c.legend = false;
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
  b.value_text = estimate_text;
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
  const std::string reps = r.kpis.size() > 1 ? fmt::format("means over {} replications, with their 95% band",
                                                            r.kpis.size())
                                              : "one replication";
  const std::string scales = r.info.segments.size() > 1 ? " Each segment's chart has its own vertical scale." : "";
  if (r.series != nullptr && r.series->periods() > 0) {
    o += subheading("Active customers per segment");
    o += figure(segment_multiples(in, "segment-active", "Active customers", "customers", {{"active", {Field::kActive}}}),
                fmt::format("Customers buying in each period ({}).{}", reps, scales));
    o += subheading("Customers lost and gained");
    o += figure(segment_multiples(in, "segment-flows", "Since the start", "customers",
                                  {{"left for the service", {Field::kChurnedService}},
                                   {"left anyway", {Field::kChurnedIntrinsic}},
                                   {"acquired or won back", {Field::kAcquired, Field::kWonBack}}},
                                  true),
                fmt::format("Running totals from period 0 (means over the replications, no band): a step in the "
                            "first line is a wave of customers lost for the service.{}",
                            scales));
    o += subheading("Experienced service");
    o += figure(segment_multiples(in, "segment-satisfaction", "Satisfaction", "smoothed fill rate (share)",
                                  {{"satisfaction", {Field::kSatisfaction}}}, false, std::pair{0.0, 1.0}),
                fmt::format("The share of each period's units met at once, exponentially smoothed with the segment's "
                            "churn.smoothing, at the start of each period ({}).",
                            reps));
  }
  o += subheading("Who left and who came, over the measured span");
  o += render(segment_bars(r, "segment-churn", "Customers who left, by cause", "customers",
                           {{"for the service", "churned_service"}, {"anyway (intrinsic)", "churned_intrinsic"}}));
  o += render(segment_bars(r, "segment-gains", "Customers who came", "customers",
                           {{"acquired", "acquired"}, {"won back", "won_back"}}));
  o += subheading("Lifetime value");
  o += lifetime_value_chart(r);
  std::string retained;
  for (const std::string& g : r.info.segments) {
    const KpiSummary* k = find_kpi(r.summary, "segment", g, "cohort_retained");
    if (k != nullptr && std::isfinite(k->interval.mean)) {
      retained += fmt::format("{}{} {:.1f}%", retained.empty() ? "" : ", ", g, 100 * k->interval.mean);
    }
  }
  o += paragraph(
      fmt::format("Measured: the discounted margin less cost to serve earned by the customers active at time 0, per "
                  "customer, up to the horizon; it is censored there, where some of them are still active ({}), so it "
                  "falls short of a whole lifetime. Closed form: m (1 + d) / (1 + d - r) with the run's measured margin "
                  "per active customer m and retention r, a whole lifetime at a steady retention. They agree when the "
                  "cohort has run its course and retention held steady; docs/customers.md derives the form.",
                  retained.empty() ? "none" : retained),
      true);
  return o;
}

}  // namespace chainsim::models::report

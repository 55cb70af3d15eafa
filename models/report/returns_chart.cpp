#include "models/report/returns_chart.h"

#include <cmath>
#include <fmt/core.h>
#include <string>

#include "models/chain/kinds.h"
#include "models/report/chart.h"
#include "models/report/kpi_table.h"
#include "models/report/page.h"

namespace chainsim::models::report {

bool has_returns_centre(const ExperimentResult& r) { return find_kpi(r.summary, "network", "", "graded") != nullptr; }

std::string returns_chart(const RunChartsInput& in) {
  const ExperimentResult& r = *in.result;
  BarChart b;
  b.id = "return-routes";
  b.title = "Where the graded returns went";
  b.width = 800;
  b.row_height = 22;
  b.value_label = "share of the units graded at the returns centres";
  for (std::size_t k = 0; k < kRecoveryRoutes; ++k) {
    const std::string route(enum_names<RecoveryRoute>()[k]);
    const KpiSummary* share = find_kpi(r.summary, "network", "", "route_" + route);
    if (!share) continue;
    BarChart::Row row;
    row.label = route;
    row.values = {std::isfinite(share->interval.mean) ? share->interval.mean : 0.0};
    if (share->interval.n > 1) row.error = share->interval.half_width;
    b.rows.push_back(std::move(row));
  }
  std::string o = render(b);
  auto text = [&](const char* kpi) {
    const KpiSummary* k = find_kpi(r.summary, "network", "", kpi);
    return k ? format_estimate(k->interval) : std::string("-");
  };
  o += paragraph(
      fmt::format("Customers sent back {} units, a return rate of {}. The returns centres graded {} of them onto "
                  "their routes; a refurbishing or remanufacturing line's rejects count as scrap, so the bars sum "
                  "to 1 (docs/returns.md). {} units went back into stock, {} {} after grading on average "
                  "(a line's queue and the route's lead time). The reverse flow recovered {} {} (recovered units "
                  "at unit cost, plus the recyclers' cash) and cost {} {} to run (inspection, routes and "
                  "scrapping, besides the refunds).{}",
                  text("returned"), text("return_rate"), text("graded"), text("restocked_recovered"),
                  text("restock_time_mean"), display_unit("time units", in.units), text("value_recovered"), in.units.currency, text("reverse_cost"),
                  in.units.currency,
                  r.kpis.size() > 1 ? " Whiskers are 95% confidence intervals across replications." : ""),
      true);
  return o;
}

}  // namespace chainsim::models::report

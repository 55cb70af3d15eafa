#include "models/report/waste_chart.h"

#include <cmath>
#include <fmt/core.h>
#include <map>

#include "models/report/chart.h"
#include "models/report/kpi_table.h"
#include "models/report/page.h"

namespace chainsim::models::report {

bool has_waste(const ExperimentResult& r) { return find_kpi(r.summary, "network", "", "expired") != nullptr; }

std::string waste_chart(const RunChartsInput& in) {
  const ExperimentResult& r = *in.result;
  BarChart b;
  b.id = "waste-shares";
  b.title = "Waste per perishable stock point";
  b.width = 800;
  b.row_height = 22;
  b.value_label = "expired / (expired + shipped): the share of the shelf's outflow thrown away";
  std::map<std::string, std::string> units_text;  // by row label
  for (const Group& g : stock_groups(r.info, in.depths)) {
    for (std::size_t s : g.members) {
      const std::string& name = r.info.stocks[s].name;
      const KpiSummary* share = find_kpi(r.summary, "stock", name, "waste_share");
      const KpiSummary* expired = find_kpi(r.summary, "stock", name, "expired");
      if (!share || !expired) continue;
      BarChart::Row row;
      row.label = stock_label(r.info, s);
      row.values = {std::isfinite(share->interval.mean) ? share->interval.mean : 0.0};
      if (share->interval.n > 1) row.error = share->interval.half_width;
      row.group = g.members.size() > 1 ? g.label : "";
      units_text[row.label] = format_estimate(expired->interval) + " units expired";
      row.tooltip = units_text[row.label];
      b.rows.push_back(std::move(row));
    }
  }
  if (b.rows.empty()) return paragraph("No stock point holds a perishable product.", true);
  b.value_text = [units_text](const BarChart::Row& row) {
    const auto it = units_text.find(row.label);
    return estimate_text(row) + (it == units_text.end() ? "" : "  (" + it->second + ")");
  };
  std::string o = render(b);
  const KpiSummary* value = find_kpi(r.summary, "network", "", "waste_value");
  const KpiSummary* cost = find_kpi(r.summary, "network", "", "cost_waste");
  o += paragraph(
      fmt::format("Units of a perishable product expire when their shelf life runs out on a shelf; units that "
                  "run out on the way are thrown away when they arrive (docs/perishables.md). The clock starts "
                  "when a unit is first put away. Each bar is the share of "
                  "what left the stock point that left as waste; after it, the units that expired over the "
                  "measured horizon. Across the network the expired units were worth {} {} at unit cost, disposal "
                  "included; disposal alone (cost_waste) was {} {}.{}",
                  value ? format_estimate(value->interval) : "-", in.units.currency,
                  cost ? format_estimate(cost->interval) : "-", in.units.currency,
                  r.kpis.size() > 1 ? " Whiskers are 95% confidence intervals across replications." : ""),
      true);
  return o;
}

}  // namespace chainsim::models::report

// The run report's sections, in reading order: at a glance (the network's
// KPIs), the network, inventory, the bullwhip effect, money, the KPI tables
// per stock point, node, lane and customer segment, the customers (when the
// scenario has segments), and how to read the page.
#include "models/report/run_report.h"

#include <fmt/core.h>

#include <string_view>
#include <tuple>
#include <unordered_set>

#include "models/report/customer_charts.h"
#include "models/report/kpi_table.h"
#include "models/report/network_graph.h"
#include "models/report/page.h"
#include "models/report/run_charts.h"
#include "models/report/returns_chart.h"
#include "models/report/waste_chart.h"

namespace chainsim::models {

namespace {

using namespace report;

std::string kpi_tables(const std::vector<Table>& tables) {
  std::string o;
  for (const Table& t : tables) o += render(t);
  return o;
}

std::string reading_notes(const ExperimentResult& r, const ReportOptions& opt) {
  std::vector<std::string> items;
  items.push_back("Values in tables are means across replications, with the 95% half-width (Student t) when there are "
                  "several replications; hover over a value for the exact mean, standard deviation and n, and over a "
                  "heading for the KPI's definition.");
  if (r.info.warmup > 0) {
    items.push_back(fmt::format(
        "The first {} periods are a warm-up (shaded in the charts): flow KPIs count from its end.", r.info.warmup));
  }
  items.push_back(fmt::format("A series longer than {} points is drawn as the minimum and maximum of consecutive "
                              "buckets, so peaks stay visible and the page stays small; such charts say so under the "
                              "plot. timeseries.csv has every period.",
                              opt.point_budget));
  items.push_back(series_style_note());
  items.push_back("summary.json and timeseries.csv beside this page hold the same numbers for pandas or R.");
  return bullet_list(items);
}

// The header's facts: where the run came from and the network's size.
void add_facts(Page& page, const ExperimentResult& r, const ReportMetadata& meta) {
  page.add_fact("scenario file", meta.scenario_file, true);
  page.add_fact("horizon", horizon_text(r.info));
  page.add_fact("time unit", r.info.time_unit);
  page.add_fact("warm-up", fmt::format("{} periods", r.info.warmup));
  page.add_fact("seed", fmt::format("{}", meta.seed));
  page.add_fact("replications", fmt::format("{}", meta.replications));
  std::size_t finite = 0;
  for (const auto& s : r.info.stocks) finite += s.infinite ? 0 : 1;
  page.add_fact("network", fmt::format("{} nodes, {} lanes, {} stock points", r.info.nodes.size(), r.info.lanes.size(),
                                       finite),
                true);
  page.add_fact("chainsim", version_text(meta.version, meta.git), true);
}

// The KPI tables per stock point, node and lane, in echelon order like the
// charts; KPIs that are 0 for every row are named in a sentence instead of
// taking a column.
std::string scope_tables(const ExperimentResult& r, const std::vector<int>& depths, const UnitNames& units) {
  std::vector<std::string> stock_order, stock_labels, node_order, lane_order;
  for (const Group& g : stock_groups(r.info, depths)) {
    for (std::size_t s : g.members) {
      stock_order.push_back(r.info.stocks[s].name);
      stock_labels.push_back(stock_label(r.info, s));
    }
  }
  for (const Group& g : node_groups(r.info, depths)) {
    for (std::size_t i : g.members) node_order.push_back(r.info.nodes[i].name);
  }
  for (const auto& l : r.info.lanes) lane_order.push_back(l.name);
  std::vector<std::string> segment_order = r.info.segments;
  std::vector<std::string> firm_order;  // as the summary lists them (the scenario's order)
  std::unordered_set<std::string_view> seen_firms;
  for (const KpiSummary& k : r.summary) {
    if (k.scope == "firm" && seen_firms.insert(k.name).second) firm_order.push_back(k.name);
  }
  std::string tables;
  for (const auto& [scope, heading, order, labels] :
       {std::tuple{"stock", "Stock points", &stock_order, &stock_labels},
        std::tuple{"node", "Nodes", &node_order, static_cast<std::vector<std::string>*>(nullptr)},
        std::tuple{"lane", "Lanes", &lane_order, static_cast<std::vector<std::string>*>(nullptr)},
        std::tuple{"segment", "Customer segments", &segment_order, static_cast<std::vector<std::string>*>(nullptr)},
        std::tuple{"firm", "Firms", &firm_order, static_cast<std::vector<std::string>*>(nullptr)}}) {
    std::vector<std::string> zero;
    const auto t = scope_kpi_tables(r.summary, scope, *order, labels ? *labels : std::vector<std::string>{}, units,
                                    6, &zero);
    if (t.empty() && zero.empty()) continue;
    tables += subheading(heading) + kpi_tables(t);
    if (!zero.empty()) {
      std::string names;
      for (const std::string& k : zero) names += (names.empty() ? "" : ", ") + k;
      tables += paragraph(fmt::format("0 for every {}{}: {}.", heading == std::string("Lanes") ? "lane" : scope,
                                      scope == std::string("stock") ? " point" : "", names),
                          true);
    }
  }
  return tables;
}

}  // namespace

const std::vector<std::string>& report_series_columns() {
  static const std::vector<std::string> columns = {"demand", "ordered", "on_hand", "backlog", "cash"};
  return columns;
}

std::string run_report_html(const ExperimentResult& r, const ReportMetadata& meta, const ReportOptions& opt,
                            const GroupSeries* groups) {
  UnitNames units;
  units.time_unit = r.info.time_unit;
  units.currency = meta.currency.empty() ? "money" : meta.currency;

  Page page(r.info.name);
  page.set_subtitle(meta.description);
  add_facts(page, r, meta);

  page.add_section("glance", "At a glance", render(network_kpi_table(r.summary, units)));

  page.add_section("network", "The network",
                   figure(render_network(r.info), "Each column is an echelon, counted from the sources on the left; "
                                                  "arrows point the way product flows, and orders travel back "
                                                  "along them. Hover over a node for its stock points."));

  RunChartsInput in;
  in.result = &r;
  in.groups = groups;
  in.depths = node_depths(r.info);
  in.units = units;
  in.point_budget = opt.point_budget;
  in.max_small_multiples = opt.max_small_multiples;
  const bool series = r.series != nullptr && r.series->periods() > 0 && r.series->replications() > 0;
  const std::string no_series =
      paragraph("This run kept no time series, so there are no charts over time here.", true);

  page.add_section("inventory", "Inventory and backlog", series ? inventory_charts(in) : no_series);
  page.add_section("bullwhip", "The bullwhip effect",
                   (series ? subheading("Orders placed against demand received, per echelon") + bullwhip_charts(in)
                           : no_series) +
                       bullwhip_ratio_chart(in));
  page.add_section("velocity", "Inventory velocity", velocity_panel(in, series));
  page.add_section("money", "Money",
                   (series ? subheading("Cash over time") + cash_charts(in) : no_series) + cost_chart(in));

  if (has_waste(r)) page.add_section("waste", "Waste", waste_chart(in));
  if (has_returns_centre(r)) page.add_section("returns", "Returns", returns_chart(in));
  if (!r.info.segments.empty()) page.add_section("customers", "Customers", customer_charts(in));
  page.add_section("kpis",
                   r.info.segments.empty() ? "KPIs per stock point, node and lane"
                                           : "KPIs per stock point, node, lane and customer segment",
                   scope_tables(r, in.depths, units));
  page.add_section("reading", "Reading this page",
                   reading_notes(r, opt) +
                       paragraph(fmt::format("Made by chainsim {} from {} with seed {}.", meta.version,
                                             meta.scenario_file, meta.seed),
                                 true));
  return page.html();
}

}  // namespace chainsim::models

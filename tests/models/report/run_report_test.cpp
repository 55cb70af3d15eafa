// The run report built from real runs of the example scenarios: what each
// chart holds (a point per period, bands exactly when there are
// replications, echelon groups for big networks), the echelon totals against
// replications summed by hand, the size bound of long runs, escaping of
// hostile names, and that every example's page is self-contained and
// deterministic (models/report/run_report.h).
#include "tests/test_util.h"
#include "models/report/run_report.h"

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#include "models/report/kpi_table.h"
#include "models/report/network_graph.h"
#include "models/report/run_charts.h"
#include "sim/statistics.h"
#include "tests/models/report/report_helpers.h"

using namespace chainsim::models;
using namespace chainsim::models::report;
using namespace chainsim::test;
namespace fs = std::filesystem;

namespace {

const fs::path kRoot = CHAINSIM_SOURCE_DIR;

std::string scenario(const char* name) { return (kRoot / "scenarios" / name).string(); }

// Every line chart's <svg> start tag.
std::vector<SvgElement> line_charts(const std::string& html) {
  std::vector<SvgElement> out;
  for (const SvgElement& e : elements(html, "svg")) {
    if (e.attr("data-chart") == "line") out.push_back(e);
  }
  return out;
}

std::vector<fs::path> examples() { return chainsim::testing::example_scenarios(kRoot); }

}  // namespace

TEST_CASE("the beer game's report has a chart per stock with a point per period and no bands") {
  const ReportRun run = run_for_report(scenario("beer_game.yaml"));
  REQUIRE(run.result.kpis.size() == 1);
  const std::string html = run.html();
  const auto lines = elements(html, "polyline");
  std::size_t series = 0;
  for (const SvgElement& e : lines) {
    if (e.attr("class") != "series") continue;
    ++series;
    CAPTURE(e.attr("data-series"));
    CHECK(e.attr("data-points") == "36");
    CHECK(point_count(e.attr("points")) == 36);
  }
  // 4 stocks x (on hand, backlog) + 4 echelons x (orders, demand) + 4
  // echelons' time of supply + 4 cash.
  CHECK(series == 24);
  CHECK(count(html, "class=\"band\"") == 0);
  for (const char* id : {"inv-0", "inv-3", "bw-0", "bw-3", "cash-0", "cash-3", "bullwhip-ratios", "costs", "network",
                         "velocity-supply"}) {
    CAPTURE(id);
    CHECK(html.find(std::string("id=\"") + id + "\"") != std::string::npos);
  }
  CHECK(html.find("data-nodes=\"4\" data-lanes=\"3\"") != std::string::npos);
  CHECK(html.find("ship 2 · order 2") != std::string::npos);
  // Upstream first: the factory's panel is the top of the bullwhip stack, and
  // its orders swing the most against end-customer demand (the bars too).
  CHECK(html.find("factory — orders vary 64.26× end-customer demand") <
        html.find("retailer — orders vary 3.94× end-customer demand"));
  CHECK(html.find("64.26  (stage alone 1.51)") != std::string::npos);
  CHECK(html.find("time (week)") != std::string::npos);
  CHECK(html.find("One replication, so there are no confidence bands.") != std::string::npos);
}

TEST_CASE("with replications every time-series line has its 95% band") {
  const ReportRun run = run_for_report(scenario("serial_base_stock.yaml"), {"replications=3", "horizon=60",
                                                                             "warmup=5"});
  const std::string html = run.html();
  const auto charts = line_charts(html);
  REQUIRE(charts.size() >= 9);
  for (const SvgElement& c : charts) {
    CAPTURE(c.attr("id"));
    CHECK(std::stoi(c.attr("data-bands")) >= std::stoi(c.attr("data-series")));
  }
  for (const SvgElement& b : elements(html, "polygon")) {
    if (b.attr("class") != "band") continue;
    CHECK(b.attr("data-points") == "60");
    CHECK(point_count(b.attr("points")) == 120);
  }
  CHECK(html.find("Student t with 2 degrees of freedom") != std::string::npos);
  CHECK(html.find("warm-up") != std::string::npos);
}

TEST_CASE("the band is mean plus or minus t(0.975, n-1) sd over the root of n") {
  Trace t{{10.0, 0.0}, {2.0, 0.0}};
  std::vector<double> lo, hi;
  confidence_band(t, 3, lo, hi);
  const double h = 4.302652729911275 * 2.0 / std::sqrt(3.0);  // t(0.975, 2) = 4.3027 (tables)
  CHECK(lo[0] == doctest::Approx(10.0 - h).epsilon(1e-6));
  CHECK(hi[0] == doctest::Approx(10.0 + h).epsilon(1e-6));
  CHECK(lo[1] == 0.0);
  CHECK(hi[1] == 0.0);
}

TEST_CASE("echelon totals equal the replications summed by hand") {
  const std::vector<std::string> set = {"replications=3", "horizon=40", "warmup=0"};
  const ReportRun run = run_for_report(scenario("distribution_network.yaml"), set);
  REQUIRE(run.groups);
  CHECK(run.groups->replications() == 3);
  const std::vector<Group> groups = stock_groups(run.result.info, node_depths(run.result.info));
  REQUIRE(groups.size() == 3);  // factory, 3 DCs, 12 stores
  CHECK(groups[2].members.size() == 12);
  CHECK(groups[2].label == "12 retailers");
  std::vector<ReplicationOutput> reps;
  for (int i = 0; i < 3; ++i) {
    reps.push_back(run_replication(run.scenario.spec, run.scenario.spec.seed, i, ReplicationOptions::series_kept()));
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const Trace total = run.groups->stock_group(g, "ordered");
    const Trace summed = stock_trace(run.result, groups[g].members, "ordered");
    REQUIRE(total.mean.size() == 40);
    for (std::size_t k = 0; k < 40; ++k) {
      chainsim::sim::RunningStats by_hand;
      for (const auto& r : reps) {
        double sum = 0;
        const std::size_t ordered = r.series.slot(series_column_indices({"ordered"}).front());
        for (std::size_t s : groups[g].members) sum += r.series.at(k, s, ordered);
        by_hand.add(sum);
      }
      CAPTURE(g);
      CAPTURE(k);
      CHECK(total.mean[k] == doctest::Approx(by_hand.mean()).epsilon(1e-12));
      CHECK(total.sd[k] == doctest::Approx(by_hand.stddev()).epsilon(1e-9));
      CHECK(summed.mean[k] == doctest::Approx(by_hand.mean()).epsilon(1e-9));
      // Adding sds bounds the sd of the sum from above (Minkowski).
      CHECK(summed.sd[k] >= total.sd[k] - 1e-9);
    }
  }
}

TEST_CASE("a network of dozens of stocks is drawn per echelon with a band across its nodes") {
  const ReportRun run = run_for_report(scenario("distribution_network.yaml"), {"replications=2", "horizon=50"});
  const std::string html = run.html();
  CHECK(html.find("id=\"inv-5\"") == std::string::npos);  // no chart per store
  for (const char* id : {"inv-g0-on_hand", "inv-g2-on_hand", "inv-g2-backlog", "cash-g2", "bw-2"}) {
    CAPTURE(id);
    CHECK(html.find(std::string("id=\"") + id + "\"") != std::string::npos);
  }
  CHECK(html.find("12 retailers: on hand") != std::string::npos);
  CHECK(count(html, "data-band=\"range across the nodes\"") >= 5);
  CHECK(html.find("echelon mean, on hand") != std::string::npos);
  CHECK(html.find("data-nodes=\"16\" data-lanes=\"15\"") != std::string::npos);
  // Bullwhip ratios of every store, grouped under their echelon.
  const auto bars = elements(html, "rect");
  std::size_t ratio_bars = 0;
  for (const auto& b : bars) ratio_bars += b.attr("class") == "bar" && b.attr("data-layer").empty() ? 1 : 0;
  CHECK(ratio_bars == 16);
}

TEST_CASE("a 10,000-period run gives a page of bounded size that says it is decimated") {
  const ReportRun run = run_for_report(scenario("serial_base_stock.yaml"), {"horizon=10000", "replications=1"});
  const std::string html = run.html();
  CHECK(html.size() < 1'000'000);
  std::size_t series = 0;
  for (const SvgElement& e : elements(html, "polyline")) {
    if (e.attr("class") != "series") continue;
    ++series;
    CHECK(std::stoul(e.attr("data-points")) <= kDefaultPointBudget);
    CHECK(std::stoul(e.attr("data-points")) == point_count(e.attr("points")));
  }
  CHECK(series > 0);
  CHECK(html.find("10000 periods shown as the minimum and maximum of every 25 periods") != std::string::npos);
}

TEST_CASE("names and descriptions with markup are escaped in the page") {
  ReportRun run = run_for_report(scenario("beer_game.yaml"));
  const std::string evil = "re<t>&\"ailer";
  auto rename = [&](std::string& s) { replace_all(s, "retailer", evil); };
  rename(run.result.info.name);
  for (auto& n : run.result.info.nodes) rename(n.name);
  for (auto& s : run.result.info.stocks) rename(s.name), rename(s.node);
  for (auto& l : run.result.info.lanes) rename(l.name), rename(l.from), rename(l.to);
  for (auto& k : run.result.summary) {
    std::string name = k.name;
    rename(name);
    k.name = KpiName(name);
  }
  run.scenario.spec.description = "</style><script src=\"https://example.org/x.js\"></script>";
  const std::string html = run.html();
  CHECK(html.find("<t>") == std::string::npos);
  CHECK(html.find("re&lt;t&gt;&amp;&quot;ailer") != std::string::npos);
  CHECK(html.find("&lt;/style&gt;&lt;script") != std::string::npos);
  CHECK(external_reference(html) == "");
  CHECK(count(html, "</style>") == 1);
}

TEST_CASE("a run without time series still has its network, KPI tables and bars") {
  ReportRun run = run_for_report(scenario("beer_game.yaml"));
  run.result.series.reset();
  const std::string html = run.html();
  CHECK(html.find("<polyline class=\"series\"") == std::string::npos);
  CHECK(html.find("This run kept no time series") != std::string::npos);
  CHECK(html.find("id=\"network\"") != std::string::npos);
  CHECK(html.find("id=\"bullwhip-ratios\"") != std::string::npos);
  CHECK(html.find("fill rate") != std::string::npos);
}

TEST_CASE("the Returns section draws each route's share of the graded returns, and only with a returns centre") {
  const ReportRun run = run_for_report(scenario("returns_recovery.yaml"), {"replications=2", "horizon=120"});
  const std::string html = run.html();
  REQUIRE(html.find("id=\"returns\"") != std::string::npos);
  REQUIRE(html.find("id=\"return-routes\"") != std::string::npos);
  const std::size_t from = html.find("id=\"return-routes\"");
  const std::string chart = html.substr(from, html.find("</svg>", from) - from);
  double sum = 0.0;
  int bars = 0;
  for (const SvgElement& e : elements(chart, "rect")) {
    if (e.attr("class") != "bar") continue;
    const std::string route = e.attr("data-row");
    CAPTURE(route);
    const KpiSummary* k = find_kpi(run.result.summary, "network", "", "route_" + route);
    REQUIRE(k != nullptr);
    CHECK(std::stod(e.attr("data-value")) == doctest::Approx(k->interval.mean).epsilon(1e-5));
    sum += std::stod(e.attr("data-value"));
    ++bars;
  }
  CHECK(bars == 4);  // the refurbish route is empty: no bar
  CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(html.find("a return rate of") != std::string::npos);
  CHECK(run_for_report(scenario("beer_game.yaml")).html().find("id=\"returns\"") == std::string::npos);
}

TEST_CASE("a KPI the report has never heard of shows up in the tables") {
  ReportRun run = run_for_report(scenario("beer_game.yaml"));
  KpiSummary k;
  k.scope = "stock";
  k.name = "retailer";
  k.kpi = "brand_new_kpi";
  k.interval.mean = 1.25;
  k.interval.n = 1;
  run.result.summary.push_back(k);
  const std::string html = run.html();
  CHECK(html.find("brand new kpi") != std::string::npos);
  CHECK(html.find(">1.25<") != std::string::npos);
}

TEST_CASE("KPI tables show units in the scenario's terms and leave out all-zero KPIs") {
  CHECK(display_unit("time units", {"week", "$"}) == "weeks");
  CHECK(display_unit("money", {"day", "EUR"}) == "EUR");
  CHECK(display_unit("units/period", {"day", "EUR"}) == "units/period");
  CHECK(plural_unit("day") == "days");
  CHECK(plural_unit("century") == "centuries");
  chainsim::sim::Interval i;
  i.mean = 12.345;
  i.half_width = 0.4;
  i.n = 5;
  CHECK(format_estimate(i) == "12.35 ± 0.40");
  i.n = 1;
  CHECK(format_estimate(i) == "12.35");
  i.mean = 0.0;
  CHECK(format_estimate(i) == "0");
  i.mean = NAN;
  CHECK(format_estimate(i) == "-");
  std::vector<KpiSummary> summary;
  for (const std::string name : {"a", "b"}) {
    KpiSummary x{"node", KpiName(name), "revenue", {}};
    x.interval.mean = 3;
    KpiSummary z{"node", KpiName(name), "cost_lost_sale", {}};
    summary.push_back(x);
    summary.push_back(z);
  }
  std::vector<std::string> zero;
  const auto tables = scope_kpi_tables(summary, "node", {"b", "a"}, {}, {"day", "EUR"}, 6, &zero);
  REQUIRE(tables.size() == 1);
  CHECK(zero == std::vector<std::string>{"cost_lost_sale"});
  REQUIRE(tables[0].rows.size() == 2);
  CHECK(tables[0].rows[0][0].text == "b");
  CHECK(tables[0].head[1].text == "revenue (EUR)");
}

TEST_CASE("node depths count the longest lane path from the sources") {
  SUBCASE("assembly") {
    const ReportRun run = run_for_report(scenario("assembly.yaml"), {"replications=1", "horizon=5", "warmup=0"});
    const NetworkInfo& info = run.result.info;
    const std::vector<int> d = node_depths(info);
    for (std::size_t i = 0; i < info.nodes.size(); ++i) {
      CAPTURE(info.nodes[i].name);
      const std::string& k = info.nodes[i].kind;
      CHECK(d[i] == (k == "supplier" ? 0 : k == "factory" ? 1 : k == "warehouse" ? 2 : 3));
    }
  }
  SUBCASE("a cycle ends and keeps depths below the node count") {
    NetworkInfo info;
    info.nodes = {{"a", "warehouse"}, {"b", "warehouse"}, {"c", "retailer"}};
    info.lanes = {{"a->b", "a", "b", 1, 0}, {"b->a", "b", "a", 1, 0}, {"b->c", "b", "c", 1, 0}};
    const std::vector<int> d = node_depths(info);
    for (int x : d) CHECK(x < 3);
    const std::string svg = render_network(info);
    CHECK(svg.find("data-nodes=\"3\" data-lanes=\"3\"") != std::string::npos);
  }
}

TEST_CASE("the self-containment check catches each kind of external reference") {
  CHECK(external_reference("<p>plain, with url(#grid) and http:// in text</p>") == "");
  for (const char* bad : {"<img src=\"https://x.org/a.png\">", "<a href=\"//cdn.example/x\">", "<script>1</script>",
                          "<link rel=\"stylesheet\" href=\"a.css\">", "<style>@import 'a.css';</style>",
                          "<rect fill=\"url(https://x/p)\"/>", "<style>@font-face{font-family:x}</style>",
                          "<use xlink:href=\"http://x/s.svg#a\"/>", "<iframe></iframe>"}) {
    CAPTURE(bad);
    CHECK(external_reference(bad) != "");
  }
}

TEST_CASE("every example's report is self-contained, deterministic and small") {
  for (const fs::path& p : examples()) {
    CAPTURE(p.filename().string());
    const ReportRun run = run_for_report(p.string());
    const std::string html = run.html();
    CHECK(external_reference(html) == "");
    CHECK(html == run.html());
    CHECK(html.size() < 1'500'000);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("@media print") != std::string::npos);
    for (const char* section : {"glance", "network", "inventory", "bullwhip", "money", "kpis"}) {
      CHECK(html.find(std::string("<section id=\"") + section + "\"") != std::string::npos);
    }
    // Every chart is accessible: its aria-labelledby names a title and a desc it holds.
    for (const SvgElement& svg : elements(html, "svg")) {
      if (svg.attr("class").find("chart") == std::string::npos) continue;
      const std::string id = svg.attr("id");
      CAPTURE(id);
      CHECK(svg.attr("role") == "img");
      CHECK(svg.attr("aria-labelledby") == id + "-t " + id + "-d");
      CHECK(html.find("<title id=\"" + id + "-t\">") != std::string::npos);
      CHECK(html.find("<desc id=\"" + id + "-d\">") != std::string::npos);
    }
  }
}

TEST_CASE("the same scenario and seed give the same report bytes") {
  const std::string a = run_for_report(scenario("distribution_network.yaml"), {"horizon=60"}).html();
  const std::string b = run_for_report(scenario("distribution_network.yaml"), {"horizon=60"}).html();
  CHECK(a == b);
}

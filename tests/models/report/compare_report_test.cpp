// The comparison page built from real comparisons (models/report/compare_report.h):
// what it marks (exactly the KPIs whose paired interval excludes zero, in the
// headline, the forest plots and the table), that every forest row carries
// the comparison's interval, the scenario diff and the marked network, the
// overlaid time series, escaping of hostile names, and that the page is
// self-contained and deterministic.
#include "models/report/compare_report.h"

#include <doctest/doctest.h>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "models/report/svg.h"
#include "models/scenario/loader.h"
#include "tests/models/report/report_helpers.h"

using namespace chainsim::models;
using namespace chainsim::test;
namespace fs = std::filesystem;

namespace {

const fs::path kRoot = CHAINSIM_SOURCE_DIR;

std::string scenario(const char* name) { return (kRoot / "scenarios" / name).string(); }

// A comparison as `chainsim compare` makes it for the page.
struct CompareRun {
  ComparedRuns runs;
  CompareMeta meta;
  std::string html(const CompareReportOptions& options = {}) const { return compare_report_html(runs, meta, options); }
};

CompareRun compare(const LoadedScenario& base, const LoadedScenario& variant, int replications,
                   bool keep_series = true) {
  CompareOptions o;
  o.seed = base.spec.seed;
  o.replications = replications;
  o.jobs = 2;
  o.keep_series = keep_series;
  CompareRun c{run_comparison(base.spec, variant.spec, o), {}};
  c.meta.version = "test";
  c.meta.baseline_file = base.file;
  c.meta.variant_file = variant.file;
  c.meta.baseline_yaml = to_yaml(base.document);
  c.meta.variant_yaml = to_yaml(variant.document);
  return c;
}

// payment_terms against payment_terms_net60, 3 replications (fast).
const CompareRun& payment_terms() {
  static const CompareRun c =
      compare(load_scenario(scenario("payment_terms.yaml")), load_scenario(scenario("payment_terms_net60.yaml")), 3);
  return c;
}

// The markup of the page's section `id`.
std::string section(const std::string& html, const std::string& id) {
  const std::size_t a = html.find("<section id=\"" + id + "\"");
  REQUIRE(a != std::string::npos);
  return html.substr(a, html.find("</section>", a) - a);
}

// The markup from each start tag <g class="forest-row" ...> to its </g>.
std::vector<std::string> forest_rows(const std::string& html) {
  std::vector<std::string> out;
  const std::string open = "<g class=\"forest-row\"";
  for (std::size_t p = html.find(open); p != std::string::npos; p = html.find(open, p + 1)) {
    out.push_back(html.substr(p, html.find("</g>", p) - p));
  }
  return out;
}

bool has_interval(const KpiComparison& k) {
  return k.difference.n >= 2 && std::isfinite(k.difference.mean) && std::isfinite(k.difference.half_width);
}

}  // namespace

TEST_CASE("the page marks exactly the KPIs whose paired interval excludes zero") {
  const CompareRun& c = payment_terms();
  const std::string html = c.html();
  std::size_t marked = 0;
  const std::string headline = section(html, "headline"), table = section(html, "kpis");
  for (const KpiComparison& k : c.runs.comparison.kpis) {
    CAPTURE(k.column);
    marked += k.excludes_zero ? 1 : 0;
    // The headline names a KPI by its column in the first cell's tooltip.
    const bool in_headline = headline.find("title=\"" + k.column + "\"") != std::string::npos ||
                             headline.find("title=\"" + k.column + " — ") != std::string::npos;
    CHECK(in_headline == k.excludes_zero);
  }
  // The 2 x 30 days of net terms move receivables, payables and cash.
  REQUIRE(marked >= 6);
  CHECK(count(table, "<tr class=\"marked\">") == marked);
  CHECK(count(headline, "<tr>") == marked + count(headline, "<thead>"));
  std::size_t forest_marked = 0;
  for (const std::string& row : forest_rows(html)) {
    const SvgElement g = elements(row, "g").front();
    const double lo = std::stod(g.attr("data-lower")), hi = std::stod(g.attr("data-upper"));
    CAPTURE(g.attr("data-row"));
    CHECK((g.attr("data-marked") == "true") == (lo > 0 || hi < 0));
    forest_marked += g.attr("data-marked") == "true" ? 1 : 0;
  }
  CHECK(forest_marked == marked);
  CHECK(html.find(fmt::format("{} of {} KPIs differ", marked, c.runs.comparison.kpis.size())) != std::string::npos);
}

TEST_CASE("every forest-plot row is a changed KPI drawn with its paired interval") {
  const CompareRun& c = payment_terms();
  const std::string html = c.html();
  std::vector<std::string> want, got;
  for (const KpiComparison& k : c.runs.comparison.kpis) {
    if (unchanged(k) || !has_interval(k)) continue;
    want.push_back(report::format_number(k.difference.lower(), 8) + " " +
                   report::format_number(k.difference.upper(), 8));
  }
  const auto rows = forest_rows(html);
  REQUIRE_FALSE(rows.empty());
  for (const std::string& row : rows) {
    const SvgElement g = elements(row, "g").front();
    CAPTURE(g.attr("data-row"));
    const double lo = std::stod(g.attr("data-lower")), m = std::stod(g.attr("data-estimate")),
                 hi = std::stod(g.attr("data-upper"));
    CHECK(lo <= m);
    CHECK(m <= hi);
    const auto ci = elements(row, "line");
    REQUIRE(ci.size() == 1);
    CHECK(ci[0].attr("class") == "ci");
    const auto dot = elements(row, "circle");
    REQUIRE(dot.size() == 1);
    // The dot sits on its whisker.
    CHECK(std::stod(ci[0].attr("x1")) <= std::stod(dot[0].attr("cx")) + 0.05);
    CHECK(std::stod(dot[0].attr("cx")) <= std::stod(ci[0].attr("x2")) + 0.05);
    got.push_back(g.attr("data-lower") + " " + g.attr("data-upper"));
  }
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  CHECK(got == want);
  // One plot per scope that has rows, with the row count it claims.
  std::size_t claimed = 0;
  for (const SvgElement& svg : elements(html, "svg")) {
    if (svg.attr("data-chart") == "forest") claimed += std::stoul(svg.attr("data-rows"));
  }
  CHECK(claimed == rows.size());
}

TEST_CASE("a scope with more changed KPIs than the cap plots those whose interval excludes zero first") {
  const CompareRun& c = payment_terms();
  CompareReportOptions o;
  o.max_forest_rows = 4;
  const std::string html = c.html(o);
  const auto rows = forest_rows(html);
  CHECK(rows.size() == 4);  // the node scope alone changes
  for (const std::string& row : rows) CHECK(row.find("data-marked=\"true\"") != std::string::npos);
  CHECK(html.find("the rest are in the table") != std::string::npos);
}

TEST_CASE("the scenario diff names what payment_terms_net60 changes: the two nodes' payment_terms.net") {
  const CompareRun& c = payment_terms();
  const std::string what = section(c.html(), "compared");
  const std::string diff = what.substr(what.find("What the variant changes"));
  const auto rows = elements(diff.substr(0, diff.find("</table>")), "tr");
  CHECK(rows.size() == 3);  // the head and two changes
  CHECK(diff.find("<th>nodes.distributor.payment_terms.net</th><td>30</td><td>60</td>") != std::string::npos);
  CHECK(diff.find("<th>nodes.retailer.payment_terms.net</th><td>30</td><td>60</td>") != std::string::npos);
  // The same network in both: drawn once, the two changed nodes marked.
  CHECK(count(what, "data-chart=\"network\"") == 1);
  CHECK(what.find("data-marked=\"2\"") != std::string::npos);
  CHECK(what.find("<g class=\"node marked\" data-node=\"distributor\"") != std::string::npos);
  CHECK(what.find("<g class=\"node marked\" data-node=\"retailer\"") != std::string::npos);
  CHECK(what.find("<g class=\"node\" data-node=\"manufacturer\"") != std::string::npos);
}

TEST_CASE("a variant that adds a node and a lane draws both networks and marks what it adds") {
  const std::string base = R"(
name: two
horizon: 40
products: [{id: w}]
nodes:
  - {id: plant, kind: supplier}
  - {id: shop, kind: retailer, product: w, initial: 20, from: plant, demand: {type: poisson, mean: 5},
     policy: {type: base_stock, S: 20}}
lanes:
  - {from: plant, to: shop, transport_time: 2}
)";
  std::string variant = base;
  variant.replace(variant.find("name: two"), 9, "name: three");
  variant.replace(variant.find("lanes:"), 6,
                  "  - {id: kiosk, kind: retailer, product: w, initial: 10, from: plant, demand: {type: poisson, "
                  "mean: 2},\n     policy: {type: base_stock, S: 10}}\nlanes:\n  - {from: plant, to: kiosk, "
                  "transport_time: 1}");
  const CompareRun c =
      compare(load_scenario_text(base, "two.yaml", "."), load_scenario_text(variant, "three.yaml", "."), 2);
  const std::string what = section(c.html(), "compared");
  CHECK(what.find("<th title=\"only in the variant\">nodes.kiosk</th><td title=\"not in the baseline\">—</td>") !=
        std::string::npos);
  CHECK(what.find("<th title=\"only in the variant\">lanes.plant-&gt;kiosk</th>") != std::string::npos);
  CHECK(what.find("nodes added: kiosk; lanes added: plant-&gt;kiosk") != std::string::npos);
  CHECK(what.find("id=\"network-baseline\"") != std::string::npos);
  CHECK(what.find("id=\"network-variant\"") != std::string::npos);
  CHECK(what.find("<g class=\"node marked\" data-node=\"kiosk\"") != std::string::npos);
  CHECK(what.find("<path class=\"lane marked\" data-lane=\"plant-&gt;kiosk\"") != std::string::npos);
  CHECK(what.find("<path class=\"lane\" data-lane=\"plant-&gt;shop\"") != std::string::npos);
  // KPIs of the kiosk are only in the variant and named apart.
  CHECK(section(c.html(), "kpis").find("Only in the variant (not compared): stock.kiosk/w.fill_rate") !=
        std::string::npos);
}

TEST_CASE("the time series of the nodes whose cash differs are overlaid, baseline and variant") {
  const CompareRun& c = payment_terms();
  const std::string time = section(c.html(), "time");
  // Net 60 moves cash at the manufacturer, distributor and retailer, not at
  // the mill; no stock's on-hand series changes.
  CHECK(time.find("The mean on-hand series of all 3 stock points both runs have are the same.") != std::string::npos);
  std::size_t charts = 0;
  for (const SvgElement& svg : elements(time, "svg")) {
    if (svg.attr("data-chart") != "line") continue;
    ++charts;
    CHECK(svg.attr("data-series") == "2");
    CHECK(svg.attr("data-bands") == "2");
  }
  CHECK(charts == 3);
  for (const SvgElement& s : series_of(time)) {
    CHECK(s.attr("data-points") == "365");
    CHECK(point_count(s.attr("points")) == 365);
  }
  CHECK(time.find("<title id=\"ts-cash-0-t\">manufacturer</title>") != std::string::npos);
  CHECK(time.find("data-series=\"variant\"") != std::string::npos);
  // Without series kept, the section says so rather than draw nothing.
  const CompareRun bare = compare(load_scenario(scenario("payment_terms.yaml")),
                                  load_scenario(scenario("payment_terms_net60.yaml")), 2, false);
  CHECK(section(bare.html(), "time").find("These runs kept no time series") != std::string::npos);
}

TEST_CASE("a scenario compared with itself marks nothing and says the scenarios are the same") {
  const LoadedScenario s = load_scenario(scenario("serial_base_stock.yaml"), {{"horizon=60", "warmup=10"}});
  const CompareRun c = compare(s, s, 3);
  const std::string html = c.html();
  CHECK(forest_rows(html).empty());
  CHECK(count(html, "<tr class=\"marked\">") == 0);
  CHECK(html.find("The two scenarios as run are the same but for their names") != std::string::npos);
  CHECK(html.find("no KPI tells the variant from the baseline") != std::string::npos);
}

TEST_CASE("the comparison page is self-contained, accessible and deterministic") {
  const CompareRun& c = payment_terms();
  const std::string html = c.html();
  CHECK(external_reference(html) == "");
  CHECK(html == c.html());
  for (const SvgElement& svg : elements(html, "svg")) {
    if (svg.attr("class") == "legend-svg") continue;
    CAPTURE(svg.attr("id"));
    CHECK(svg.attr("role") == "img");
    const std::string id = svg.attr("id");
    CHECK(svg.attr("aria-labelledby") == id + "-t " + id + "-d");
    CHECK(html.find("<title id=\"" + id + "-t\">") != std::string::npos);
    CHECK(html.find("<desc id=\"" + id + "-d\">") != std::string::npos);
  }
}

TEST_CASE("names, overrides and scenario text with markup are escaped in the comparison page") {
  CompareRun c =
      compare(load_scenario(scenario("payment_terms.yaml")), load_scenario(scenario("payment_terms_net60.yaml")), 2);
  const std::string evil = "re<t>&\"ailer";
  auto rename = [&](std::string& s) { replace_all(s, "retailer", evil); };
  for (NetworkInfo* info : {&c.runs.baseline.info, &c.runs.variant.info}) {
    for (auto& n : info->nodes) rename(n.name);
    for (auto& s : info->stocks) rename(s.name), rename(s.node);
    for (auto& l : info->lanes) rename(l.name), rename(l.from), rename(l.to);
  }
  for (KpiComparison& k : c.runs.comparison.kpis) rename(k.name), rename(k.column);
  rename(c.meta.baseline_yaml);
  rename(c.meta.variant_yaml);
  c.runs.comparison.variant_name = "</style><script src=\"https://example.org/x.js\"></script>";
  c.meta.variant_sets = {"nodes.a<b>.S=1&2"};
  const std::string html = c.html();
  CHECK(html.find("<t>") == std::string::npos);
  CHECK(html.find("re&lt;t&gt;&amp;&quot;ailer") != std::string::npos);
  CHECK(html.find("nodes.re&lt;t&gt;&amp;&quot;ailer.payment_terms.net") != std::string::npos);
  CHECK(html.find("&lt;/style&gt;&lt;script") != std::string::npos);
  CHECK(html.find("nodes.a&lt;b&gt;.S=1&amp;2") != std::string::npos);
  CHECK(external_reference(html) == "");
  CHECK(count(html, "</style>") == 1);
}

TEST_CASE("a KPI of a scope the page has never heard of still shows, in a table of its own") {
  CompareRun c =
      compare(load_scenario(scenario("payment_terms.yaml")), load_scenario(scenario("payment_terms_net60.yaml")), 2);
  KpiComparison k;
  k.scope = "region";
  k.name = "north";
  k.kpi = "churn_rate";
  k.column = "region.north.churn_rate";
  k.baseline = {0.1, 0.01, 0.01, 2};
  k.variant = {0.2, 0.01, 0.01, 2};
  k.difference = {0.1, 0.02, 0.002, 2};
  k.excludes_zero = true;
  c.runs.comparison.kpis.push_back(k);
  const std::string html = c.html();
  CHECK(section(html, "kpis").find("<caption>region</caption>") != std::string::npos);
  CHECK(section(html, "headline").find("title=\"region.north.churn_rate\"") != std::string::npos);
  CHECK(html.find("id=\"forest-region\"") != std::string::npos);
}

TEST_CASE("customer segments get their own scope on the page, named as such, and a network without them gets none") {
  const LoadedScenario base = load_scenario(scenario("treat_customers_differently.yaml"));
  LoadOptions priority;
  priority.overrides = {"nodes.store.allocation=priority"};
  const LoadedScenario variant = load_scenario(scenario("treat_customers_differently.yaml"), priority);
  const std::string html = compare(base, variant, 3, false).html();
  CHECK(html.find("Customer segments") != std::string::npos);
  CHECK(html.find("<th title=\"segment.contractors.active_mean\">contractors</th>") != std::string::npos);
  CHECK(payment_terms().html().find("Customer segments") == std::string::npos);
}

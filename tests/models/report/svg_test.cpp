// The report's drawing pieces, one at a time: escaping, number formats, nice
// ticks, scales, decimation, and the SVG of line and bar charts counted
// element by element (models/report/svg.h, models/report/chart.h).
#include "models/report/svg.h"

#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "models/report/chart.h"
#include "tests/models/report/report_helpers.h"

using namespace chainsim::models::report;
using namespace chainsim::test;

TEST_CASE("escape turns every markup character into an entity") {
  CHECK(escape("a<b & c>\"d\" 'e'") == "a&lt;b &amp; c&gt;&quot;d&quot; &#39;e&#39;");
  CHECK(escape("plain_name-1") == "plain_name-1");
  CHECK(escape("") == "");
  CHECK(escape("café → ∞") == "café → ∞");  // UTF-8 passes through
}

TEST_CASE("coord prints one decimal without a trailing .0 or a negative zero") {
  CHECK(coord(12.0) == "12");
  CHECK(coord(12.34) == "12.3");
  CHECK(coord(-0.04) == "0");
  CHECK(coord(-3.25) == "-3.2");  // fmt rounds half to even on the binary value
  CHECK(coord(std::nan("")) == "0");
}

TEST_CASE("format_number keeps a few significant digits and marks undefined values") {
  CHECK(format_number(0.0) == "0");
  CHECK(format_number(1.0) == "1");
  CHECK(format_number(3.14159) == "3.142");
  CHECK(format_number(1234.5678) == "1235");
  CHECK(format_number(0.012345) == "0.01235");
  CHECK(format_number(-2.5) == "-2.5");
  CHECK(format_number(std::nan("")) == "-");
  CHECK(format_number(INFINITY) == "∞");
  CHECK(format_number(1e-7) == "1e-07");
  CHECK(format_label(395381.0, 6) == "395\u2009381");
  CHECK(format_label(9999.0) == "9999");
}

TEST_CASE("format_tick shows the decimals the step needs and groups thousands") {
  CHECK(format_tick(0.25, 0.25) == "0.25");
  CHECK(format_tick(2.0, 0.5) == "2.0");
  CHECK(format_tick(20.0, 10.0) == "20");
  CHECK(format_tick(150000.0, 50000.0) == "150\u2009000");
  CHECK(format_tick(-1200.0, 200.0) == "-1\u2009200");
  CHECK(format_tick(1e-17, 0.1) == "0.0");
}

TEST_CASE("nice ticks cover the data in steps of 1, 2, 2.5 or 5 times a power of ten") {
  SUBCASE("known ranges") {
    const Ticks a = nice_ticks(0.0, 10.0, 5);
    CHECK(a.lo == 0.0);
    CHECK(a.hi == 10.0);
    CHECK(a.step == 2.0);
    CHECK(a.values == std::vector<double>{0, 2, 4, 6, 8, 10});
    const Ticks b = nice_ticks(-5000.0, 400000.0, 3);
    CHECK(b.lo == -100000.0);  // one step below, not half the axis
    CHECK(b.hi == 400000.0);
    const Ticks c = nice_ticks(0.0, 0.9, 4);
    CHECK((c.step == doctest::Approx(0.25) || c.step == doctest::Approx(0.2)));
    CHECK(c.hi == doctest::Approx(1.0));
  }
  SUBCASE("a constant is widened, and a non-negative one stays at or above 0") {
    const Ticks z = nice_ticks(0.0, 0.0, 4);
    CHECK(z.lo == 0.0);
    CHECK(z.hi > 0.0);
    const Ticks k = nice_ticks(12.0, 12.0, 4);
    CHECK(k.lo >= 0.0);
    CHECK(k.lo < 12.0);
    CHECK(k.hi > 12.0);
    const Ticks n = nice_ticks(NAN, NAN, 4);
    CHECK(n.lo == 0.0);
    CHECK(n.hi == 1.0);
  }
  SUBCASE("random ranges") {
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> mag(-3, 6), u(-1, 1);
    for (int i = 0; i < 2000; ++i) {
      const double scale = std::pow(10.0, mag(rng));
      double lo = u(rng) * scale, hi = u(rng) * scale;
      if (lo > hi) std::swap(lo, hi);
      const int target = 2 + i % 7;
      const Ticks t = nice_ticks(lo, hi, target);
      CAPTURE(lo);
      CAPTURE(hi);
      CAPTURE(target);
      CHECK(t.lo <= lo + 1e-9 * scale);
      CHECK(t.hi >= hi - 1e-9 * scale);
      const double m = t.step / std::pow(10.0, std::floor(std::log10(t.step) + 1e-12));
      CHECK((std::abs(m - 1) < 1e-9 || std::abs(m - 2) < 1e-9 || std::abs(m - 2.5) < 1e-9 || std::abs(m - 5) < 1e-9));
      CHECK(t.values.size() >= 2);
      CHECK(t.values.size() <= static_cast<std::size_t>(2 * target + 3));
      CHECK(t.values.front() == doctest::Approx(t.lo));
      CHECK(t.values.back() == doctest::Approx(t.hi));
      // The axis is not mostly empty: the data spans at least a third of it.
      if (hi - lo > 1e-6 * scale) CHECK((hi - lo) / (t.hi - t.lo) >= 1.0 / 3.0);
    }
  }
}

TEST_CASE("a linear scale maps the domain onto a range, reversed for the y axis") {
  const LinearScale y(0.0, 100.0, 200.0, 20.0);
  CHECK(y(0.0) == 200.0);
  CHECK(y(100.0) == 20.0);
  CHECK(y(50.0) == 110.0);
  const LinearScale flat(3.0, 3.0, 0.0, 10.0);
  CHECK(flat(3.0) == 5.0);
}

TEST_CASE("min-max decimation keeps every point under the budget and each bucket's extremes above it") {
  std::vector<double> y(10000);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = std::sin(static_cast<double>(i) * 0.01) + (i == 7777 ? 5.0 : 0.0);
  SUBCASE("under the budget nothing is dropped") {
    const Decimation d = decimate_min_max(std::vector<double>(y.begin(), y.begin() + 800), 800);
    CHECK_FALSE(d.reduced());
    CHECK(d.index.size() == 800);
  }
  SUBCASE("over the budget") {
    const Decimation d = decimate_min_max(y, 800);
    CHECK(d.reduced());
    CHECK(d.bucket == 25);  // ceil(2 * 10000 / 800)
    CHECK(d.index.size() <= 800);
    CHECK(std::is_sorted(d.index.begin(), d.index.end()));
    CHECK(std::find(d.index.begin(), d.index.end(), 7777) != d.index.end());  // the spike survives
    for (std::size_t start = 0; start < y.size(); start += d.bucket) {
      const auto end = std::min(y.size(), start + d.bucket);
      const auto mn = std::min_element(y.begin() + static_cast<long>(start), y.begin() + static_cast<long>(end));
      CHECK(std::find(d.index.begin(), d.index.end(), static_cast<std::size_t>(mn - y.begin())) != d.index.end());
    }
  }
  SUBCASE("the band's envelope contains the band") {
    std::vector<double> x(y.size()), lo(y.size()), hi(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) x[i] = static_cast<double>(i), lo[i] = y[i] - 1, hi[i] = y[i] + 1;
    std::vector<double> xo, loo, hio;
    decimate_band(x, lo, hi, 25, xo, loo, hio);
    CHECK(xo.size() == 800);
    for (std::size_t i = 0; i < y.size(); ++i) {
      const std::size_t b = i / 25;
      CHECK(loo[2 * b] <= lo[i]);
      CHECK(hio[2 * b] >= hi[i]);
    }
  }
}

TEST_CASE("a line chart draws every point of every series, and bands only when given") {
  LineChart c;
  c.id = "t1";
  c.title = "on hand";
  c.x_label = "time (week)";
  c.y_label = "units";
  std::vector<double> x, y;
  for (int k = 0; k < 36; ++k) x.push_back(k), y.push_back(10 + k % 7);
  c.series.push_back({"on hand", x, y, palette_style(0)});
  c.series.push_back({"backlog", x, std::vector<double>(36, 0.0), palette_style(1)});
  SUBCASE("without bands") {
    const std::string svg = render(c);
    CHECK(count(svg, "<polyline class=\"series\"") == 2);
    CHECK(count(svg, "class=\"band\"") == 0);
    for (const SvgElement& e : series_of(svg)) {
      CHECK(e.attr("data-points") == "36");
      CHECK(point_count(e.attr("points")) == 36);
    }
    CHECK(svg.find("role=\"img\"") != std::string::npos);
    CHECK(svg.find("aria-labelledby=\"t1-t t1-d\"") != std::string::npos);
    CHECK(svg.find("<title id=\"t1-t\">on hand</title>") != std::string::npos);
    CHECK(svg.find("<desc id=\"t1-d\">") != std::string::npos);
    CHECK(svg.find("time (week)") != std::string::npos);
    CHECK(svg.find("data-decimated") == std::string::npos);
    CHECK(count(svg, "marker-mid=\"url(#t1-m") == 2);  // 36 points: markers, one per series
  }
  SUBCASE("with a band: twice the points, upper edge then lower") {
    Band b;
    b.name = "95% band";
    b.x = x;
    for (double v : y) b.lo.push_back(v - 1), b.hi.push_back(v + 1);
    c.bands.push_back(b);
    const std::string svg = render(c);
    const auto bands = elements(svg, "polygon");
    REQUIRE(bands.size() == 1);
    CHECK(bands[0].attr("data-points") == "36");
    CHECK(point_count(bands[0].attr("points")) == 72);
    CHECK(svg.find("data-bands=\"1\"") != std::string::npos);
  }
  SUBCASE("names with markup are escaped everywhere") {
    c.title = "<script>alert(1)</script> & \"co\"";
    c.series[0].name = "a<b&c\"d";
    const std::string svg = render(c);
    CHECK(svg.find("<script") == std::string::npos);
    CHECK(svg.find("a<b") == std::string::npos);
    CHECK(svg.find("a&lt;b&amp;c&quot;d") != std::string::npos);
    CHECK(svg.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;") != std::string::npos);
  }
}

TEST_CASE("a series longer than the point budget is decimated and the chart says so") {
  LineChart c;
  c.id = "long";
  c.point_noun = "periods";
  std::vector<double> x, y;
  for (int k = 0; k < 10000; ++k) x.push_back(k), y.push_back(k % 13);
  c.series.push_back({"orders", x, y, palette_style(0)});
  Band b{"band", x, std::vector<double>(10000, 0.0), y, "#000", 0.2, false};
  c.bands.push_back(b);
  const std::string svg = render(c);
  const auto lines = series_of(svg);
  REQUIRE(lines.size() == 1);
  const std::size_t n = std::stoul(lines[0].attr("data-points"));
  CHECK(n <= kDefaultPointBudget);
  CHECK(n == point_count(lines[0].attr("points")));
  CHECK(svg.find("data-decimated=\"25\"") != std::string::npos);
  CHECK(svg.find("10000 periods shown as the minimum and maximum of every 25 periods") != std::string::npos);
  CHECK(svg.find("marker-mid") == std::string::npos);  // too many points for markers
  CHECK(svg.size() < 40000);
}

TEST_CASE("shared axes give every chart one x domain and, when asked, one y domain") {
  std::vector<LineChart> charts(2);
  charts[0].series.push_back({"a", {0, 1, 2}, {1, 2, 3}, palette_style(0)});
  charts[1].series.push_back({"b", {0, 1, 2, 3, 4}, {10, 40, 20, 0, 5}, palette_style(0)});
  share_axes(charts, true);
  REQUIRE(charts[0].x_domain);
  CHECK(charts[0].x_domain == charts[1].x_domain);
  CHECK(charts[0].x_domain->second == 4.0);
  REQUIRE(charts[0].y_domain);
  CHECK(charts[0].y_domain == charts[1].y_domain);
  CHECK(charts[0].y_domain->first == 0.0);
  CHECK(charts[0].y_domain->second >= 40.0);
  std::vector<LineChart> own(charts.begin(), charts.end());
  own[0].y_domain.reset();
  own[1].y_domain.reset();
  share_axes(own, false);
  CHECK_FALSE(own[0].y_domain);
}

TEST_CASE("a stacked bar chart draws one rect per non-zero segment with its value") {
  BarChart b;
  b.id = "costs";
  b.title = "Costs";
  b.value_label = "cost (money)";
  b.layers = {"holding", "backorder"};
  b.rows.push_back({"factory", {400.0, 200.0}, NAN, "", ""});
  b.rows.push_back({"retailer", {100.0, 0.0}, NAN, "", ""});
  b.rows.push_back({"idle", {NAN, NAN}, NAN, "", ""});
  const std::string svg = render(b);
  const auto bars = elements(svg, "rect");
  std::size_t drawn = 0;
  for (const auto& e : bars) drawn += e.attr("class") == "bar" ? 1 : 0;
  CHECK(drawn == 3);
  CHECK(svg.find("data-bars=\"3\"") != std::string::npos);
  CHECK(svg.find("data-value=\"400\"") != std::string::npos);
  CHECK(svg.find("url(#costs-p1)") != std::string::npos);  // the second layer is patterned
  CHECK(svg.find(">n/a<") != std::string::npos);
  CHECK(svg.find(">600<") != std::string::npos);  // the factory's total
}

TEST_CASE("a single-layer bar chart draws whiskers and a reference line") {
  BarChart b;
  b.id = "bw";
  b.rows.push_back({"store", {3.0}, 0.5, "", ""});
  b.reference = 1.0;
  b.reference_label = "1 = no amplification";
  const std::string svg = render(b);
  CHECK(count(svg, "class=\"err\"") == 1);
  CHECK(count(svg, "class=\"ref\"") == 1);
  CHECK(svg.find("3 ± 0.5") != std::string::npos);
}

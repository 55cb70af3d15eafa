#include "models/report/page.h"

#include <fmt/core.h>

#include <string_view>

#include "models/report/svg.h"

namespace chainsim::models::report {

namespace {

std::string cell_markup(const Cell& c, const char* tag) {
  std::string attrs;
  if (c.numeric) attrs += " class=\"num\"";
  if (!c.title.empty()) attrs += fmt::format(" title=\"{}\"", escape(c.title));
  return fmt::format("<{0}{1}>{2}</{0}>", tag, attrs, escape(c.text));
}

// The style sheet of every page, inlined so that a report is one file. Charts
// carry only classes; their look is here, with the print rules (one section
// per page, no table of contents, lighter grid lines).
constexpr std::string_view kPageCss = R"css(
:root{--ink:#1b1b1b;--muted:#5b5b5b;--rule:#dcdcdc;--accent:#0b4f8a}
*{box-sizing:border-box}
html{background:#f3f3f1}
body{margin:0;color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
main{max-width:1120px;margin:0 auto;padding:28px 32px 56px;background:#fff;min-height:100vh}
h1{font-size:28px;line-height:1.2;margin:0 0 6px}
h2{font-size:21px;margin:0 0 10px;padding-bottom:4px;border-bottom:2px solid var(--ink)}
h3{font-size:16px;margin:22px 0 6px}
p{max-width:78ch;margin:6px 0 10px}
.subtitle{font-size:16px;color:#333}
.muted{color:var(--muted);font-size:13.5px}
dl.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px 22px;margin:18px 0;padding:12px 16px;border:1px solid var(--rule);border-radius:6px}
dl.facts div{min-width:0}
dl.facts div.wide{grid-column:span 2}
dl.facts dt{font-size:11.5px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
dl.facts dd{margin:0;font-weight:600;overflow-wrap:anywhere}
nav.toc{margin:8px 0 4px;font-size:14px}
nav.toc ol{display:flex;flex-wrap:wrap;gap:2px 20px;margin:0;padding:0;list-style:none;counter-reset:toc}
nav.toc li{counter-increment:toc}
nav.toc li::before{content:counter(toc) ". ";color:var(--muted)}
a{color:var(--accent)}
section{margin-top:40px}
figure{margin:10px 0 20px}
figcaption{font-size:13px;color:var(--muted);max-width:90ch;margin-top:2px}
svg.chart,svg.legend-svg{display:block;width:100%;height:auto;font-family:inherit;font-size:11px}
svg.legend-svg{max-width:720px}
svg text{fill:#333}
svg .ct{font-size:12px;font-weight:600;fill:#111}
svg .al{fill:#444}
svg .note{font-size:10px;font-style:italic;fill:#555}
svg .lg{fill:#222}
svg .gh{font-weight:600;fill:#111}
svg .bv{font-size:10.5px;fill:#222}
svg .grid line{stroke:#e6e6e6;stroke-width:1}
svg .axis{fill:none;stroke:#333;stroke-width:1}
svg .tk{stroke:#333}
svg .ref{stroke:#222;stroke-width:1;stroke-dasharray:4 3}
svg .shade rect{fill:#000;fill-opacity:.06}
svg .shade text{font-size:10px;fill:#555}
svg .err{fill:none;stroke:#111;stroke-width:1.2}
svg .lane{fill:none;stroke:#555;stroke-width:1.3}
svg .lane-label{font-size:10px;fill:#333;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
svg .node-shape{fill:#fff;stroke:#1b1b1b;stroke-width:1.5}
svg .node-label{font-size:11px;fill:#111}
svg .node-shape.marked{fill:#fdebd9;stroke:#a34400;stroke-width:2.6;stroke-dasharray:5 2.5}
svg .lane.marked{stroke:#a34400;stroke-width:2.2;stroke-dasharray:7 3}
svg .zebra rect{fill:#f4f4f1}
svg .zero{stroke:#111;stroke-width:1.3}
svg .tkl{font-size:9.5px;fill:#555}
.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:4px 16px}
.multiples.two{grid-template-columns:repeat(auto-fill,minmax(420px,1fr))}
.multiples figure{margin:0}
.stack figure{margin:0}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px}
.table-wrap{overflow-x:auto;margin:6px 0 18px}
table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:4px 0;font-size:13.5px}
th,td{padding:3px 10px;text-align:left;vertical-align:top;border-bottom:1px solid var(--rule)}
thead th{border-bottom:2px solid #888;font-weight:600;vertical-align:bottom}
thead th.num{white-space:normal;min-width:6.5em;max-width:11em}
tbody th{font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;white-space:nowrap}
[title]{text-decoration-line:none}
td.def{color:var(--muted);font-size:12px;max-width:52ch}
tr.marked th,tr.marked td{font-weight:650;background:#eef3f8}
tr.same th,tr.same td{color:#767676}
table.compare-kpis{font-size:12.5px}
.compare-kpis th,.compare-kpis td{padding:3px 7px}
.compare-kpis tbody td:nth-child(2){white-space:nowrap}
.scenario-diff td{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12px;max-width:46ch;overflow-wrap:anywhere}
.scenario-diff tbody th{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-weight:600;font-size:12px;white-space:normal;overflow-wrap:anywhere}
footer{margin-top:40px;color:var(--muted);font-size:12.5px;border-top:1px solid var(--rule);padding-top:8px}
@media (max-width:720px){main{padding:16px}.pair{grid-template-columns:1fr}}
@media print{
  @page{margin:14mm 12mm}
  html,body{background:#fff}
  body{font-size:10.5pt}
  main{max-width:none;padding:0;min-height:0}
  nav.toc{display:none}
  section{break-before:page;margin-top:0}
  section.first{break-before:auto;margin-top:18px}
  h2,h3{break-after:avoid}
  figure,table,tr,.multiples>*,.stack{break-inside:avoid}
  .table-wrap{overflow:visible}
  .multiples,.multiples.two,.pair{grid-template-columns:1fr 1fr}
  table.compare-kpis{font-size:8pt}
  .compare-kpis th,.compare-kpis td{padding:2px 4px}
  a{color:inherit;text-decoration:none}
  svg .grid line{stroke:#cfcfcf}
}
)css";

}  // namespace

std::string render(const Table& t) {
  std::string o = "<div class=\"table-wrap\"><table";
  if (!t.css_class.empty()) o += fmt::format(" class=\"{}\"", escape(t.css_class));
  o += ">";
  if (!t.caption.empty()) o += "<caption>" + escape(t.caption) + "</caption>";
  if (!t.head.empty()) {
    o += "<thead><tr>";
    for (const Cell& c : t.head) o += cell_markup(c, "th");
    o += "</tr></thead>";
  }
  o += "<tbody>";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    o += r < t.row_classes.size() && !t.row_classes[r].empty()
             ? fmt::format("<tr class=\"{}\">", escape(t.row_classes[r]))
             : std::string("<tr>");
    for (std::size_t i = 0; i < row.size(); ++i) o += cell_markup(row[i], i == 0 ? "th" : "td");
    o += "</tr>";
  }
  o += "</tbody></table></div>";
  return o;
}

std::string figure(const std::string& content_html, const std::string& caption) {
  std::string o = "<figure>" + content_html;
  if (!caption.empty()) o += "<figcaption>" + escape(caption) + "</figcaption>";
  return o + "</figure>";
}

std::string paragraph(const std::string& text, bool muted) {
  return fmt::format("<p{}>{}</p>", muted ? " class=\"muted\"" : "", escape(text));
}

std::string bullet_list(const std::vector<std::string>& items, bool muted) {
  std::string o = muted ? "<ul class=\"muted\">" : "<ul>";
  for (const std::string& item : items) o += "<li>" + escape(item) + "</li>";
  return o + "</ul>";
}

std::string version_text(const std::string& version, const std::string& git) {
  return git.empty() ? version : fmt::format("{} (git {})", version, git);
}

std::string subheading(const std::string& text, const std::string& id) {
  return fmt::format("<h3{}>{}</h3>", id.empty() ? "" : fmt::format(" id=\"{}\"", escape(id)), escape(text));
}

const std::string& page_css() {
  static const std::string css(kPageCss);
  return css;
}

Page::Page(std::string title) : title_(std::move(title)) {}

void Page::set_subtitle(std::string text) { subtitle_ = std::move(text); }

void Page::add_fact(std::string label, std::string value, bool wide) {
  facts_.push_back({std::move(label), std::move(value), wide});
}

void Page::add_section(std::string id, std::string heading, std::string body_html) {
  sections_.push_back({std::move(id), std::move(heading), std::move(body_html)});
}

std::string Page::html() const {
  std::string o = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  o += "<meta name=\"generator\" content=\"chainsim\">\n";
  o += "<title>" + escape(title_) + "</title>\n<style>" + page_css() + "</style>\n</head>\n<body>\n<main>\n";
  o += "<header>\n<h1>" + escape(title_) + "</h1>\n";
  if (!subtitle_.empty()) o += "<p class=\"subtitle\">" + escape(subtitle_) + "</p>\n";
  if (!facts_.empty()) {
    o += "<dl class=\"facts\">";
    for (const Fact& f : facts_) {
      o += fmt::format("<div{}><dt>{}</dt><dd>{}</dd></div>", f.wide ? " class=\"wide\"" : "", escape(f.label),
                       escape(f.value));
    }
    o += "</dl>\n";
  }
  if (sections_.size() > 1) {
    o += "<nav class=\"toc\" aria-label=\"Contents\"><ol>";
    for (const Section& s : sections_) o += fmt::format("<li><a href=\"#{}\">{}</a></li>", s.id, escape(s.heading));
    o += "</ol></nav>\n";
  }
  o += "</header>\n";
  for (std::size_t i = 0; i < sections_.size(); ++i) {
    const Section& s = sections_[i];
    o += fmt::format("<section id=\"{}\"{} aria-labelledby=\"{}-h\">\n<h2 id=\"{}-h\">{}</h2>\n", s.id,
                     i == 0 ? " class=\"first\"" : "", s.id, s.id, escape(s.heading));
    o += s.body + "\n</section>\n";
  }
  o += "</main>\n</body>\n</html>\n";
  return o;
}

}  // namespace chainsim::models::report

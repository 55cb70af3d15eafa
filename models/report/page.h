// The HTML page of a report: one self-contained document (inline CSS and
// SVG, no script, no external font, image, stylesheet or link), a header with
// the title, a description and facts, a table of contents, and sections.
// It prints well: sections start on a new page, figures and tables do not
// break across pages, colours are never the only cue.
//
// Pieces a page is built from: tables (Table), figures (figure()), and the
// charts of models/report/chart.h. Text given to these functions is escaped
// here; arguments named *_html are markup and go in as they are.
#pragma once

#include <string>
#include <vector>

namespace chainsim::models::report {

// One table cell. `title` becomes a tooltip (a definition, the exact value).
struct Cell {
  std::string text;
  std::string title;
  bool numeric = false;  // right-aligned, tabular figures
};

struct Table {
  std::string caption;                 // optional <caption>
  std::vector<Cell> head;              // one header row
  std::vector<std::vector<Cell>> rows;
  std::string css_class;               // e.g. "kpi"
  // Per row, a class for its <tr> ("marked": bold on a tint); empty, or
  // shorter than rows (the rest have none).
  std::vector<std::string> row_classes;
};
// The <table> (inside a scrolling wrapper for wide tables).
std::string render(const Table& table);

// A <figure> holding `content_html` (an <svg>, or several) and a caption.
std::string figure(const std::string& content_html, const std::string& caption);
// A paragraph of plain text (escaped); class "muted" when `muted`.
std::string paragraph(const std::string& text, bool muted = false);
// A list (<ul>) of plain-text items (escaped); class "muted" when `muted`.
std::string bullet_list(const std::vector<std::string>& items, bool muted = true);
// A build for the facts: "0.1.0 (git abc1234)", or the version alone.
std::string version_text(const std::string& version, const std::string& git);
// A heading inside a section (<h3>).
std::string subheading(const std::string& text, const std::string& id = "");

// The page's style sheet (screen and print).
const std::string& page_css();

class Page {
 public:
  // `title` is the <title> and the <h1>.
  explicit Page(std::string title);

  // A paragraph under the title (the scenario's description).
  void set_subtitle(std::string text);
  // Label/value pairs shown as a grid under the subtitle (horizon, seed, ...).
  // `wide` facts take two columns (file names, versions).
  void add_fact(std::string label, std::string value, bool wide = false);
  // Appends a section listed in the table of contents. REQUIRES: `id` is
  // unique in the page and made of [A-Za-z0-9_-].
  void add_section(std::string id, std::string heading, std::string body_html);

  // The whole document, <!DOCTYPE html> to </html>.
  std::string html() const;

 private:
  struct Section {
    std::string id, heading, body;
  };
  std::string title_;
  std::string subtitle_;
  struct Fact {
    std::string label, value;
    bool wide;
  };
  std::vector<Fact> facts_;
  std::vector<Section> sections_;
};

}  // namespace chainsim::models::report

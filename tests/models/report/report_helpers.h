// Helpers of the report tests: counting and reading elements of generated
// markup (attributes of start tags, scanned by hand: the generator writes
// plain double-quoted attributes; std::regex is avoided because GCC 12's
// <regex> trips -Wmaybe-uninitialized under the sanitizers), checking that
// a page is self-contained, and running a scenario as `chainsim run` does
// for the report.
#pragma once

#include <map>
#include <memory>
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "models/experiment/experiment.h"
#include "models/report/run_report.h"
#include "models/report/group_series.h"
#include "models/scenario/loader.h"

namespace chainsim::test {

inline std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + needle.size())) ++n;
  return n;
}

// Replaces every `from` in `s` by `to` (for hostile names).
inline void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
    s.replace(p, from.size(), to);
  }
}

struct SvgElement {
  std::map<std::string, std::string> attrs;
  std::string attr(const std::string& name) const {
    auto it = attrs.find(name);
    return it == attrs.end() ? std::string() : it->second;
  }
};

// Every start tag <tag ...> of `markup`, with its attributes.
inline std::vector<SvgElement> elements(const std::string& markup, const std::string& tag) {
  std::vector<SvgElement> out;
  const std::string open = "<" + tag;
  for (std::size_t p = markup.find(open); p != std::string::npos; p = markup.find(open, p + 1)) {
    std::size_t i = p + open.size();
    if (i >= markup.size() || !(markup[i] == '>' || markup[i] == '/' || std::isspace(static_cast<unsigned char>(markup[i])))) {
      continue;  // a longer tag name (<polyline> when looking for <poly>)
    }
    SvgElement e;
    while (i < markup.size() && markup[i] != '>') {
      while (i < markup.size() && std::isspace(static_cast<unsigned char>(markup[i]))) ++i;
      const std::size_t name_start = i;
      while (i < markup.size() && markup[i] != '=' && markup[i] != '>' &&
             !std::isspace(static_cast<unsigned char>(markup[i]))) {
        ++i;
      }
      const std::string name = markup.substr(name_start, i - name_start);
      if (i + 1 < markup.size() && markup[i] == '=' && markup[i + 1] == '"') {
        const std::size_t end = markup.find('"', i + 2);
        if (end == std::string::npos) break;
        e.attrs[name] = markup.substr(i + 2, end - i - 2);
        i = end + 1;
      } else if (i == name_start) {
        ++i;  // a stray character ('/')
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

// Why a page would not be self-contained, or "" when it is: an element that
// loads something (script, link, img, iframe, object, embed), a CSS @import
// or @font-face, a url() that is not a #fragment, a src or href to another
// host, or an http(s) URL anywhere inside a tag.
inline std::string external_reference(const std::string& html) {
  std::string low = html;
  std::transform(low.begin(), low.end(), low.begin(), [](unsigned char c) { return std::tolower(c); });
  auto near = [&](std::size_t at) { return html.substr(at > 40 ? at - 40 : 0, 120); };
  for (const char* el : {"<script", "<link", "<img", "<iframe", "<object", "<embed"}) {
    for (std::size_t p = low.find(el); p != std::string::npos; p = low.find(el, p + 1)) {
      const std::size_t after = p + std::string(el).size();
      if (after >= low.size() || !std::isalnum(static_cast<unsigned char>(low[after]))) {
        return std::string("a ") + (el + 1) + " element near: " + near(p);
      }
    }
  }
  for (const char* rule : {"@import", "@font-face"}) {
    if (const std::size_t p = low.find(rule); p != std::string::npos) return std::string(rule) + " near: " + near(p);
  }
  for (std::size_t p = low.find("url("); p != std::string::npos; p = low.find("url(", p + 1)) {
    std::size_t i = p + 4;
    while (i < low.size() && (std::isspace(static_cast<unsigned char>(low[i])) || low[i] == '"' || low[i] == '\'')) ++i;
    if (i >= low.size() || low[i] != '#') return "a url() that is not a #fragment near: " + near(p);
  }
  for (const char* attr : {"src=", "href="}) {
    for (std::size_t p = low.find(attr); p != std::string::npos; p = low.find(attr, p + 1)) {
      std::size_t i = p + std::string(attr).size();
      while (i < low.size() && (low[i] == '"' || low[i] == '\'' || std::isspace(static_cast<unsigned char>(low[i])))) ++i;
      if (low.compare(i, 2, "//") == 0 || low.compare(i, 5, "http:") == 0 || low.compare(i, 6, "https:") == 0) {
        return std::string("a ") + attr + " to another host near: " + near(p);
      }
    }
  }
  for (const char* scheme : {"http://", "https://"}) {
    for (std::size_t p = low.find(scheme); p != std::string::npos; p = low.find(scheme, p + 1)) {
      const std::size_t open = low.rfind('<', p), close = low.rfind('>', p);
      if (open != std::string::npos && (close == std::string::npos || open > close)) {
        return "an http(s) URL inside a tag near: " + near(p);
      }
    }
  }
  return "";
}

// The <polyline class="series"> elements (not the legend's swatches).
inline std::vector<SvgElement> series_of(const std::string& markup) {
  std::vector<SvgElement> out;
  for (SvgElement& e : elements(markup, "polyline")) {
    if (e.attr("class") == "series") out.push_back(std::move(e));
  }
  return out;
}

// The number of "x,y" pairs of a points attribute.
inline std::size_t point_count(const std::string& points) {
  std::size_t n = 0;
  for (char c : points) n += c == ',' ? 1 : 0;
  return n;
}

// A run as `chainsim run` makes it for the report: mean series kept, the
// echelon totals accumulated replication by replication.
struct ReportRun {
  models::LoadedScenario scenario;
  models::ExperimentResult result;
  std::unique_ptr<models::report::GroupSeries> groups;
  std::string html(const models::ReportOptions& options = {}) const {
    models::ReportMetadata meta;
    meta.version = "test";
    meta.scenario_file = scenario.file;
    meta.description = scenario.spec.description;
    meta.seed = scenario.spec.seed;
    meta.replications = scenario.spec.replications;
    return models::run_report_html(result, meta, options, groups.get());
  }
};

inline ReportRun run_for_report(const std::string& path, const std::vector<std::string>& overrides = {}) {
  ReportRun run;
  run.scenario = models::load_scenario(path, {overrides});
  models::ExperimentOptions opt;
  opt.seed = run.scenario.spec.seed;
  opt.replications = run.scenario.spec.replications;
  opt.jobs = 2;
  opt.series = models::SeriesMode::kMean;
  run.result = models::run_experiment(run.scenario.spec, opt,
                                      [&](const models::ExperimentResult& partial, const models::ReplicationOutput& r) {
                                        if (!run.groups) {
                                          run.groups = std::make_unique<models::report::GroupSeries>(partial.info);
                                        }
                                        run.groups->add(r);
                                      });
  return run;
}

}  // namespace chainsim::test

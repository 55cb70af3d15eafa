// Helpers of the report tests: counting and reading elements of generated
// markup (attributes of start tags, found with a regular expression: the
// generator writes plain double-quoted attributes), and running a scenario
// as `chainsim run` does for the report.
#pragma once

#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "models/experiment.h"
#include "models/report.h"
#include "models/report/group_series.h"
#include "models/scenario_loader.h"

namespace chainsim::test {

inline std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + needle.size())) ++n;
  return n;
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
  const std::regex start("<" + tag + "(\\s[^>]*)?>");
  const std::regex attr("([A-Za-z_:][-A-Za-z0-9_:.]*)=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(markup.begin(), markup.end(), start); it != std::sregex_iterator(); ++it) {
    SvgElement e;
    const std::string body = (*it)[1].str();
    for (auto a = std::sregex_iterator(body.begin(), body.end(), attr); a != std::sregex_iterator(); ++a) {
      e.attrs[(*a)[1].str()] = (*a)[2].str();
    }
    out.push_back(std::move(e));
  }
  return out;
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
  run.result = models::run_experiment(run.scenario.spec, run.scenario.base_dir, opt,
                                      [&](const models::ExperimentResult& partial, const models::ReplicationOutput& r) {
                                        if (!run.groups) {
                                          run.groups = std::make_unique<models::report::GroupSeries>(partial.info);
                                        }
                                        run.groups->add(r);
                                      });
  return run;
}

}  // namespace chainsim::test

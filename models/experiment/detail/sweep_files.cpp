#include "models/experiment/detail/sweep_files.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <fmt/core.h>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "sim/statistics.h"
#include "sim/text.h"

namespace chainsim::models::detail {

namespace {

using J = nlohmann::ordered_json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

J number(double x) { return std::isfinite(x) ? J(x) : J(nullptr); }

}  // namespace

std::string csv_text(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_number(double x) { return std::isnan(x) ? std::string() : fmt::format("{}", x); }

bool split_csv(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  fields.push_back(std::move(cur));
  return !quoted;
}

bool read_csv_number(std::string_view f, double& x) {
  if (f.empty()) {
    x = kNaN;
    return true;
  }
  const auto [ptr, ec] = std::from_chars(f.data(), f.data() + f.size(), x);
  return ec == std::errc() && ptr == f.data() + f.size();
}

std::string kpi_column(const KpiValue& v) {
  return v.scope == "network" ? "network." + v.kpi : v.scope + "." + v.name + "." + v.kpi;
}

std::string text_hash(std::string_view text) {
  return fmt::format("{:016x}", sim::fnv1a64(text));
}

std::optional<std::string> file_hash(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text_hash(text);
}

std::string sweep_header(const sim::Design& design, const std::vector<std::string>& columns) {
  std::string h = "point,replication";
  for (const sim::ParamSpec& p : design.params()) h += "," + csv_text(p.name);
  for (const std::string& c : columns) h += "," + csv_text(c);
  return h + "\n";
}

std::string summary_header(const sim::Design& design) {
  std::string h = "point";
  for (const sim::ParamSpec& p : design.params()) h += "," + csv_text(p.name);
  return h + ",kpi,n,mean,sd,half_width\n";
}

std::string params_fields(const sim::Design& design, std::size_t point) {
  std::string s;
  for (std::size_t j = 0; j < design.params().size(); ++j) s += "," + csv_text(design.text(point, j));
  return s;
}

std::string summary_rows(const sim::Design& design, std::size_t point, const std::vector<std::string>& columns,
                         const std::vector<double>& values, std::size_t replications) {
  std::string out;
  const std::string lead = fmt::format("{}{}", point, params_fields(design, point));
  const std::size_t c_count = columns.size();
  // The t quantile once per n (Boost.Math takes ~17k instructions for it,
  // and most KPIs share n = R); the same formula as sim::confidence_interval.
  std::map<std::uint64_t, double> t_of_n;
  for (std::size_t c = 0; c < c_count; ++c) {
    sim::RunningStats s;
    for (std::size_t r = 0; r < replications; ++r) {
      const double x = values[r * c_count + c];
      if (!std::isnan(x)) s.add(x);
    }
    sim::Interval iv;
    iv.mean = s.mean();
    iv.n = s.count();
    iv.stddev = s.stddev();
    if (iv.n >= 2) {
      auto it = t_of_n.find(iv.n);
      if (it == t_of_n.end()) {
        it = t_of_n.emplace(iv.n, sim::student_t_critical(0.95, static_cast<double>(iv.n - 1))).first;
      }
      iv.half_width = it->second * iv.stddev / std::sqrt(static_cast<double>(iv.n));
    }
    const bool spread = s.count() >= 2;
    out += fmt::format("{},{},{},{},{},{}\n", lead, csv_text(columns[c]), s.count(),
                       csv_number(s.count() > 0 ? iv.mean : kNaN), csv_number(spread ? iv.stddev : kNaN),
                       csv_number(spread ? iv.half_width : kNaN));
  }
  return out;
}

std::string sweep_json(const sim::Design& design, const SweepMeta& m) {
  J j;
  j["chainsim"] = {{"version", m.version}, {"git", m.git}};
  j["scenario"] = {{"file", m.scenario_file}, {"name", m.scenario_name}, {"hash", "fnv1a64:" + m.scenario_hash}};
  J inputs = J::array();
  for (const auto& [file, hash] : m.inputs) inputs.push_back({{"file", file}, {"hash", "fnv1a64:" + hash}});
  j["inputs"] = inputs;
  if (!m.design_file.empty()) j["design_file"] = m.design_file;
  J d;
  d["type"] = design.type() == sim::Design::Type::kGrid ? "grid" : "lhs";
  d["points"] = design.size();
  if (design.type() == sim::Design::Type::kGrid) {
    d["order"] = "cartesian product, the first parameter slowest";
  } else {
    d["samples"] = design.size();
    d["stream"] = "RandomStream(seed, 0, \"sweep/latin_hypercube\")";
  }
  J params = J::array();
  for (const sim::ParamSpec& p : design.params()) {
    J q = {{"path", p.name}, {"spec", p.spec}};
    if (p.kind == sim::ParamSpec::Kind::kInterval) {
      q["kind"] = p.integer ? "integer interval" : "interval";
      q["low"] = p.low;
      q["high"] = p.high;
    } else {
      q["kind"] = p.kind == sim::ParamSpec::Kind::kRange ? "range" : "list";
      q["values"] = p.levels;
    }
    params.push_back(q);
  }
  d["parameters"] = params;
  j["design"] = d;
  j["seed"] = m.seed;
  j["replications"] = m.replications;
  j["runs"] = design.size() * m.replications;
  j["confidence_level"] = 0.95;
  j["common_random_numbers"] = "replication r of every point draws from the streams of (seed, r, source name)";
  j["files"] = {{"sweep.csv", "one row per point and replication: point, replication, the parameters, every KPI"},
                {"sweep_summary.csv", "one row per point and KPI: n, mean, sd, 95% half-width"},
                {"sweep_model.json", "a second-order response surface per KPI"}};
  j["columns"] = m.columns;
  J units = J::object();
  for (std::size_t c = 0; c < m.columns.size() && c < m.units.size(); ++c) units[m.columns[c]] = m.units[c];
  j["units"] = units;
  j["scenario_as_loaded"] = m.scenario_yaml;
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

namespace {

// One KPI's fit: its goodness of fit and coefficients, coded and natural.
J fit_json(const sim::ResponseSurface& rs, const sim::SurfaceFit& f) {
  J k = {{"r_squared", number(f.r_squared)}, {"adj_r_squared", number(f.adj_r_squared)},
         {"residual_sd", number(f.residual_sd)}};
  for (const char* basis : {"coded", "natural"}) {
    const auto& cs = std::string(basis) == "coded" ? f.coded : f.natural;
    J t = J::object();
    for (std::size_t i = 0; i < cs.size(); ++i) {
      t[rs.terms()[i]] = {{"estimate", number(cs[i].estimate)},
                          {"se", number(cs[i].se)},
                          {"t", number(cs[i].t)},
                          {"p_value", number(cs[i].p_value)}};
    }
    k[basis] = t;
  }
  return k;
}

// The surface's terms and the coding of its parameters.
void describe_surface(const sim::ResponseSurface& rs, const std::vector<std::string>& names, std::size_t runs, J& j) {
  j["fitted"] = true;
  j["runs"] = runs;
  j["terms"] = rs.terms();
  j["residual_dof"] = rs.dof();
  J coding = J::array();
  for (std::size_t p = 0; p < names.size(); ++p) {
    coding.push_back({{"parameter", names[p]}, {"center", rs.center(p)}, {"half_range", rs.half_range(p)}});
  }
  j["coding"] = coding;
  j["coded"] = "z = (x - center) / half_range, so a coded coefficient is the change over half the parameter's range";
  j["note"] = "standard errors assume independent runs; under common random numbers they are conservative for "
              "the parameter terms";
}

}  // namespace

std::string sweep_model_json(const sim::Design& design, const std::vector<std::string>& columns,
                             const std::vector<double>& values, std::size_t replications, std::size_t& fitted,
                             std::string& note) {
  fitted = 0;
  J j;
  j["model"] = "y = b0 + sum b_j x_j + sum b_jj x_j^2 + sum b_jk x_j x_k, least squares over every run";
  const std::size_t c_count = columns.size();
  const std::size_t runs = c_count > 0 ? values.size() / c_count : 0;
  std::vector<std::string> names;
  for (const sim::ParamSpec& p : design.params()) names.push_back(p.name);
  std::optional<sim::ResponseSurface> rs;
  std::string problem;
  if (!design.numeric()) {
    problem = "no response surface: a parameter is not numeric";
  } else {
    Eigen::MatrixXd x(static_cast<Eigen::Index>(runs), static_cast<Eigen::Index>(names.size()));
    for (std::size_t k = 0; k < runs; ++k) {
      for (std::size_t p = 0; p < names.size(); ++p) {
        x(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(p)) = design.number(k / replications, p);
      }
    }
    rs.emplace(names, x);
    if (!rs->problem().empty()) problem = "no response surface: " + rs->problem();
  }
  if (!problem.empty()) {
    note = problem;
    j["fitted"] = false;
    j["reason"] = note;
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  describe_surface(*rs, names, runs, j);
  J kpis = J::object(), skipped = J::object();
  Eigen::VectorXd y(static_cast<Eigen::Index>(runs));
  for (std::size_t c = 0; c < c_count; ++c) {
    std::size_t undefined = 0;
    bool constant = true;
    for (std::size_t k = 0; k < runs; ++k) {
      const double v = values[k * c_count + c];
      if (!std::isfinite(v)) ++undefined;
      if (v != values[c]) constant = false;
      y(static_cast<Eigen::Index>(k)) = v;
    }
    if (undefined > 0) {
      skipped[columns[c]] = fmt::format("undefined in {} of {} runs", undefined, runs);
    } else if (constant) {
      skipped[columns[c]] = fmt::format("constant ({} in every run)", csv_number(values[c]));
    } else {
      kpis[columns[c]] = fit_json(*rs, rs->fit(y));
      ++fitted;
    }
  }
  j["kpis"] = kpis;
  j["skipped"] = skipped;
  note = fmt::format("{} KPIs fitted, {} skipped (constant or undefined; see sweep_model.json)", fitted,
                     skipped.size());
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace chainsim::models::detail

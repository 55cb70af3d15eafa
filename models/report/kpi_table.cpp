#include "models/report/kpi_table.h"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>
#include <map>

#include "models/report/svg.h"

namespace chainsim::models::report {

std::string plural_unit(const std::string& unit) {
  if (unit.empty() || unit.back() == 's') return unit;
  if (unit.size() > 1 && unit.back() == 'y' && std::string("aeiou").find(unit[unit.size() - 2]) == std::string::npos) {
    return unit.substr(0, unit.size() - 1) + "ies";
  }
  return unit + "s";
}

std::string display_unit(const std::string& unit, const UnitNames& names) {
  if (unit == "time units") return plural_unit(names.time_unit);
  if (unit == "money") return names.currency;
  return unit;
}

const KpiDefinition* find_definition(const std::string& kpi) {
  for (const KpiDefinition& d : kpi_definitions()) {
    if (d.kpi == kpi) return &d;
  }
  return nullptr;
}

std::string kpi_label(const std::string& kpi) {
  std::string s = kpi;
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

std::string kpi_label(const std::string& kpi, const UnitNames& names) {
  if (kpi == "days_of_supply" && names.time_unit != "day") return plural_unit(names.time_unit) + " of supply";
  return kpi_label(kpi);
}

std::string format_estimate(const sim::Interval& k) {
  if (std::isnan(k.mean)) return "-";
  if (k.mean == 0.0 && (k.n < 2 || k.half_width == 0.0)) return "0";
  const double m = std::abs(k.mean);
  const int precision = m >= 1000 ? 0 : m >= 100 ? 1 : m >= 1 ? 2 : 3;
  std::string s = fmt::format("{:.{}f}", k.mean, precision);
  if (s == "-0" || s.find_first_not_of("-0.") == std::string::npos) s = s[0] == '-' ? s.substr(1) : s;
  if (k.n > 1 && std::isfinite(k.half_width)) s += fmt::format(" ± {:.{}f}", k.half_width, precision);
  return s;
}

namespace {

// A half-width below 1e-9 of the mean is rounding in sums taken in another
// order, not spread.
bool has_spread(const sim::Interval& k) {
  return k.n > 1 && std::isfinite(k.mean) && std::isfinite(k.half_width) && k.half_width > 0 &&
         k.half_width > 1e-9 * std::abs(k.mean);
}

// x at the place of hw's second significant digit, thousands grouped from
// 10 000. REQUIRES: hw > 0 and finite.
std::string rounded_to(double x, double hw) {
  const int e = static_cast<int>(std::floor(std::log10(hw)));
  const int decimals = std::clamp(1 - e, 0, 9);
  if (decimals == 0) {
    const double unit = std::pow(10.0, e - 1);
    x = std::round(x / unit) * unit;
  }
  std::string t = fmt::format("{:.{}f}", x, decimals);
  if (t[0] == '-' && t.find_first_not_of("-0.") == std::string::npos) t = t.substr(1);
  return std::abs(x) >= 10000 ? group_thousands(t) : t;
}

}  // namespace

std::string format_rounded(const sim::Interval& k, bool sign, bool half_width) {
  std::string s;
  if (!has_spread(k)) {
    s = format_estimate(k);
    if (!half_width) s = s.substr(0, s.find(" ±"));
  } else {
    s = rounded_to(k.mean, k.half_width);
    if (half_width) s += " ± " + rounded_to(k.half_width, k.half_width);
  }
  const std::string head = s.substr(0, s.find(' '));
  if (sign && k.mean > 0 && head.find_first_not_of("0.") != std::string::npos) s = "+" + s;
  return s;
}

std::string format_rounded_as(double x, const sim::Interval& reference) {
  return has_spread(reference) && std::isfinite(x) ? rounded_to(x, reference.half_width) : format_number(x, 6);
}

Cell estimate_cell(const sim::Interval& k) {
  Cell c;
  c.text = format_estimate(k);
  c.numeric = true;
  if (std::isnan(k.mean)) {
    c.title = "undefined in every replication";
  } else if (k.n > 1) {
    c.title = fmt::format("mean {}, sd {}, 95% half-width {}, n = {}", format_number(k.mean, 8),
                          format_number(k.stddev, 6), format_number(k.half_width, 6), k.n);
  } else {
    c.title = fmt::format("{} (one replication)", format_number(k.mean, 8));
  }
  return c;
}

const KpiSummary* find_kpi(const std::vector<KpiSummary>& summary, const std::string& scope, const std::string& name,
                           const std::string& kpi) {
  for (const KpiSummary& k : summary) {
    if (k.scope == scope && k.name == name && k.kpi == kpi) return &k;
  }
  return nullptr;
}

Table network_kpi_table(const std::vector<KpiSummary>& summary, const UnitNames& names) {
  Table t;
  t.css_class = "kpi";
  t.head = {{"KPI", "", false}, {"value", "mean ± 95% half-width across replications", true}, {"unit", "", false},
            {"definition", "", false}};
  for (const KpiSummary& k : summary) {
    if (k.scope != "network") continue;
    const KpiDefinition* d = find_definition(k.kpi);
    t.rows.push_back({{kpi_label(k.kpi, names), k.kpi, false},
                      estimate_cell(k.interval),
                      {d ? display_unit(d->unit, names) : "", "", false},
                      {d ? d->definition : "", "", false}});
  }
  return t;
}

std::vector<Table> scope_kpi_tables(const std::vector<KpiSummary>& summary, const std::string& scope,
                                    const std::vector<std::string>& order, const std::vector<std::string>& labels,
                                    const UnitNames& names, std::size_t max_columns,
                                    std::vector<std::string>* omitted) {
  // KPIs and entities in first-seen order; values by (entity, kpi).
  std::vector<std::string> kpis, entities = order;
  std::map<std::pair<std::string, std::string>, const KpiSummary*> cell;
  for (const KpiSummary& k : summary) {
    if (k.scope != scope) continue;
    if (std::find(kpis.begin(), kpis.end(), k.kpi) == kpis.end()) kpis.push_back(k.kpi);
    if (std::find(entities.begin(), entities.end(), k.name) == entities.end()) entities.push_back(k.name);
    cell[{k.name, k.kpi}] = &k;
  }
  if (omitted) {
    std::vector<std::string> kept;
    for (const std::string& kpi : kpis) {
      bool nonzero = false;
      for (const std::string& e : entities) {
        auto it = cell.find({e, kpi});
        nonzero = nonzero || (it != cell.end() && std::isfinite(it->second->interval.mean) &&
                              it->second->interval.mean != 0.0);
      }
      (nonzero ? kept : *omitted).push_back(kpi);
    }
    kpis = std::move(kept);
  }
  std::vector<Table> out;
  if (kpis.empty()) return out;
  auto label_of = [&](std::size_t i) {
    return i < labels.size() && !labels[i].empty() ? labels[i] : entities[i];
  };
  const std::size_t chunks = (kpis.size() + max_columns - 1) / max_columns;
  const std::size_t per = (kpis.size() + chunks - 1) / chunks;  // even widths
  for (std::size_t start = 0; start < kpis.size(); start += per) {
    Table t;
    t.css_class = "kpi";
    t.head.push_back({scope, "", false});
    const std::size_t end = std::min(kpis.size(), start + per);
    for (std::size_t j = start; j < end; ++j) {
      const KpiDefinition* d = find_definition(kpis[j]);
      std::string unit = d ? display_unit(d->unit, names) : "";
      t.head.push_back({kpi_label(kpis[j], names) + (unit.empty() ? "" : " (" + unit + ")"),
                        d ? fmt::format("{}: {}", kpis[j], d->definition) : kpis[j], true});
    }
    for (std::size_t i = 0; i < entities.size(); ++i) {
      std::vector<Cell> row{{label_of(i), entities[i], false}};
      bool any = false;
      for (std::size_t j = start; j < end; ++j) {
        auto it = cell.find({entities[i], kpis[j]});
        if (it == cell.end()) {
          row.push_back({"", "", true});
        } else {
          row.push_back(estimate_cell(it->second->interval));
          any = true;
        }
      }
      if (any) t.rows.push_back(std::move(row));
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace chainsim::models::report

#include "models/report/outputs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <unordered_map>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "models/experiment/detail/sweep_files.h"
#include "models/scenario/traces.h"

namespace chainsim::models {

std::string csv_text(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

namespace {

using J = nlohmann::ordered_json;

std::string csv_number(double x) {
  if (std::isnan(x)) return "";
  return fmt::format("{}", x);
}

// ",x" for each value, x as csv_number writes it. (fmt::format, not
// format_to into `out`: format_to's vformat_to<char> does not link under
// Clang against Debian's GCC-built libfmt.)
void append_csv_numbers(std::string& out, const std::vector<double>& values) {
  for (double x : values) out += "," + csv_number(x);
}

// A number as nlohmann's dump writes it (its Grisu2 shortest round trip, the
// serializer's own routine), null when not finite; a KPI name quoted as it
// writes it. Dumping a json value per number cost 1,800 instructions each.
// put_number writes at p, which has room for kNumberRoom characters.
constexpr std::size_t kNumberRoom = 64;
char* put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}
char* put_number(char* p, double x) {
  if (!std::isfinite(x)) return put(p, "null");
  return nlohmann::detail::to_chars(p, p + kNumberRoom, x);
}

// Text that nlohmann writes between quotes as it is: ASCII letters and
// digits (std::isalnum's in the "C" locale, which chainsim never leaves,
// without a call per character) and a few marks.
bool plain_text(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '/' ||
           c == '-' || c == '>' || c == '.' || c == ' ';
  });
}

void append_quoted(std::string& out, std::string_view s) {
  if (!plain_text(s)) {
    out += J(std::string(s)).dump(-1, ' ', false, J::error_handler_t::replace);
    return;
  }
  const std::size_t at = out.size();
  out.resize(at + s.size() + 2);
  char* p = out.data() + at;
  *p++ = '"';
  p = put(p, s);
  *p = '"';
}

// The fixed text around one KPI's numbers, as nlohmann's dump(2) writes it
// with the KPI's key at `pad` spaces: built once per indentation, so that a
// KPI costs a few appends of known length (a summary of a large network holds
// millions of KPIs).
struct KpiLayout {
  std::string first, next, mean, sd, half_width, n, close;
  explicit KpiLayout(std::size_t pad) {
    const std::string key(pad, ' ');
    const std::string member(pad + 2, ' ');
    first = "\n" + key;
    next = ",\n" + key;
    mean = ": {\n" + member + "\"mean\": ";
    sd = ",\n" + member + "\"sd\": ";
    half_width = ",\n" + member + "\"half_width\": ";
    n = ",\n" + member + "\"n\": ";
    close = "\n" + key + "}";
  }
};

// KPIs as an object of {mean, sd, half_width, n} objects, as nlohmann's
// dump(2) writes it with the object's keys at `indent` spaces (`layout` is
// KpiLayout(indent)). A KPI given twice keeps its first place and its last
// value, as operator[] would.
void append_kpis(std::string& out, std::span<const KpiSummary* const> kpis, const KpiLayout& layout,
                 std::size_t indent) {
  if (kpis.empty()) {
    out += "{}";
    return;
  }
  // A scope holds a few dozen KPIs: a linear search finds a repeat sooner
  // than a hash map is built (a hundred thousand scopes in a large network).
  std::vector<const KpiSummary*> last;
  last.reserve(kpis.size());
  for (const KpiSummary* k : kpis) {
    const auto at = std::find_if(last.begin(), last.end(), [&](const KpiSummary* x) { return x->kpi == k->kpi; });
    if (at == last.end()) {
      last.push_back(k);
    } else {
      *at = k;
    }
  }
  // Each KPI's text after its key is written into room made for it at once:
  // a dozen appends, each checking capacity, cost more than the numbers.
  const std::size_t tail_room = layout.mean.size() + layout.sd.size() + layout.half_width.size() + layout.n.size() +
                                layout.close.size() + 3 * kNumberRoom + 24;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  out += '{';
  for (std::size_t i = 0; i < last.size(); ++i) {
    const sim::Interval& v = last[i]->interval;
    // Below two values there is no sample standard deviation, hence no interval.
    const bool spread = v.n >= 2;
    out += i == 0 ? layout.first : layout.next;
    append_quoted(out, last[i]->kpi);
    const std::size_t at = out.size();
    out.resize(at + tail_room);
    char* p = out.data() + at;
    p = put(p, layout.mean);
    p = put_number(p, v.mean);
    p = put(p, layout.sd);
    p = put_number(p, spread ? v.stddev : nan);
    p = put(p, layout.half_width);
    p = put_number(p, spread ? v.half_width : nan);
    p = put(p, layout.n);
    p = std::to_chars(p, p + 24, v.n).ptr;
    p = put(p, layout.close);
    out.resize(static_cast<std::size_t>(p - out.data()));
  }
  out += '\n';
  out.append(indent - 2, ' ');
  out += '}';
}

}  // namespace

std::vector<std::pair<std::string, std::string>> hash_input_files(const ScenarioSpec& spec,
                                                                  const std::string& base_dir) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const InputFile& f : scenario_input_files(spec, base_dir)) {
    const std::optional<std::string> hash = detail::file_hash(f.path);
    if (!hash) throw std::runtime_error(fmt::format("cannot read {}, the trace file the scenario names as '{}'", f.path, f.file));
    out.emplace_back(f.file, *hash);
  }
  return out;
}

std::string summary_json(const ExperimentResult& r, const RunMetadata& meta) {
  std::string out;
  write_summary_json(r, meta, [&](std::string& chunk) { out += chunk; });
  return out;
}

namespace {

// summary.json's members before the KPIs: how it was made.
J summary_head(const ExperimentResult& r, const RunMetadata& meta) {
  J j;
  j["chainsim"] = {{"version", meta.version}, {"git", meta.git}};
  j["scenario"] = {{"name", r.info.name},
                   {"file", meta.scenario_file},
                   {"time_unit", r.info.time_unit},
                   {"period", r.info.period},
                   {"horizon", r.info.horizon},
                   {"warmup", r.info.warmup}};
  if (!meta.inputs.empty()) {
    J inputs = J::array();
    for (const auto& [file, hash] : meta.inputs) inputs.push_back({{"file", file}, {"hash", hash}});
    j["scenario"]["inputs"] = inputs;
  }
  j["seed"] = meta.seed;
  j["replications"] = meta.replications;
  j["confidence_level"] = 0.95;
  return j;
}

// The KPIs of one scope (network, stocks, nodes, lanes, segments) by item,
// items in order of first appearance, each item's KPIs too (as
// ordered_json's operator[] places them), gathered through a hash map keyed
// by views of the result's own names (KpiName: text that lives as long as the
// process, so neither the map nor the items copy a name). The KPIs of all
// items are in one list, item after item (a vector per item cost a few
// allocations per item: there are a hundred thousand in a large network).
struct KpiScope {
  std::string name;
  struct Item {
    std::string_view name;
    std::size_t first = 0, count = 0;  // its KPIs in `kpis`
  };
  std::vector<Item> items;
  std::vector<const KpiSummary*> kpis;
  std::span<const KpiSummary* const> of(const Item& item) const { return {kpis.data() + item.first, item.count}; }
};

// The same view (not merely the same text): the KPIs of one item follow one
// another and share their names' storage, so this spares a hash.
bool same_view(std::string_view a, std::string_view b) { return a.data() == b.data() && a.size() == b.size(); }

std::vector<KpiScope> kpi_scopes(const ExperimentResult& r) {
  std::vector<KpiScope> scopes(4);
  scopes[0].name = "network";
  scopes[1].name = "stocks";
  scopes[2].name = "nodes";
  scopes[3].name = "lanes";
  if (!r.info.segments.empty()) scopes.emplace_back().name = "segments";
  const bool firms = std::any_of(r.summary.begin(), r.summary.end(), [](const KpiSummary& k) { return k.scope == "firm"; });
  if (firms) scopes.emplace_back().name = "firms";
  // Pass 1: each KPI's scope and item, and the items' sizes; pass 2: the
  // KPIs in item order (each item's count counted again as they are placed).
  struct Gather {
    std::unordered_map<std::string_view, std::size_t> index;
    std::string_view last;  // the item of the scope's KPI before, and where it is
    std::size_t last_at = 0;
  };
  std::vector<Gather> gather(scopes.size());
  std::vector<std::pair<std::uint32_t, std::uint32_t>> where(r.summary.size());
  std::string_view scope_text;
  std::size_t scope = 0;
  for (std::size_t i = 0; i < r.summary.size(); ++i) {
    const KpiSummary& k = r.summary[i];
    if (!same_view(k.scope, scope_text)) {
      scope_text = k.scope;
      scope = k.scope == "network" ? 0 : k.scope == "stock" ? 1 : k.scope == "node" ? 2
              : k.scope == "segment" ? 4 : k.scope == "firm" ? scopes.size() - 1 : 3;
    }
    KpiScope& s = scopes[scope];
    Gather& g = gather[scope];
    const std::string_view name = k.name;
    if (s.items.empty() || !same_view(name, g.last)) {
      const auto [at, added] = g.index.try_emplace(name, s.items.size());
      if (added) s.items.push_back({name, 0, 0});
      g.last = name;
      g.last_at = at->second;
    }
    ++s.items[g.last_at].count;
    where[i] = {static_cast<std::uint32_t>(scope), static_cast<std::uint32_t>(g.last_at)};
  }
  for (KpiScope& s : scopes) {
    std::size_t first = 0;
    for (KpiScope::Item& item : s.items) {
      item.first = first;
      first += item.count;
      item.count = 0;
    }
    s.kpis.resize(first);
  }
  for (std::size_t i = 0; i < r.summary.size(); ++i) {
    KpiScope::Item& item = scopes[where[i].first].items[where[i].second];
    scopes[where[i].first].kpis[item.first + item.count++] = &r.summary[i];
  }
  return scopes;
}

}  // namespace

// The KPIs are written as nlohmann's dump(2) would write them, but streamed,
// item by item: a document object of every KPI of 100,000 stocks took 20 KB a
// stock, and the file itself is half a gigabyte.
void write_summary_json(const ExperimentResult& r, const RunMetadata& meta,
                        const std::function<void(std::string&)>& write) {
  const std::vector<KpiScope> scopes = kpi_scopes(r);
  const KpiLayout network(6), item(8);
  // Pieces of 256 KiB: their buffers go round between this thread and the
  // writer's (run_files.cpp), so a summary of megabytes touches two or three
  // of them, not the whole (SupplyNetPy's N = 200, 1.6 MB: 555 page faults
  // fewer than with pieces of a MiB).
  constexpr std::size_t kPiece = std::size_t{256} << 10;
  // Room for a piece and the item that ends it, at once: a string that grows
  // by doubling touches every size on the way (pages to fault in), and its
  // room past what is written is never touched.
  constexpr std::size_t kRoom = kPiece + (std::size_t{64} << 10);
  std::string out;
  out.reserve(kRoom);
  out += summary_head(r, meta).dump(2, ' ', false, J::error_handler_t::replace);
  out.resize(out.size() - 2);  // "\n}", the end of the object
  out += ",\n  \"kpis\": {";
  auto flush = [&](bool any) {  // a piece at a time
    if (!any && out.size() < kPiece) return;
    write(out);
    out.clear();
    if (!any) out.reserve(kRoom);  // `write` may have left a smaller buffer
  };
  for (std::size_t i = 0; i < scopes.size(); ++i) {
    out += i == 0 ? "\n    " : ",\n    ";
    out += J(scopes[i].name).dump(-1, ' ', false, J::error_handler_t::replace) + ": ";
    if (i == 0) {
      const KpiScope& s = scopes[0];
      append_kpis(out, s.items.empty() ? std::span<const KpiSummary* const>() : s.of(s.items[0]), network, 6);
      continue;
    }
    if (scopes[i].items.empty()) {
      out += "{}";
      continue;
    }
    out += "{";
    for (std::size_t n = 0; n < scopes[i].items.size(); ++n) {
      out += n == 0 ? "\n      " : ",\n      ";
      append_quoted(out, scopes[i].items[n].name);
      out += ": ";
      append_kpis(out, scopes[i].of(scopes[i].items[n]), item, 8);
      flush(false);
    }
    out += "\n    }";
  }
  out += "\n  },\n  \"scenario_as_run\": " + J(meta.scenario_yaml).dump(-1, ' ', false, J::error_handler_t::replace) + "\n}\n";
  flush(true);
}

std::string timeseries_header() {
  std::string h = "replication,period,time,node,product";
  for (const SeriesColumn& c : series_columns()) h += "," + c.name;
  return h + "\n";
}

TimeseriesRows::TimeseriesRows(const NetworkInfo& info, int replication, sim::AtomicFile* direct,
                               const std::string& spill_dir)
    : info_(info), replication_(replication), direct_(direct) {
  if (direct_ == nullptr) spill_.emplace(fmt::format("the time series of replication {}", replication), spill_dir);
  for (const auto& si : info.stocks) names_.push_back(csv_text(si.node) + "," + csv_text(si.product));
}

void TimeseriesRows::on_period(const PeriodRecords& r) {
  const std::int64_t k = period_++;
  for (std::size_t s = 0; s < r.stocks.size(); ++s) {
    buf_ += fmt::format("{},{},{},{}", replication_, k, static_cast<double>(k) * info_.period, names_[s]);
    series_row(r.stocks[s], r.nodes[info_.stocks[s].node_id], row_);
    append_csv_numbers(buf_, row_);
    buf_ += '\n';
  }
  if (buf_.size() >= (std::size_t{1} << 20)) flush();
}

void TimeseriesRows::flush() {
  if (direct_ != nullptr) {
    direct_->write(buf_);
  } else {
    spill_->write(buf_);
  }
  buf_.clear();
}

void TimeseriesRows::append_to(sim::AtomicFile& file) {
  flush();
  if (spill_) spill_->copy_to(file);
}

std::string timeseries_mean_rows(const ExperimentResult& r) {
  std::string out;
  const SeriesAccumulator& acc = *r.series;
  const std::size_t C = series_columns().size();
  for (std::size_t c = 0; c < C; ++c) {
    if (!acc.has(c)) throw std::logic_error("timeseries_mean_rows: the series keep only some columns");
  }
  for (std::size_t k = 0; k < acc.periods(); ++k) {
    for (std::size_t s = 0; s < acc.stocks(); ++s) {
      const auto& si = r.info.stocks[s];
      out += fmt::format("mean,{},{},{},{}", k, static_cast<double>(k) * r.info.period, csv_text(si.node),
                         csv_text(si.product));
      for (std::size_t c = 0; c < C; ++c) out += "," + csv_number(acc.at(k, s, c).mean());
      out += "\n";
    }
  }
  return out;
}

std::string segments_header() {
  return "replication,period,time,segment,active,churned_pool,initial_cohort,acquired,won_back,churned_service,"
         "churned_intrinsic,orders,units,met_at_once,met_late,on_time,wait_units,lost_stockout,lost_outage,"
         "lost_patience,revenue,cogs,cost_to_serve,acquisition_cost,satisfaction,goodwill,members\n";
}

std::string segments_rows(const ExperimentResult& r, const ReplicationOutput& rep) {
  std::string out;
  for (const SegmentPeriod& g : rep.segments) {
    out += fmt::format("{},{},{},{}", rep.replication, g.period, static_cast<double>(g.period) * r.info.period,
                       csv_text(r.info.segments[g.segment]));
    for (double x : {g.active, g.churned_pool, g.cohort, g.acquired, g.won_back, g.churned_service,
                     g.churned_intrinsic, g.orders, g.units, g.met_at_once, g.met_late, g.on_time, g.wait_units,
                     g.lost_stockout, g.lost_outage, g.lost_patience, g.revenue, g.cogs, g.cost_to_serve,
                     g.acquisition_cost, g.satisfaction, g.goodwill, g.members}) {
      out += "," + csv_number(x);
    }
    out += "\n";
  }
  return out;
}

std::string customers_header() { return "customer,segment,time,units,value\n"; }

std::string customers_rows(const ExperimentResult& r, const ReplicationOutput& rep) {
  std::string out;
  out.reserve(rep.transactions.size() * 32);
  for (const CustomerTransaction& t : rep.transactions) {
    const std::string& segment = r.info.segments[t.segment];
    // The customer's id: its segment's and its number there, from 1.
    out += csv_text(fmt::format("{}-{}", segment, std::uint64_t{t.customer} + 1));
    out += ",";
    out += csv_text(segment);
    for (double x : {t.time, t.units, t.value}) out += "," + csv_number(x);
    out += "\n";
  }
  return out;
}

namespace {

// "  (... over the 220 days measured; 80.4 turns a year)" (the year only for
// a time unit that has one).
std::string velocity_line(const ExperimentResult& r, const KpiSummary* turns) {
  if (turns == nullptr || !std::isfinite(turns->interval.mean)) return "";
  const double T = static_cast<double>(r.info.horizon - r.info.warmup) * r.info.period;
  const double annual = per_year(turns->interval.mean, T, r.info.time_unit);
  std::string s = fmt::format("  (days_of_supply, flow_time and cash_to_cash in {}s; inventory_turns over the {} "
                              "{}s measured",
                              r.info.time_unit, fmt::format("{:g}", T), r.info.time_unit);
  if (std::isfinite(annual)) s += fmt::format(", {:.3g} a year", annual);
  return s + ")\n";
}

}  // namespace

std::string summary_table(const ExperimentResult& r) {
  // Decimals by magnitude, so that money in the millions and rates in [0, 1]
  // both read well in a fixed-width column.
  auto cell = [&](const KpiSummary* k, int) -> std::string {
    if (k == nullptr || std::isnan(k->interval.mean)) return "-";
    const double m = std::abs(k->interval.mean);
    const int precision = m >= 1000 ? 0 : m >= 100 ? 1 : m >= 1 ? 2 : 3;
    std::string s = fmt::format("{:.{}f}", k->interval.mean, precision);
    if (k->interval.n > 1 && std::isfinite(k->interval.half_width)) {
      s += fmt::format(" ±{:.{}f}", k->interval.half_width, precision);
    }
    return s;
  };
  auto find = [&](const std::string& scope, const std::string& name, const std::string& kpi) -> const KpiSummary* {
    for (const KpiSummary& k : r.summary) {
      if (k.scope == scope && k.name == name && k.kpi == kpi) return &k;
    }
    return nullptr;
  };
  std::string out = fmt::format("{}: {} periods of {} {}, {} replication{}\n\n", r.info.name, r.info.horizon,
                                r.info.period, r.info.time_unit, r.kpis.size(), r.kpis.size() == 1 ? "" : "s");
  out += "network\n";
  for (const char* kpi : {"fill_rate", "backorders_mean", "lost_sales", "on_hand_mean", "bullwhip_amplification",
                          "revenue", "total_cost", "profit", "cash_end", "inventory_turns", "days_of_supply",
                          "flow_time", "cash_to_cash"}) {
    out += fmt::format("  {:<24}{}\n", kpi, cell(find("network", "", kpi), 3));
  }
  out += velocity_line(r, find("network", "", "inventory_turns"));
  const char* stock_kpis[] = {"fill_rate",   "on_hand_mean",   "backorders_mean",
                              "orders_mean", "bullwhip_ratio", "bullwhip_cumulative"};
  out += fmt::format("\n{:<28}", "stock");
  for (const char* k : stock_kpis) out += fmt::format("{:>20}", k);
  out += "\n";
  for (const auto& s : r.info.stocks) {
    if (s.infinite) continue;
    out += fmt::format("{:<28}", s.name);
    for (const char* k : stock_kpis) out += fmt::format("{:>20}", cell(find("stock", s.name, k), 2));
    out += "\n";
  }
  out += "bullwhip_ratio: variance of the orders a stock placed over that of the orders it received (its stage "
         "alone);\nbullwhip_cumulative: over that of the end-customer demand it serves (the chain up to it)\n";
  const char* node_kpis[] = {"revenue", "total_cost", "profit", "cash_end", "cash_to_cash"};
  out += fmt::format("\n{:<28}", "node");
  for (const char* k : node_kpis) out += fmt::format("{:>20}", k);
  out += "\n";
  for (const auto& n : r.info.nodes) {
    out += fmt::format("{:<28}", n.name);
    for (const char* k : node_kpis) out += fmt::format("{:>20}", cell(find("node", n.name, k), 2));
    out += "\n";
  }
  if (r.info.segments.empty()) return out;
  const char* segment_kpis[] = {"active_end", "churn_rate", "fill_rate", "profit", "lifetime_value"};
  out += fmt::format("\n{:<28}", "segment");
  for (const char* k : segment_kpis) out += fmt::format("{:>20}", k);
  out += "\n";
  for (const auto& g : r.info.segments) {
    out += fmt::format("{:<28}", g);
    for (const char* k : segment_kpis) out += fmt::format("{:>20}", cell(find("segment", g, k), 2));
    out += "\n";
  }
  return out;
}

EventLogCsv::EventLogCsv(sim::AtomicFile& file) : file_(file) {
  buf_ = "time,period,phase,event,from,to,product,quantity,order,invoice,amount,what_if\n";
}

EventLogCsv::~EventLogCsv() = default;

void EventLogCsv::on_start(const RunShape& r) {
  shape_ = &r;
  nodes_.clear();
  products_.clear();
  for (const NodeShape& n : r.nodes) nodes_.push_back(detail::csv_text(n.name));
  for (const ProductShape& p : r.products) products_.push_back(detail::csv_text(p.name));
}

void EventLogCsv::on_event(const LoggedEvent& e) {
  using detail::csv_number;
  auto node = [&](NodeId n) { return n < nodes_.size() ? std::string_view(nodes_[n]) : std::string_view(); };
  const std::int64_t period =
      shape_ != nullptr && shape_->period > 0
          ? static_cast<std::int64_t>(std::floor((e.time - shape_->start) / shape_->period + 1e-9))
          : 0;
  buf_ += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_number(e.time), period,
                 e.phase, log_event_name(e.event), node(e.from), node(e.to),
                 e.product < products_.size() ? std::string_view(products_[e.product]) : std::string_view(),
                 e.qty != 0.0 || e.product != kNone ? csv_number(e.qty) : std::string(),
                 e.order != 0 ? std::to_string(e.order) : std::string(),
                 e.invoice != 0 ? std::to_string(e.invoice) : std::string(),
                 e.amount != 0.0 ? csv_number(e.amount) : std::string(),
                 e.what_if != nullptr ? detail::csv_text(*e.what_if) : std::string());
  ++rows_;
  if (buf_.size() >= (std::size_t{1} << 20)) flush();
}

void EventLogCsv::flush() {
  file_.write(buf_);
  buf_.clear();
}

}  // namespace chainsim::models

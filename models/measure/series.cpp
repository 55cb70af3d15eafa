#include "models/measure/series.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace chainsim::models {

const std::vector<SeriesColumn>& series_columns() {
  static const std::vector<SeriesColumn> cols = {
      {"demand", "units", "Units requested from the stock in the period (customers and downstream orders).", false},
      {"customer_demand", "units", "The end-customer part of demand.", false},
      {"met_immediately", "units", "Units of the period's demand shipped at the instant they were requested.", false},
      {"shipped", "units", "Units shipped or sold in the period.", false},
      {"lost", "units", "End-customer demand lost in the period.", false},
      {"ordered", "units", "Units ordered (or production requested) in the period.", false},
      {"order_lines", "count", "Order messages placed in the period.", false},
      {"received", "units", "Units put away (shipments and finished production).", false},
      {"produced", "units", "Units finished by production.", false},
      {"consumed", "units", "Units used as components.", false},
      {"returned", "units", "Customer returns received.", false},
      {"on_hand", "units", "Stock on hand at the end of the period.", false},
      {"backlog", "units", "Units owed at the end of the period.", false},
      {"on_order", "units", "Units ordered and not yet received, at the end of the period.", false},
      {"position", "units", "on_hand + on_order - backlog - production need (a component's, docs/nodes.md) at the end of the period.", false},
      {"on_hand_avg", "units", "Time-average on hand over the period.", false},
      {"backlog_avg", "units", "Time-average backlog over the period.", false},
      {"stock_value", "money", "On hand at unit value, end of the period.", false},
      {"stockout", "0/1", "1 when some demand of the period was not met at once.", false},
      {"cash", "money", "The node's cash at the end of the period.", true},
      {"receivables", "money", "The node's receivables at the end of the period.", true},
      {"payables", "money", "The node's payables at the end of the period.", true},
      {"revenue", "money", "The node's revenue in the period.", true},
      {"cost", "money", "The node's costs of every kind in the period.", true},
  };
  return cols;
}

void series_row(const StockPeriod& s, const NodePeriod& n, std::vector<double>& out) {
  double cost = 0.0;
  for (double c : n.costs) cost += c;
  out.assign({s.demand, s.customer_demand, s.met_immediately, s.shipped, s.lost, s.ordered,
              static_cast<double>(s.order_lines), s.received, s.produced, s.consumed, s.returned, s.on_hand,
              s.backlog, s.on_order, s.position, s.on_hand_avg, s.backlog_avg, s.stock_value,
              s.stockout ? 1.0 : 0.0, n.cash, n.receivables, n.payables, n.revenue, cost});
}

NetworkInfo describe_network(const Network& net, const std::string& time_unit) {
  NetworkInfo info;
  info.name = net.name();
  info.time_unit = time_unit;
  info.period = net.period_length();
  info.horizon = net.horizon();
  info.warmup = net.warmup();
  for (const auto& p : net.products()) info.products.push_back(p.name);
  for (const Node& n : net.nodes()) info.nodes.push_back({n.name, std::string(name_of(n.kind))});
  for (const StockPoint& sp : net.stocks()) {
    info.stocks.push_back({sp.name, net.nodes()[sp.node].name, net.products()[sp.product].name, sp.node, sp.infinite,
                           sp.has_end_demand()});
  }
  for (const Segment& g : net.segments()) info.segments.push_back(g.name);
  for (const Lane& l : net.lanes()) {
    double mean = 0.0;
    for (const auto& d : l.transport) mean = std::max(mean, d.mean());
    info.lanes.push_back({l.name, net.nodes()[l.from].name, net.nodes()[l.to].name, mean, l.order_delay});
  }
  return info;
}

double CellStats::stddev() const noexcept { return std::sqrt(variance()); }

SeriesAccumulator::SeriesAccumulator(std::size_t periods, std::size_t stocks, const std::vector<std::string>& columns)
    : periods_(periods),
      stocks_(stocks),
      slot_(series_columns().size(), kNotKept),
      columns_(series_column_indices(columns)),
      kept_(columns_.size()),
      cells_(periods * stocks * kept_) {
  for (std::size_t j = 0; j < kept_; ++j) slot_[columns_[j]] = j;
}

void SeriesAccumulator::add(const SeriesValues& v) {
  if (v.periods != periods_ || v.stocks != stocks_) {
    throw std::invalid_argument("SeriesAccumulator::add: a replication of another shape");
  }
  std::vector<std::size_t> from(kept_);
  for (std::size_t j = 0; j < kept_; ++j) {
    from[j] = v.slot(columns_[j]);
    if (from[j] == std::string::npos) throw std::invalid_argument("SeriesAccumulator::add: a column is missing");
  }
  const double n = static_cast<double>(replications_ + 1);
  const std::size_t width = v.columns.size();
  for (std::size_t cell_row = 0; cell_row < periods_ * stocks_; ++cell_row) {
    const double* row = &v.values[cell_row * width];
    Cell* cell = &cells_[cell_row * kept_];
    for (std::size_t j = 0; j < kept_; ++j) {
      const double x = row[from[j]];
      const double delta = x - cell[j].mean;
      cell[j].mean += delta / n;
      cell[j].m2 += delta * (x - cell[j].mean);
    }
  }
  ++replications_;
}

std::size_t SeriesValues::slot(std::size_t column) const {
  for (std::size_t j = 0; j < columns.size(); ++j) {
    if (columns[j] == column) return j;
  }
  return std::string::npos;
}

std::vector<std::size_t> series_column_indices(const std::vector<std::string>& names) {
  const auto& all = series_columns();
  std::vector<std::size_t> out;
  for (std::size_t c = 0; c < all.size(); ++c) {
    if (names.empty() || std::find(names.begin(), names.end(), all[c].name) != names.end()) out.push_back(c);
  }
  if (!names.empty() && out.size() != names.size()) {
    throw std::invalid_argument("series_column_indices: an unknown or repeated column name");
  }
  return out;
}

SeriesValuesRecorder::SeriesValuesRecorder(std::vector<std::size_t> columns, std::vector<NodeId> node_of_stock)
    : node_of_stock_(std::move(node_of_stock)) {
  values_.columns = std::move(columns);
  values_.stocks = node_of_stock_.size();
}

void SeriesValuesRecorder::on_start(const RunShape& r) {
  values_.values.reserve(static_cast<std::size_t>(std::max<std::int64_t>(r.periods, 0)) * values_.stocks *
                         values_.columns.size());
}

void SeriesValuesRecorder::on_period(const PeriodRecords& r) {
  for (std::size_t s = 0; s < r.stocks.size(); ++s) {
    series_row(r.stocks[s], r.nodes[node_of_stock_[s]], row_);
    for (std::size_t c : values_.columns) values_.values.push_back(row_[c]);
  }
  ++values_.periods;
}


SegmentAccumulator::SegmentAccumulator(std::size_t periods, std::size_t segments)
    : periods_(periods), segments_(segments), cells_(periods * segments * kFields) {}

void SegmentAccumulator::add(const std::vector<SegmentPeriod>& records) {
  if (records.size() != periods_ * segments_) {
    throw std::invalid_argument("SegmentAccumulator::add: a replication of another shape");
  }
  const double n = static_cast<double>(replications_ + 1);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const SegmentPeriod& g = records[i];
    const double values[kFields] = {g.active,   g.churned_service, g.churned_intrinsic,
                                    g.acquired, g.won_back,        g.satisfaction};
    for (std::size_t f = 0; f < kFields; ++f) {
      auto& [mean, m2] = cells_[i * kFields + f];
      const double delta = values[f] - mean;
      mean += delta / n;
      m2 += delta * (values[f] - mean);
    }
  }
  ++replications_;
}

}  // namespace chainsim::models

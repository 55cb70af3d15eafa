#include "models/report/group_series.h"

#include <map>
#include <stdexcept>

#include "models/report/network_graph.h"

namespace chainsim::models::report {

namespace {

std::vector<std::size_t> column_positions(const std::vector<std::string>& names) {
  std::vector<std::size_t> out;
  const auto& cols = series_columns();
  for (const std::string& n : names) {
    std::size_t i = 0;
    while (i < cols.size() && cols[i].name != n) ++i;
    if (i == cols.size()) throw std::invalid_argument("GroupSeries: no series column named " + n);
    out.push_back(i);
  }
  return out;
}

}  // namespace

GroupSeries::GroupSeries(const NetworkInfo& info, std::vector<std::string> stock_columns,
                         std::vector<std::string> node_columns)
    : periods_(static_cast<std::size_t>(std::max(info.horizon, 0))),
      stocks_(info.stocks.size()),
      nodes_(info.nodes.size()) {
  const std::vector<int> depths = node_depths(info);
  std::map<std::string, std::size_t> node_index;
  for (std::size_t i = 0; i < nodes_; ++i) node_index[info.nodes[i].name] = i;
  first_stock_.assign(nodes_, stocks_);
  node_of_stock_.resize(stocks_);
  for (std::size_t s = stocks_; s-- > 0;) {
    node_of_stock_[s] = node_index.at(info.stocks[s].node);
    first_stock_[node_of_stock_[s]] = s;
  }
  stock_.groups = stock_groups(info, depths);
  stock_.columns = std::move(stock_columns);
  stock_.index = column_positions(stock_.columns);
  stock_.stats.resize(stock_.groups.size() * stock_.columns.size() * periods_);
  node_.groups = node_groups(info, depths);
  node_.columns = std::move(node_columns);
  node_.index = column_positions(node_.columns);
  node_.stats.resize(node_.groups.size() * node_.columns.size() * periods_);
}

void GroupSeries::add(const ReplicationOutput& rep) {
  const SeriesValues& v = rep.series;
  if (v.periods != periods_ || v.stocks != stocks_) {
    throw std::invalid_argument("GroupSeries::add: the replication kept no series of this network");
  }
  // The values of the tracked columns, by their position in series_columns().
  std::vector<double> row(series_columns().size(), 0.0);
  std::vector<std::pair<std::size_t, std::size_t>> wanted;  // (column, slot in v)
  for (const Tracked* t : {&stock_, &node_}) {
    for (std::size_t c : t->index) {
      const std::size_t j = v.slot(c);
      if (j == std::string::npos) throw std::invalid_argument("GroupSeries::add: a tracked column was not kept");
      wanted.emplace_back(c, j);
    }
  }
  auto row_of = [&](std::size_t k, std::size_t s) {
    for (const auto& [c, j] : wanted) row[c] = v.at(k, s, j);
  };
  std::vector<double> sum;
  for (std::size_t k = 0; k < periods_; ++k) {
    for (std::size_t g = 0; g < stock_.groups.size(); ++g) {
      sum.assign(stock_.columns.size(), 0.0);
      for (std::size_t s : stock_.groups[g].members) {
        row_of(k, s);
        for (std::size_t c = 0; c < sum.size(); ++c) sum[c] += row[stock_.index[c]];
      }
      for (std::size_t c = 0; c < sum.size(); ++c) {
        stock_.stats[(g * stock_.columns.size() + c) * periods_ + k].add(sum[c]);
      }
    }
    for (std::size_t g = 0; g < node_.groups.size(); ++g) {
      sum.assign(node_.columns.size(), 0.0);
      for (std::size_t n : node_.groups[g].members) {
        if (first_stock_[n] >= stocks_) continue;  // a node without stock has no rows
        row_of(k, first_stock_[n]);
        for (std::size_t c = 0; c < sum.size(); ++c) sum[c] += row[node_.index[c]];
      }
      for (std::size_t c = 0; c < sum.size(); ++c) {
        node_.stats[(g * node_.columns.size() + c) * periods_ + k].add(sum[c]);
      }
    }
  }
  ++replications_;
}

Trace GroupSeries::trace(const Tracked& t, std::size_t g, const std::string& column) const {
  Trace out;
  std::size_t c = 0;
  while (c < t.columns.size() && t.columns[c] != column) ++c;
  if (c == t.columns.size() || g >= t.groups.size()) return out;
  for (std::size_t k = 0; k < periods_; ++k) {
    const sim::RunningStats& s = t.stats[(g * t.columns.size() + c) * periods_ + k];
    out.mean.push_back(s.mean());
    out.sd.push_back(s.stddev());
  }
  return out;
}

Trace GroupSeries::stock_group(std::size_t g, const std::string& column) const { return trace(stock_, g, column); }
Trace GroupSeries::node_group(std::size_t g, const std::string& column) const { return trace(node_, g, column); }

}  // namespace chainsim::models::report

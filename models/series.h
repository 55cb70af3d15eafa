// The per-period time series of a run: the column table that timeseries.csv,
// its documentation (docs/outputs.md) and the mean across replications are
// all built from, and the accumulator of per-(period, stock) statistics.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/network.h"
#include "models/observations.h"
#include "sim/statistics.h"

namespace chainsim::models {

struct SeriesColumn {
  std::string name;
  std::string unit;
  std::string doc;
  bool node_level;  // a node's value, repeated on each of its stock rows
};

// The numeric columns of timeseries.csv after replication, period, time, node
// and product, in order.
const std::vector<SeriesColumn>& series_columns();

// The values of one row, in series_columns() order.
void series_row(const StockPeriod& s, const NodePeriod& n, std::vector<double>& out);

// The names and shape of a network, for outputs.
struct NetworkInfo {
  std::string name;
  std::string time_unit;
  double period = 1.0;
  int horizon = 0;
  int warmup = 0;
  struct NodeInfo { std::string name; std::string kind; };
  struct StockInfo { std::string name, node, product; NodeId node_id; bool infinite; bool has_demand; };
  struct LaneInfo { std::string name, from, to; double transit_mean; double order_delay; };
  std::vector<NodeInfo> nodes;
  std::vector<StockInfo> stocks;
  std::vector<LaneInfo> lanes;
  std::vector<std::string> products;
};
NetworkInfo describe_network(const Network& net, const std::string& time_unit);

// Mean, sd and count of every column for every (period, stock) across
// replications; added to in replication order.
class SeriesAccumulator {
 public:
  SeriesAccumulator(std::size_t periods, std::size_t stocks);
  void add(const std::vector<StockPeriod>& stocks, const std::vector<NodePeriod>& nodes,
           const std::vector<StockId>& node_of_stock);
  const sim::RunningStats& at(std::size_t period, std::size_t stock, std::size_t column) const {
    return stats_[(period * stocks_ + stock) * columns_ + column];
  }
  std::size_t periods() const { return periods_; }
  std::size_t stocks() const { return stocks_; }
  std::uint64_t replications() const { return replications_; }

 private:
  std::size_t periods_, stocks_, columns_;
  std::vector<sim::RunningStats> stats_;
  std::uint64_t replications_ = 0;
};

}  // namespace chainsim::models

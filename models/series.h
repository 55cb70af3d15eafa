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

// The mean and spread of one cell (period, stock, column) across replications.
struct CellStats {
  double mean_ = 0.0;
  double m2_ = 0.0;  // sum of squared deviations from the mean (Welford)
  std::uint64_t n_ = 0;
  double mean() const noexcept { return mean_; }
  // Sample variance (n - 1 in the denominator); 0 with fewer than two.
  double variance() const noexcept { return n_ > 1 ? m2_ / static_cast<double>(n_ - 1) : 0.0; }
  double stddev() const noexcept;
  std::uint64_t count() const noexcept { return n_; }
};

// Mean, sd and count of every column for every (period, stock) across
// replications; added to in replication order (Welford's update, so the
// figures do not depend on the thread that ran a replication).
//
// Representation: one (mean, m2) pair of doubles per cell, period-major, the
// count shared by every cell; 16 bytes a cell, so 10,000 periods of 16
// stocks and 24 columns take 61 MB.
class SeriesAccumulator {
 public:
  SeriesAccumulator(std::size_t periods, std::size_t stocks);
  void add(const std::vector<StockPeriod>& stocks, const std::vector<NodePeriod>& nodes,
           const std::vector<StockId>& node_of_stock);
  // REQUIRES: period < periods(), stock < stocks(), column < series_columns().size().
  CellStats at(std::size_t period, std::size_t stock, std::size_t column) const {
    const Cell& c = cells_[(period * stocks_ + stock) * columns_ + column];
    return {c.mean, c.m2, replications_};
  }
  std::size_t periods() const { return periods_; }
  std::size_t stocks() const { return stocks_; }
  std::uint64_t replications() const { return replications_; }

 private:
  struct Cell {
    double mean = 0.0, m2 = 0.0;
  };
  std::size_t periods_, stocks_, columns_;
  std::vector<Cell> cells_;
  std::uint64_t replications_ = 0;
};

}  // namespace chainsim::models

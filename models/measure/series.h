// The per-period time series of a run: the column table that timeseries.csv,
// its documentation (docs/outputs.md) and the mean across replications are
// all built from, and the accumulator of per-(period, stock) statistics.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/chain/network.h"
#include "models/chain/observations.h"
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

// One replication's time series, only the columns asked for:
// values[(period * stocks + stock) * columns.size() + j] is column
// columns[j] (an index into series_columns()) of that period and stock
// (node-level columns repeated on each of the node's stocks). 8 bytes a
// value: a report's 5 columns of 200 stores over ten years of days take
// 29 MB where the full records took 250 MB.
struct SeriesValues {
  std::size_t periods = 0, stocks = 0;
  std::vector<std::size_t> columns;
  std::vector<double> values;
  // The place of column `column` in `columns`, or npos.
  std::size_t slot(std::size_t column) const;
  // REQUIRES: slot_j < columns.size().
  double at(std::size_t period, std::size_t stock, std::size_t slot_j) const {
    return values[(period * stocks + stock) * columns.size() + slot_j];
  }
};

// The indices in series_columns() of `names` (empty: every column), in
// series_columns() order. Throws std::invalid_argument for an unknown name.
std::vector<std::size_t> series_column_indices(const std::vector<std::string>& names);

// Records a run's SeriesValues as its periods close.
class SeriesValuesRecorder final : public ObservationSink {
 public:
  // `node_of_stock[s]`: the node of stock s. REQUIRES: columns are indices
  // into series_columns().
  SeriesValuesRecorder(std::vector<std::size_t> columns, std::vector<NodeId> node_of_stock);
  void on_start(const RunShape& r) override;
  void on_period(const PeriodRecords& r) override;
  SeriesValues take() { return std::move(values_); }

 private:
  std::vector<NodeId> node_of_stock_;
  SeriesValues values_;
  std::vector<double> row_;
};

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
  std::vector<std::string> segments;  // customer segments
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
// stocks and all 24 columns take 61 MB. It may keep a subset of the columns
// (a report draws 5 of them: 13 MB for the same run).
class SeriesAccumulator {
 public:
  // `columns`: the names of the series_columns() to keep (empty: all).
  // REQUIRES: each is a column name.
  SeriesAccumulator(std::size_t periods, std::size_t stocks, const std::vector<std::string>& columns = {});
  // Adds one replication. REQUIRES: v has this shape and holds (at least)
  // the columns kept here.
  void add(const SeriesValues& v);
  // The kept columns (indices into series_columns()).
  const std::vector<std::size_t>& columns() const noexcept { return columns_; }
  // Whether column `column` (an index into series_columns()) is kept.
  bool has(std::size_t column) const noexcept { return column < slot_.size() && slot_[column] != kNotKept; }
  // REQUIRES: period < periods(), stock < stocks(), has(column).
  CellStats at(std::size_t period, std::size_t stock, std::size_t column) const {
    const Cell& c = cells_[(period * stocks_ + stock) * kept_ + slot_[column]];
    return {c.mean, c.m2, replications_};
  }
  std::size_t periods() const { return periods_; }
  std::size_t stocks() const { return stocks_; }
  std::uint64_t replications() const { return replications_; }

 private:
  struct Cell {
    double mean = 0.0, m2 = 0.0;
  };
  static constexpr std::size_t kNotKept = static_cast<std::size_t>(-1);
  std::size_t periods_, stocks_;
  std::vector<std::size_t> slot_;     // per column of series_columns(): its place in a cell row, or kNotKept
  std::vector<std::size_t> columns_;  // the kept columns, in order
  std::size_t kept_ = 0;
  std::vector<Cell> cells_;
  std::uint64_t replications_ = 0;
};

// Mean and spread across replications of the customer segments' records
// that the report draws, per (period, segment, field); Welford's update in
// replication order, like SeriesAccumulator.
class SegmentAccumulator {
 public:
  enum Field : std::size_t { kActive, kChurnedService, kChurnedIntrinsic, kAcquired, kWonBack, kSatisfaction, kFields };
  SegmentAccumulator(std::size_t periods, std::size_t segments);
  // Adds one replication's records (period-major, every segment each period).
  // REQUIRES: periods x segments of them, in that order.
  void add(const std::vector<SegmentPeriod>& records);
  // REQUIRES: period < periods(), segment < segments().
  CellStats at(std::size_t period, std::size_t segment, Field field) const {
    const auto& c = cells_[(period * segments_ + segment) * kFields + field];
    return {c.first, c.second, replications_};
  }
  std::size_t periods() const { return periods_; }
  std::size_t segments() const { return segments_; }
  std::uint64_t replications() const { return replications_; }

 private:
  std::size_t periods_, segments_;
  std::vector<std::pair<double, double>> cells_;  // (mean, m2)
  std::uint64_t replications_ = 0;
};

}  // namespace chainsim::models

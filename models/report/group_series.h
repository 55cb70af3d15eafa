// Echelon totals over time, across replications. The SeriesAccumulator keeps
// statistics per stock; the standard deviation of a sum of stocks needs their
// covariances, so the totals of each group (the stocks of one echelon and
// product, the nodes of one echelon) are summed inside every replication and
// only then accumulated: per (group, column, period) one RunningStats of the
// group's total. A group's mean line is its total over its size, with the
// same relative band.
//
// Columns are read by name from series_row() (models/measure/series.h), so the
// accumulator follows that table.
#pragma once

#include <string>
#include <vector>

#include "models/experiment/experiment.h"
#include "models/report/run_charts.h"

namespace chainsim::models::report {

class GroupSeries {
 public:
  // The stock groups are stock_groups(info, node_depths(info)), the node
  // groups node_groups(...); `stock_columns` are summed over a stock group,
  // `node_columns` (node-level columns such as cash) over a node group.
  // REQUIRES: every name is a column of series_columns().
  explicit GroupSeries(const NetworkInfo& info, std::vector<std::string> stock_columns = {"demand", "ordered",
                                                                                         "on_hand", "backlog"},
                       std::vector<std::string> node_columns = {"cash"});

  // Adds one replication. REQUIRES: rep kept its series (rep.stocks and
  // rep.nodes hold info.horizon periods).
  void add(const ReplicationOutput& rep);

  // The mean and sd across replications of group g's total of `column` per
  // period; empty when the column is not tracked or g is out of range.
  Trace stock_group(std::size_t g, const std::string& column) const;
  Trace node_group(std::size_t g, const std::string& column) const;
  std::uint64_t replications() const { return replications_; }

 private:
  struct Tracked {
    std::vector<Group> groups;
    std::vector<std::string> columns;
    std::vector<std::size_t> index;       // column positions in series_columns()
    std::vector<sim::RunningStats> stats;  // (group, column, period)
  };
  Trace trace(const Tracked& t, std::size_t g, const std::string& column) const;

  std::size_t periods_ = 0, stocks_ = 0, nodes_ = 0;
  std::vector<std::size_t> first_stock_;  // of each node (its node-level row)
  std::vector<std::size_t> node_of_stock_;
  Tracked stock_, node_;
  std::uint64_t replications_ = 0;
};

}  // namespace chainsim::models::report

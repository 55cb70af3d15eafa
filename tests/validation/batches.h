// Batch means over one long run: a sink that measures the KPIs of the whole
// span after the warm-up with one KpiCollector, and of each of B equal
// consecutive batches with one KpiCollector per batch, by routing each
// observation to the collector of the batch it falls in. Batch values of the
// real KPI code (not a re-implementation) give the confidence interval.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "models/measure/kpi.h"
#include "models/chain/network.h"
#include "models/chain/spec.h"

namespace chainsim::validation {

class BatchedKpis final : public models::ObservationSink {
 public:
  // REQUIRES: (horizon - warmup) is a multiple of `batches` >= 2; `net`
  // outlives the sink; add it before Network::run().
  BatchedKpis(const models::Network& net, int batches);

  void on_start(const models::RunShape& r) override;
  void on_end(const models::RunEnd& e) override;
  void on_stock_period(const models::StockPeriod& s) override;
  void on_node_period(const models::NodePeriod& n) override;
  void on_lane_period(const models::LanePeriod& l) override;
  void on_segment_period(const models::SegmentPeriod& g) override;
  void on_delivery(const models::Delivery& d) override;

  int batches() const { return static_cast<int>(batch_.size()); }
  std::int64_t batch_periods() const { return length_; }
  // After the run: the KPIs of the whole measured span, and of each batch.
  models::KpiSet overall() const { return overall_.finish(); }
  std::vector<models::KpiSet> per_batch() const;

 private:
  // The batch of period k, or -1 before the first.
  int batch_of(std::int64_t k) const { return k < warmup_ ? -1 : static_cast<int>((k - warmup_) / length_); }

  const models::Network& net_;
  std::int64_t warmup_, length_;
  models::KpiCollector overall_;
  std::vector<std::unique_ptr<models::KpiCollector>> batch_;
};

// The KPIs of one long run: over the whole measured span and per batch.
struct BatchedRun {
  models::KpiSet overall;
  std::vector<models::KpiSet> batches;
  double periods = 0;        // measured periods in all
  double batch_periods = 0;  // periods per batch
  std::uint64_t clipped_orders = 0;  // reviews after the warm-up that ordered nothing
};

// Builds replication 0 of `spec` with `seed`, runs it and measures it.
BatchedRun run_batched(const models::ScenarioSpec& spec, std::uint64_t seed, int batches);

// A quantity computed from a KpiSet measured over `periods` periods.
using Statistic = std::function<double(const models::KpiSet& kpis, double periods)>;

// The quantity over the whole run, and the half-width of its batch-means
// interval at `level`: t_{B-1} * sd(per-batch values) / sqrt(B).
struct Estimate {
  double value = 0;
  double half_width = 0;
};
Estimate estimate(const BatchedRun& run, const Statistic& f, double level);
// The same for f(a) - f(b) over two runs with aligned batches (common random
// numbers: the paired differences carry the interval).
Estimate estimate_difference(const BatchedRun& a, const BatchedRun& b, const Statistic& f, double level);

// A KPI read as it is: kpi(scope, name, kpi).
Statistic kpi(const std::string& scope, const std::string& name, const std::string& kpi);

}  // namespace chainsim::validation

#include "tests/validation/batches.h"

#include <cmath>
#include <stdexcept>

#include "models/chain/builder.h"
#include "sim/statistics.h"

namespace chainsim::validation {

using namespace chainsim::models;

BatchedKpis::BatchedKpis(const Network& net, int batches)
    : net_(net), warmup_(net.warmup()), length_(0), overall_(net.warmup()) {
  const std::int64_t span = net.horizon() - net.warmup();
  if (batches < 2 || span % batches != 0) {
    throw std::invalid_argument("batch means need (horizon - warmup) to be a multiple of the batches, >= 2");
  }
  length_ = span / batches;
  for (int b = 0; b < batches; ++b) {
    batch_.push_back(std::make_unique<KpiCollector>(warmup_ + b * length_));
  }
}

void BatchedKpis::on_start(const RunShape& r) {
  overall_.on_start(r);
  for (auto& b : batch_) b->on_start(r);
}

void BatchedKpis::on_end(const RunEnd& e) {
  overall_.on_end(e);
  for (auto& b : batch_) b->on_end(e);
}

void BatchedKpis::on_stock_period(const StockPeriod& s) {
  overall_.on_stock_period(s);
  if (const int b = batch_of(s.period); b >= 0) batch_[static_cast<std::size_t>(b)]->on_stock_period(s);
}

void BatchedKpis::on_node_period(const NodePeriod& n) {
  overall_.on_node_period(n);
  // A batch also sees the period before it: its cash at the start.
  const int b = batch_of(n.period), next = batch_of(n.period + 1);
  if (b >= 0) batch_[static_cast<std::size_t>(b)]->on_node_period(n);
  if (next != b && next >= 0 && next < batches()) batch_[static_cast<std::size_t>(next)]->on_node_period(n);
}

void BatchedKpis::on_lane_period(const LanePeriod& l) {
  overall_.on_lane_period(l);
  if (const int b = batch_of(l.period); b >= 0) batch_[static_cast<std::size_t>(b)]->on_lane_period(l);
}

void BatchedKpis::on_segment_period(const SegmentPeriod& g) {
  overall_.on_segment_period(g);
  // A batch also sees the period before it: the customers its first churn was drawn from.
  const int b = batch_of(g.period), next = batch_of(g.period + 1);
  if (b >= 0) batch_[static_cast<std::size_t>(b)]->on_segment_period(g);
  if (next != b && next >= 0 && next < batches()) batch_[static_cast<std::size_t>(next)]->on_segment_period(g);
}

void BatchedKpis::on_delivery(const Delivery& d) {
  overall_.on_delivery(d);
  const double from = net_.period_start(warmup_);
  if (d.delivered < from) return;
  const auto b = static_cast<std::int64_t>(std::floor((d.delivered - from) / (net_.period_length() * length_)));
  if (b < batches()) batch_[static_cast<std::size_t>(b)]->on_delivery(d);
}

std::vector<KpiSet> BatchedKpis::per_batch() const {
  std::vector<KpiSet> out;
  for (const auto& c : batch_) out.push_back(c->finish());
  return out;
}

namespace {

// Counts the reviews after the warm-up that ordered nothing.
struct ZeroOrders final : ObservationSink {
  std::int64_t from = 0;
  std::uint64_t count = 0;
  void on_stock_period(const StockPeriod& s) override {
    if (s.period >= from && s.reviewed && s.ordered == 0) ++count;
  }
};

}  // namespace

BatchedRun run_batched(const ScenarioSpec& spec, std::uint64_t seed, int batches) {
  auto net = build_network(spec, seed, 0);
  BatchedKpis sink(*net, batches);
  ZeroOrders zeros;
  zeros.from = net->warmup();
  net->add_sink(&sink);
  net->add_sink(&zeros);
  net->run();
  net->audit();
  BatchedRun r;
  r.overall = sink.overall();
  r.batches = sink.per_batch();
  r.periods = static_cast<double>(spec.horizon - spec.warmup);
  r.batch_periods = static_cast<double>(sink.batch_periods());
  r.clipped_orders = zeros.count;
  return r;
}

Estimate estimate(const BatchedRun& run, const Statistic& f, double level) {
  sim::RunningStats s;
  for (const KpiSet& b : run.batches) s.add(f(b, run.batch_periods));
  return {f(run.overall, run.periods), sim::confidence_interval(s, level).half_width};
}

Estimate estimate_difference(const BatchedRun& a, const BatchedRun& b, const Statistic& f, double level) {
  if (a.batches.size() != b.batches.size() || a.batch_periods != b.batch_periods) {
    throw std::invalid_argument("paired batch means need aligned batches");
  }
  sim::RunningStats s;
  for (std::size_t i = 0; i < a.batches.size(); ++i) {
    s.add(f(a.batches[i], a.batch_periods) - f(b.batches[i], b.batch_periods));
  }
  return {f(a.overall, a.periods) - f(b.overall, b.periods), sim::confidence_interval(s, level).half_width};
}

Statistic kpi(const std::string& scope, const std::string& name, const std::string& kpi) {
  return [=](const KpiSet& k, double) { return k.get(scope, name, kpi); };
}

}  // namespace chainsim::validation

#include "models/experiment/experiment.h"

#include <algorithm>
#include <optional>

#include "models/chain/builder.h"
#include "sim/parallel.h"

namespace chainsim::models {

namespace {

// Keeps the customer segments' records (a few per period).
class SegmentRecorder final : public ObservationSink {
 public:
  void on_start(const RunShape& r) override {
    records.reserve(static_cast<std::size_t>(std::max<std::int64_t>(r.periods, 0)) * r.segments.size());
  }
  void on_period(const PeriodRecords& r) override { records.insert(records.end(), r.segments.begin(), r.segments.end()); }
  std::vector<SegmentPeriod> records;
};

// Counts closed periods for a progress display.
class PeriodCounter final : public ObservationSink {
 public:
  explicit PeriodCounter(std::atomic<std::uint64_t>& count) : count_(count) {}
  void on_period(const PeriodRecords&) override { count_.fetch_add(1, std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t>& count_;
};

// Runs replication `replication` on `net`, built for it and not yet run.
ReplicationOutput run_built(std::unique_ptr<Network> net, int replication, const ReplicationOptions& o) {
  if (o.keep_transactions) net->keep_transactions();
  KpiCollector kpi;
  net->add_sink(&kpi);
  std::optional<SeriesValuesRecorder> rec;
  if (o.keep_series) {
    std::vector<NodeId> node_of_stock;
    for (const StockPoint& sp : net->stocks()) node_of_stock.push_back(sp.node);
    net->add_sink(&rec.emplace(series_column_indices(o.columns), std::move(node_of_stock)));
  }
  std::optional<PeriodCounter> counter;
  if (o.periods_done != nullptr) net->add_sink(&counter.emplace(*o.periods_done));
  std::optional<SegmentRecorder> segments;
  if (!net->segments().empty()) net->add_sink(&segments.emplace());
  if (o.sink != nullptr) net->add_sink(o.sink);
  if (o.event_log != nullptr) net->set_event_log(o.event_log);
  net->run();
  net->audit();
  ReplicationOutput out;
  out.replication = replication;
  out.kpis = kpi.finish();
  if (rec) out.series = rec->take();
  if (segments) out.segments = std::move(segments->records);
  if (o.keep_transactions) out.transactions = net->take_transactions();
  out.events = net->simulator().events_run();
  out.messages = net->messages_sent();
  out.random = net->random();
  return out;
}

}  // namespace

ReplicationOutput run_replication(const ScenarioSpec& spec, std::uint64_t seed, int replication,
                                  const ReplicationOptions& o) {
  return run_built(build_network(spec, seed, replication, o.spec_checked), replication, o);
}

ExperimentResult run_experiment(const ScenarioSpec& spec, const ExperimentOptions& o,
                                const std::function<void(const ExperimentResult&, const ReplicationOutput&)>&
                                    on_replication,
                                const std::function<void(int, int)>& progress) {
  ExperimentResult result;
  // Replication 0's network, built first for the names and shape of the
  // outputs (throws SpecError), then run as replication 0: a build is
  // deterministic, so building it again would make the same network.
  std::unique_ptr<Network> first = build_network(spec, o.seed, 0, o.spec_checked);
  result.info = describe_network(*first, spec.time_unit);
  for (const StockPoint& sp : first->stocks()) result.node_of_stock.push_back(sp.node);
  const bool keep = o.series != SeriesMode::kNone;
  if (keep) {
    result.series = std::make_unique<SeriesAccumulator>(static_cast<std::size_t>(spec.horizon),
                                                        result.info.stocks.size(), o.series_columns);
  }
  if (!result.info.segments.empty()) {
    result.segment_series = std::make_unique<SegmentAccumulator>(static_cast<std::size_t>(spec.horizon),
                                                                 result.info.segments.size());
  }
  const auto n = static_cast<std::size_t>(o.replications);
  sim::run_ordered<ReplicationOutput>(
      n, o.jobs,
      [&](std::size_t i) {
        ReplicationOptions ro;
        ro.keep_series = keep;
        ro.columns = o.series_columns;
        ro.periods_done = o.periods_done;
        ro.keep_transactions = o.customer_transactions && i == 0;
        ro.spec_checked = true;  // by the first build above
        ro.event_log = i == 0 ? o.event_log : nullptr;
        std::unique_ptr<ObservationSink> sink;
        if (o.replication_sink) sink = o.replication_sink(result.info, static_cast<int>(i));
        ro.sink = sink.get();
        // Only task 0 takes `first`, on whichever thread runs it.
        ReplicationOutput out = i == 0 ? run_built(std::move(first), 0, ro)
                                       : run_replication(spec, o.seed, static_cast<int>(i), ro);
        out.sink = std::move(sink);
        return out;
      },
      [&](std::size_t i, ReplicationOutput&& r) {
        if (keep) result.series->add(r.series);
        if (result.segment_series) result.segment_series->add(r.segments);
        if (on_replication) on_replication(result, r);
        result.events += r.events;
        result.messages += r.messages;
        result.deterministic = result.deterministic && !r.random;
        result.kpis.push_back(std::move(r.kpis));
        if (progress) progress(static_cast<int>(i) + 1, o.replications);
      });
  result.summary = summarize(result.kpis);
  return result;
}

}  // namespace chainsim::models

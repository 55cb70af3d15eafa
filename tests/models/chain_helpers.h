// Small scenario builders for the model tests: a network in a few lines.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/chain/builder.h"
#include "models/chain/network.h"
#include "models/chain/observations.h"
#include "models/chain/spec.h"
#include "models/chain/spec_checks.h"
#include "models/measure/kpi.h"

namespace chainsim::models::testing {

inline ProductSpec product(std::string id, double unit_cost = 1.0, double price = 0.0) {
  ProductSpec p;
  p.id = std::move(id);
  p.unit_cost = unit_cost;
  p.price = price;
  return p;
}

inline PolicySpec base_stock(double S) {
  PolicySpec p;
  p.type = PolicyType::kBaseStock;
  p.S = S;
  return p;
}

inline PolicySpec no_orders() {
  PolicySpec p;
  p.type = PolicyType::kNone;
  return p;
}

// Orders plan[k] at its k-th review, then nothing (or `after`: repeat | hold_last).
inline PolicySpec plan_orders(std::vector<double> plan, AfterPlan after = AfterPlan::kZero) {
  PolicySpec p;
  p.type = PolicyType::kScripted;
  p.plan = std::move(plan);
  p.after_plan = after;
  return p;
}

inline PolicySpec make_to_order() {
  PolicySpec p;
  p.type = PolicyType::kMakeToOrder;
  return p;
}

inline DemandSpec constant_demand(double v) {
  DemandSpec d;
  d.type = DemandType::kConstant;
  d.value = v;
  return d;
}

// values[k] in period k, then nothing.
inline DemandSpec trace_demand(std::vector<double> values) {
  DemandSpec d;
  d.type = DemandType::kTrace;
  d.values = std::move(values);
  d.after_trace = AfterTrace::kZero;
  return d;
}

inline DemandSpec poisson_demand(double mean) {
  DemandSpec d;
  d.type = DemandType::kPoisson;
  d.mean = mean;
  return d;
}

inline SourceSpec from(std::string node, std::optional<double> share = std::nullopt) {
  SourceSpec s;
  s.from = std::move(node);
  s.share = share;
  return s;
}

inline StockSpec stock(std::string product, double initial, PolicySpec policy,
                       std::vector<SourceSpec> sources = {}) {
  StockSpec s;
  s.product = std::move(product);
  s.initial = initial;
  s.policy = std::move(policy);
  s.sources = std::move(sources);
  return s;
}

inline NodeSpec node(std::string id, NodeKind kind, std::vector<StockSpec> stocks = {}) {
  NodeSpec n;
  n.id = std::move(id);
  n.kind = kind;
  n.stocks = std::move(stocks);
  return n;
}

inline LaneSpec lane(std::string from, std::string to, double transport, double order_delay = 0.0) {
  LaneSpec l;
  l.from = std::move(from);
  l.to = std::move(to);
  l.transport_time = sim::Distribution::constant(transport);
  l.order_delay = order_delay;
  return l;
}

// A serial chain: supplier -> stage[n-1] -> ... -> stage[0] (the retailer),
// one product "item", base-stock S at every stage, fixed transport L and
// order delay l on every lane, the given end demand at the retailer.
inline ScenarioSpec serial_chain(int stages, double S, double L, double l, DemandSpec demand,
                                 int horizon, double initial = -1.0) {
  ScenarioSpec s;
  s.name = "serial";
  s.horizon = horizon;
  s.products = {product("item")};
  s.nodes.push_back(node("supplier", NodeKind::kSupplier));
  std::string upstream = "supplier";
  std::vector<NodeSpec> stages_out;
  for (int i = stages - 1; i >= 0; --i) {
    const std::string id = i == 0 ? "retailer" : "stage" + std::to_string(i);
    NodeSpec n = node(id, i == 0 ? NodeKind::kRetailer : NodeKind::kWarehouse,
                      {stock("item", initial < 0 ? S : initial, base_stock(S), {from(upstream)})});
    if (i == 0) n.stocks[0].demand = {demand};
    s.nodes.push_back(n);
    s.lanes.push_back(lane(upstream, id, L, l));
    upstream = id;
  }
  return s;
}

// Runs a spec (replication 0) with a series recorder and audits it.
struct Run {
  std::unique_ptr<Network> net;
  SeriesRecorder rec;
  // The record of `stock` ("node/product") in period k.
  const StockPeriod& at(const std::string& node, const std::string& product, std::int64_t k) const {
    const StockId id = net->find_stock(node, product);
    const std::size_t n = net->stocks().size();
    return rec.stocks.at(static_cast<std::size_t>(k) * n + id);
  }
  const NodePeriod& node_at(const std::string& node, std::int64_t k) const {
    const NodeId id = net->find_node(node);
    return rec.nodes.at(static_cast<std::size_t>(k) * net->nodes().size() + id);
  }
  // The cost of `kind` booked at `node` in period k.
  Money cost(const std::string& node, CostKind kind, std::int64_t k) const {
    return node_at(node, k).costs[static_cast<std::size_t>(kind)];
  }
  // The record of lane `name` ("from->to" unless the lane has an id) in
  // period k (a lane no source uses has none: Network::active_lanes_).
  const LanePeriod& lane_at(const std::string& name, std::int64_t k) const {
    for (const Lane& l : net->lanes()) {
      if (l.name != name) continue;
      for (const LanePeriod& r : rec.lanes) {
        if (r.period == k && r.lane == l.id) return r;
      }
    }
    throw std::out_of_range("no record of lane " + name);
  }
};

inline Run run(const ScenarioSpec& spec, std::uint64_t seed = 1, int replication = 0) {
  Run r;
  r.net = build_network(spec, seed, replication);
  r.net->add_sink(&r.rec);
  r.net->run();
  r.net->audit();
  return r;
}

// A run with the units, money and message audits after every period (each
// throws ModelError with the figures when they do not balance) and its KPIs.
struct Audited {
  Run run;
  KpiSet kpis;
};
inline Audited run_audited(const ScenarioSpec& spec, std::uint64_t seed = 1) {
  struct AuditEachPeriod final : ObservationSink {
    const Network* net = nullptr;
    int audits = 0;
    void on_node_period(const NodePeriod& n) override {
      if (n.node != 0) return;
      net->audit();
      ++audits;
    }
  };
  AuditEachPeriod auditor;
  KpiCollector kpi;
  Audited a;
  a.run.net = build_network(spec, seed, 0);
  auditor.net = a.run.net.get();
  a.run.net->add_sink(&a.run.rec);
  a.run.net->add_sink(&auditor);
  a.run.net->add_sink(&kpi);
  a.run.net->run();
  a.run.net->audit();
  if (auditor.audits != spec.horizon) throw std::logic_error("the audit did not run after every period");
  a.kpis = kpi.finish();
  return a;
}

// Every problem check_spec finds, one "path: message" a line.
inline std::string spec_problems(const ScenarioSpec& spec) {
  std::string all;
  for (const SpecIssue& i : check_spec(spec)) all += i.path + ": " + i.message + "\n";
  return all;
}

}  // namespace chainsim::models::testing

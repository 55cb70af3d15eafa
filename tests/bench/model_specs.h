// The scenarios of the supply-chain benchmarks (model_bench.cpp) and of the
// instruction-count driver (profile_serial.cpp), built in C++ so that both
// measure exactly the same model.
//
//   serial_chain(periods)  4 stages (retailer <- wholesaler <- distributor <-
//                          factory), Poisson(8) demand, base-stock S = 40
//                          everywhere, transport 2 and order delay 1 per link,
//                          factory production lead time 2, backorders, finance
//                          on (prices, invoices, net-30 payments, holding and
//                          backorder costs)
//   network(retailers)     1 factory, 4 DCs, `retailers` retailers, 365 days,
//                          Poisson demand, (s, S) at the retailers, base-stock
//                          at the DCs
#pragma once

#include <string>

#include "models/chain/spec.h"

namespace chainsim::bench {

using models::DemandSpec;
using models::DemandType;
using models::PolicyType;
using models::LaneSpec;
using models::NodeKind;
using models::NodeSpec;
using models::ProductionSpec;
using models::ScenarioSpec;
using models::SourceSpec;
using models::StockSpec;
using sim::Distribution;

// finance_delay > 0 sends every invoice and payment as a message with that
// delay (with 0 they are booked at once, as docs/timing.md specifies).
inline ScenarioSpec serial_chain(int periods, double finance_delay = 0.0) {
  ScenarioSpec s;
  s.name = "bench_serial";
  s.horizon = periods;
  s.products = {{"item", 10.0, 20.0, std::nullopt, std::nullopt, 0.0}};
  const char* names[] = {"factory", "distributor", "wholesaler", "retailer"};
  for (int i = 0; i < 4; ++i) {
    NodeSpec n;
    n.id = names[i];
    n.kind = i == 0 ? NodeKind::kFactory : i == 3 ? NodeKind::kRetailer : NodeKind::kWarehouse;
    n.holding_cost = 0.1;
    n.backorder_cost = 1.0;
    n.payment_terms.net = 30;
    StockSpec st;
    st.product = "item";
    st.initial = 40;
    st.policy.type = PolicyType::kBaseStock;
    st.policy.S = 40;
    if (i == 0) {
      ProductionSpec p;
      p.lead_time = Distribution::constant(2);
      st.production = p;
    } else {
      SourceSpec src;
      src.from = names[i - 1];
      st.sources = {src};
    }
    if (i == 3) {
      DemandSpec d;
      d.type = DemandType::kPoisson;
      d.mean = 8;
      st.demand = {d};
    }
    n.stocks = {st};
    s.nodes.push_back(n);
    if (i > 0) {
      LaneSpec l;
      l.from = names[i - 1];
      l.to = names[i];
      l.transport_time = Distribution::constant(2);
      l.order_delay = 1;
      l.price = 12 + 2 * i;
      l.invoice_delay = finance_delay;
      l.payment_delay = finance_delay;
      s.lanes.push_back(l);
    }
  }
  return s;
}

// The same chain with a customer segment in front of the retailer instead
// of its Poisson(8) demand: 800 customers ordering 0.01 a period each
// (Poisson(8) while they stay), intrinsic churn 0.1%, per-stock-out
// defection q = 0.1, 0.8 new customers a period (the base holds near 800).
inline ScenarioSpec serial_chain_with_segment(int periods) {
  ScenarioSpec s = serial_chain(periods);
  s.nodes[3].stocks[0].demand.clear();
  models::SegmentSpec g;
  g.id = "regulars";
  g.size = 800;
  g.channels = {{"retailer", "", std::nullopt}};
  g.orders.rate = 0.01;
  g.churn.intrinsic = 0.001;
  g.churn.q = 0.1;
  g.acquisition.per_period = 0.8;
  s.customers = {g};
  return s;
}

inline ScenarioSpec network(int retailers) {
  ScenarioSpec s;
  s.name = "bench_network";
  s.horizon = 365;
  s.products = {{"item", 10.0, 20.0, std::nullopt, std::nullopt, 0.0}};
  NodeSpec f;
  f.id = "factory";
  f.kind = NodeKind::kFactory;
  f.holding_cost = 0.01;
  StockSpec fs;
  fs.product = "item";
  fs.initial = 4000;
  fs.policy.type = PolicyType::kBaseStock;
  fs.policy.S = 4000;
  ProductionSpec p;
  p.lead_time = Distribution::constant(2);
  fs.production = p;
  f.stocks = {fs};
  s.nodes.push_back(f);
  const int dcs = 4;
  for (int d = 0; d < dcs; ++d) {
    NodeSpec n;
    n.id = "dc" + std::to_string(d);
    n.kind = NodeKind::kWarehouse;
    n.holding_cost = 0.02;
    StockSpec st;
    st.product = "item";
    st.initial = 800;
    st.policy.type = PolicyType::kBaseStock;
    st.policy.S = 800;
    SourceSpec src;
    src.from = "factory";
    st.sources = {src};
    n.stocks = {st};
    s.nodes.push_back(n);
    LaneSpec l;
    l.from = "factory";
    l.to = n.id;
    l.transport_time = Distribution::constant(3);
    l.order_delay = 1;
    l.price = 14;
    s.lanes.push_back(l);
  }
  for (int r = 0; r < retailers; ++r) {
    NodeSpec n;
    n.id = "store" + std::to_string(r);
    n.kind = NodeKind::kRetailer;
    n.holding_cost = 0.05;
    n.backorder_cost = 1.0;
    StockSpec st;
    st.product = "item";
    st.initial = 40;
    st.policy.type = PolicyType::kMinMax;
    st.policy.s = 20;
    st.policy.S = 45;
    SourceSpec src;
    src.from = "dc" + std::to_string(r % dcs);
    st.sources = {src};
    DemandSpec dem;
    dem.type = DemandType::kPoisson;
    dem.mean = 6 + (r % 7);
    st.demand = {dem};
    n.stocks = {st};
    s.nodes.push_back(n);
    LaneSpec l;
    l.from = src.from;
    l.to = n.id;
    l.transport_time = Distribution::constant(1);
    l.order_delay = 1;
    l.price = 16;
    s.lanes.push_back(l);
  }
  return s;
}

}  // namespace chainsim::bench

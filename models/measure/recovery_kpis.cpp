// The returns centres' KPIs (docs/returns.md), in the network's scope: what
// customers sent back, where the graded units went, what came back into
// stock and how fast, what was recovered and what the reverse flow cost.
#include <array>
#include <string>

#include "models/measure/kpi.h"

namespace chainsim::models {

namespace {

// "route_<route>" for each recovery route, taken into the table of names once.
KpiName route_kpi(std::size_t route) {
  static const std::array<KpiName, kRecoveryRoutes> names = [] {
    std::array<KpiName, kRecoveryRoutes> n;
    for (std::size_t k = 0; k < kRecoveryRoutes; ++k) {
      n[k] = KpiName("route_" + std::string(enum_names<RecoveryRoute>()[k]));
    }
    return n;
  }();
  return names[route];
}

}  // namespace

void KpiCollector::on_recovery_period(const RecoveryPeriod& g) {
  if (g.period < from_) return;
  RecoveryPeriod& a = recovered_;
  a.graded += g.graded;
  for (std::size_t k = 0; k < kRecoveryRoutes; ++k) a.routes[k] += g.routes[k];
  a.restocked += g.restocked;
  a.restock_wait += g.restock_wait;
  a.restocked_value += g.restocked_value;
  a.recycled_value += g.recycled_value;
  a.credited += g.credited;
  a.cost += g.cost;
}

void KpiCollector::recovery_kpis(Put& out) const {
  auto put = [&](KpiName kpi, double v) { out.push_back({"network", "", kpi, v}); };
  double returned = 0, sold = 0;
  for (std::size_t id = 0; id < shape_->stocks.size(); ++id) {
    returned += stocks_[id].returned;
    sold += stocks_[id].customer_wait_units;
  }
  const RecoveryPeriod& a = recovered_;
  put("returned", returned);
  put("return_rate", kpi_ratio(returned, sold));
  put("graded", a.graded);
  for (std::size_t k = 0; k < kRecoveryRoutes; ++k) {
    put(route_kpi(k), kpi_ratio(a.routes[k], a.graded));
  }
  const auto scrap = static_cast<std::size_t>(RecoveryRoute::kScrap);
  put("recovery_rate", kpi_ratio(a.graded - a.routes[scrap], a.graded));
  put("restocked_recovered", a.restocked);
  put("restock_time_mean", kpi_ratio(a.restock_wait, a.restocked));
  put("value_recovered", a.restocked_value + a.recycled_value + a.credited);
  put("reverse_cost", a.cost);
}

}  // namespace chainsim::models

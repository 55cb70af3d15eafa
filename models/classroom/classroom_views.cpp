// What the teacher sees of a classroom: the live state (JSON), the debrief
// page comparing the teams (HTML, the report's charts) and the orders (CSV).
#include <cmath>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "models/classroom/classroom.h"
#include "models/report/chart.h"
#include "models/report/outputs.h"
#include "models/report/page.h"

namespace chainsim::models::classroom {

namespace {

using nlohmann::json;
namespace report = chainsim::models::report;

// "1,234.5": money and units in the debrief's tables.
std::string amount(double v) {
  if (!std::isfinite(v)) return "n/a";
  std::string digits = fmt::format("{:.0f}", std::abs(v));
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return (v < 0 && digits != "0" ? "-" : "") + digits;
}

std::string ratio(double v) { return std::isfinite(v) ? fmt::format("{:.2f}", v) : "n/a"; }

double total_cost(const TeamResult& r, bool benchmark) {
  double sum = 0.0;
  for (const GameStage& g : r.stages) sum += benchmark ? g.cost_benchmark : g.cost;
  return sum;
}

// A team's orders week by week: end-customer demand, then each stage's.
std::string orders_chart(const std::string& session, const TeamResult& r, const std::string& unit) {
  report::LineChart c;
  c.id = fmt::format("orders-{}-{}", session, r.team);
  c.title = fmt::format("Team {}: orders each {}", r.team, unit);
  c.desc = fmt::format("End-customer demand and the orders each stage of team {} placed, week by week", r.team);
  c.x_label = fmt::format("time ({})", unit);
  c.y_label = "units";
  report::Series demand;
  demand.name = "customer demand";
  demand.style = report::palette_style(0);
  for (std::size_t k = 0; k < r.customer_demand.size(); ++k) {
    demand.x.push_back(static_cast<double>(k));
    demand.y.push_back(r.customer_demand[k]);
  }
  c.series.push_back(demand);
  for (std::size_t i = 0; i < r.stages.size(); ++i) {
    const GameStage& g = r.stages[i];
    report::Series s;
    s.name = g.node + (g.player ? " (played)" : " (rule)");
    s.style = report::palette_style(i + 1);
    for (std::size_t k = 0; k < g.orders.size(); ++k) {
      s.x.push_back(static_cast<double>(k));
      s.y.push_back(g.orders[k]);
    }
    c.series.push_back(s);
  }
  return report::render(c);
}

std::string amplification_chart(const std::string& session, const std::vector<const TeamResult*>& teams) {
  report::BarChart c;
  c.id = fmt::format("amplification-{}", session);
  c.title = "Amplification: variance of orders over variance of customer demand";
  c.desc = "Each stage's cumulative bullwhip ratio, by team";
  c.value_label = "ratio";
  c.layers = {"bullwhip"};
  c.reference = 1.0;
  c.reference_label = "no amplification";
  for (const TeamResult* r : teams) {
    for (const GameStage& g : r->stages) {
      report::BarChart::Row row;
      row.label = g.node + (g.player ? "" : " (rule)");
      row.values = {std::isfinite(g.bullwhip) ? g.bullwhip : std::nan("")};
      row.group = fmt::format("team {}", r->team);
      c.rows.push_back(row);
    }
  }
  c.value_text = [](const report::BarChart::Row& row) { return ratio(row.values.front()); };
  return report::render(c);
}

std::string cost_table(const std::vector<const TeamResult*>& teams) {
  report::Table t;
  t.caption = "Costs by stage: as played, and with every stage on the scenario's policy";
  t.head = {{"team", "", false}, {"stage", "", false}, {"played by", "", false}, {"cost", "", true},
            {"by the rule", "", true}, {"amplification", "", true}};
  for (const TeamResult* r : teams) {
    for (const GameStage& g : r->stages) {
      t.rows.push_back({{std::to_string(r->team), "", false}, {g.node, "", false},
                        {g.player ? "a student" : "the rule", "", false}, {amount(g.cost), "", true},
                        {amount(g.cost_benchmark), "", true}, {ratio(g.bullwhip), "", true}});
      t.row_classes.push_back("");
    }
    t.rows.push_back({{std::to_string(r->team), "", false}, {"total", "", false}, {"", "", false},
                      {amount(total_cost(*r, false)), "", true}, {amount(total_cost(*r, true)), "", true},
                      {"", "", false}});
    t.row_classes.push_back("marked");
  }
  return report::render(t);
}

}  // namespace

std::string Classroom::teacher_state(double now) const {
  json sessions = json::array();
  for (const Session& s : sessions_) {
    const bool known = s.scenario < scenarios_.size();
    json teams = json::array();
    for (const Team& t : s.teams) {
      json seats = json::array();
      for (const Seat& seat : t.seats) {
        const bool ordered = seat.player >= 0 && !t.result && t.game &&
                             t.pending.at(static_cast<std::size_t>(seat.player)).has_value();
        seats.push_back({{"role", seat.role}, {"token", seat.token}, {"joined", seat.joined}, {"ordered", ordered}});
      }
      json team{{"team", t.number}, {"seats", seats}, {"over", t.result.has_value()}};
      team["week"] = t.result ? static_cast<int>(t.result->customer_demand.size()) : t.game ? t.game->week() : 0;
      if (t.result) {
        team["cost"] = total_cost(*t.result, false);
        team["cost_benchmark"] = total_cost(*t.result, true);
      }
      if (t.game && !t.result && t.deadline < std::numeric_limits<double>::infinity()) {
        team["seconds_left"] = std::max(0.0, t.deadline - now);
      }
      teams.push_back(team);
    }
    json row{{"id", s.id}, {"scenario", s.scenario_name}, {"state", s.state}, {"teams", teams}};
    row["horizon"] = known ? scenarios_[s.scenario].spec.horizon : 0;
    sessions.push_back(row);
  }
  json names = json::array();
  for (const LoadedScenario& s : scenarios_) names.push_back(s.spec.name);
  return json{{"scenarios", names}, {"timer_seconds", options_.timer_seconds}, {"sessions", sessions}}.dump();
}

std::optional<std::string> Classroom::debrief_html(const std::string& session) const {
  const Session* s = find_session(session);
  if (s == nullptr) return std::nullopt;
  const std::string unit = s->scenario < scenarios_.size() ? scenarios_[s->scenario].spec.time_unit : "period";
  std::vector<const TeamResult*> done;
  std::vector<std::string> waiting;
  for (const Team& t : s->teams) {
    if (t.result) {
      done.push_back(&*t.result);
    } else {
      waiting.push_back(fmt::format("team {}: {} {} of {}", t.number, unit, t.game ? t.game->week() : 0,
                                    t.game ? t.game->horizon() : 0));
    }
  }
  report::Page page(fmt::format("Debrief: {}, session {}", s->scenario_name, s->id));
  page.set_subtitle(
      "Each team's orders against end-customer demand, how much each stage amplified it, and what it cost, "
      "against the same chain with every stage following the scenario's policy. Stages nobody played follow "
      "the policy.");
  page.add_fact("teams", std::to_string(s->teams.size()));
  page.add_fact("finished", std::to_string(done.size()));
  if (!waiting.empty()) page.add_section("playing", "Still playing", report::bullet_list(waiting, false));
  if (done.empty()) {
    page.add_section("results", "Results", report::paragraph("No team has finished yet.", true));
    return page.html();
  }
  std::string charts;
  for (const TeamResult* r : done) charts += orders_chart(s->id, *r, unit);
  page.add_section("orders", "Orders over time", report::figure(charts, "Orders each week, by team"));
  page.add_section("amplification", "Amplification",
                   report::figure(amplification_chart(s->id, done), "The bullwhip effect, stage by stage"));
  page.add_section("costs", "Costs", cost_table(done));
  return page.html();
}

std::optional<std::string> Classroom::orders_csv(const std::string& session) const {
  const Session* s = find_session(session);
  if (s == nullptr) return std::nullopt;
  std::string out = "session,team,week,node,played,ordered,customer_demand\n";
  for (const Team& t : s->teams) {
    if (!t.result) continue;
    for (const GameStage& g : t.result->stages) {
      for (std::size_t k = 0; k < g.orders.size(); ++k) {
        const double demand = k < t.result->customer_demand.size() ? t.result->customer_demand[k] : std::nan("");
        out += fmt::format("{},{},{},{},{},{},{}\n", s->id, t.number, k, csv_text(g.node), g.player ? 1 : 0, g.orders[k],
                           demand);
      }
    }
  }
  return out;
}

}  // namespace chainsim::models::classroom

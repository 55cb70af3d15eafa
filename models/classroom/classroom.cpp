#include "models/classroom/classroom.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/core.h>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "models/report/run_files.h"
#include "sim/atomic_file.h"
#include "sim/text.h"

namespace chainsim::models::classroom {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kNever = std::numeric_limits<double>::infinity();

bool is_token(const std::string& s, std::size_t length) {
  return s.size() == length && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

json stage_json(const GameStage& g) {
  return json{{"node", g.node},         {"player", g.player},
              {"bullwhip", std::isfinite(g.bullwhip) ? json(g.bullwhip) : json(nullptr)},
              {"cost", g.cost},         {"cost_benchmark", g.cost_benchmark},
              {"orders", g.orders}};
}

// A number of a team.json, or NaN for null (an undefined amplification).
double number_or_nan(const json& v) {
  if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
  return v.get<double>();
}

}  // namespace

std::string team_json(const std::string& session, const std::string& scenario, const TeamResult& r) {
  json stages = json::array();
  for (const GameStage& g : r.stages) stages.push_back(stage_json(g));
  const json out{{"format", "chainsim-classroom-team/1"},
                 {"session", session},
                 {"scenario", scenario},
                 {"team", r.team},
                 {"players", r.players},
                 {"stages", stages},
                 {"customer_demand", r.customer_demand},
                 {"passed_on", r.passed_on}};
  return out.dump() + "\n";
}

TeamResult read_team_json(const std::string& text, std::string& session, std::string& scenario) {
  TeamResult r;
  try {
    const json j = json::parse(text);
    if (j.at("format") != "chainsim-classroom-team/1") throw std::runtime_error("not a chainsim classroom team file");
    session = j.at("session").get<std::string>();
    if (!is_token(session, 8)) throw std::runtime_error("session: not an 8-digit hexadecimal id");
    scenario = j.at("scenario").get<std::string>();
    r.team = j.at("team").get<int>();
    if (r.team < 1 || r.team > Classroom::kMaxTeams) throw std::runtime_error("team: out of range");
    r.players = j.at("players").get<std::vector<std::string>>();
    for (const json& s : j.at("stages")) {
      GameStage g;
      g.node = s.at("node").get<std::string>();
      g.player = s.at("player").get<bool>();
      g.bullwhip = number_or_nan(s.at("bullwhip"));
      g.cost = s.at("cost").get<double>();
      g.cost_benchmark = s.at("cost_benchmark").get<double>();
      g.orders = s.at("orders").get<std::vector<double>>();
      r.stages.push_back(g);
    }
    r.customer_demand = j.at("customer_demand").get<std::vector<double>>();
    r.passed_on = j.at("passed_on").get<std::vector<int>>();
  } catch (const json::exception& e) {
    throw std::runtime_error(e.what());
  }
  return r;
}

Classroom::Classroom(std::vector<LoadedScenario> scenarios, Options options, std::function<std::string(int)> tokens)
    : scenarios_(std::move(scenarios)), options_(std::move(options)), tokens_(std::move(tokens)) {
  for (const LoadedScenario& s : scenarios_) {
    if (Game::playable_roles(s).empty()) {
      throw std::invalid_argument(fmt::format("{}: no node a player can take (a node of one stock with a policy)",
                                              s.file));
    }
    for (const LoadedScenario& t : scenarios_) {
      if (&s != &t && s.spec.name == t.spec.name) {
        throw std::invalid_argument(fmt::format("{} and {}: two scenarios named '{}'", t.file, s.file, s.spec.name));
      }
    }
  }
}

std::vector<std::string> Classroom::load_finished() {
  std::vector<std::string> problems;
  std::error_code ec;
  if (options_.out_dir.empty() || !fs::is_directory(options_.out_dir, ec)) return problems;
  std::vector<fs::path> files;
  for (const fs::directory_entry& d : fs::directory_iterator(options_.out_dir, ec)) {
    if (!is_token(d.path().filename().string(), 8) || !d.is_directory(ec)) continue;
    for (const fs::directory_entry& t : fs::directory_iterator(d.path(), ec)) {
      if (t.path().filename().string().rfind("team-", 0) == 0 && fs::is_regular_file(t.path() / "team.json", ec)) {
        files.push_back(t.path() / "team.json");
      }
    }
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::string session, scenario;
    TeamResult r;
    try {
      const sim::BoundedRead file = sim::read_regular_file(f.string(), 64 << 20);
      if (file.problem != sim::BoundedRead::Problem::kNone) throw std::runtime_error(file.why);
      r = read_team_json(file.text, session, scenario);
    } catch (const std::exception& e) {
      problems.push_back(fmt::format("{}: {}", f.string(), sim::printable(e.what())));
      continue;
    }
    auto it = std::find_if(sessions_.begin(), sessions_.end(), [&](const Session& s) { return s.id == session; });
    if (it == sessions_.end()) {
      Session s;
      s.id = session;
      s.scenario_name = scenario;
      s.scenario = scenarios_.size();  // none of this server's: read back only
      for (std::size_t i = 0; i < scenarios_.size(); ++i) {
        if (scenarios_[i].spec.name == scenario) s.scenario = i;
      }
      s.state = "over";
      sessions_.push_back(std::move(s));
      it = sessions_.end() - 1;
    }
    Team t;
    t.number = r.team;
    t.result = std::move(r);
    const auto at = std::find_if(it->teams.begin(), it->teams.end(), [&](const Team& x) { return x.number > t.number; });
    it->teams.insert(at, std::move(t));
  }
  return problems;
}

std::string Classroom::create_session(const std::string& scenario, int teams) {
  std::size_t index = scenarios_.size();
  for (std::size_t i = 0; i < scenarios_.size(); ++i) {
    if (scenarios_[i].spec.name == scenario) index = i;
  }
  if (index == scenarios_.size()) throw std::invalid_argument("no scenario named '" + scenario + "' on this server");
  if (teams < 1 || teams > kMaxTeams) {
    throw std::invalid_argument(fmt::format("teams: a number from 1 to {} (got {})", kMaxTeams, teams));
  }
  if (sessions_.size() >= kMaxSessions) {
    throw std::invalid_argument(fmt::format("this server holds {} sessions, its most; start it again", kMaxSessions));
  }
  Session s;
  do {
    s.id = tokens_(8);
  } while (std::any_of(sessions_.begin(), sessions_.end(), [&](const Session& x) { return x.id == s.id; }));
  s.scenario = index;
  s.scenario_name = scenario;
  const std::vector<std::string> roles = Game::playable_roles(scenarios_[index]);
  for (int n = 1; n <= teams; ++n) {
    Team t;
    t.number = n;
    for (const std::string& role : roles) {
      Seat seat;
      seat.role = role;
      do {
        seat.token = tokens_(16);
      } while (seats_.count(seat.token) != 0);
      seats_[seat.token] = {sessions_.size(), static_cast<std::size_t>(n - 1)};
      t.seats.push_back(seat);
    }
    s.teams.push_back(std::move(t));
  }
  sessions_.push_back(std::move(s));
  return sessions_.back().id;
}

void Classroom::start(const std::string& session, double now) {
  auto it = std::find_if(sessions_.begin(), sessions_.end(), [&](const Session& s) { return s.id == session; });
  if (it == sessions_.end()) throw std::invalid_argument("no session '" + session + "'");
  if (it->state != "joining") throw std::invalid_argument("session " + session + " has started already");
  it->state = "playing";
  for (Team& t : it->teams) {
    std::vector<std::string> roles;
    for (Seat& seat : t.seats) {
      if (!seat.joined) continue;
      seat.player = static_cast<int>(roles.size());
      roles.push_back(seat.role);
    }
    t.game = std::make_unique<Game>(scenarios_[it->scenario], roles);
    if (roles.empty()) {
      while (!t.game->over()) {
        t.game->order_week({});
        t.passed_on.push_back(0);
      }
      finish(*it, t);
    } else {
      begin_week(t, now);
    }
  }
  if (std::all_of(it->teams.begin(), it->teams.end(), [](const Team& t) { return t.result.has_value(); })) {
    it->state = "over";
  }
}

void Classroom::begin_week(Team& team, double now) {
  team.views = team.game->views();
  team.pending.assign(team.game->players(), std::nullopt);
  team.deadline = options_.timer_seconds > 0.0 ? now + options_.timer_seconds : kNever;
}

void Classroom::advance(Session& session, Team& team, double now) {
  std::vector<double> q;
  for (const std::optional<double>& p : team.pending) q.push_back(*p);
  team.game->order_week(q);
  if (team.game->over()) {
    finish(session, team);
    if (std::all_of(session.teams.begin(), session.teams.end(), [](const Team& t) { return t.result.has_value(); })) {
      session.state = "over";
    }
  } else {
    begin_week(team, now);
  }
}

void Classroom::finish(Session& session, Team& team) {
  TeamResult r;
  r.team = team.number;
  for (std::size_t p = 0; p < team.game->players(); ++p) r.players.push_back(team.game->role(p));
  r.stages = team.game->debrief();
  r.customer_demand = team.game->customer_demand();
  r.passed_on = team.passed_on;
  team.result = std::move(r);
  team.views.clear();
  team.pending.clear();
  try {
    write_team(session, team);
  } catch (const std::exception& e) {
    // The game stays in memory (the debrief and the CSV still have it).
    std::cerr << "chainsim serve: warning: session " << session.id << " team " << team.number
              << " not written: " << sim::printable(e.what()) << "\n";
  }
}

void Classroom::write_team(const Session& session, const Team& team) const {
  if (options_.out_dir.empty()) return;
  const std::string dir = fmt::format("{}/{}/team-{}", options_.out_dir, session.id, team.number);
  sim::make_directories(dir);
  const LoadedScenario& base = scenarios_[session.scenario];
  const std::string yaml = team.game->played_yaml();
  const std::string file = dir + "/played.yaml";
  sim::write_file_atomically(file, fmt::format("# {} as played by team {} of session {} (chainsim serve): chainsim "
                                               "run this file to replay it\n{}",
                                               base.spec.name, team.number, session.id, yaml));
  const LoadOptions load{{}, "--set", options_.allowed_dirs};
  const LoadedScenario played = load_scenario_text(yaml, file, base.base_dir, load);
  RunFilesOptions o;
  o.out_dir = dir;
  o.version = options_.version;
  o.git = options_.git;
  o.scenario_file = file;
  write_run(played, o);
  // Last: its presence says the rest is there.
  sim::write_file_atomically(dir + "/team.json", team_json(session.id, session.scenario_name, *team.result));
}

void Classroom::tick(double now) {
  for (Session& s : sessions_) {
    if (s.state != "playing") continue;
    for (Team& t : s.teams) {
      if (t.result || !t.game || t.deadline > now) continue;
      int passed = 0;
      std::vector<double> by_policy;
      for (std::size_t p = 0; p < t.pending.size(); ++p) {
        if (t.pending[p]) continue;
        if (by_policy.empty()) by_policy = t.game->policy_orders();
        t.pending[p] = by_policy[p];  // the policy orders for the player who did not
        ++passed;
      }
      t.passed_on.push_back(passed);
      advance(s, t, now);
    }
  }
}

Classroom::SeatRef Classroom::find_seat(const std::string& token) {
  const auto it = seats_.find(token);
  if (it == seats_.end()) return {nullptr, nullptr, nullptr};
  Session& s = sessions_[it->second.first];
  Team& t = s.teams[it->second.second];
  for (Seat& seat : t.seats) {
    if (seat.token == token) return {&s, &t, &seat};
  }
  return {nullptr, nullptr, nullptr};
}

std::optional<SeatView> Classroom::seat(const std::string& token, double now) {
  const SeatRef ref = find_seat(token);
  if (ref.seat == nullptr) return std::nullopt;
  const Session& s = *ref.session;
  const Team& t = *ref.team;
  Seat& seat = *ref.seat;
  const ScenarioSpec& spec = scenarios_[s.scenario].spec;
  SeatView v;
  v.session = s.id;
  v.team = t.number;
  v.role = seat.role;
  v.scenario = s.scenario_name;
  v.time_unit = spec.time_unit;
  v.horizon = spec.horizon;
  if (s.state == "joining") {
    seat.joined = true;
    v.state = "joining";
    return v;
  }
  if (seat.player < 0) {
    v.state = "absent";
    return v;
  }
  const auto p = static_cast<std::size_t>(seat.player);
  v.orders = t.game->orders(p);
  v.week = t.game->week();
  if (t.result) {
    v.state = "over";
    for (const GameStage& g : t.result->stages) {
      if (g.node != seat.role) continue;
      v.cost = g.cost;
      v.cost_benchmark = g.cost_benchmark;
      v.bullwhip = g.bullwhip;
    }
    return v;
  }
  v.view = t.views[p];
  v.state = t.pending[p] ? "ordered" : "ordering";
  if (t.deadline < kNever) v.seconds_left = std::max(0.0, t.deadline - now);
  return v;
}

void Classroom::order(const std::string& token, double quantity, double now) {
  const SeatRef ref = find_seat(token);
  if (ref.seat == nullptr) throw std::invalid_argument("no such seat");
  Session& s = *ref.session;
  Team& t = *ref.team;
  if (s.state == "joining") throw std::invalid_argument("the game has not started yet");
  if (ref.seat->player < 0) throw std::invalid_argument("this seat was not taken when the game started");
  if (t.result) throw std::invalid_argument("the game is over");
  const auto p = static_cast<std::size_t>(ref.seat->player);
  if (t.pending[p]) throw std::invalid_argument("you have ordered for this week; the team is still ordering");
  if (!(quantity >= 0 && quantity <= Game::kMaxOrder && std::floor(quantity) == quantity)) {
    throw std::invalid_argument(fmt::format("an order is a whole number of units from 0 to {:.0f}", Game::kMaxOrder));
  }
  t.pending[p] = quantity;
  if (std::all_of(t.pending.begin(), t.pending.end(), [](const std::optional<double>& x) { return x.has_value(); })) {
    t.passed_on.push_back(0);
    advance(s, t, now);
  }
}

std::vector<SessionSummary> Classroom::sessions() const {
  std::vector<SessionSummary> out;
  for (const Session& s : sessions_) out.push_back({s.id, s.scenario_name, s.state, static_cast<int>(s.teams.size())});
  return out;
}

const TeamResult* Classroom::result(const std::string& session, int team) const {
  for (const Session& s : sessions_) {
    if (s.id != session) continue;
    for (const Team& t : s.teams) {
      if (t.number == team && t.result) return &*t.result;
    }
  }
  return nullptr;
}

}  // namespace chainsim::models::classroom

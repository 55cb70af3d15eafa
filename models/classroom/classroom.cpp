#include "models/classroom/classroom.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/core.h>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>

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

namespace {

// The team.json files under `out`: OUT/SESSION/team-N/team.json, sorted.
std::vector<fs::path> team_files(const std::string& out, std::vector<std::string>& problems) {
  std::vector<fs::path> files;
  try {
    if (out.empty() || !fs::is_directory(out)) return files;
    for (const fs::directory_entry& d : fs::directory_iterator(out)) {
      if (!is_token(d.path().filename().string(), 8) || !d.is_directory()) continue;
      for (const fs::directory_entry& t : fs::directory_iterator(d.path())) {
        if (t.path().filename().string().rfind("team-", 0) == 0 && fs::is_regular_file(t.path() / "team.json")) {
          files.push_back(t.path() / "team.json");
        }
      }
    }
  } catch (const fs::filesystem_error& e) {
    problems.push_back(sim::printable(e.what()));
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::vector<std::string> Classroom::load_finished() {
  std::vector<std::string> problems;
  for (const fs::path& f : team_files(options_.out_dir, problems)) {
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
    Session* s = find_session(session);
    if (s == nullptr) {
      Session fresh;
      fresh.id = session;
      fresh.scenario_name = scenario;
      fresh.scenario = scenarios_.size();  // none of this server's: read back only
      for (std::size_t i = 0; i < scenarios_.size(); ++i) {
        if (scenarios_[i].spec.name == scenario) fresh.scenario = i;
      }
      fresh.state = "over";
      fresh.read_back = true;
      sessions_.push_back(std::move(fresh));
      s = &sessions_.back();
    }
    if (!s->read_back || std::any_of(s->teams.begin(), s->teams.end(), [&](const Team& x) { return x.number == r.team; })) {
      problems.push_back(fmt::format("{}: team {} of session {} is there already", f.string(), r.team, session));
      continue;
    }
    Team t;
    t.number = r.team;
    t.result = std::move(r);
    const auto at = std::find_if(s->teams.begin(), s->teams.end(), [&](const Team& x) { return x.number > t.number; });
    s->teams.insert(at, std::move(t));
  }
  return problems;
}

const Classroom::Session* Classroom::find_session(const std::string& id) const {
  for (const Session& s : sessions_) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

Classroom::Session* Classroom::find_session(const std::string& id) {
  return const_cast<Session*>(std::as_const(*this).find_session(id));
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
  const auto made = std::count_if(sessions_.begin(), sessions_.end(), [](const Session& x) { return !x.read_back; });
  if (static_cast<std::size_t>(made) >= kMaxSessions) {
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
  Session* s = find_session(session);
  if (s == nullptr || s->read_back) throw std::invalid_argument("no session '" + session + "' to start");
  if (s->state != "joining") throw std::invalid_argument("session " + session + " has started already");
  // Every team's game and first week first: a game that cannot be set up
  // (a trace file it may not read) changes nothing.
  std::vector<std::unique_ptr<Game>> games;
  std::vector<std::vector<GameWeek>> views;
  try {
    for (const Team& t : s->teams) {
      std::vector<std::string> roles;
      for (const Seat& seat : t.seats) {
        if (seat.joined) roles.push_back(seat.role);
      }
      games.push_back(std::make_unique<Game>(scenarios_[s->scenario], roles));
      views.push_back(roles.empty() ? std::vector<GameWeek>{} : games.back()->views());
    }
  } catch (const std::exception& e) {
    throw std::invalid_argument(fmt::format("session {} cannot start: {}", session, e.what()));
  }
  s->state = "playing";
  for (std::size_t i = 0; i < s->teams.size(); ++i) {
    Team& t = s->teams[i];
    int players = 0;
    for (Seat& seat : t.seats) seat.player = seat.joined ? players++ : -1;
    t.game = std::move(games[i]);
    t.views = std::move(views[i]);
    t.pending.assign(t.game->players(), std::nullopt);
    t.deadline = deadline(now);
  }
  for (Team& t : s->teams) {
    if (t.game->players() > 0) continue;
    try {
      while (!t.game->over()) advance(*s, t, {}, 0, now);
    } catch (const std::exception& e) {
      std::cerr << "chainsim serve: error: session " << s->id << " team " << t.number << ": "
                << sim::printable(e.what()) << "\n";
    }
  }
}

double Classroom::deadline(double now) const {
  return options_.timer_seconds > 0.0 ? now + options_.timer_seconds : kNever;
}

void Classroom::begin_week(Team& team, double now) {
  team.views = team.game->views();
  team.pending.assign(team.game->players(), std::nullopt);
  team.deadline = deadline(now);
}

void Classroom::advance(Session& session, Team& team, const std::vector<double>& orders, int passed, double now) {
  team.game->order_week(orders);  // checks first: a refused week changes nothing
  team.passed_on.push_back(passed);
  if (team.game->over()) {
    finish(session, team);
    if (std::all_of(session.teams.begin(), session.teams.end(), [](const Team& t) { return t.result.has_value(); })) {
      session.state = "over";
    }
  } else {
    begin_week(team, now);
  }
}

void Classroom::policy_week(Session& session, Team& team, double now) {
  std::vector<double> orders;
  std::vector<double> by_policy;
  int passed = 0;
  for (std::size_t p = 0; p < team.pending.size(); ++p) {
    if (team.pending[p]) {
      orders.push_back(*team.pending[p]);
      continue;
    }
    if (by_policy.empty()) by_policy = team.game->policy_orders();
    orders.push_back(by_policy[p]);  // the policy orders for the player who did not
    ++passed;
  }
  advance(session, team, orders, passed, now);
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
  const LoadOptions load{{}, "--set", base.allowed_dirs};
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
      try {
        policy_week(s, t, now);
      } catch (const std::exception& e) {
        // This team waits; the others go on. A second try in a timer's time.
        t.deadline = now + options_.timer_seconds;
        std::cerr << "chainsim serve: error: session " << s.id << " team " << t.number << ": "
                  << sim::printable(e.what()) << "\n";
      }
    }
  }
}

void Classroom::skip(const std::string& session, int team, double now) {
  Session* s = find_session(session);
  if (s == nullptr || s->state != "playing") throw std::invalid_argument("session " + session + " is not playing");
  for (Team& t : s->teams) {
    if (t.number != team) continue;
    if (t.result || !t.game) throw std::invalid_argument(fmt::format("team {} is not playing", team));
    policy_week(*s, t, now);
    return;
  }
  throw std::invalid_argument(fmt::format("session {} has no team {}", session, team));
}

Classroom::SeatRef Classroom::find_seat(const std::string& token) const {
  const auto it = seats_.find(token);
  if (it == seats_.end()) return {};
  const Team& t = sessions_[it->second.first].teams[it->second.second];
  for (std::size_t i = 0; i < t.seats.size(); ++i) {
    if (t.seats[i].token == token) return {it->second.first, it->second.second, i, true};
  }
  return {};
}

void Classroom::join(const std::string& token) {
  const SeatRef ref = find_seat(token);
  if (!ref.found) throw std::invalid_argument("no such seat");
  Session& s = sessions_[ref.session];
  if (s.state != "joining") throw std::invalid_argument("the game has started without this seat");
  s.teams[ref.team].seats[ref.seat].joined = true;
}

std::optional<SeatView> Classroom::seat(const std::string& token, double now) const {
  const SeatRef ref = find_seat(token);
  if (!ref.found) return std::nullopt;
  const Session& s = sessions_[ref.session];
  const Team& t = s.teams[ref.team];
  const Seat& seat = t.seats[ref.seat];
  const ScenarioSpec& spec = scenarios_[s.scenario].spec;
  SeatView v;
  v.session = s.id;
  v.team = t.number;
  v.role = seat.role;
  v.scenario = s.scenario_name;
  v.time_unit = spec.time_unit;
  v.horizon = spec.horizon;
  if (s.state == "joining") {
    v.state = seat.joined ? "joining" : "open";
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
  v.view = t.views.at(p);
  v.state = t.pending.at(p) ? "ordered" : "ordering";
  if (t.deadline < kNever) v.seconds_left = std::max(0.0, t.deadline - now);
  return v;
}

void Classroom::order(const std::string& token, double quantity, double now) {
  const SeatRef ref = find_seat(token);
  if (!ref.found) throw std::invalid_argument("no such seat");
  Session& s = sessions_[ref.session];
  Team& t = s.teams[ref.team];
  const Seat& seat = t.seats[ref.seat];
  if (s.state == "joining") throw std::invalid_argument("the game has not started yet");
  if (seat.player < 0) throw std::invalid_argument("this seat was not taken when the game started");
  if (t.result) throw std::invalid_argument("the game is over");
  const auto p = static_cast<std::size_t>(seat.player);
  if (t.pending.at(p)) throw std::invalid_argument("you have ordered for this week; the team is still ordering");
  Game::check_order(quantity);
  t.pending[p] = quantity;
  if (!std::all_of(t.pending.begin(), t.pending.end(), [](const std::optional<double>& x) { return x.has_value(); })) {
    return;
  }
  std::vector<double> orders;
  for (const std::optional<double>& x : t.pending) orders.push_back(*x);
  try {
    advance(s, t, orders, 0, now);
  } catch (...) {
    t.pending[p].reset();
    throw;
  }
}

std::vector<SessionSummary> Classroom::sessions() const {
  std::vector<SessionSummary> out;
  for (const Session& s : sessions_) out.push_back({s.id, s.scenario_name, s.state, static_cast<int>(s.teams.size())});
  return out;
}

const TeamResult* Classroom::result(const std::string& session, int team) const {
  const Session* s = find_session(session);
  if (s == nullptr) return nullptr;
  for (const Team& t : s->teams) {
    if (t.number == team && t.result) return &*t.result;
  }
  return nullptr;
}

}  // namespace chainsim::models::classroom

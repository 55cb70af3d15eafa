// A class playing a scenario in teams (chainsim serve, docs/play.md).
//
// The teacher creates a session of N teams from one of the scenarios the
// server was started with. Each team plays its own game (models/experiment/
// game.h) with a seat per playable node; a student opens the seat's join
// link and takes the seat before the teacher starts the session. Seats
// nobody took follow the scenario's policy for the whole game. A week
// advances when every player of the team has ordered. The policy orders for
// a player who has not (Game::policy_orders: the node's own rule given the
// game so far) when the timer runs out, or when the teacher says so (a
// student gone, with no timer).
//
// A team's game is written when it finishes: OUT/SESSION/team-N/ holds
// played.yaml (its run is the game), team.json (what the debrief shows),
// and summary.json, timeseries.csv and report.html of the played scenario,
// each file written atomically. A server started again on the same folder
// reads the team.json files back, so finished games survive a restart.
//
// Everything here is single-threaded: the server calls it from one thread.
// Nothing a request carries reaches the file system: files are named from
// the session's id (made here) and the team's number.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/experiment/game.h"
#include "models/scenario/loader.h"

namespace chainsim::models::classroom {

// What a player's page shows: their own stage only.
struct SeatView {
  std::string session, role, scenario, time_unit;
  int team = 0;
  int week = 0, horizon = 0;
  // open (not taken yet), joining (taken, waiting for the start), ordering,
  // ordered (waiting for the team), over, or absent (the session started
  // without this seat).
  std::string state;
  GameWeek view;                 // when ordering or ordered
  std::vector<double> orders;    // this player's orders so far
  double seconds_left = -1.0;    // with a timer, while ordering; else -1
  // When over: this stage's cost as played and by the rule, and amplification.
  double cost = 0.0, cost_benchmark = 0.0, bullwhip = 0.0;
};

// A finished team's game: what the debrief and the CSV show.
struct TeamResult {
  int team = 0;
  std::vector<std::string> players;  // the nodes people played
  std::vector<GameStage> stages;     // each stage, upstream last
  std::vector<double> customer_demand;
  std::vector<int> passed_on;        // per week, the players the policy ordered for when the timer ran out
};

struct SessionSummary {
  std::string id, scenario, state;  // state: joining, playing, over
  int teams = 0;
};

class Classroom {
 public:
  struct Options {
    std::string out_dir;         // finished games are written under it
    double timer_seconds = 0.0;  // 0: no timer
    std::string version, git;    // recorded in the files written
  };
  // `tokens` makes the session ids and join tokens (random in the server,
  // fixed in tests). Each scenario is named by its spec's name. REQUIRES: a
  // scenario with a playable node.
  Classroom(std::vector<LoadedScenario> scenarios, Options options, std::function<std::string(int)> tokens);

  // Finished games under out_dir, read back; returns a line for each
  // team.json that could not be read (the rest load).
  std::vector<std::string> load_finished();

  const std::vector<LoadedScenario>& scenarios() const noexcept { return scenarios_; }
  // Throws std::invalid_argument (a message for the teacher) for an unknown
  // scenario or a number of teams outside 1..kMaxTeams.
  std::string create_session(const std::string& scenario, int teams);
  // Starts the games; throws std::invalid_argument for an unknown session,
  // one already started, or a game that cannot be set up (then nothing changes).
  void start(const std::string& session, double now);
  // Advances every team whose timer ran out by `now`.
  void tick(double now);

  // What the seat of `token` shows; std::nullopt for an unknown token.
  std::optional<SeatView> seat(const std::string& token, double now) const;
  // Takes the seat (idempotent). Throws std::invalid_argument for an unknown
  // token or a session that has started.
  void join(const std::string& token);
  // The policy orders for every player of team `team` of `session` who has
  // not ordered this week, and the week advances (the teacher's way past a
  // student who left). Throws std::invalid_argument when the team is not playing.
  void skip(const std::string& session, int team, double now);
  // The seat's order for the current week. Throws std::invalid_argument
  // (shown to the player) when it is not the seat's turn or the quantity is
  // not a whole number of units from 0 to Game::kMaxOrder.
  void order(const std::string& token, double quantity, double now);

  std::vector<SessionSummary> sessions() const;
  // The teacher's view of every session, as JSON text.
  std::string teacher_state(double now) const;
  // The debrief page (HTML) and the orders as CSV of a session; std::nullopt
  // for an unknown session.
  std::optional<std::string> debrief_html(const std::string& session) const;
  std::optional<std::string> orders_csv(const std::string& session) const;
  // A finished team's result, or nullptr.
  const TeamResult* result(const std::string& session, int team) const;

  static constexpr int kMaxTeams = 64;
  static constexpr std::size_t kMaxSessions = 256;  // made since the server started

 private:
  struct Seat {
    std::string role, token;
    bool joined = false;
    int player = -1;  // index in the team's game, once started
  };
  struct Team {
    int number = 0;
    std::vector<Seat> seats;
    std::unique_ptr<Game> game;
    std::vector<std::optional<double>> pending;  // by player
    std::vector<GameWeek> views;                 // by player, the current week
    double deadline = 0.0;
    std::vector<int> passed_on;
    std::optional<TeamResult> result;
  };
  struct Session {
    std::string id;
    std::size_t scenario = 0;
    std::string scenario_name;
    std::string state = "joining";
    std::vector<Team> teams;
    bool read_back = false;  // finished before this server started
  };
  struct SeatRef {
    std::size_t session = 0, team = 0, seat = 0;
    bool found = false;
  };

  SeatRef find_seat(const std::string& token) const;
  Session* find_session(const std::string& id);
  const Session* find_session(const std::string& id) const;
  // When a week begun at `now` runs out: with the timer, or never.
  double deadline(double now) const;
  void begin_week(Team& team, double now);
  // Every player's order this week (`passed`: how many the policy gave); the
  // team's next week, or its end. Throws, changing nothing, when refused.
  void advance(Session& session, Team& team, const std::vector<double>& orders, int passed, double now);
  // The policy's orders for those who have not ordered, then advance().
  void policy_week(Session& session, Team& team, double now);
  void finish(Session& session, Team& team);
  void write_team(const Session& session, const Team& team) const;

  std::vector<LoadedScenario> scenarios_;
  Options options_;
  std::function<std::string(int)> tokens_;
  std::vector<Session> sessions_;
  std::map<std::string, std::pair<std::size_t, std::size_t>> seats_;  // token -> (session, team) indices
};

// A team's result as the JSON of team.json, and back (throws
// std::runtime_error naming what is missing or wrong).
std::string team_json(const std::string& session, const std::string& scenario, const TeamResult& r);
TeamResult read_team_json(const std::string& text, std::string& session, std::string& scenario);

}  // namespace chainsim::models::classroom

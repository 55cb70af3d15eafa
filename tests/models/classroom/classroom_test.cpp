// A class playing in teams (models/classroom/): seats, weeks, the timer,
// the debrief against a run of the played scenario, the files written and
// read back, and the server's answers to good and hostile requests.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "models/classroom/classroom.h"
#include "models/classroom/routes.h"
#include "models/experiment/experiment.h"
#include "models/experiment/game.h"
#include "models/measure/series.h"
#include "models/scenario/loader.h"

using namespace chainsim::models;
using namespace chainsim::models::classroom;
namespace fs = std::filesystem;

namespace {

LoadedScenario beer_game() { return load_scenario(std::string(CHAINSIM_SOURCE_DIR) + "/scenarios/beer_game.yaml"); }

// Tokens 0000..., 0001..., in order: ids and seats a test can name.
std::function<std::string(int)> counting_tokens() {
  auto n = std::make_shared<int>(0);
  return [n](int digits) {
    std::string s = std::to_string((*n)++);
    return std::string(static_cast<std::size_t>(digits) - s.size(), '0') + s;
  };
}

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name) : path(fs::temp_directory_path() / ("chainsim_classroom_" + name)) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

Classroom::Options options(const std::string& out, double timer = 0.0) {
  Classroom::Options o;
  o.out_dir = out;
  o.timer_seconds = timer;
  return o;
}

// The seat tokens of a session, by team then seat, from the teacher's view.
std::vector<std::vector<std::string>> seat_tokens(const Classroom& c, const std::string& session) {
  const nlohmann::json st = nlohmann::json::parse(c.teacher_state(0));
  std::vector<std::vector<std::string>> out;
  for (const auto& s : st["sessions"]) {
    if (s["id"] != session) continue;
    for (const auto& t : s["teams"]) {
      out.emplace_back();
      for (const auto& seat : t["seats"]) out.back().push_back(seat["token"].get<std::string>());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("a game of several players: each sees their own stage, and the week waits for all of them") {
  Game g(beer_game(), std::vector<std::string>{"retailer", "distributor"});
  CHECK(g.players() == 2);
  const std::vector<GameWeek> v = g.views();
  REQUIRE(v.size() == 2);
  CHECK(v[0].order_in == 4);   // the retailer: customer demand
  CHECK(v[1].order_in == 4);   // the distributor: the wholesaler's order
  CHECK_THROWS_AS(g.order(4), std::logic_error);  // one order for two players
  CHECK_THROWS_AS(g.order_week({4}), std::logic_error);
  CHECK_THROWS_AS(g.order_week({4, 1.5}), std::invalid_argument);
  CHECK(g.week() == 0);  // a refused week leaves nothing behind
  for (int k = 0; k < 36; ++k) g.order_week({8, k % 2 == 0 ? 0.0 : 20.0});
  CHECK(g.over());
  const std::vector<GameStage> stages = g.debrief();
  REQUIRE(stages.size() == 4);
  CHECK(stages[0].player);
  CHECK_FALSE(stages[1].player);
  CHECK(stages[2].player);
  CHECK(stages[0].orders == std::vector<double>(36, 8.0));
  CHECK(stages[2].orders == g.orders(1));
  const LoadedScenario played = load_scenario_text(g.played_yaml(), "played.yaml", CHAINSIM_SOURCE_DIR "/scenarios");
  CHECK(played.spec.nodes[0].stocks[0].policy.plan == g.orders(0));
  CHECK(played.spec.nodes[2].stocks[0].policy.plan == g.orders(1));
  CHECK(played.spec.nodes[1].stocks[0].policy.type != PolicyType::kScripted);
  CHECK_THROWS_WITH_AS(Game(beer_game(), std::vector<std::string>{"retailer", "retailer"}),
                       "--role: node 'retailer' is named twice", std::invalid_argument);
  CHECK(Game::playable_roles(beer_game()) ==
        std::vector<std::string>{"retailer", "wholesaler", "distributor", "factory"});
}

TEST_CASE("a class plays: seats join before the start, the rest follow the policy, and the debrief is the run") {
  TempDir dir("play");
  Classroom c({beer_game()}, options(dir.path.string()), counting_tokens());
  CHECK_THROWS_WITH_AS(c.create_session("brewery", 2), "no scenario named 'brewery' on this server",
                       std::invalid_argument);
  CHECK_THROWS_AS(c.create_session("beer_game", 0), std::invalid_argument);
  CHECK_THROWS_AS(c.create_session("beer_game", Classroom::kMaxTeams + 1), std::invalid_argument);
  const std::string id = c.create_session("beer_game", 2);
  const auto tokens = seat_tokens(c, id);
  REQUIRE(tokens.size() == 2);
  REQUIRE(tokens[0].size() == 4);
  CHECK_FALSE(c.seat("ffffffffffffffff", 0));
  // Team 1: retailer and factory; team 2: nobody.
  CHECK(c.seat(tokens[0][0], 0)->state == "open");  // looking is not taking
  c.join(tokens[0][0]);
  c.join(tokens[0][0]);  // twice is once
  c.join(tokens[0][3]);
  CHECK(c.seat(tokens[0][0], 0)->state == "joining");
  CHECK(c.seat(tokens[0][3], 0)->state == "joining");
  CHECK(c.seat(tokens[0][1], 0)->state == "open");
  CHECK_THROWS_WITH_AS(c.order(tokens[0][0], 4, 0), "the game has not started yet", std::invalid_argument);
  c.start(id, 0);
  CHECK_THROWS_AS(c.start(id, 0), std::invalid_argument);
  CHECK(c.seat(tokens[0][1], 0)->state == "absent");  // not taken: the policy plays it
  CHECK_THROWS_WITH_AS(c.join(tokens[0][1]), "the game has started without this seat", std::invalid_argument);
  CHECK(c.result(id, 2) != nullptr);                   // nobody played team 2: done at the start
  SeatView r = *c.seat(tokens[0][0], 0);
  CHECK(r.state == "ordering");
  CHECK(r.view.order_in == 4);
  c.order(tokens[0][0], 5, 1);
  CHECK(c.seat(tokens[0][0], 1)->state == "ordered");
  CHECK_THROWS_WITH_AS(c.order(tokens[0][0], 5, 1), "you have ordered for this week; the team is still ordering",
                       std::invalid_argument);
  CHECK(c.seat(tokens[0][3], 1)->week == 0);  // the week waits for the factory
  CHECK_THROWS_AS(c.order(tokens[0][3], -1, 1), std::invalid_argument);
  CHECK_THROWS_AS(c.order(tokens[0][3], 2.5, 1), std::invalid_argument);
  c.order(tokens[0][3], 9, 2);
  CHECK(c.seat(tokens[0][0], 2)->week == 1);
  CHECK(c.seat(tokens[0][0], 2)->orders == std::vector<double>{5});
  for (int k = 1; k < 36; ++k) {
    c.order(tokens[0][0], 4, 3);
    c.order(tokens[0][3], 12, 3);
  }
  REQUIRE(c.result(id, 1) != nullptr);
  CHECK(c.seat(tokens[0][0], 4)->state == "over");
  CHECK(c.sessions().front().state == "over");
  // The debrief's numbers are those of `chainsim run` of the written played.yaml.
  const fs::path team1 = dir.path / id / "team-1";
  const LoadedScenario played = load_scenario((team1 / "played.yaml").string());
  const ReplicationOutput run = run_replication(played.spec, played.spec.seed, 0, ReplicationOptions::checked());
  for (const GameStage& g : c.result(id, 1)->stages) {
    CAPTURE(g.node);
    CHECK(g.cost == run.kpis.get("node", g.node, "total_cost"));
  }
  CHECK(c.result(id, 1)->stages[0].orders.front() == 5);
  CHECK(c.result(id, 1)->stages[3].orders.front() == 9);
  for (const char* f : {"played.yaml", "team.json", "summary.json", "timeseries.csv", "report.html"}) {
    CHECK(fs::is_regular_file(team1 / f));
  }
  const std::string csv = *c.orders_csv(id);
  CHECK(csv.rfind("session,team,week,node,played,ordered,customer_demand\n", 0) == 0);
  CHECK(csv.find(id + ",1,0,retailer,1,5,4\n") != std::string::npos);
  CHECK(csv.find(id + ",1,0,factory,1,9,4\n") != std::string::npos);
  const std::string html = *c.debrief_html(id);
  CHECK(html.find("data-chart=\"line\"") != std::string::npos);
  CHECK(html.find("data-chart=\"bar\"") != std::string::npos);

  // A server started again on the same folder has the finished games.
  Classroom again({beer_game()}, options(dir.path.string()), counting_tokens());
  CHECK(again.load_finished().empty());
  REQUIRE(again.result(id, 1) != nullptr);
  CHECK(again.result(id, 1)->stages[0].cost == c.result(id, 1)->stages[0].cost);
  CHECK(again.result(id, 2) != nullptr);
  CHECK(*again.orders_csv(id) == csv);
}

// What each node orders at period 0 with every node on its policy, rounded:
// `chainsim run` of the scenario itself.
std::vector<double> rule_orders_at_start(const LoadedScenario& s) {
  ReplicationOptions o = ReplicationOptions::checked();
  o.keep_series = true;
  o.columns = {"ordered"};
  const ReplicationOutput rep = run_replication(s.spec, s.spec.seed, 0, o);
  const std::size_t slot = rep.series.slot(chainsim::models::series_column_indices({"ordered"}).front());
  std::vector<double> out;
  for (std::size_t stock = 0; stock < rep.series.stocks; ++stock) out.push_back(std::round(rep.series.at(0, stock, slot)));
  return out;
}

TEST_CASE("the policy's order for a player: the node's own rule, given the game as played") {
  const LoadedScenario s = beer_game();
  Game g(s, Game::playable_roles(s));
  // Week 0: nothing played yet, so the rule-following chain's own orders.
  const std::vector<double> start = rule_orders_at_start(s);
  CHECK(g.policy_orders() == std::vector<double>(start.begin(), start.begin() + 4));
  // A wholesaler who ordered nothing for eight weeks is owed more by the rule
  // than one who ordered 30 a week: the rule reads the stock and supply line left.
  Game starved(s, "wholesaler"), flooded(s, "wholesaler");
  for (int k = 0; k < 8; ++k) {
    starved.order(0);
    flooded.order(30);
  }
  CHECK(starved.policy_orders().front() > flooded.policy_orders().front() + 5);
  CHECK(flooded.policy_orders().front() >= 0);
}

TEST_CASE("with a timer, the policy orders for a player who has not ordered") {
  TempDir dir("timer");
  const LoadedScenario s = beer_game();
  Classroom c({s}, options(dir.path.string(), 30.0), counting_tokens());
  const std::string id = c.create_session("beer_game", 1);
  const auto tokens = seat_tokens(c, id);
  c.join(tokens[0][0]);
  c.join(tokens[0][1]);
  c.start(id, 100);
  CHECK(c.seat(tokens[0][0], 110)->seconds_left == doctest::Approx(20));
  c.tick(129);  // not yet
  CHECK(c.seat(tokens[0][1], 129)->week == 0);
  c.tick(130);  // neither ordered: the rule-following chain's week 0
  const std::vector<double> start = rule_orders_at_start(s);
  CHECK(c.seat(tokens[0][0], 130)->orders == std::vector<double>{start[0]});
  CHECK(c.seat(tokens[0][1], 130)->orders == std::vector<double>{start[1]});
  c.order(tokens[0][0], 7, 140);  // the retailer orders; the wholesaler's rule orders for it
  c.tick(160);
  CHECK(c.seat(tokens[0][0], 160)->orders == std::vector<double>{start[0], 7});
  CHECK(c.seat(tokens[0][1], 160)->orders.size() == 2);
  for (int k = 2; k < 36; ++k) c.tick(160.0 + 30.0 * (k - 1));
  REQUIRE(c.result(id, 1) != nullptr);
  CHECK(c.result(id, 1)->passed_on.front() == 2);
  CHECK(c.result(id, 1)->passed_on.at(1) == 1);
  CHECK(c.result(id, 1)->passed_on.back() == 2);
}

TEST_CASE("a damaged team.json is skipped with its name, and the rest load") {
  TempDir dir("damaged");
  fs::create_directories(dir.path / "0000abcd" / "team-1");
  std::ofstream(dir.path / "0000abcd" / "team-1" / "team.json") << "{\"format\": \"chainsim-classroom-team/1\"";
  fs::create_directories(dir.path / "not-a-session" / "team-1");
  std::ofstream(dir.path / "not-a-session" / "team-1" / "team.json") << "{}";
  Classroom c({beer_game()}, options(dir.path.string()), counting_tokens());
  const std::vector<std::string> problems = c.load_finished();
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("0000abcd/team-1/team.json") != std::string::npos);
  CHECK(c.sessions().empty());
}

TEST_CASE("the server's answers: the key guards the teacher's pages, and hostile requests get 4xx") {
  TempDir dir("routes");
  Classroom c({beer_game()}, options(dir.path.string()), counting_tokens());
  const std::string key = "0123456789abcdef0123456789abcdef";
  auto ask = [&](const std::string& method, const std::string& target, const std::string& body = "") {
    return handle(c, key, Request{method, target, body}, 0);
  };
  CHECK(ask("GET", "/").status == 200);
  CHECK(ask("GET", "/static/player.js").content_type == "text/javascript; charset=utf-8");
  CHECK(ask("GET", "/teacher").status == 403);
  CHECK(ask("GET", "/teacher?key=wrong").status == 403);
  CHECK(ask("GET", "/teacher?key=" + key).status == 200);
  CHECK(ask("GET", "/api/teacher?key=" + key.substr(0, 31)).status == 403);
  const Response made = ask("POST", "/api/sessions?key=" + key, "scenario=beer_game&teams=2");
  REQUIRE(made.status == 201);
  const std::string id = nlohmann::json::parse(made.body)["id"];
  const std::string token = seat_tokens(c, id)[0][0];
  CHECK(ask("GET", "/play/" + token).status == 200);
  CHECK(nlohmann::json::parse(ask("GET", "/api/seat/" + token).body)["state"] == "open");
  CHECK(nlohmann::json::parse(ask("POST", "/api/seat/" + token, "join=1").body)["state"] == "joining");
  CHECK(nlohmann::json::parse(ask("GET", "/api/seat/" + token).body)["state"] == "joining");
  CHECK(ask("POST", "/api/start/" + id + "?key=" + key).status == 200);
  const Response ordered = ask("POST", "/api/seat/" + token, "order=6");
  CHECK(ordered.status == 200);
  CHECK(nlohmann::json::parse(ordered.body)["week"] == 1);  // the only player: the week moves on
  const Response bad = ask("POST", "/api/seat/" + token, "order=1e3");
  CHECK(bad.status == 400);
  CHECK(nlohmann::json::parse(bad.body)["error"] ==
        "an order is a whole number of units from 0 to 1000000 (got '1e3')");
  CHECK(ask("GET", "/orders/" + id + ".csv?key=" + key).headers.front().second ==
        "attachment; filename=\"orders-" + id + ".csv\"");
  // Hostile or malformed: each a 4xx, and the server goes on answering.
  struct Case {
    std::string method, target, body;
    int status;
  };
  for (const Case& k : std::vector<Case>{
           {"DELETE", "/", "", 405},
           {"GET", "/../../etc/passwd", "", 400},
           {"GET", "/static/../pages.cpp", "", 400},
           {"GET", "/%2e%2e/etc/passwd", "", 400},
           {"GET", "/play/" + token + "x", "", 404},
           {"GET", "/api/seat/zzzz", "", 404},
           {"GET", "/debrief/" + id + "?key=" + key + "&x=%zz", "", 400},
           {"GET", "/debrief/ffffffff?key=" + key, "", 404},
           {"GET", "/debrief/" + id + "/../x?key=" + key, "", 400},
           {"POST", "/api/seat/" + token, "order", 400},
           {"POST", "/api/seat/" + token, "order=%", 400},
           {"POST", "/api/seat/" + token, "order=-3", 400},
           {"POST", "/api/seat/" + token, "order=99999999", 400},
           {"POST", "/api/seat/" + token, "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9", 400},
           {"POST", "/api/seat/" + token, "order=%c3%28", 400},
           {"POST", "/api/sessions?key=" + key, "scenario=beer_game&teams=65", 400},
           {"POST", "/api/sessions?key=" + key, "scenario=" + std::string(300, 'a') + "&teams=1", 400},
           {"POST", "/api/start/" + id + "?key=" + key, "", 409},
           {"POST", "/api/seat/" + seat_tokens(c, id)[0][1], "join=1", 409},
           {"POST", "/api/skip/" + id + "?key=" + key, "team=9", 409},
           {"POST", "/api/skip/" + id + "?key=" + key, "team=x", 409},
           {"POST", "/api/skip/" + id, "team=1", 403},
           {"GET", std::string(100, '/'), "", 400},
       }) {
    CAPTURE(k.method);
    CAPTURE(k.target);
    CAPTURE(k.body);
    CHECK(ask(k.method, k.target, k.body).status == k.status);
  }
  CHECK(ask("GET", "/").status == 200);
  const Response page = ask("GET", "/");
  bool has_csp = false;
  for (const auto& h : page.headers) has_csp = has_csp || h.first == "Content-Security-Policy";
  CHECK(has_csp);
}

TEST_CASE("the teacher can have the policy order for a student who left, and a failed start changes nothing") {
  TempDir dir("skip");
  Classroom c({beer_game()}, options(dir.path.string()), counting_tokens());
  const std::string id = c.create_session("beer_game", 2);
  const auto tokens = seat_tokens(c, id);
  for (const std::string& t : tokens[0]) c.join(t);
  CHECK_THROWS_AS(c.skip(id, 1, 0), std::invalid_argument);  // not playing yet
  c.start(id, 0);
  c.order(tokens[0][0], 6, 0);  // the others have left
  c.skip(id, 1, 0);
  CHECK(c.seat(tokens[0][0], 0)->week == 1);
  CHECK(c.seat(tokens[0][0], 0)->orders == std::vector<double>{6});
  CHECK(c.seat(tokens[0][1], 0)->orders.size() == 1);
  CHECK(c.result(id, 1) == nullptr);
  CHECK_THROWS_AS(c.skip(id, 2, 0), std::invalid_argument);  // team 2 had nobody: over at the start
  CHECK_THROWS_AS(c.skip(id, 3, 0), std::invalid_argument);

  // A scenario that reads a trace from a folder it was allowed at load.
  fs::create_directories(dir.path / "traces");
  fs::create_directories(dir.path / "game");
  {
    std::ofstream(dir.path / "traces" / "demand.csv") << "period,demand\n0,4\n1,8\n";
    std::ifstream in(std::string(CHAINSIM_SOURCE_DIR) + "/scenarios/beer_game.yaml");
    std::stringstream text;
    text << in.rdbuf();
    std::string yaml = text.str();
    std::ofstream(dir.path / "game" / "traced.yaml") << yaml;
  }
  const std::string traced = (dir.path / "game" / "traced.yaml").string();
  const LoadOptions allowed({"nodes.retailer.demand={type: trace, file: ../traces/demand.csv, column: demand}"},
                            "--set", {(dir.path / "traces").string()});
  const LoadedScenario s = load_scenario(traced, allowed);
  CHECK(s.allowed_dirs == std::vector<std::string>{(dir.path / "traces").string()});
  Classroom t({s}, options((dir.path / "out").string()), counting_tokens());
  const std::string tid = t.create_session(s.spec.name, 1);
  t.join(seat_tokens(t, tid)[0][0]);
  t.start(tid, 0);  // the played scenario reads the trace from the allowed folder
  CHECK(t.seat(seat_tokens(t, tid)[0][0], 0)->state == "ordering");
  // The trace gone: the start is refused with why, and the session waits as it was.
  const std::string second = t.create_session(s.spec.name, 2);
  const std::string seat = seat_tokens(t, second)[1][2];
  t.join(seat);
  fs::rename(dir.path / "traces" / "demand.csv", dir.path / "traces" / "gone.csv");
  CHECK_THROWS_AS(t.start(second, 0), std::invalid_argument);
  CHECK(t.seat(seat, 0)->state == "joining");
  CHECK(nlohmann::json::parse(t.teacher_state(0))["sessions"][1]["state"] == "joining");
  fs::rename(dir.path / "traces" / "gone.csv", dir.path / "traces" / "demand.csv");
  t.start(second, 0);
  CHECK(t.seat(seat, 0)->state == "ordering");
}

TEST_CASE("sessions read back from disk do not count against the sessions a server may make") {
  TempDir dir("cap");
  {
    Classroom c({beer_game()}, options(dir.path.string()), counting_tokens());
    c.start(c.create_session("beer_game", 1), 0);  // nobody joined: over at once, written
  }
  Classroom c({beer_game()}, options(dir.path.string()), counting_tokens());
  CHECK(c.load_finished().empty());
  CHECK(c.sessions().size() == 1);
  for (std::size_t k = 0; k < Classroom::kMaxSessions; ++k) c.create_session("beer_game", 1);
  CHECK_THROWS_AS(c.create_session("beer_game", 1), std::invalid_argument);
  // The same team.json twice (a copy under another team folder) is refused, once.
  const std::string id = c.sessions().front().id;
  fs::copy(dir.path / id / "team-1", dir.path / id / "team-1x", fs::copy_options::recursive);
  Classroom again({beer_game()}, options(dir.path.string()), counting_tokens());
  const std::vector<std::string> problems = again.load_finished();
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("team 1 of session " + id + " is there already") != std::string::npos);
}

TEST_CASE("form fields decode percent-escapes and plus signs, and refuse what is malformed") {
  std::vector<std::pair<std::string, std::string>> f;
  CHECK(parse_form("a=1&b=x+y%21", f));
  REQUIRE(f.size() == 2);
  CHECK(f[1].second == "x y!");
  CHECK(parse_form("", f));
  CHECK(f.empty());
  CHECK_FALSE(parse_form("a=%4", f));
  CHECK_FALSE(parse_form("a=%g1", f));
  CHECK_FALSE(parse_form("a", f));
  CHECK_FALSE(parse_form("a=%00", f));  // a control character
  CHECK(parse_form("a=", f));
  CHECK(f[0].second.empty());
}

#include "models/classroom/routes.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <fmt/core.h>
#include <iostream>
#include <nlohmann/json.hpp>

#include "models/classroom/pages.h"
#include "sim/text.h"

namespace chainsim::models::classroom {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxField = 200;  // characters of a decoded form value

Response content(const char* type, std::string body) {
  Response r;
  r.content_type = type;
  r.body = std::move(body);
  return r;
}

Response text(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body) + "\n";
  return r;
}

Response page(const char* html) { return content("text/html; charset=utf-8", html); }

Response json_response(int status, const json& j) {
  Response r = content("application/json", j.dump());
  r.status = status;
  return r;
}

Response error_json(int status, const std::string& message) { return json_response(status, json{{"error", message}}); }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool decode(const std::string& in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = hex_digit(in[i + 1]), lo = hex_digit(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
    if (out.size() > kMaxField) return false;
  }
  return sim::first_invalid_utf8(out) == std::string::npos && sim::first_control(out) == std::string::npos;
}

// The value of field `name`, or "" when absent.
std::string field(const std::vector<std::pair<std::string, std::string>>& fields, const std::string& name) {
  for (const auto& [n, v] : fields) {
    if (n == name) return v;
  }
  return "";
}

bool is_hex(const std::string& s, std::size_t length) {
  return s.size() == length &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Compares the key without stopping at the first difference.
bool same_key(const std::string& a, const std::string& b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// A whole number written in digits, at most 7 of them; else -1.
double whole_number(const std::string& s) {
  if (s.empty() || s.size() > 7 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return -1.0;
  }
  return std::stod(s);
}

json seat_json(const SeatView& v) {
  json j{{"session", v.session}, {"team", v.team},         {"role", v.role},       {"scenario", v.scenario},
         {"time_unit", v.time_unit}, {"week", v.week},     {"horizon", v.horizon}, {"state", v.state},
         {"orders", v.orders},   {"seconds_left", v.seconds_left}};
  if (v.state == "ordering" || v.state == "ordered") {
    const GameWeek& w = v.view;
    j["view"] = {{"shipment_in", w.shipment_in}, {"order_in", w.order_in},   {"on_hand", w.on_hand},
                 {"backlog", w.backlog},         {"on_order", w.on_order},   {"cost_so_far", w.cost_so_far},
                 {"customer_demand", std::isfinite(w.customer_demand) ? json(w.customer_demand) : json(nullptr)}};
  }
  if (v.state == "over") {
    j["cost"] = v.cost;
    j["cost_benchmark"] = v.cost_benchmark;
    j["bullwhip"] = std::isfinite(v.bullwhip) ? json(v.bullwhip) : json(nullptr);
  }
  return j;
}

Response seat_route(Classroom& c, const Request& rq, const std::string& token, double now) {
  if (!is_hex(token, 16)) return error_json(404, "no such seat");
  if (rq.method == "POST") {
    std::vector<std::pair<std::string, std::string>> form;
    if (!parse_form(rq.body, form)) return error_json(400, "a malformed form");
    if (field(form, "join") == "1") {
      try {
        c.join(token);
      } catch (const std::invalid_argument& e) {
        return error_json(c.seat(token, now) ? 409 : 404, e.what());
      }
      return json_response(200, seat_json(*c.seat(token, now)));
    }
    const std::string typed = field(form, "order");
    const double q = whole_number(typed);
    if (q < 0 || q > Game::kMaxOrder) {
      return error_json(400, fmt::format("an order is a whole number of units from 0 to {:.0f} (got '{}')",
                                         Game::kMaxOrder, sim::printable(sim::excerpt(typed, 20))));
    }
    try {
      c.order(token, q, now);
    } catch (const std::invalid_argument& e) {
      return error_json(c.seat(token, now) ? 409 : 404, e.what());
    }
  }
  const std::optional<SeatView> v = c.seat(token, now);
  if (!v) return error_json(404, "no such seat");
  return json_response(200, seat_json(*v));
}

Response teacher_route(Classroom& c, const Request& rq, const std::string& path, double now) {
  if (path == "/teacher" && rq.method == "GET") return page(pages::kTeacher);
  if (path == "/api/teacher" && rq.method == "GET") return content("application/json", c.teacher_state(now));
  if (path == "/api/sessions" && rq.method == "POST") {
    std::vector<std::pair<std::string, std::string>> form;
    if (!parse_form(rq.body, form)) return error_json(400, "a malformed form");
    const double teams = whole_number(field(form, "teams"));
    try {
      return json_response(201, json{{"id", c.create_session(field(form, "scenario"), static_cast<int>(teams))}});
    } catch (const std::invalid_argument& e) {
      return error_json(400, e.what());
    }
  }
  const auto id_after = [&](const std::string& prefix, const std::string& suffix) -> std::string {
    if (path.size() != prefix.size() + 8 + suffix.size() || path.compare(0, prefix.size(), prefix) != 0 ||
        path.compare(prefix.size() + 8, suffix.size(), suffix) != 0) {
      return "";
    }
    const std::string id = path.substr(prefix.size(), 8);
    return is_hex(id, 8) ? id : "";
  };
  if (const std::string id = id_after("/api/start/", ""); !id.empty() && rq.method == "POST") {
    try {
      c.start(id, now);
      return json_response(200, json{{"id", id}});
    } catch (const std::invalid_argument& e) {
      return error_json(409, e.what());
    }
  }
  if (const std::string id = id_after("/api/skip/", ""); !id.empty() && rq.method == "POST") {
    std::vector<std::pair<std::string, std::string>> form;
    if (!parse_form(rq.body, form)) return error_json(400, "a malformed form");
    const double team = whole_number(field(form, "team"));
    try {
      c.skip(id, static_cast<int>(team), now);
      return json_response(200, json{{"id", id}});
    } catch (const std::invalid_argument& e) {
      return error_json(409, e.what());
    }
  }
  if (const std::string id = id_after("/debrief/", ""); !id.empty() && rq.method == "GET") {
    std::optional<std::string> html = c.debrief_html(id);
    if (!html) return text(404, "no such session");
    return content("text/html; charset=utf-8", std::move(*html));
  }
  if (const std::string id = id_after("/orders/", ".csv"); !id.empty() && rq.method == "GET") {
    std::optional<std::string> csv = c.orders_csv(id);
    if (!csv) return text(404, "no such session");
    Response r = content("text/csv; charset=utf-8", std::move(*csv));
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"orders-" + id + ".csv\"");
    return r;
  }
  return text(404, "not found");
}

bool path_characters_ok(const std::string& path) {
  return !path.empty() && path[0] == '/' && path.size() <= 64 && path.find("..") == std::string::npos &&
         std::all_of(path.begin(), path.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
                  c == '.' || c == '-' || c == '_';
         });
}

Response route(Classroom& c, const std::string& key, const Request& rq, double now) {
  if (rq.method != "GET" && rq.method != "POST") {
    Response r = text(405, "only GET and POST");
    r.headers.emplace_back("Allow", "GET, POST");
    return r;
  }
  const std::size_t mark = rq.target.find('?');
  const std::string path = rq.target.substr(0, mark);
  const std::string query = mark == std::string::npos ? "" : rq.target.substr(mark + 1);
  if (!path_characters_ok(path)) return text(400, "a malformed path");
  std::vector<std::pair<std::string, std::string>> fields;
  if (!parse_form(query, fields)) return text(400, "a malformed query");
  if (rq.method == "GET") {
    if (path == "/") return page(pages::kFront);
    if (path == "/favicon.ico") {  // browsers ask; there is none
      Response none;
      none.status = 204;
      return none;
    }
    if (path == "/static/style.css") return content("text/css; charset=utf-8", pages::kStyle);
    if (path == "/static/teacher.js") return content("text/javascript; charset=utf-8", pages::kTeacherJs);
    if (path == "/static/player.js") return content("text/javascript; charset=utf-8", pages::kPlayerJs);
    if (path.rfind("/play/", 0) == 0) return is_hex(path.substr(6), 16) ? page(pages::kPlayer) : text(404, "not found");
  }
  if (path.rfind("/api/seat/", 0) == 0) return seat_route(c, rq, path.substr(10), now);
  const bool teacher = path == "/teacher" || path.rfind("/api/", 0) == 0 || path.rfind("/debrief/", 0) == 0 ||
                       path.rfind("/orders/", 0) == 0;
  if (!teacher) return text(404, "not found");
  if (!same_key(field(fields, "key"), key)) return text(403, "the teacher's pages need the key chainsim serve printed");
  return teacher_route(c, rq, path, now);
}

}  // namespace

bool parse_form(const std::string& text, std::vector<std::pair<std::string, std::string>>& out,
                std::size_t max_fields) {
  out.clear();
  if (text.empty()) return true;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('&', start), text.size());
    const std::string part = text.substr(start, end - start);
    const std::size_t eq = part.find('=');
    if (eq == std::string::npos || out.size() >= max_fields) return false;
    std::string name, value;
    if (!decode(part.substr(0, eq), name) || !decode(part.substr(eq + 1), value)) return false;
    out.emplace_back(std::move(name), std::move(value));
    start = end + 1;
  }
  return true;
}

Response handle(Classroom& classroom, const std::string& key, const Request& request, double now) {
  Response r;
  try {
    r = route(classroom, key, request, now);
  } catch (const std::exception& e) {
    // A fault of the server, not of the request; it keeps serving.
    std::cerr << "chainsim serve: error: " << sim::printable(e.what()) << "\n";
    r = text(500, "the server could not answer this request");
  }
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
                         "style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'self'; "
                         "frame-ancestors 'none'");
  return r;
}

}  // namespace chainsim::models::classroom

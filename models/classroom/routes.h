// The classroom server's requests and answers, apart from the network
// (cli/serve_command.cpp carries them over HTTP with Boost.Beast).
//
//   GET  /                         the front page (what to open)
//   GET  /teacher?key=K            the teacher's page
//   GET  /api/teacher?key=K        the teacher's view (JSON)
//   POST /api/sessions?key=K       a new session: scenario=NAME&teams=N (form)
//   POST /api/start/ID?key=K       starts session ID
//   POST /api/skip/ID?key=K        team=N: the policy orders for team N's players who have not
//   GET  /debrief/ID?key=K         the debrief page of session ID
//   GET  /orders/ID.csv?key=K      its orders, as CSV
//   GET  /play/TOKEN               a player's page
//   GET  /api/seat/TOKEN           the player's view (JSON)
//   POST /api/seat/TOKEN           join=1: takes the seat (before the start); order=N: the week's order
//
// Every part of a request is checked before use: the method, the path
// (letters, digits and / . - _ only, each id of its exact form), the query
// and form fields (known names, bounded lengths, percent-escapes valid,
// UTF-8). What does not fit gets 400, 403, 404 or 405 with a short plain
// message; nothing of a request is echoed unescaped into a page.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "models/classroom/classroom.h"

namespace chainsim::models::classroom {

struct Request {
  std::string method;  // GET, POST, ...
  std::string target;  // path and query, as sent
  std::string body;    // form fields for POST
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type and Content-Length
};

// The answer to `request` at time `now` (seconds, any steady origin).
// `key` is the teacher's key. Never throws for any request.
Response handle(Classroom& classroom, const std::string& key, const Request& request, double now);

// Decodes application/x-www-form-urlencoded text (a query or a form body)
// into name/value pairs; false when it is malformed (a bad %-escape, a
// field without '=', more than `max_fields` fields).
bool parse_form(const std::string& text, std::vector<std::pair<std::string, std::string>>& out,
                std::size_t max_fields = 8);

}  // namespace chainsim::models::classroom

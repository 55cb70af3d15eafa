// The classroom server's pages: plain HTML, CSS and JavaScript served by the
// binary itself (no CDN, no build step). The scripts read the server's JSON
// and build the page with DOM methods (textContent), never innerHTML.
#pragma once

namespace chainsim::models::classroom::pages {

extern const char* const kFront;       // GET /
extern const char* const kTeacher;     // GET /teacher
extern const char* const kPlayer;      // GET /play/TOKEN
extern const char* const kStyle;       // GET /static/style.css
extern const char* const kTeacherJs;   // GET /static/teacher.js
extern const char* const kPlayerJs;    // GET /static/player.js

}  // namespace chainsim::models::classroom::pages

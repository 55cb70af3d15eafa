#include "sim/text.h"

#include <fmt/core.h>

namespace chainsim::sim {

namespace {

// The length of the well-formed UTF-8 sequence at text[i] and its code point,
// or 0 when the bytes there are not one.
std::size_t sequence_at(std::string_view text, std::size_t i, char32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t n = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool is_control(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||  // C0, DEL, C1
         cp == 0x061C || cp == 0x200E || cp == 0x200F ||             // direction marks
         (cp >= 0x2028 && cp <= 0x202E) ||                           // line and paragraph separators, embeddings
         (cp >= 0x2066 && cp <= 0x2069);                             // isolates
}

}  // namespace

std::size_t first_invalid_utf8(std::string_view text) {
  char32_t cp = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = sequence_at(text, i, cp);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::size_t first_control(std::string_view text, std::string_view allowed) {
  char32_t cp = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = sequence_at(text, i, cp);
    if (n == 0) return std::string_view::npos;  // not UTF-8: the caller's check
    if (is_control(cp) && !(cp < 0x80 && allowed.find(static_cast<char>(cp)) != std::string_view::npos)) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char32_t cp = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = sequence_at(text, i, cp);
    if (n == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    switch (cp) {
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (!is_control(cp)) {
          out.append(text.substr(i, n));
        } else if (cp < 0x80) {
          out += fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
        } else {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
        }
    }
    i += n;
  }
  return out;
}

std::string excerpt(std::string_view text, std::size_t max_chars) {
  char32_t cp = 0;
  std::size_t i = 0;
  for (std::size_t shown = 0; i < text.size() && shown < max_chars; ++shown) {
    const std::size_t n = sequence_at(text, i, cp);
    i += n == 0 ? 1 : n;
  }
  if (i >= text.size()) return std::string(text);
  return std::string(text.substr(0, i)) + "...";
}

}  // namespace chainsim::sim

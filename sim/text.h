// Text from outside (scenario values, file contents, command-line arguments)
// made safe to show: on a terminal, in one line of a message, in a page.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace chainsim::sim {

// FNV-1a 64 (Fowler, Noll, Vo): the hash of `text` continued from `h`, so
// that fed chunk by chunk from kFnv1aBasis it is the hash of the whole.
inline constexpr std::uint64_t kFnv1aBasis = 0xcbf29ce484222325ull;
inline std::uint64_t fnv1a64(std::string_view text, std::uint64_t h = kFnv1aBasis) noexcept {
  for (const char c : text) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return h;
}

// The byte offset of the first byte that does not start a well-formed UTF-8
// sequence (overlong forms, surrogates and code points past U+10FFFF are
// ill-formed), or npos when the whole text is UTF-8.
std::size_t first_invalid_utf8(std::string_view text);

// The first code point a terminal or a reader could be fooled by, as its
// offset: a C0 control other than those in `allowed` (e.g. "\t\n"), DEL, a
// C1 control (U+0080-U+009F), a direction mark (U+061C, U+200E, U+200F), a
// line or paragraph separator (U+2028, U+2029), or a bidirectional embedding,
// override or isolate (U+202A-U+202E, U+2066-U+2069). npos when there is none. REQUIRES: `text`
// is UTF-8 (first_invalid_utf8 is npos).
std::size_t first_control(std::string_view text, std::string_view allowed = {});

// `text` as one printable line: \n, \r and \t written as escapes, other
// controls (as first_control) as \xNN or \uNNNN, bytes that are not UTF-8 as
// \xNN; everything else as it is. Messages pass through it once, as they
// are printed (Diagnostic::format), so that a value cannot clear a screen,
// forge a line or reorder one.
std::string printable(std::string_view text);

// The first `max_chars` characters (code points; a byte that is not UTF-8
// counts as one) of `text`, with "..." when it was longer: how much of a
// value or of a file's line a message shows. Not escaped (see printable).
std::string excerpt(std::string_view text, std::size_t max_chars = 40);

}  // namespace chainsim::sim

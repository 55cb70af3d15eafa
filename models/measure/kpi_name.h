// A KPI's scope, entity or KPI name as a view of characters that live as long
// as the process: a string literal, taken as it is at compile time, or the
// copy of other text in a process-wide table of names (interned: one copy per
// distinct text, never freed, shared by every thread). A KpiValue is then
// three pointers and a double, copied without allocating, and a name costs its
// table entry once however many KPIs and replications carry it (a network of
// 100,000 stores reports 2.3 million KPIs a replication, each of which held
// three std::strings before).
//
// The table only grows: a process that loads many different networks keeps
// every distinct name it has reported (a few tens of bytes each).
#pragma once

#include <compare>
#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

namespace chainsim::models {

class KpiName {
 public:
  // "".
  constexpr KpiName() noexcept = default;
  // A string literal, viewed where it is. consteval, and the characters are
  // read at compile time: only constant text gets here (a string literal or a
  // constexpr array); a character array that can change, on the stack or
  // static, fails to compile, as does text with a NUL before its end.
  template <std::size_t N>
  consteval KpiName(const char (&literal)[N])  // NOLINT(google-explicit-constructor)
      : text_(literal) {
    if (std::char_traits<char>::length(literal) + 1 != N) throw "KpiName: not a string literal (a NUL before its end)";
  }
  // Any other text (a std::string too), viewed in the table of names
  // (thread-safe; a hash lookup under a lock, and a copy the first time the
  // text is seen). Explicit: a comparison or a lookup with a string must not
  // put it into the table (KpiName has operator== for strings). Throws
  // std::invalid_argument for text holding a NUL (no id or KPI name does:
  // the loader refuses control characters).
  explicit KpiName(std::string_view text);

  // The text ends at its NUL: a name is one pointer, so that a KpiValue is
  // 32 bytes, not 56 (a run of many replications keeps every one).
  std::string_view view() const noexcept { return std::string_view(text_); }
  // Implicit, where a std::string was: KpiValue's fields were std::strings
  // until 2026-12-07, and their readers take them as text.
  // NOLINTNEXTLINE(google-explicit-constructor)
  operator std::string_view() const noexcept { return view(); }
  // NOLINTNEXTLINE(google-explicit-constructor)
  operator std::string() const { return std::string(view()); }
  std::string str() const { return std::string(view()); }
  bool empty() const noexcept { return text_[0] == '\0'; }
  std::size_t size() const noexcept { return view().size(); }

  friend bool operator==(KpiName a, KpiName b) noexcept { return a.text_ == b.text_ || a.view() == b.view(); }
  friend bool operator==(KpiName a, std::string_view b) noexcept { return a.view() == b; }
  friend bool operator==(KpiName a, const std::string& b) noexcept { return a.view() == b; }
  friend bool operator==(KpiName a, const char* b) noexcept { return a.view() == b; }
  friend std::strong_ordering operator<=>(KpiName a, KpiName b) noexcept {
    return a.text_ == b.text_ ? std::strong_ordering::equal : a.view() <=> b.view();
  }

  friend std::string operator+(const std::string& a, KpiName b) { return a + std::string(b.view()); }
  friend std::string operator+(const char* a, KpiName b) { return a + std::string(b.view()); }
  friend std::string operator+(KpiName a, const std::string& b) { return std::string(a.view()) + b; }
  friend std::string operator+(KpiName a, const char* b) { return std::string(a.view()) + b; }

 private:
  const char* text_ = "";  // NUL-terminated: a literal, or a table entry's c_str()
};

// Writes the text (doctest prints a failed check's KpiName through this).
std::ostream& operator<<(std::ostream& os, KpiName name);

}  // namespace chainsim::models

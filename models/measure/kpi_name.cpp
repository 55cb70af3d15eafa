#include "models/measure/kpi_name.h"

#include <mutex>
#include <ostream>
#include <unordered_set>

namespace chainsim::models {

namespace {

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

// The table of names: a node-based set, so an entry's characters never move.
// Allocated once and never destroyed, so that a view stays valid until the
// process ends, static destructors included.
struct NameTable {
  std::mutex mutex;
  std::unordered_set<std::string, TextHash, std::equal_to<>> names;
};

NameTable& table() {
  static NameTable* const t = new NameTable;
  return *t;
}

}  // namespace

KpiName::KpiName(std::string_view text) {
  if (text.empty()) return;
  NameTable& t = table();
  const std::lock_guard lock(t.mutex);
  auto it = t.names.find(text);
  if (it == t.names.end()) it = t.names.emplace(text).first;
  view_ = *it;
}

std::ostream& operator<<(std::ostream& os, KpiName name) { return os << name.view(); }

}  // namespace chainsim::models

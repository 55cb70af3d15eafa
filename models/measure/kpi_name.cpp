#include "models/measure/kpi_name.h"

#include <mutex>
#include <ostream>
#include <stdexcept>
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
  if (text.find('\0') != std::string_view::npos) {
    throw std::invalid_argument("a KPI name cannot hold a NUL character (got an id or name with one)");
  }
  NameTable& t = table();
  const std::lock_guard lock(t.mutex);
  auto it = t.names.find(text);
  if (it == t.names.end()) it = t.names.emplace(text).first;
  text_ = it->c_str();
}

std::ostream& operator<<(std::ostream& os, KpiName name) { return os << name.view(); }

}  // namespace chainsim::models

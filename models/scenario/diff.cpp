// A recursive walk over both documents at once. Each list is first turned
// into (key, item) pairs by the rule in the header, so that mappings and
// lists compare the same way: pair by key, recurse into pairs, report keys
// one side lacks.
#include "models/scenario/diff.h"

#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <utility>

namespace chainsim::models {

namespace {

constexpr std::size_t kMaxValueText = 240;

using Keyed = std::vector<std::pair<std::string, YAML::Node>>;

std::string value_text(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "null";
  if (n.IsScalar()) return n.Scalar();
  YAML::Emitter out;
  out << YAML::Flow << n;
  std::string s = out.c_str();
  if (s.size() > kMaxValueText) {
    std::size_t cut = kMaxValueText;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
    s = s.substr(0, cut) + "…";
  }
  return s;
}

std::optional<double> number(const std::string& s) {
  double v = 0.0;
  const char* end = s.data() + s.size();
  const auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || p != end || s.empty()) return std::nullopt;
  return v;
}

bool same_scalar(const YAML::Node& a, const YAML::Node& b) {
  if (a.Scalar() == b.Scalar()) return true;
  const auto x = number(a.Scalar()), y = number(b.Scalar());
  return x && y && *x == *y;
}

// The scalar text of item[field] when every item has a distinct one.
bool key_by(const YAML::Node& seq, const char* field, Keyed& out) {
  std::set<std::string> seen;
  Keyed keyed;
  for (const YAML::Node& item : seq) {
    if (!item.IsMap() || !item[field] || !item[field].IsScalar()) return false;
    const std::string k = item[field].Scalar();
    if (k.empty() || !seen.insert(k).second) return false;
    keyed.emplace_back(k, item);
  }
  out = std::move(keyed);
  return true;
}

bool key_by_ends(const YAML::Node& seq, Keyed& out) {
  std::map<std::string, int> count;
  Keyed keyed;
  for (const YAML::Node& item : seq) {
    if (!item.IsMap() || item["id"] || !item["from"] || !item["to"] || !item["from"].IsScalar() ||
        !item["to"].IsScalar()) {
      return false;
    }
    std::string k = item["from"].Scalar() + "->" + item["to"].Scalar();
    if (const int n = ++count[k]; n > 1) k += "#" + std::to_string(n);
    keyed.emplace_back(k, item);
  }
  out = std::move(keyed);
  return true;
}

enum class KeyKind { kMapKey, kId, kProduct, kEnds, kIndex };

Keyed by_index(const YAML::Node& seq) {
  Keyed out;
  std::size_t i = 0;
  for (const YAML::Node& item : seq) out.emplace_back(std::to_string(i++), item);
  return out;
}

// The children of a mapping or list as (key, node), keys as the path names
// them, and how the keys were made.
Keyed children(const YAML::Node& n, KeyKind& kind) {
  Keyed out;
  kind = KeyKind::kMapKey;
  if (n.IsMap()) {
    for (const auto& kv : n) out.emplace_back(kv.first.Scalar(), kv.second);
    return out;
  }
  if (n.size() == 0) return out;  // an empty list pairs with any other
  kind = key_by(n, "id", out)        ? KeyKind::kId
         : key_by(n, "product", out) ? KeyKind::kProduct
         : key_by_ends(n, out)       ? KeyKind::kEnds
                                     : KeyKind::kIndex;
  return kind == KeyKind::kIndex ? by_index(n) : out;
}

// Two lists pair by key only when both are keyed the same way; otherwise by
// position.
void align(const YAML::Node& a, const YAML::Node& b, Keyed& ka, Keyed& kb) {
  KeyKind x = KeyKind::kMapKey, y = KeyKind::kMapKey;
  ka = children(a, x);
  kb = children(b, y);
  if (a.IsSequence() && !ka.empty() && !kb.empty() && x != y) {
    ka = by_index(a);
    kb = by_index(b);
  }
}

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

void walk(const YAML::Node& a, const YAML::Node& b, const std::string& path, std::vector<ScenarioChange>& out) {
  const bool containers = (a.IsMap() && b.IsMap()) || (a.IsSequence() && b.IsSequence());
  if (!containers) {
    const bool equal = (a.IsScalar() && b.IsScalar() && same_scalar(a, b)) || (a.IsNull() && b.IsNull());
    if (!equal) out.push_back({ScenarioChange::Kind::kChanged, path, value_text(a), value_text(b)});
    return;
  }
  Keyed ka, kb;
  align(a, b, ka, kb);
  std::map<std::string, const YAML::Node*> in_b;
  for (const auto& [k, n] : kb) in_b.emplace(k, &n);
  std::set<std::string> matched;
  for (const auto& [k, n] : ka) {
    const auto it = in_b.find(k);
    if (it == in_b.end()) {
      out.push_back({ScenarioChange::Kind::kRemoved, join(path, k), value_text(n), ""});
      continue;
    }
    matched.insert(k);
    walk(n, *it->second, join(path, k), out);
  }
  for (const auto& [k, n] : kb) {
    if (!matched.count(k)) out.push_back({ScenarioChange::Kind::kAdded, join(path, k), "", value_text(n)});
  }
}

}  // namespace

std::vector<ScenarioChange> diff_scenarios(const YAML::Node& baseline, const YAML::Node& variant) {
  std::vector<ScenarioChange> out;
  walk(baseline, variant, "", out);
  return out;
}

}  // namespace chainsim::models

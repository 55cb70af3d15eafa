#include "models/scenario/detail/convert.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fmt/core.h>
#include <limits>
#include <map>
#include <string_view>

#include "models/scenario/keys.h"
#include "sim/text.h"

namespace chainsim::models::detail {

void DiagnosticSink::error(const std::string& file, const YAML::Mark& m, const std::string& path,
                           const std::string& msg) {
  if (diags.size() >= kMaxDiagnostics) {
    ++suppressed;
    return;
  }
  Diagnostic d;
  d.file = file;
  if (!m.is_null()) {
    d.line = m.line + 1;
    d.column = m.column + 1;
  }
  d.path = path;
  d.message = msg;
  diags.push_back(d);
}

std::string describe_value(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsScalar()) return "'" + sim::excerpt(n.Scalar(), 80) + "'";  // a long value is cut, not echoed whole
  if (n.IsSequence()) return "a list";
  return "a mapping";
}

// The name of list item i for messages: its id (or product), else the index.
std::string item_name(const YAML::Node& item, std::size_t i, const std::string& list) {
  constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
  if (item.IsMap()) {
    auto scalar = [&](const char* k) -> std::string {
      const YAML::Node v = item[k];
      return v && v.IsScalar() ? v.Scalar() : std::string();
    };
    if (!scalar("id").empty()) return scalar("id");
    if ((list.empty() || list == "stocks" || list == "inputs") && !scalar("product").empty()) return scalar("product");
    if ((list.empty() || list == "lanes") && !scalar("from").empty() && !scalar("to").empty()) {
      return scalar("from") + "->" + scalar("to");
    }
  }
  if (list == "events" && i != kNoIndex) return "event" + std::to_string(i);
  return std::to_string(i);
}

// What a typed section calls its type in messages: "type", or its own key
// ("churn model per_stockout").
std::string type_word(const SectionInfo& sec) { return sec.type_key == "type" ? "type" : sec.type_key; }

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

Parsed parse_whole(const std::string& text, long long& out) {
  const char* first = text.data();
  const char* last = first + text.size();
  if (first != last && *first == '+' && last - first > 1 && first[1] != '-') ++first;
  if (first == last || !(std::isdigit(static_cast<unsigned char>(*first)) || *first == '-')) return Parsed::kNotNumber;
  const auto [end, ec] = std::from_chars(first, last, out);  // decimal only: "010" is 10, "0x1F" is not a number
  if (end != last) return Parsed::kNotNumber;
  if (ec == std::errc::result_out_of_range) return Parsed::kTooLarge;
  return ec == std::errc() ? Parsed::kOk : Parsed::kNotNumber;
}

Parsed parse_decimal(const std::string& text, double& out) {
  // YAML's spellings of infinity and NaN (the core schema).
  static const std::set<std::string> inf = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"};
  static const std::set<std::string> neg_inf = {"-.inf", "-.Inf", "-.INF"};
  static const std::set<std::string> nan = {".nan", ".NaN", ".NAN"};
  if (inf.count(text)) return out = std::numeric_limits<double>::infinity(), Parsed::kOk;
  if (neg_inf.count(text)) return out = -std::numeric_limits<double>::infinity(), Parsed::kOk;
  if (nan.count(text)) return out = std::numeric_limits<double>::quiet_NaN(), Parsed::kOk;
  // Digits, one sign, a point and an exponent: no hex, no "inf" or "nan" words.
  const char* first = text.data();
  const char* last = first + text.size();
  if (first != last && *first == '+' && last - first > 1 && first[1] != '-') ++first;
  if (first == last || *first == '+') return Parsed::kNotNumber;
  for (const char* c = first; c != last; ++c) {
    if (!std::isdigit(static_cast<unsigned char>(*c)) && std::string_view("+-.eE").find(*c) == std::string_view::npos) {
      return Parsed::kNotNumber;
    }
  }
  const auto [end, ec] = std::from_chars(first, last, out, std::chars_format::general);
  if (end != last) return Parsed::kNotNumber;
  if (ec == std::errc::result_out_of_range) {
    // Past the largest double, or below the smallest (which is as good as 0).
    const double v = std::strtod(std::string(first, last).c_str(), nullptr);
    if (std::isinf(v)) return Parsed::kTooLarge;
    out = v;
    return Parsed::kOk;
  }
  return ec == std::errc() ? Parsed::kOk : Parsed::kNotNumber;
}

namespace {

// Converts a checked document into a ScenarioSpec, key by key as the key
// table declares them (models/scenario/keys.h): every key is read into the
// field it is bound to, its type and range checked. The hooks below are the
// format's own shapes: a list of sources written as node ids, a demand
// written as one mapping or a list, a stock's `from`, a node's single stock
// given at the node level, and the scenario's pipelines and event times.
class Converter {
 public:
  Converter(DiagnosticSink& sink, std::string file) : L_(sink), file_(std::move(file)) {}

  ScenarioSpec convert(const YAML::Node& root) {
    ScenarioSpec s;
    read_section(root, scenario_section("scenario"), &s, "");
    resolve_pipelines(root, s);
    times_finite(root, s);
    return s;
  }

 private:
  DiagnosticSink& L_;
  std::string file_;

  void err(const YAML::Node& at, const std::string& path, const std::string& msg) { L_.error_at(file_, at, path, msg); }

  // Reads the keys of `sec` that `map` gives into `object`, the section's
  // struct, after checking the keys themselves (a typed section's type is
  // read first: the keys that apply depend on it). With `stock_keys` it reads
  // a node's single stock (the node's keys bound to its StockSpec) from the
  // node's mapping, whose keys were checked with the node.
  void read_section(const YAML::Node& map, const SectionInfo& sec, void* object, const std::string& path,
                    bool stock_keys = false) {
    const KeyInfo* type = sec.type_key.empty() ? nullptr : sec.find(sec.type_key);
    if (!stock_keys) {
      if (type != nullptr) read_key(map, sec, *type, object, path);
      const YAML::Node t = type != nullptr ? map[sec.type_key] : YAML::Node();
      // An optional type key absent: the keys are judged against its default.
      const std::string type_name = t && t.IsScalar() ? t.Scalar()
                                    : type != nullptr && !type->required ? type->default_text
                                                                        : "";
      keys(map, sec, path, type_name);
    }
    const bool node = sec.name == "node" && !stock_keys;
    for (const KeyInfo& ki : sec.keys) {
      if (&ki == type || ki.of_stock != stock_keys || (node && ki.name == "stocks")) continue;
      read_key(map, sec, ki, object, path);
    }
    if (node) node_stocks(map, sec, *static_cast<NodeSpec*>(object), path);
  }

  // Reads key `ki` of `map`, when given, into its field of `object`.
  void read_key(const YAML::Node& map, const SectionInfo& sec, const KeyInfo& ki, void* object,
                const std::string& path) {
    using Kind = FieldAccess::Kind;
    if (!ki.access) {
      // The format's keys with no field: extends and remove are the
      // loader's; from names a stock's single source.
      if (ki.name == "from") from_shorthand(map, sec, *static_cast<StockSpec*>(object), path);
      return;
    }
    void* f = ki.access->field(object);
    const char* k = ki.name.c_str();
    switch (ki.access->kind()) {
      case Kind::kDouble: num(map, sec, path, k, *static_cast<double*>(f)); break;
      case Kind::kOptionalDouble: num(map, sec, path, k, *static_cast<std::optional<double>*>(f)); break;
      case Kind::kInt: integer(map, sec, path, k, *static_cast<int*>(f)); break;
      case Kind::kUint64: {
        auto& u = *static_cast<std::uint64_t*>(f);
        std::int64_t v = static_cast<std::int64_t>(u);
        if (integer64(map, sec, path, k, v)) u = static_cast<std::uint64_t>(v);
        break;
      }
      case Kind::kBool: boolean(map, sec, path, k, *static_cast<bool*>(f)); break;
      case Kind::kString: str(map, sec, path, k, *static_cast<std::string*>(f)); break;
      case Kind::kOptionalString: str(map, sec, path, k, *static_cast<std::optional<std::string>*>(f)); break;
      case Kind::kEnum:
      case Kind::kOptionalEnum: {
        std::string v;
        if (str(map, sec, path, k, v)) {
          ki.access->set_enum(f, static_cast<std::size_t>(std::find(ki.values.begin(), ki.values.end(), v) -
                                                          ki.values.begin()));
        }
        break;
      }
      case Kind::kDistribution: distribution(map, sec, path, k, *static_cast<Distribution*>(f)); break;
      case Kind::kOptionalDistribution: {
        Distribution d = Distribution::constant(1.0);
        if (distribution(map, sec, path, k, d)) *static_cast<std::optional<Distribution>*>(f) = d;
        break;
      }
      case Kind::kNumberList: number_list(map, sec, path, k, *static_cast<std::vector<double>*>(f)); break;
      case Kind::kNumberMap:
      case Kind::kDistributionMap: read_product_map(map, sec, ki, f, path); break;
      case Kind::kPipeline:
        pipeline(map, sec, path, k, *static_cast<std::map<std::string, std::vector<double>>*>(f));
        break;
      case Kind::kStruct:
      case Kind::kOptionalStruct: read_struct(map, sec, ki, f, path); break;
      case Kind::kStructList:
        if (ki.type == KeyType::kSourceList) {
          sources(map, sec, path, *static_cast<std::vector<SourceSpec>*>(f));
        } else if (ki.type == KeyType::kSectionOrList) {
          demands(map, sec, path, *static_cast<std::vector<DemandSpec>*>(f));
        } else {
          list(map, sec, ki, f, path);
        }
        break;
    }
  }

  // product id -> number (no range: the checks of the spec judge them), or
  // product id -> distribution.
  void read_product_map(const YAML::Node& map, const SectionInfo& sec, const KeyInfo& ki, void* f,
                        const std::string& path) {
    const YAML::Node m = sub(map, sec, path, ki.name.c_str());
    if (!m) return;
    const bool numbers = ki.access->kind() == FieldAccess::Kind::kNumberMap;
    product_map(m, join(path, ki.name), [&](const std::string& p, const YAML::Node& v, const std::string& vp) {
      if (numbers) {
        double d = 0.0;
        if (parse_number(v, nullptr, vp, d)) (*static_cast<std::map<std::string, double>*>(f))[p] = d;
      } else {
        Distribution d;
        if (distribution_value(v, vp, d)) (*static_cast<std::map<std::string, Distribution>*>(f))[p] = d;
      }
    });
  }

  // A nested section (sharing, payment_terms, policy) or an optional one
  // (production, returns), emplaced when given.
  void read_struct(const YAML::Node& map, const SectionInfo& sec, const KeyInfo& ki, void* f, const std::string& path) {
    const YAML::Node n = sub(map, sec, path, ki.name.c_str());
    if (!n) return;
    const std::string p = join(path, ki.name);
    void* o = ki.access->kind() == FieldAccess::Kind::kStruct ? f : ki.access->emplace(f);
    read_section(n, scenario_section(ki.section), o, p);
  }

  // from: a stock's single source (a stock, or a node's single stock).
  void from_shorthand(const YAML::Node& map, const SectionInfo& sec, StockSpec& stock, const std::string& path) {
    std::string single;
    if (!str(map, sec, path, "from", single)) return;
    if (map["sources"]) {
      err(map["from"], join(path, "from"), "give either from or sources, not both");
      return;
    }
    SourceSpec so;
    so.from = single;
    stock.sources.push_back(so);
  }

  // A list of items of one section (products, nodes, stocks, lanes, events,
  // inputs), each named in paths by its id (or product, or from->to).
  void list(const YAML::Node& map, const SectionInfo& sec, const KeyInfo& ki, void* field, const std::string& path) {
    const YAML::Node n = map[ki.name];
    if (!n) return;
    L_.keys_read.insert(sec.name + "." + ki.name);
    const std::string p = join(path, ki.name);
    if (!n.IsSequence()) {
      err(n, p, "must be a list (got " + describe_value(n) + ")");
      return;
    }
    const SectionInfo& item_sec = scenario_section(ki.section);
    for (std::size_t i = 0; i < n.size(); ++i) {
      const YAML::Node item = n[i];
      const std::string ip = join(p, item_name(item, i, ki.name));
      if (!item.IsMap()) {
        err(item, ip, "must be a mapping (got " + describe_value(item) + ")");
        continue;
      }
      if (item["remove"]) {
        L_.keys_read.insert(item_sec.name + ".remove");
        err(item["remove"], join(ip, "remove"),
            "there is no such item to remove (remove deletes an item of the baseline this scenario extends)");
      }
      read_section(item, item_sec, ki.access->append(field), ip);
    }
  }

  // sources: node ids, or mappings {from, lane, share}; named by index.
  void sources(const YAML::Node& map, const SectionInfo& sec, const std::string& path, std::vector<SourceSpec>& out) {
    const YAML::Node src = sub(map, sec, path, "sources");
    if (!src) return;
    const std::string sp = join(path, "sources");
    if (!src.IsSequence()) {
      err(src, sp, "must be a list (got " + describe_value(src) + ")");
      return;
    }
    const SectionInfo& ss = scenario_section("source");
    for (std::size_t i = 0; i < src.size(); ++i) {
      const YAML::Node item = src[i];
      const std::string ip = fmt::format("{}.{}", sp, i);
      if (item.IsScalar()) {
        out.emplace_back().from = item.Scalar();
      } else if (item.IsMap()) {
        read_section(item, ss, &out.emplace_back(), ip);
      } else {
        err(item, ip, "must be a node id or a mapping {from, lane, share} (got " + describe_value(item) + ")");
      }
    }
  }

  // demand: one process or a list of them, named by index.
  void demands(const YAML::Node& map, const SectionInfo& sec, const std::string& path, std::vector<DemandSpec>& out) {
    const YAML::Node d = map["demand"];
    if (!d) return;
    L_.keys_read.insert(sec.name + ".demand");
    const std::string dp = join(path, "demand");
    auto one = [&](const YAML::Node& item, const std::string& ip) {
      if (!item.IsMap()) {
        err(item, ip, "must be a mapping (got " + describe_value(item) + ")");
        return;
      }
      DemandSpec& s = out.emplace_back();
      read_section(item, scenario_section("demand"), &s, ip);
      count_means_bounded(item, ip, s);
    };
    if (d.IsSequence()) {
      for (std::size_t i = 0; i < d.size(); ++i) one(d[i], fmt::format("{}.{}", dp, i));
    } else {
      one(d, dp);
    }
  }

  // A node's stocks: a list, or the keys of its single stock given at the
  // node level (whose holding, backorder and lost-sale costs and
  // unmet_demand are the node's defaults, already read).
  void node_stocks(const YAML::Node& n, const SectionInfo& sec, NodeSpec& s, const std::string& p) {
    static const std::set<std::string> shared = {"holding_cost", "backorder_cost", "lost_sale_cost", "unmet_demand"};
    bool shorthand = false;
    for (const KeyInfo& k : scenario_section("stock").keys) {
      if (!shared.count(k.name) && n[k.name]) shorthand = true;
    }
    if (n["stocks"]) {
      if (shorthand) {
        err(n["stocks"], join(p, "stocks"),
            "give either stocks or the keys of one stock (product, policy, ...), not both");
      }
      list(n, sec, *sec.find("stocks"), &s.stocks, p);
    } else if (shorthand) {
      if (!n["product"]) err(n, join(p, "product"), "required key is missing (a node's single stock needs its product)");
      read_section(n, sec, &s.stocks.emplace_back(), p, /*stock_keys=*/true);
    }
  }

  // Reports unknown, misapplied and duplicate keys, and missing required ones.
  void keys(const YAML::Node& map, const SectionInfo& sec, const std::string& path, const std::string& type,
            const std::set<std::string>& extra = {}) {
    std::set<std::string> seen;
    for (const auto& kv : map) {
      if (!kv.first.IsScalar()) {
        err(kv.first, path, "keys must be plain names (got " + describe_value(kv.first) + ")");
        continue;
      }
      const std::string k = kv.first.Scalar();
      if (!seen.insert(k).second) {
        err(kv.first, join(path, k), "duplicate key");
        continue;
      }
      if (extra.count(k)) continue;
      const KeyInfo* ki = sec.find(k);
      if (ki == nullptr) {
        const auto close = close_keys(sec, k);
        err(kv.first, join(path, k),
            "unknown key" + (close.empty() ? std::string() : " (did you mean " + close.front() + "?)"));
        continue;
      }
      // With an unknown type (reported by the caller) no key can be judged against it.
      const bool known_type = std::find(sec.types.begin(), sec.types.end(), type) != sec.types.end();
      if (known_type && !ki->only_for.empty() &&
          std::find(ki->only_for.begin(), ki->only_for.end(), type) == ki->only_for.end()) {
        err(kv.first, join(path, k), "does not apply to " + sec.name + " " + type_word(sec) + " " + type);
      }
    }
    const bool known_type = std::find(sec.types.begin(), sec.types.end(), type) != sec.types.end();
    for (const KeyInfo& ki : sec.keys) {
      if (ki.required && !map[ki.name]) {
        if (sec.name == "scenario" && map["extends"]) continue;
        err(map, join(path, ki.name), "required key is missing");
      } else if (known_type && !map[ki.name] &&
                 std::find(ki.required_for.begin(), ki.required_for.end(), type) != ki.required_for.end()) {
        err(map, join(path, ki.name),
            "required key is missing (" + sec.name + " " + type_word(sec) + " " + type + " needs it)");
      }
    }
  }

  YAML::Node sub(const YAML::Node& map, const SectionInfo& sec, const std::string& path, const char* key) {
    const YAML::Node n = map[key];
    if (!n) return n;
    L_.keys_read.insert(sec.name + "." + key);
    const KeyInfo* ki = sec.find(key);
    if (ki != nullptr && ki->type == KeyType::kSection && !n.IsMap()) {
      err(n, join(path, key), "must be a mapping (got " + describe_value(n) + ")");
      return YAML::Node(YAML::NodeType::Undefined);  // not a defined null: nothing more is read from it
    }
    return n;
  }

  // A number: finite, or +inf where the key allows it; then the table's bounds.
  bool parse_number(const YAML::Node& n, const KeyInfo* ki, const std::string& path, double& out) {
    if (!n.IsScalar()) {
      err(n, path, "must be a number (got " + describe_value(n) + ")");
      return false;
    }
    double v = 0.0;
    switch (parse_decimal(n.Scalar(), v)) {
      case Parsed::kOk:
        break;
      case Parsed::kTooLarge:
        err(n, path,
            fmt::format("is too large: at most {} (got {})", std::numeric_limits<double>::max(),
                        sim::excerpt(n.Scalar(), 80)));
        return false;
      default:
        err(n, path, "must be a number (got " + describe_value(n) + ")");
        return false;
    }
    if (std::isnan(v) || (std::isinf(v) && !(ki != nullptr && ki->allow_infinity && v > 0))) {
      err(n, path, "must be a finite number (got " + describe_value(n) + ")");
      return false;
    }
    if (std::isfinite(v) && std::abs(v) > kMaxMagnitude) {
      err(n, path,
          fmt::format("is too large: at most 1e15 in size, so that sums of units, money and time stay exact (got {})",
                      sim::excerpt(n.Scalar(), 80)));
      return false;
    }
    if (ki != nullptr) {
      const bool low = ki->exclusive_minimum ? !(v > ki->minimum) : v < ki->minimum;
      if (low) {
        err(n, path,
            fmt::format("must be {} {} (got {})", ki->exclusive_minimum ? ">" : ">=", ki->minimum,
                        sim::excerpt(n.Scalar(), 80)));
        return false;
      }
      if (v > ki->maximum) {
        err(n, path,
            fmt::format("must be <= {} (got {})", ki->maximum, sim::excerpt(n.Scalar(), 80)));
        return false;
      }
    }
    out = v;
    return true;
  }

  bool num(const YAML::Node& map, const SectionInfo& sec, const std::string& path, const char* key,
           double& out) {
    const YAML::Node n = map[key];
    if (!n) return false;
    L_.keys_read.insert(sec.name + "." + key);
    return parse_number(n, sec.find(key), join(path, key), out);
  }
  bool num(const YAML::Node& map, const SectionInfo& sec, const std::string& path, const char* key,
           std::optional<double>& out) {
    double v = 0.0;
    if (!num(map, sec, path, key, v)) return false;
    out = v;
    return true;
  }

  bool integer64(const YAML::Node& map, const SectionInfo& sec, const std::string& path,
                 const char* key, std::int64_t& out) {
    const YAML::Node n = map[key];
    if (!n) return false;
    L_.keys_read.insert(sec.name + "." + key);
    const std::string p = join(path, key);
    if (!n.IsScalar()) {
      err(n, p, "must be a whole number (got " + describe_value(n) + ")");
      return false;
    }
    long long v = 0;
    const Parsed parsed = parse_whole(n.Scalar(), v);
    if (parsed == Parsed::kTooLarge) {
      err(n, p,
          fmt::format("is too large: at most {} (got {})", std::numeric_limits<long long>::max(),
                      sim::excerpt(n.Scalar(), 80)));
      return false;
    }
    if (parsed != Parsed::kOk) {
      err(n, p, "must be a whole number (got " + describe_value(n) + ")");
      return false;
    }
    {
      const KeyInfo* ki = sec.find(key);
      if (ki != nullptr && ((ki->exclusive_minimum && !(static_cast<double>(v) > ki->minimum)) ||
                            static_cast<double>(v) < ki->minimum)) {
        // Whole numbers above an exclusive bound read better as ">= bound + 1".
        const double bound = ki->exclusive_minimum ? std::floor(ki->minimum) + 1 : ki->minimum;
        err(n, p, fmt::format("must be >= {} (got {})", bound, sim::excerpt(n.Scalar(), 80)));
        return false;
      }
      if (ki != nullptr && static_cast<double>(v) > ki->maximum) {
        err(n, p,
            fmt::format("must be <= {} (got {}){}", ki->maximum, sim::excerpt(n.Scalar(), 80),
                        ki->limit_hint.empty() ? "" : ": " + ki->limit_hint));
        return false;
      }
      out = v;
      return true;
    }
  }
  bool integer(const YAML::Node& map, const SectionInfo& sec, const std::string& path, const char* key, int& out) {
    std::int64_t v = out;
    if (!integer64(map, sec, path, key, v)) return false;
    if (v > 2000000000 || v < -2000000000) {
      err(map[key], join(path, key), "is too large: at most 2000000000 (got " + map[key].Scalar() + ")");
      return false;
    }
    out = static_cast<int>(v);
    return true;
  }

  bool boolean(const YAML::Node& map, const SectionInfo& sec, const std::string& path, const char* key, bool& out) {
    const YAML::Node n = map[key];
    if (!n) return false;
    L_.keys_read.insert(sec.name + "." + key);
    try {
      if (!n.IsScalar()) throw YAML::BadConversion(n.Mark());
      out = n.as<bool>();
      return true;
    } catch (const YAML::Exception&) {
      err(n, join(path, key), "must be true or false (got " + describe_value(n) + ")");
      return false;
    }
  }

  bool str(const YAML::Node& map, const SectionInfo& sec, const std::string& path, const char* key, std::string& out) {
    const YAML::Node n = map[key];
    if (!n) return false;
    L_.keys_read.insert(sec.name + "." + key);
    if (!n.IsScalar()) {
      err(n, join(path, key), "must be a string (got " + describe_value(n) + ")");
      return false;
    }
    const KeyInfo* ki = sec.find(key);
    if (ki != nullptr && ki->type == KeyType::kEnum &&
        std::find(ki->values.begin(), ki->values.end(), n.Scalar()) == ki->values.end()) {
      std::string allowed;
      for (const auto& v : ki->values) allowed += (allowed.empty() ? "" : ", ") + v;
      const auto close = close_names(ki->values, n.Scalar());
      err(n, join(path, key),
          "must be one of " + allowed + " (got " + describe_value(n) + ")" +
              (close.empty() ? std::string() : "; did you mean " + close.front() + "?"));
      return false;
    }
    out = n.Scalar();
    return true;
  }
  bool str(const YAML::Node& map, const SectionInfo& sec, const std::string& path, const char* key,
           std::optional<std::string>& out) {
    std::string v;
    if (!str(map, sec, path, key, v)) return false;
    out = v;
    return true;
  }


  bool numbers(const YAML::Node& n, const std::string& path, std::vector<double>& out) {
    if (!n.IsSequence()) {
      err(n, path, "must be a list of numbers (got " + describe_value(n) + ")");
      return false;
    }
    out.clear();
    bool ok = true;
    for (std::size_t i = 0; i < n.size(); ++i) {
      double v = 0.0;
      if (parse_number(n[i], nullptr, fmt::format("{}.{}", path, i), v)) {
        out.push_back(v);
      } else {
        ok = false;
      }
    }
    return ok;
  }
  bool number_list(const YAML::Node& map, const SectionInfo& sec, const std::string& path, const char* key,
                   std::vector<double>& out) {
    const YAML::Node n = map[key];
    if (!n) return false;
    L_.keys_read.insert(sec.name + "." + key);
    return numbers(n, join(path, key), out);
  }

  bool distribution_value(const YAML::Node& n, const std::string& path, Distribution& out) {
    if (n.IsScalar()) {
      double v = 0.0;
      if (!parse_number(n, nullptr, path, v)) return false;
      out = Distribution::constant(v);
      return true;
    }
    if (!n.IsMap()) {
      err(n, path, "must be a number or a distribution mapping (got " + describe_value(n) + ")");
      return false;
    }
    const SectionInfo& sec = scenario_section("distribution");
    std::string type;
    if (!str(n, sec, path, "type", type)) {
      if (!n["type"]) err(n, join(path, "type"), "required key is missing");
      keys(n, sec, path, "", {"type"});
      return false;
    }
    keys(n, sec, path, type);
    auto get = [&](const char* k, double def) {
      double v = def;
      num(n, sec, path, k, v);
      return v;
    };
    try {
      if (type == "constant") {
        out = Distribution::constant(get("value", 0));
      } else if (type == "poisson") {
        out = Distribution::poisson(get("mean", 0));
      } else if (type == "normal") {
        out = Distribution::normal(get("mean", 0), get("sd", 0));
      } else if (type == "truncated_normal") {
        out = Distribution::truncated_normal(get("mean", 0), get("sd", 1), get("lower", 0));
      } else if (type == "lognormal") {
        out = Distribution::lognormal(get("mean", 1), get("sd", 0));
      } else if (type == "gamma") {
        if (n["mean"] || n["sd"]) {
          const double m = get("mean", 1), sd = get("sd", 1);
          if (!(m > 0 && sd > 0)) throw std::invalid_argument("gamma: mean and sd must be > 0");
          out = Distribution::gamma(m * m / (sd * sd), sd * sd / m);
        } else {
          out = Distribution::gamma(get("shape", 1), get("scale", 1));
        }
      } else if (type == "exponential") {
        out = Distribution::exponential(get("mean", 1));
      } else if (type == "uniform") {
        out = Distribution::uniform(get("low", 0), get("high", 1));
      } else if (type == "uniform_int") {
        const double lo = get("low", 0), hi = get("high", 1);
        if (lo != std::floor(lo) || hi != std::floor(hi)) throw std::invalid_argument("uniform_int: low and high must be whole numbers");
        out = Distribution::uniform_int(static_cast<long long>(lo), static_cast<long long>(hi));
      } else if (type == "negative_binomial") {
        if (n["r"] || n["p"]) {
          out = Distribution::negative_binomial(get("r", 1), get("p", 0.5));
        } else {
          out = Distribution::negative_binomial_mean_var(get("mean", 1), get("variance", 2));
        }
      } else if (type == "empirical") {
        std::vector<double> values, weights;
        number_list(n, sec, path, "values", values);
        if (!number_list(n, sec, path, "weights", weights)) weights.assign(values.size(), 1.0);
        out = Distribution::empirical(values, weights);
      }
      if (const std::string why = sim::sampling_problem(out); !why.empty()) {
        err(n, path, why);
        return false;
      }
      return true;
    } catch (const std::invalid_argument& e) {
      err(n, path, e.what());
      return false;
    }
  }
  bool distribution(const YAML::Node& map, const SectionInfo& sec, const std::string& path, const char* key,
                    Distribution& out) {
    const YAML::Node n = map[key];
    if (!n) return false;
    L_.keys_read.insert(sec.name + "." + key);
    return distribution_value(n, join(path, key), out);
  }


  // The Poisson and negative binomial means a demand gives are sampled in
  // bounded time (sim::sampling_problem); other impossible values are the
  // builder's to report.
  void count_means_bounded(const YAML::Node& n, const std::string& p, const DemandSpec& s) {
    auto check = [&](const char* key, auto make) {
      try {
        if (const std::string why = sim::sampling_problem(make()); !why.empty()) {
          err(n[key] ? n[key] : n, join(p, key), why);
        }
      } catch (const std::invalid_argument&) {
      }
    };
    if (s.type == DemandType::kPoisson) {
      check("mean", [&] { return Distribution::poisson(s.mean); });
    } else if (s.type == DemandType::kNegativeBinomial) {
      check("mean", [&] { return Distribution::negative_binomial_mean_var(s.mean, s.variance); });
    } else if (s.type == DemandType::kStep && s.noise == Noise::kPoisson) {
      check(s.before >= s.after ? "before" : "after", [&] { return Distribution::poisson(std::max(s.before, s.after)); });
    } else if (s.type == DemandType::kSeasonal && s.noise == Noise::kPoisson) {
      check("mean", [&] { return Distribution::poisson(s.mean * (1.0 + std::abs(s.amplitude))); });
    }
  }


  template <typename F>
  void product_map(const YAML::Node& m, const std::string& path, F each) {
    if (!m.IsMap()) {
      err(m, path, "must be a mapping of product ids (got " + describe_value(m) + ")");
      return;
    }
    for (const auto& kv : m) each(kv.first.Scalar(), kv.second, join(path, kv.first.Scalar()));
  }

  void pipeline(const YAML::Node& map, const SectionInfo& sec, const std::string& p, const char* key,
                std::map<std::string, std::vector<double>>& out) {
    const YAML::Node n = map[key];
    if (!n) return;
    L_.keys_read.insert(sec.name + "." + key);
    const std::string kp = join(p, key);
    if (n.IsSequence()) {
      std::vector<double> v;
      if (numbers(n, kp, v)) out[""] = v;  // resolved to the lane's product later
    } else if (n.IsMap()) {
      product_map(n, kp, [&](const std::string& k, const YAML::Node& v, const std::string& vp) {
        std::vector<double> q;
        if (numbers(v, vp, q)) out[k] = q;
      });
    } else {
      err(n, kp, "must be a list of numbers, or product -> list (got " + describe_value(n) + ")");
    }
  }

  // Every event time the run schedules stays finite and exact: the horizon's
  // end, period * horizon, within kMaxTime (double steps there are 1/8), and
  // each event's trigger, delay and duration summed likewise.
  void times_finite(const YAML::Node& root, const ScenarioSpec& s) {
    constexpr double kMaxTime = 1e15;
    const double end = s.period * static_cast<double>(s.horizon);
    if (!(end <= kMaxTime)) {
      const char* key = root["period"] ? "period" : "horizon";
      err(root[key], key,
          fmt::format("period * horizon must be at most 1e15 time units, so that event times stay exact (got {} * {})",
                      s.period, s.horizon));
    }
    const YAML::Node events = root["events"];
    const bool aligned = events && events.IsSequence() && events.size() == s.events.size();
    for (std::size_t i = 0; aligned && i < s.events.size(); ++i) {
      const EventSpec& e = s.events[i];
      const double last = e.at.value_or(0.0) + e.delay + e.duration.value_or(0.0);
      if (!(last <= kMaxTime)) {
        err(events[i], join("events", item_name(events[i], i, "events")),
            fmt::format("at + delay + duration must be at most 1e15 time units, so that event times stay exact (got "
                        "{})", last));
      }
    }
  }

  // A pipeline given as a plain list belongs to the one product the lane carries.
  void resolve_pipelines(const YAML::Node& root, ScenarioSpec& s) {
    for (std::size_t i = 0; i < s.lanes.size(); ++i) {
      LaneSpec& l = s.lanes[i];
      for (auto* pipe : {&l.initial_shipments, &l.initial_orders}) {
        auto it = pipe->find("");
        if (it == pipe->end()) continue;
        std::set<std::string> carried;
        for (const NodeSpec& n : s.nodes) {
          if (n.id != l.to) continue;
          for (const StockSpec& st : n.stocks) {
            for (const SourceSpec& src : st.sources) {
              if (src.from == l.from) carried.insert(st.product);
            }
          }
        }
        if (carried.empty() && s.products.size() == 1) carried.insert(s.products[0].id);
        const std::vector<double> v = it->second;
        pipe->erase(it);
        const char* key = pipe == &l.initial_shipments ? "initial_shipments" : "initial_orders";
        if (carried.size() == 1) {
          (*pipe)[*carried.begin()] = v;
        } else {
          const YAML::Node ln = root["lanes"][i];
          err(ln[key], fmt::format("lanes.{}.{}", item_name(ln, i, "lanes"), key),
              carried.empty() ? "the lane carries no product: give product -> list"
                              : "the lane carries several products: give product -> list");
        }
      }
    }
  }

};

}  // namespace

ScenarioSpec convert_document(const YAML::Node& root, const std::string& file, DiagnosticSink& sink) {
  Converter c(sink, file);
  return c.convert(root);
}

}  // namespace chainsim::models::detail

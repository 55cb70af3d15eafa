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
  if (n.IsScalar()) return "'" + n.Scalar() + "'";
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

// Converts a checked document into a ScenarioSpec.
class Converter {
 public:
  Converter(DiagnosticSink& sink, std::string file) : L_(sink), file_(std::move(file)) {}

  ScenarioSpec convert(const YAML::Node& root) {
    ScenarioSpec s;
    const SectionInfo& sec = scenario_section("scenario");
    keys(root, sec, "", "");
    str(root, sec, "", "name", s.name);
    str(root, sec, "", "description", s.description);
    str(root, sec, "", "time_unit", s.time_unit);
    num(root, sec, "", "period", s.period);
    integer(root, sec, "", "horizon", s.horizon);
    integer(root, sec, "", "warmup", s.warmup);
    std::int64_t seed = static_cast<std::int64_t>(s.seed);
    if (integer64(root, sec, "", "seed", seed)) s.seed = static_cast<std::uint64_t>(seed);
    integer(root, sec, "", "replications", s.replications);
    list(root, sec, "", "products", [&](const YAML::Node& n, const std::string& p) { s.products.push_back(product(n, p)); });
    list(root, sec, "", "nodes", [&](const YAML::Node& n, const std::string& p) { s.nodes.push_back(node(n, p)); });
    list(root, sec, "", "lanes", [&](const YAML::Node& n, const std::string& p) { s.lanes.push_back(lane(n, p)); });
    list(root, sec, "", "events", [&](const YAML::Node& n, const std::string& p) { s.events.push_back(event(n, p)); });
    if (const YAML::Node sh = sub(root, sec, "", "sharing")) {
      const SectionInfo& ss = scenario_section("sharing");
      keys(sh, ss, "sharing", "");
      boolean(sh, ss, "sharing", "pos", s.sharing.pos);
      num(sh, ss, "sharing", "delay", s.sharing.delay);
    }
    resolve_pipelines(root, s);
    times_finite(root, s);
    return s;
  }

 private:
  DiagnosticSink& L_;
  std::string file_;

  void err(const YAML::Node& at, const std::string& path, const std::string& msg) { L_.error_at(file_, at, path, msg); }

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
        err(kv.first, join(path, k), "does not apply to " + sec.name + " type " + type);
      }
    }
    const bool known_type = std::find(sec.types.begin(), sec.types.end(), type) != sec.types.end();
    for (const KeyInfo& ki : sec.keys) {
      if (ki.required && !map[ki.name]) {
        if (sec.name == "scenario" && map["extends"]) continue;
        err(map, join(path, ki.name), "required key is missing");
      } else if (known_type && !map[ki.name] &&
                 std::find(ki.required_for.begin(), ki.required_for.end(), type) != ki.required_for.end()) {
        err(map, join(path, ki.name), "required key is missing (" + sec.name + " type " + type + " needs it)");
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
      return YAML::Node();
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
        err(n, path, fmt::format("is too large: at most {} (got {})", std::numeric_limits<double>::max(), n.Scalar()));
        return false;
      default:
        err(n, path, "must be a number (got " + describe_value(n) + ")");
        return false;
    }
    if (std::isnan(v) || (std::isinf(v) && !(ki != nullptr && ki->allow_infinity && v > 0))) {
      err(n, path, "must be a finite number (got " + describe_value(n) + ")");
      return false;
    }
    if (ki != nullptr) {
      const bool low = ki->exclusive_minimum ? !(v > ki->minimum) : v < ki->minimum;
      if (low) {
        err(n, path, fmt::format("must be {} {} (got {})", ki->exclusive_minimum ? ">" : ">=", ki->minimum, n.Scalar()));
        return false;
      }
      if (v > ki->maximum) {
        err(n, path, fmt::format("must be <= {} (got {})", ki->maximum, n.Scalar()));
        return false;
      }
    }
    out = v;
    return true;
  }

  bool num(const YAML::Node& map, const SectionInfo& sec, const std::string& path, const char* key, double& out) {
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

  bool integer64(const YAML::Node& map, const SectionInfo& sec, const std::string& path, const char* key,
                 std::int64_t& out) {
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
      err(n, p, fmt::format("is too large: at most {} (got {})", std::numeric_limits<long long>::max(), n.Scalar()));
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
        err(n, p, fmt::format("must be >= {} (got {})", bound, n.Scalar()));
        return false;
      }
      if (ki != nullptr && static_cast<double>(v) > ki->maximum) {
        err(n, p,
            fmt::format("must be <= {} (got {}){}", ki->maximum, n.Scalar(),
                        ki->name == "replications" ? ": chainsim sweep runs more, streaming their KPIs" : ""));
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

  // An enum-valued key (str() checks the name against the key's values).
  template <typename E>
  bool enumeration(const YAML::Node& map, const SectionInfo& sec, const std::string& path, const char* key, E& out) {
    std::string v;
    if (!str(map, sec, path, key, v)) return false;
    out = *parse_enum<E>(v);
    return true;
  }
  template <typename E>
  bool enumeration(const YAML::Node& map, const SectionInfo& sec, const std::string& path, const char* key,
                   std::optional<E>& out) {
    E v{};
    if (!enumeration(map, sec, path, key, v)) return false;
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

  template <typename F>
  void list(const YAML::Node& map, const SectionInfo& sec, const std::string& path, const char* key, F each) {
    const YAML::Node n = map[key];
    if (!n) return;
    L_.keys_read.insert(sec.name + "." + key);
    const std::string p = join(path, key);
    if (!n.IsSequence()) {
      err(n, p, "must be a list (got " + describe_value(n) + ")");
      return;
    }
    for (std::size_t i = 0; i < n.size(); ++i) {
      const YAML::Node item = n[i];
      const std::string ip = join(p, item_name(item, i, key));
      if (!item.IsMap()) {
        err(item, ip, "must be a mapping (got " + describe_value(item) + ")");
        continue;
      }
      if (item["remove"]) {
        L_.keys_read.insert(scenario_section(sec.find(key)->section).name + ".remove");
        err(item["remove"], join(ip, "remove"),
            "there is no such item to remove (remove deletes an item of the baseline this scenario extends)");
      }
      each(item, ip);
    }
  }

  ProductSpec product(const YAML::Node& n, const std::string& p) {
    const SectionInfo& sec = scenario_section("product");
    keys(n, sec, p, "");
    ProductSpec s;
    str(n, sec, p, "id", s.id);
    num(n, sec, p, "unit_cost", s.unit_cost);
    num(n, sec, p, "price", s.price);
    num(n, sec, p, "salvage_value", s.salvage_value);
    return s;
  }

  PolicySpec policy(const YAML::Node& n, const std::string& p) {
    const SectionInfo& sec = scenario_section("policy");
    PolicySpec s;
    enumeration(n, sec, p, "type", s.type);
    keys(n, sec, p, n["type"] && n["type"].IsScalar() ? n["type"].Scalar() : "");
    enumeration(n, sec, p, "review", s.review);
    integer(n, sec, p, "review_period", s.review_period);
    integer(n, sec, p, "review_offset", s.review_offset);
    num(n, sec, p, "S", s.S);
    num(n, sec, p, "s", s.s);
    num(n, sec, p, "r", s.r);
    num(n, sec, p, "Q", s.Q);
    enumeration(n, sec, p, "forecast", s.forecast);
    integer(n, sec, p, "p", s.p);
    num(n, sec, p, "alpha", s.alpha);
    num(n, sec, p, "lead_time", s.lead_time);
    num(n, sec, p, "z", s.z);
    enumeration(n, sec, p, "safety", s.safety);
    num(n, sec, p, "sigma", s.sigma);
    num(n, sec, p, "initial_forecast", s.initial_forecast);
    num(n, sec, p, "theta", s.theta);
    num(n, sec, p, "alpha_s", s.alpha_s);
    num(n, sec, p, "beta", s.beta);
    num(n, sec, p, "s_prime", s.s_prime);
    num(n, sec, p, "desired_inventory", s.desired_inventory);
    num(n, sec, p, "desired_supply_line", s.desired_supply_line);
    number_list(n, sec, p, "plan", s.plan);
    enumeration(n, sec, p, "after_plan", s.after_plan);
    num(n, sec, p, "lot_size", s.lot_size);
    num(n, sec, p, "min_order", s.min_order);
    num(n, sec, p, "max_order", s.max_order);
    return s;
  }

  DemandSpec demand(const YAML::Node& n, const std::string& p) {
    const SectionInfo& sec = scenario_section("demand");
    DemandSpec s;
    enumeration(n, sec, p, "type", s.type);
    keys(n, sec, p, n["type"] && n["type"].IsScalar() ? n["type"].Scalar() : "");
    num(n, sec, p, "value", s.value);
    num(n, sec, p, "mean", s.mean);
    num(n, sec, p, "sd", s.sd);
    num(n, sec, p, "variance", s.variance);
    num(n, sec, p, "low", s.low);
    num(n, sec, p, "high", s.high);
    num(n, sec, p, "before", s.before);
    num(n, sec, p, "after", s.after);
    integer(n, sec, p, "at", s.at);
    num(n, sec, p, "amplitude", s.amplitude);
    num(n, sec, p, "cycle", s.cycle);
    num(n, sec, p, "phase", s.phase);
    enumeration(n, sec, p, "noise", s.noise);
    num(n, sec, p, "cv", s.cv);
    num(n, sec, p, "phi", s.phi);
    str(n, sec, p, "file", s.file);
    str(n, sec, p, "column", s.column);
    enumeration(n, sec, p, "after_trace", s.after_trace);
    number_list(n, sec, p, "values", s.values);
    distribution(n, sec, p, "distribution", s.distribution);
    distribution(n, sec, p, "interarrival", s.interarrival);
    distribution(n, sec, p, "size", s.size);
    num(n, sec, p, "start", s.start);
    num(n, sec, p, "priority", s.priority);
    count_means_bounded(n, p, s);
    return s;
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

  // `cost_keys`: read holding, backorder and lost-sale costs and unmet_demand
  // as the stock's own (false for the one-stock shorthand, where they are the
  // node's defaults and already read).
  void stock_fields(const YAML::Node& n, const SectionInfo& sec, const std::string& p, StockSpec& s,
                    bool cost_keys = true) {
    str(n, sec, p, "product", s.product);
    num(n, sec, p, "initial", s.initial);
    num(n, sec, p, "initial_backlog", s.initial_backlog);
    if (const YAML::Node pol = sub(n, sec, p, "policy")) {
      if (!pol["type"]) {
        err(pol, join(join(p, "policy"), "type"), "required key is missing");
      }
      s.policy = policy(pol, join(p, "policy"));
    }
    if (const YAML::Node src = sub(n, sec, p, "sources")) {
      const std::string sp = join(p, "sources");
      if (!src.IsSequence()) {
        err(src, sp, "must be a list (got " + describe_value(src) + ")");
      } else {
        const SectionInfo& ss = scenario_section("source");
        for (std::size_t i = 0; i < src.size(); ++i) {
          const YAML::Node item = src[i];
          SourceSpec so;
          const std::string ip = fmt::format("{}.{}", sp, i);
          if (item.IsScalar()) {
            so.from = item.Scalar();
          } else if (item.IsMap()) {
            keys(item, ss, ip, "");
            str(item, ss, ip, "from", so.from);
            str(item, ss, ip, "lane", so.lane);
            num(item, ss, ip, "share", so.share);
          } else {
            err(item, ip, "must be a node id or a mapping {from, lane, share} (got " + describe_value(item) + ")");
            continue;
          }
          s.sources.push_back(so);
        }
      }
    }
    std::string single;
    if (str(n, sec, p, "from", single)) {
      if (n["sources"]) {
        err(n["from"], join(p, "from"), "give either from or sources, not both");
      } else {
        SourceSpec so;
        so.from = single;
        s.sources.push_back(so);
      }
    }
    enumeration(n, sec, p, "split", s.split);
    if (const YAML::Node pr = sub(n, sec, p, "production")) {
      const std::string pp = join(p, "production");
      const SectionInfo& ps = scenario_section("production");
      keys(pr, ps, pp, "");
      ProductionSpec prod;
      list(pr, ps, pp, "inputs", [&](const YAML::Node& in, const std::string& ip) {
        const SectionInfo& is = scenario_section("input");
        keys(in, is, ip, "");
        InputSpec input;
        str(in, is, ip, "product", input.product);
        num(in, is, ip, "quantity", input.quantity);
        prod.inputs.push_back(input);
      });
      num(pr, ps, pp, "capacity", prod.capacity);
      distribution(pr, ps, pp, "lead_time", prod.lead_time);
      num(pr, ps, pp, "request_delay", prod.request_delay);
      num(pr, ps, pp, "batch", prod.batch);
      num(pr, ps, pp, "cost", prod.cost);
      number_list(pr, ps, pp, "initial_wip", prod.initial_wip);
      number_list(pr, ps, pp, "initial_requests", prod.initial_requests);
      s.production = prod;
    }
    if (const YAML::Node d = n["demand"]) {
      L_.keys_read.insert(sec.name + ".demand");
      const std::string dp = join(p, "demand");
      auto one = [&](const YAML::Node& item, const std::string& ip) {
        if (!item.IsMap()) {
          err(item, ip, "must be a mapping (got " + describe_value(item) + ")");
          return;
        }
        s.demand.push_back(demand(item, ip));
      };
      if (d.IsSequence()) {
        for (std::size_t i = 0; i < d.size(); ++i) one(d[i], fmt::format("{}.{}", dp, i));
      } else {
        one(d, dp);
      }
    }
    if (const YAML::Node r = sub(n, sec, p, "returns")) {
      const std::string rp = join(p, "returns");
      const SectionInfo& rs = scenario_section("returns");
      keys(r, rs, rp, "");
      ReturnsSpec ret;
      num(r, rs, rp, "fraction", ret.fraction);
      distribution(r, rs, rp, "delay", ret.delay);
      num(r, rs, rp, "restock_fraction", ret.restock_fraction);
      num(r, rs, rp, "refund", ret.refund);
      num(r, rs, rp, "scrap_cost", ret.scrap_cost);
      s.returns = ret;
    }
    num(n, sec, p, "storage_capacity", s.storage_capacity);
    if (cost_keys) {
      num(n, sec, p, "holding_cost", s.holding_cost);
      num(n, sec, p, "backorder_cost", s.backorder_cost);
      num(n, sec, p, "lost_sale_cost", s.lost_sale_cost);
      enumeration(n, sec, p, "unmet_demand", s.unmet_demand);
    }
    boolean(n, sec, p, "vmi", s.vmi);
    boolean(n, sec, p, "use_shared_demand", s.use_shared_demand);
  }

  NodeSpec node(const YAML::Node& n, const std::string& p) {
    const SectionInfo& sec = scenario_section("node");
    keys(n, sec, p, "");
    NodeSpec s;
    str(n, sec, p, "id", s.id);
    enumeration(n, sec, p, "kind", s.kind);
    enumeration(n, sec, p, "allocation", s.allocation);
    enumeration(n, sec, p, "unmet_demand", s.unmet_demand);
    num(n, sec, p, "holding_cost", s.holding_cost);
    num(n, sec, p, "holding_rate", s.holding_rate);
    num(n, sec, p, "backorder_cost", s.backorder_cost);
    num(n, sec, p, "lost_sale_cost", s.lost_sale_cost);
    num(n, sec, p, "ordering_cost", s.ordering_cost);
    num(n, sec, p, "initial_cash", s.initial_cash);
    if (const YAML::Node t = sub(n, sec, p, "payment_terms")) {
      const std::string tp = join(p, "payment_terms");
      const SectionInfo& ts = scenario_section("payment_terms");
      keys(t, ts, tp, "");
      num(t, ts, tp, "net", s.payment_terms.net);
      num(t, ts, tp, "discount", s.payment_terms.discount);
      num(t, ts, tp, "discount_within", s.payment_terms.discount_within);
    }
    distribution(n, sec, p, "lead_time", s.lead_time);
    num(n, sec, p, "capacity", s.capacity);
    num(n, sec, p, "reliability", s.reliability);
    num(n, sec, p, "shortfall", s.shortfall);
    Distribution y = Distribution::constant(1.0);
    if (distribution(n, sec, p, "yield", y)) s.yield = y;
    num(n, sec, p, "material_cost", s.material_cost);
    // Stock keys at the node level describe its single stock (the shorthand);
    // holding, backorder and lost-sale costs and unmet_demand are node defaults.
    static const std::set<std::string> shared = {"holding_cost", "backorder_cost", "lost_sale_cost", "unmet_demand"};
    bool shorthand = false;
    for (const KeyInfo& k : scenario_section("stock").keys) {
      if (!shared.count(k.name) && n[k.name]) shorthand = true;
    }
    if (n["stocks"]) {
      if (shorthand) err(n["stocks"], join(p, "stocks"), "give either stocks or the keys of one stock (product, policy, ...), not both");
      list(n, sec, p, "stocks", [&](const YAML::Node& item, const std::string& ip) {
        const SectionInfo& ss = scenario_section("stock");
        keys(item, ss, ip, "");
        StockSpec st;
        stock_fields(item, ss, ip, st);
        s.stocks.push_back(st);
      });
    } else if (shorthand) {
      if (!n["product"]) err(n, join(p, "product"), "required key is missing (a node's single stock needs its product)");
      StockSpec st;
      stock_fields(n, sec, p, st, /*cost_keys=*/false);  // the node-level costs are the node's defaults
      s.stocks.push_back(st);
    }
    return s;
  }

  LaneSpec lane(const YAML::Node& n, const std::string& p) {
    const SectionInfo& sec = scenario_section("lane");
    keys(n, sec, p, "");
    LaneSpec s;
    str(n, sec, p, "id", s.id);
    str(n, sec, p, "from", s.from);
    str(n, sec, p, "to", s.to);
    distribution(n, sec, p, "transport_time", s.transport_time);
    if (const YAML::Node m = sub(n, sec, p, "transport_time_by_product")) {
      product_map(m, join(p, "transport_time_by_product"), [&](const std::string& k, const YAML::Node& v, const std::string& vp) {
        Distribution d;
        if (distribution_value(v, vp, d)) s.transport_time_by_product[k] = d;
      });
    }
    num(n, sec, p, "order_delay", s.order_delay);
    num(n, sec, p, "invoice_delay", s.invoice_delay);
    num(n, sec, p, "payment_delay", s.payment_delay);
    num(n, sec, p, "capacity_per_shipment", s.capacity_per_shipment);
    num(n, sec, p, "capacity_per_period", s.capacity_per_period);
    num(n, sec, p, "cost_per_unit", s.cost_per_unit);
    num(n, sec, p, "cost_per_shipment", s.cost_per_shipment);
    num(n, sec, p, "price", s.price);
    if (const YAML::Node m = sub(n, sec, p, "price_by_product")) {
      product_map(m, join(p, "price_by_product"), [&](const std::string& k, const YAML::Node& v, const std::string& vp) {
        double d = 0.0;
        if (parse_number(v, nullptr, vp, d)) s.price_by_product[k] = d;
      });
    }
    boolean(n, sec, p, "prevent_overtaking", s.prevent_overtaking);
    num(n, sec, p, "priority", s.priority);
    pipeline(n, sec, p, "initial_shipments", s.initial_shipments);
    pipeline(n, sec, p, "initial_orders", s.initial_orders);
    return s;
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

  EventSpec event(const YAML::Node& n, const std::string& p) {
    const SectionInfo& sec = scenario_section("event");
    keys(n, sec, p, "");
    EventSpec s;
    str(n, sec, p, "id", s.id);
    num(n, sec, p, "at", s.at);
    num(n, sec, p, "probability", s.probability);
    num(n, sec, p, "mean_up", s.mean_up);
    num(n, sec, p, "mean_down", s.mean_down);
    str(n, sec, p, "after", s.after);
    num(n, sec, p, "delay", s.delay);
    num(n, sec, p, "duration", s.duration);
    enumeration(n, sec, p, "action", s.action);
    str(n, sec, p, "node", s.node);
    str(n, sec, p, "lane", s.lane);
    str(n, sec, p, "product", s.product);
    str(n, sec, p, "parameter", s.parameter);
    num(n, sec, p, "value", s.value);
    enumeration(n, sec, p, "in_transit", s.in_transit);
    return s;
  }
};

}  // namespace

ScenarioSpec convert_document(const YAML::Node& root, const std::string& file, DiagnosticSink& sink) {
  Converter c(sink, file);
  return c.convert(root);
}

}  // namespace chainsim::models::detail

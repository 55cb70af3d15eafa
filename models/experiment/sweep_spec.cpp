// What to sweep: parameters from the command line, or a design file with a
// `sweep:` block, checked key by key with the loader's message format.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <set>
#include <sstream>

#include "models/scenario/keys.h"
#include "models/scenario/loader.h"
#include "models/experiment/sweep.h"
#include "sim/atomic_file.h"

namespace chainsim::models {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxDesignBytes = 1u << 20;

// Paths a parameter may not sweep, with what to use instead.
std::string reserved_path(const std::string& path) {
  if (path == "seed") return "sweep the seed with --seed (common random numbers use one seed)";
  if (path == "replications") return "give the replications per point with --replications";
  return "";
}

KeyInfo key(const char* name, KeyType type, const char* doc) {
  KeyInfo k;
  k.name = name;
  k.type = type;
  k.doc = doc;
  return k;
}

const SectionInfo& top_section() {
  static const SectionInfo s{"design file", "", {key("sweep", KeyType::kSection, "the sweep")}, "", {}};
  return s;
}

const SectionInfo& sweep_section() {
  static const SectionInfo s{"sweep",
                             "",
                             {key("scenario", KeyType::kString, "scenario file"),
                              key("set", KeyType::kSection, "fixed overrides"),
                              key("design", KeyType::kEnum, "grid or lhs"),
                              key("samples", KeyType::kInteger, "lhs points"),
                              key("replications", KeyType::kInteger, "per point"),
                              key("seed", KeyType::kInteger, "random seed"),
                              key("parameters", KeyType::kSectionList, "what to sweep")},
                             "",
                             {}};
  return s;
}

const SectionInfo& parameter_section() {
  static const SectionInfo s{"parameter",
                             "",
                             {key("path", KeyType::kString, "scenario path"),
                              key("values", KeyType::kNumberList, "list of values"),
                              key("range", KeyType::kSection, "from, to, step"),
                              key("interval", KeyType::kSection, "low, high")},
                             "",
                             {}};
  return s;
}

class DesignReader {
 public:
  explicit DesignReader(std::string file) : file_(std::move(file)) {}

  void error(const YAML::Node& at, const std::string& path, const std::string& msg) {
    Diagnostic d;
    d.file = file_;
    const YAML::Mark m = at ? at.Mark() : YAML::Mark::null_mark();
    if (m.line >= 0) {
      d.line = m.line + 1;
      d.column = m.column + 1;
    }
    d.path = path;
    d.message = msg;
    diags_.push_back(std::move(d));
  }

  // Reports keys of `node` that `section` does not have.
  void check_keys(const YAML::Node& node, const SectionInfo& section, const std::string& path) {
    for (const auto& kv : node) {
      const std::string k = kv.first.Scalar();
      if (section.find(k) != nullptr) continue;
      const auto close = close_keys(section, k);
      error(kv.first, path.empty() ? k : path + "." + k,
            fmt::format("unknown key{}", close.empty() ? "" : " (did you mean " + close.front() + "?)"));
    }
  }

  std::string scalar(const YAML::Node& n, const std::string& path, bool required, const YAML::Node& parent) {
    if (!n) {
      if (required) error(parent, path, "missing (a value is required)");
      return "";
    }
    if (!n.IsScalar() || n.Scalar().empty()) {
      error(n, path, "must be a single value (got " + describe(n) + ")");
      return "";
    }
    return n.Scalar();
  }

  template <typename Int>
  std::optional<Int> integer(const YAML::Node& n, const std::string& path, Int minimum) {
    if (!n) return std::nullopt;
    Int v{};
    std::istringstream in(n.IsScalar() ? n.Scalar() : "");
    if (!n.IsScalar() || !(in >> v) || !in.eof() || v < minimum) {
      error(n, path, fmt::format("must be an integer >= {} (got {})", minimum, describe(n)));
      return std::nullopt;
    }
    return v;
  }

  static std::string describe(const YAML::Node& n) {
    if (!n || n.IsNull()) return "nothing";
    if (n.IsScalar()) return "'" + n.Scalar() + "'";
    return n.IsSequence() ? "a list" : "a mapping";
  }

  // A value of a list, as the YAML text --set would take.
  static std::string value_text(const YAML::Node& n) {
    if (n.IsScalar()) return n.Scalar();
    YAML::Emitter out;
    out << YAML::Flow << n;
    return out.c_str();
  }

  std::optional<sim::ParamSpec> parameter(const YAML::Node& item, const std::string& at, const std::string& design) {
    if (!item.IsMap()) {
      error(item, at, "must be a mapping with path: and one of values:, range: or interval: (got " + describe(item) + ")");
      return std::nullopt;
    }
    check_keys(item, parameter_section(), at);
    const std::string path = scalar(item["path"], at + ".path", true, item);
    const int given = (item["values"] ? 1 : 0) + (item["range"] ? 1 : 0) + (item["interval"] ? 1 : 0);
    if (given != 1) {
      error(item, at, fmt::format("give exactly one of values:, range: or interval: (got {})", given));
      return std::nullopt;
    }
    if (path.empty()) return std::nullopt;
    if (const std::string why = reserved_path(path); !why.empty()) {
      error(item["path"], at + ".path", "cannot be swept: " + why);
      return std::nullopt;
    }
    try {
      if (const YAML::Node v = item["values"]) {
        if (!v.IsSequence() || v.size() == 0) {
          error(v, at + ".values", "must be a non-empty list (got " + describe(v) + ")");
          return std::nullopt;
        }
        std::vector<std::string> levels;
        for (const auto& x : v) levels.push_back(value_text(x));
        if (design == "lhs") {
          error(v, at + ".values", "the lhs design takes an interval: {low: L, high: H}");
          return std::nullopt;
        }
        return sim::list_param(path, levels);
      }
      if (const YAML::Node r = item["range"]) {
        if (!r.IsMap()) {
          error(r, at + ".range", "must be a mapping {from: A, to: B, step: C} (got " + describe(r) + ")");
          return std::nullopt;
        }
        check_keys(r, range_section(), at + ".range");
        const std::string from = scalar(r["from"], at + ".range.from", true, r);
        const std::string to = scalar(r["to"], at + ".range.to", true, r);
        const std::string step = scalar(r["step"], at + ".range.step", true, r);
        if (from.empty() || to.empty() || step.empty()) return std::nullopt;
        if (design == "lhs") {
          error(r, at + ".range", "the lhs design takes an interval: {low: L, high: H}");
          return std::nullopt;
        }
        try {
          return sim::range_param(path, from, to, step);
        } catch (const sim::DesignError& e) {
          error(r, at + ".range", e.what());
          return std::nullopt;
        }
      }
      const YAML::Node iv = item["interval"];
      if (!iv.IsMap()) {
        error(iv, at + ".interval", "must be a mapping {low: L, high: H} (got " + describe(iv) + ")");
        return std::nullopt;
      }
      check_keys(iv, interval_section(), at + ".interval");
      const std::string low = scalar(iv["low"], at + ".interval.low", true, iv);
      const std::string high = scalar(iv["high"], at + ".interval.high", true, iv);
      if (low.empty() || high.empty()) return std::nullopt;
      if (design != "lhs") {
        error(iv, at + ".interval", "the grid design takes values: or range: (intervals are for design: lhs)");
        return std::nullopt;
      }
      return sim::interval_param(path, low, high);
    } catch (const sim::DesignError& e) {
      error(item, at, e.what());
      return std::nullopt;
    }
  }

  static const SectionInfo& range_section() {
    static const SectionInfo s{"range", "",
                               {key("from", KeyType::kNumber, ""), key("to", KeyType::kNumber, ""),
                                key("step", KeyType::kNumber, "")},
                               "", {}};
    return s;
  }
  static const SectionInfo& interval_section() {
    static const SectionInfo s{"interval", "", {key("low", KeyType::kNumber, ""), key("high", KeyType::kNumber, "")},
                               "", {}};
    return s;
  }

  SweepSpec read(const YAML::Node& doc) {
    SweepSpec spec;
    spec.source = file_;
    if (!doc.IsMap()) {
      error(doc, "", "a design file must be a mapping with a sweep: block (got " + describe(doc) + ")");
      return spec;
    }
    check_keys(doc, top_section(), "");
    const YAML::Node s = doc["sweep"];
    if (!s || !s.IsMap()) {
      error(s ? s : doc, "sweep", "must be a mapping (got " + describe(s) + ")");
      return spec;
    }
    check_keys(s, sweep_section(), "sweep");
    const std::string scenario = scalar(s["scenario"], "sweep.scenario", true, s);
    if (!scenario.empty()) {
      fs::path p = scenario;
      if (p.is_relative()) p = fs::path(file_).parent_path() / p;
      spec.scenario = p.lexically_normal().string();
    }
    if (const YAML::Node set = s["set"]) {
      if (!set.IsMap()) {
        error(set, "sweep.set", "must be a mapping of path: value (got " + describe(set) + ")");
      } else {
        for (const auto& kv : set) spec.sets.push_back(kv.first.Scalar() + "=" + value_text(kv.second));
      }
    }
    if (const YAML::Node d = s["design"]) {
      spec.design = scalar(d, "sweep.design", false, s);
      if (spec.design != "grid" && spec.design != "lhs") {
        error(d, "sweep.design", "must be grid or lhs (got " + describe(d) + ")");
        spec.design = "grid";
      }
    }
    if (auto n = integer<std::size_t>(s["samples"], "sweep.samples", 1)) spec.samples = *n;
    if (spec.design == "lhs" && spec.samples == 0 && !s["samples"]) {
      error(s, "sweep.samples", "missing: the lhs design needs the number of samples");
    }
    if (auto n = integer<int>(s["replications"], "sweep.replications", 1)) spec.replications = *n;
    if (auto n = integer<std::uint64_t>(s["seed"], "sweep.seed", 0)) spec.seed = *n;
    const YAML::Node params = s["parameters"];
    if (!params || !params.IsSequence() || params.size() == 0) {
      error(params ? params : s, "sweep.parameters",
            "must be a non-empty list of parameters (got " + describe(params) + ")");
      return spec;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < params.size(); ++i) {
      const YAML::Node item = params[i];
      const std::string at = fmt::format("sweep.parameters.{}", i);
      auto p = parameter(item, at, spec.design);
      if (!p) continue;
      if (!seen.insert(p->name).second) {
        error(item["path"], at + ".path", "is swept twice (got '" + p->name + "')");
        continue;
      }
      spec.params.push_back(std::move(*p));
    }
    return spec;
  }

  std::vector<Diagnostic> diags_;

 private:
  std::string file_;
};

}  // namespace

std::vector<sim::ParamSpec> parse_param_options(const std::vector<std::string>& options) {
  std::vector<Diagnostic> diags;
  std::vector<sim::ParamSpec> out;
  std::set<std::string> seen;
  auto fail = [&](const std::string& path, const std::string& msg) {
    diags.push_back({"--param", 0, 0, path, msg});
  };
  for (const std::string& o : options) {
    const auto eq = o.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == o.size()) {
      fail("", "needs PATH=SPEC, e.g. nodes.store.policy.S=20:80:10 (got '" + o + "')");
      continue;
    }
    const std::string path = o.substr(0, eq);
    if (const std::string why = reserved_path(path); !why.empty()) {
      fail(path, "cannot be swept: " + why);
      continue;
    }
    if (!seen.insert(path).second) {
      fail(path, "is swept twice");
      continue;
    }
    try {
      out.push_back(sim::parse_param_spec(path, o.substr(eq + 1)));
    } catch (const sim::DesignError& e) {
      fail(path, e.what());
    }
  }
  if (!diags.empty()) throw LoadError(diags);
  return out;
}

namespace {

}  // namespace


bool is_sweep_file(const std::string& path) {
  try {
    const YAML::Node doc = YAML::LoadFile(path);
    return doc.IsMap() && doc["sweep"];
  } catch (const std::exception&) {
    return false;  // the scenario loader reports what is wrong with it
  }
}

SweepSpec load_sweep_file(const std::string& path, const std::vector<std::string>& allowed_dirs) {
  DesignReader reader(path);
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec || !fs::is_regular_file(path, ec)) {
    throw LoadError({{path, 0, 0, "", "cannot read the design file" + (ec ? " (" + ec.message() + ")" : std::string())}});
  }
  if (size > kMaxDesignBytes) {
    throw LoadError({{path, 0, 0, "", fmt::format("the file is larger than {} bytes (got {})", kMaxDesignBytes, size)}});
  }
  const sim::BoundedRead file = sim::read_regular_file(path, kMaxDesignBytes);
  if (file.problem != sim::BoundedRead::Problem::kNone) {
    throw LoadError({{path, 0, 0, "", "cannot read the design file (" + file.why + ")"}});
  }
  YAML::Node doc;
  try {
    doc = YAML::Load(file.text);
  } catch (const YAML::Exception& e) {
    reader.error(YAML::Node(), "", "not valid YAML: " + e.msg);
    Diagnostic& d = reader.diags_.back();
    d.line = e.mark.line + 1;
    d.column = e.mark.column + 1;
    throw LoadError(reader.diags_);
  }
  SweepSpec spec = reader.read(doc);
  spec.allowed_dirs = allowed_dirs;
  if (!spec.scenario.empty()) {
    const FileScope scope(fs::path(path).parent_path().string(), allowed_dirs, "the design file's");
    if (const std::string why = scope.refuse(spec.scenario); !why.empty()) {
      reader.error(doc["sweep"]["scenario"], "sweep.scenario", "'" + doc["sweep"]["scenario"].Scalar() + "' " + why);
    }
  }
  if (!reader.diags_.empty()) {
    std::stable_sort(reader.diags_.begin(), reader.diags_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    throw LoadError(reader.diags_);
  }
  return spec;
}

}  // namespace chainsim::models

#include "models/scenario/loader.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include "models/chain/builder.h"
#include "sim/atomic_file.h"
#include "sim/text.h"
#include "models/chain/spec_groups.h"
#include "models/scenario/detail/convert.h"
#include "models/scenario/keys.h"
#include "models/scenario/traces.h"

namespace chainsim::models {

namespace fs = std::filesystem;

using detail::describe_value;
using detail::item_name;
using detail::join;

namespace {

constexpr std::uintmax_t kMaxFileBytes = 16u << 20;  // 16 MiB: far above any real scenario
constexpr std::size_t kMaxNodes = 1'000'000;         // visits, aliases counted each time
constexpr int kMaxDepth = 64;                        // mapping/list nesting
constexpr int kMaxExtends = 16;
constexpr std::size_t kMaxAliasCopies = 200'000;  // nodes copied to give each alias its own

// Whether a scalar of `n` (a key or a value) holds a control character. With
// `descriptions`, line breaks and tabs are allowed in the value of a
// `description` key (PreScan's rule for a file without anchors);
// `description_value` says `n` is one.
bool holds_control(const YAML::Node& n, bool descriptions = false, bool description_value = false) {
  if (n.IsScalar()) return sim::first_control(n.Scalar(), description_value ? "\t\n" : "") != std::string::npos;
  if (n.IsMap()) {
    for (const auto& kv : n) {
      const bool value_is_description = descriptions && kv.first.IsScalar() && kv.first.Scalar() == "description";
      if (holds_control(kv.first, descriptions) || holds_control(kv.second, descriptions, value_is_description)) {
        return true;
      }
    }
  } else if (n.IsSequence()) {
    for (const auto& item : n) {
      if (holds_control(item, descriptions)) return true;
    }
  }
  return false;
}

// Counts nodes (aliases expanded) and depth, stopping at the limits.
bool within_limits(const YAML::Node& n, std::size_t& count, int depth) {
  if (++count > kMaxNodes || depth > kMaxDepth) return false;
  if (n.IsMap()) {
    for (const auto& kv : n) {
      if (!within_limits(kv.first, count, depth + 1) || !within_limits(kv.second, count, depth + 1)) return false;
    }
  } else if (n.IsSequence()) {
    for (const auto& item : n) {
      if (!within_limits(item, count, depth + 1)) return false;
    }
  }
  return true;
}

// yaml-cpp's tree costs about 500 bytes a node: a document is counted with
// the event parser (which builds nothing) and refused past this many nodes
// (about 140 MB of tree) before the tree is built. Real scenarios have a few
// thousand; long demand histories belong in trace files.
constexpr std::size_t kMaxParsedNodes = 250'000;

// What the event parser saw of a file: its nodes (an alias counted once),
// its documents, and the first merge key (`<<`), which yaml-cpp reads as a
// plain key.
class PreScan : public YAML::EventHandler {
 public:
  struct TooLarge {};  // thrown to stop the parse at the limit
  std::size_t nodes = 0;
  int documents = 0;
  YAML::Mark second_document = YAML::Mark::null_mark();
  YAML::Mark merge_key = YAML::Mark::null_mark();
  // The first scalar holding a control character (a newline or tab only in a
  // description), where and which.
  YAML::Mark control = YAML::Mark::null_mark();
  std::string control_key;    // the key of the value ("" for a key itself)
  std::string control_value;  // the value, printable

  void OnDocumentStart(const YAML::Mark& m) override {
    if (++documents == 2) second_document = m;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { leaf(); }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { leaf(); }
  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor, const std::string& value) override {
    if (value == "<<" && tag == "?" && at_key() && merge_key.is_null()) merge_key = m;
    check_text(m, value, anchor != YAML::NullAnchor);
    if (!open_.empty() && open_.back().map) open_.back().key = at_key() ? value : std::string();
    leaf();
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(false);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(true);
  }
  void OnMapEnd() override { close(); }

 private:
  // The open containers: whether each is a mapping, its children so far, and
  // (a mapping) the key whose value comes next.
  struct Open {
    bool map;
    std::size_t children;
    std::string key;
  };
  std::vector<Open> open_;
  bool at_key() const { return !open_.empty() && open_.back().map && open_.back().children % 2 == 0; }
  // `anchored`: an alias may copy it anywhere, so it is held to the rule of any value.
  void check_text(const YAML::Mark& m, const std::string& value, bool anchored) {
    if (!control.is_null()) return;
    const bool free_text = !anchored && !at_key() && !open_.empty() && open_.back().key == "description";
    const std::size_t at = sim::first_control(value, free_text ? "\t\n" : "");
    if (at == std::string::npos) return;
    control = m;
    control_key = at_key() || open_.empty() ? "" : open_.back().key;
    control_value = sim::excerpt(value, 60);
  }
  void count() {
    if (++nodes > kMaxParsedNodes) throw TooLarge{};
  }
  void leaf() {
    count();
    if (!open_.empty()) ++open_.back().children;
  }
  void open(bool map) {
    count();
    open_.push_back(Open{map, 0, {}});
  }
  void close() {
    open_.pop_back();
    if (!open_.empty()) ++open_.back().children;
  }
};


// A file this small cannot hold kMaxParsedNodes nodes: the densest YAML, a
// flow mapping of empty entries ("{,,,}"), is two nodes a byte.
constexpr std::size_t kMaxUncountedBytes = kMaxParsedNodes / 4;

// Whether `text` may be parsed into a tree without PreScan's count first:
// small, and with no anchor ('&'), merge key ("<<"), byte-order mark or line
// starting with a document marker ("---", "...") or a directive ('%')
// anywhere. A mapping in block style at column 0 ends only at one of those or
// the end of the text, so such a file whose root is one holds one document.
bool may_skip_count(std::string_view text) {
  if (text.size() > kMaxUncountedBytes || text.find('&') != std::string_view::npos ||
      text.find("<<") != std::string_view::npos || text.find("\xEF\xBB\xBF") != std::string_view::npos) {
    return false;
  }
  for (std::size_t line = 0;;) {
    if (text.compare(line, 3, "---") == 0 || text.compare(line, 3, "...") == 0 || text.compare(line, 1, "%") == 0) {
      return false;
    }
    line = text.find_first_of("\n\r", line);
    if (line == std::string_view::npos) return true;
    ++line;
  }
}

// The tree of `text` (may_skip_count) when PreScan would refuse nothing in
// it: it parses, its root is a mapping in block style at column 0 and no
// scalar holds a control character. Otherwise nullopt, and the caller counts and reports as
// for any file, so that every message is the same.
std::optional<YAML::Node> load_uncounted(const std::string& text) {
  try {
    YAML::Node doc = YAML::Load(text);
    if (doc.IsMap() && doc.Style() == YAML::EmitterStyle::Block && doc.Mark().column == 0 &&
        !holds_control(doc, true)) {
      return doc;
    }
  } catch (const YAML::Exception&) {
  }
  return std::nullopt;
}

// New containers made in the memory of the documents they hold nodes of.
// yaml-cpp keeps a document's nodes in one pool; a node built on its own has
// a pool of its own, and inserting a document's node into it copies the
// document's whole pool into it. Building one container per node of a large
// document that way (unsharing an alias in each of 10,000 nodes, merging a
// large variant) is quadratic: 24 GB and minutes. Containers made here share
// one pool with the documents adopted into it, so each insert is O(1).
class NodeArena {
 public:
  // Moves `doc`'s pool into the arena's: once per document, linear.
  void adopt(const YAML::Node& doc) { pool_.push_back(doc); }
  YAML::Node make(YAML::NodeType::value type) {
    pool_.push_back(YAML::Node(type));  // its own small pool joins the arena's
    return pool_[pool_.size() - 1];     // the same node, now held through the arena's pool
  }

 private:
  YAML::Node pool_{YAML::NodeType::Sequence};
};

struct TextSource {
  std::string file;
  std::string dir;
  std::string text;
};

}  // namespace

// The documents a scenario was parsed from, kept unchanged, and the merged
// containers that stand for a baseline's. Only ever appended to: YAML::Node's
// assignment writes through to the node it refers to, so shifting elements
// (insert, erase, sort) would overwrite the documents themselves.
struct ScenarioProvenance {
  struct Origin {
    std::string file;  // empty for --set values (reported against the scenario file)
    YAML::Node doc;
    int level;         // -1: a --set value; 0: the scenario file; 1, 2, ...: its baselines
    std::string note;  // the --set argument
  };
  std::vector<Origin> origins;
  std::vector<std::pair<YAML::Node, YAML::Node>> stand_ins;  // (merged container, the baseline's)
};

namespace {

using Origin = ScenarioProvenance::Origin;

// Where each node of the document as run was written, for messages: the
// documents of the scenario file, its baselines and the --set values are
// kept unchanged (merging builds new containers over their nodes, never
// copies), so a node is found by identity in the document it came from.
class Loader : public detail::DiagnosticSink {
 public:
  // A loader for a new document, or (`kept`) for one parsed before, whose
  // provenance it reads and does not change.
  explicit Loader(std::shared_ptr<ScenarioProvenance> kept = nullptr)
      : prov_(kept ? std::move(kept) : std::make_shared<ScenarioProvenance>()) {}

  FileScope scope;            // the folders extends and traces may name files in
  bool always_count = false;  // LoadOptions::always_count

  // The provenance of what this loader parsed, with the --set values applied
  // so far, to keep with the parsed document.
  std::shared_ptr<ScenarioProvenance> keep_provenance() {
    for (Origin& o : overrides_) prov_->origins.push_back(o);
    overrides_.clear();
    return prov_;
  }

  void error_at(const std::string& file, const YAML::Node& at, const std::string& path,
                const std::string& msg) override {
    if (diags.size() >= detail::kMaxDiagnostics) {
      ++suppressed;  // not located: finding a node's file is a walk of the documents
      return;
    }
    YAML::Node n;
    n.reset(at);
    // A merged mapping or list stands for the baseline's, where it was written in full.
    for (bool again = true; again;) {
      again = false;
      for (const auto& [merged, original] : prov_->stand_ins) {
        if (merged.is(n)) {
          n.reset(original);
          again = true;
          break;
        }
      }
    }
    // Most derived first: a --set value, then the file, then its baselines.
    std::vector<const Origin*> order;
    for (const Origin& o : overrides_) order.push_back(&o);
    for (const Origin& o : prov_->origins) order.push_back(&o);
    std::stable_sort(order.begin(), order.end(), [](const Origin* a, const Origin* b) { return a->level < b->level; });
    for (const Origin* op : order) {
      const Origin& o = *op;
      if (!contains(o.doc, n)) continue;
      if (o.level < 0) {
        error(file, YAML::Mark::null_mark(), path, o.note.empty() ? msg : msg + " (from " + o.note + ")");
      } else {
        error(o.file, n.Mark(), path, msg);
      }
      return;
    }
    error(file, n.Mark(), path, msg);
  }

  // yaml-cpp shares an anchored node with every alias of it, so changing one
  // occurrence (a --set through `policy: *sterman` at one player) would
  // change them all. This returns `n` with every occurrence after the first
  // of a node replaced by a copy of its own, each copy standing in messages
  // for the node it copies; parts without a repeat keep their nodes.
  // Occurrences are told apart by position and type: every occurrence of an
  // aliased node has its anchor's, and two distinct nodes of one document
  // that share both would only cost a needless copy. `copies` counts the
  // nodes copied; past kMaxAliasCopies the caller refuses the document.
  YAML::Node unshare(const YAML::Node& n, std::set<std::pair<int, int>>& seen, std::size_t& copies) {
    const YAML::Mark m = n.Mark();
    if (!seen.insert({m.pos, static_cast<int>(n.Type())}).second) return copy(n, copies);
    if (!n.IsMap() && !n.IsSequence()) return n;
    bool changed = false;
    std::vector<std::pair<YAML::Node, YAML::Node>> kids;
    if (n.IsMap()) {
      for (const auto& kv : n) {
        YAML::Node v = unshare(kv.second, seen, copies);
        changed = changed || !v.is(kv.second);
        kids.emplace_back(kv.first, v);
        if (copies > kMaxAliasCopies) return n;
      }
    } else {
      for (const auto& item : n) {
        YAML::Node v = unshare(item, seen, copies);
        changed = changed || !v.is(item);
        kids.emplace_back(YAML::Node(), v);
        if (copies > kMaxAliasCopies) return n;
      }
    }
    if (!changed) return n;
    YAML::Node out = arena_.make(n.IsMap() ? YAML::NodeType::Map : YAML::NodeType::Sequence);
    for (const auto& [k, v] : kids) {
      if (n.IsMap()) {
        out.force_insert(k, v);
      } else {
        out.push_back(v);
      }
    }
    prov_->stand_ins.emplace_back(out, n);
    return out;
  }

  // A deep copy of `n` sharing no node with it (keys included, or the
  // emitter would write the shared keys with anchors), each copied node
  // standing for its original in messages.
  YAML::Node copy(const YAML::Node& n, std::size_t& copies) {
    ++copies;
    YAML::Node out;
    if (copies > kMaxAliasCopies) return n;
    if (n.IsMap()) {
      out.reset(YAML::Node(YAML::NodeType::Map));
      for (const auto& kv : n) out.force_insert(copy(kv.first, copies), copy(kv.second, copies));
    } else if (n.IsSequence()) {
      out.reset(YAML::Node(YAML::NodeType::Sequence));
      for (const auto& item : n) out.push_back(copy(item, copies));
    } else if (n.IsScalar()) {
      out.reset(YAML::Node(n.Scalar()));
    } else {
      out.reset(YAML::Node(YAML::NodeType::Null));
    }
    prov_->stand_ins.emplace_back(out, n);
    return out;
  }

  // Merges a variant over its baseline: mappings key by key, lists of items
  // by id (`remove: true` deletes), anything else replaced by the variant's.
  // A mapping whose `type` the variant writes, and the baseline does not
  // write the same, is replaced: a policy, demand or distribution of another
  // type shares no keys with the old one (as --set replaces a whole value).
  YAML::Node merge(const YAML::Node& base, const YAML::Node& over, const std::string& key) {
    if (base.IsMap() && over.IsMap() && changes_type(base, over)) return over;
    if (base.IsMap() && over.IsMap()) {
      YAML::Node out = arena_.make(YAML::NodeType::Map);
      auto key_of = [](const YAML::Node& k) { return k.IsScalar() ? k.Scalar() : std::string(); };
      std::set<std::string> merged;
      for (const auto& kv : base) {
        const std::string k = key_of(kv.first);
        bool in_over = false;
        if (k != "extends") {
          for (const auto& okv : over) {
            if (key_of(okv.first) != k) continue;
            in_over = true;
            out.force_insert(okv.first, merge(kv.second, okv.second, k));
            merged.insert(k);
            break;
          }
        }
        if (!in_over) out.force_insert(kv.first, kv.second);
      }
      for (const auto& okv : over) {
        const std::string k = key_of(okv.first);
        if (k == "extends" || merged.count(k)) continue;
        out.force_insert(okv.first, okv.second);
      }
      // A problem of the merged mapping as a whole (two of its keys that do
      // not agree, a key it lacks) is reported where the variant wrote into
      // it: the part the user changed. Its keys keep their own places.
      prov_->stand_ins.emplace_back(out, over);
      return out;
    }
    if (base.IsSequence() && over.IsSequence() && merged_item_section(key) != nullptr) {
      std::vector<YAML::Node> items;
      for (const auto& item : base) items.push_back(item);
      std::vector<bool> removed(items.size(), false);
      std::vector<YAML::Node> appended;
      for (const auto& item : over) {
        const std::string name = item_name(item, static_cast<std::size_t>(-1), key);
        bool matched = false;
        for (std::size_t i = 0; i < items.size(); ++i) {
          if (item_name(items[i], i, key) != name) continue;
          matched = true;
          const YAML::Node rm = item.IsMap() ? item["remove"] : YAML::Node();
          if (rm && rm.IsScalar() && rm.Scalar() == "true") {
            removed[i] = true;
            keys_read.insert(std::string(merged_item_section(key)) + ".remove");
          } else {
            items[i].reset(merge(items[i], item, ""));  // reset: rebind, never assign into the baseline
          }
        }
        if (!matched) appended.push_back(item);
      }
      YAML::Node out = arena_.make(YAML::NodeType::Sequence);
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (!removed[i]) out.push_back(items[i]);
      }
      for (const auto& a : appended) out.push_back(a);
      prov_->stand_ins.emplace_back(out, base);
      return out;
    }
    return over;
  }

  static bool changes_type(const YAML::Node& base, const YAML::Node& over) {
    const YAML::Node to = over["type"];
    if (!to || !to.IsScalar()) return false;
    const YAML::Node from = base["type"];
    return !from || !from.IsScalar() || from.Scalar() != to.Scalar();
  }

  // Records a --set value's document, so that problems with it say so.
  void add_override_origin(const YAML::Node& value, const std::string& spec) {
    overrides_.push_back(Origin{"", value, -1, spec});
  }

  // Parses `text`, resolving extends relative to `dir`. Returns nullopt after
  // reporting on failure. (Not a null YAML::Node: a default-constructed node
  // is a defined null scalar, so it cannot signal failure.)
  std::optional<YAML::Node> parse(const TextSource& src, int level, std::vector<std::string>& chain) {
    std::optional<YAML::Node> doc = load_bounded(src);
    if (!doc) return std::nullopt;
    std::set<std::pair<int, int>> seen;
    std::size_t copies = 0;
    arena_.adopt(*doc);
    const YAML::Node unshared = unshare(*doc, seen, copies);
    if (copies > kMaxAliasCopies) {
      error(src.file, doc->Mark(), "",
            fmt::format("aliases expand to more than {} nodes (got {})", kMaxAliasCopies, copies));
      return std::nullopt;
    }
    doc->reset(unshared);
    prov_->origins.push_back(Origin{src.file, *doc, level, ""});
    const YAML::Node ext = (*doc)["extends"];
    if (!ext) return doc;
    return extend(src, *doc, ext, level, chain);
  }

  // `src` counted by the event parser (PreScan), then parsed into a tree;
  // nullopt after reporting what the count refuses or the parser's error.
  std::optional<YAML::Node> load_counted(const TextSource& src) {
    try {
      std::istringstream in(src.text);
      YAML::Parser parser(in);
      PreScan scan;
      try {
        while (parser.HandleNextDocument(scan) && scan.documents < 2) {
        }
      } catch (const PreScan::TooLarge&) {
        error(src.file, YAML::Mark::null_mark(), "",
              fmt::format("the document has more than {} YAML nodes (give long demand histories as trace files)",
                          kMaxParsedNodes));
        return std::nullopt;
      }
      if (scan.documents > 1) {
        error(src.file, scan.second_document, "",
              "a second YAML document starts here: a scenario file holds one document (remove the '---' "
              "or split the file)");
        return std::nullopt;
      }
      if (!scan.control.is_null()) {
        error(src.file, scan.control, scan.control_key,
              "holds a control character (a line break, tab, terminal escape or text-direction mark), allowed "
              "in no value but a description's line breaks and tabs (got '" + scan.control_value + "')");
        return std::nullopt;
      }
      if (!scan.merge_key.is_null()) {
        error(src.file, scan.merge_key, "<<",
              "YAML merge keys are not supported: write the keys out, use an alias for a whole value, or "
              "extends a baseline file");
        return std::nullopt;
      }
      return YAML::Load(src.text);
    } catch (const YAML::DeepRecursion& e) {
      error(src.file, e.mark, "",
            fmt::format("the document is nested too deeply for the YAML parser (more than {} levels)", e.depth()));
      return std::nullopt;
    } catch (const YAML::Exception& e) {
      error(src.file, e.mark, "", "not valid YAML: " + e.msg);
      return std::nullopt;
    }
  }

  // The text as a YAML tree, refused (reported, nullopt) when it is too
  // large, nested too deeply, not one document, uses merge keys or is not a
  // mapping: the event parser counts it before any tree is built, unless it
  // is small and plain enough that the count could refuse nothing in it
  // (may_skip_count, load_uncounted).
  std::optional<YAML::Node> load_bounded(const TextSource& src) {
    if (const std::size_t bad = sim::first_invalid_utf8(src.text); bad != std::string::npos) {
      // YAML is UTF-8 (here): a byte that is not would fail the run's JSON at the end.
      const std::size_t line_start = src.text.rfind('\n', bad == 0 ? 0 : bad - 1);
      const std::size_t col = line_start == std::string::npos || bad == 0 ? bad : bad - line_start - 1;
      YAML::Mark at = YAML::Mark::null_mark();
      at.line = static_cast<int>(std::count(src.text.begin(), src.text.begin() + static_cast<std::ptrdiff_t>(bad), '\n'));
      at.column = static_cast<int>(col);
      at.pos = static_cast<int>(bad);
      error(src.file, at, "",
            fmt::format("the file is not UTF-8 text: byte 0x{:02x} starts no UTF-8 character (save it as UTF-8)",
                        static_cast<unsigned char>(src.text[bad])));
      return std::nullopt;
    }
    std::optional<YAML::Node> parsed;
    if (!always_count && may_skip_count(src.text)) parsed = load_uncounted(src.text);
    if (!parsed) parsed = load_counted(src);
    if (!parsed) return std::nullopt;
    YAML::Node doc;
    doc = *parsed;
    std::size_t count = 0;
    if (!within_limits(doc, count, 0)) {
      error(src.file, doc.Mark(), "",
            fmt::format("the document is too large or too deeply nested (more than {} nodes with aliases "
                        "expanded, or {} levels)",
                        kMaxNodes, kMaxDepth));
      return std::nullopt;
    }
    if (!doc.IsMap()) {
      YAML::Mark at = doc.Mark();
      if (at.is_null()) at = YAML::Mark();  // an empty file: its start (1:1)
      // Perhaps not a scenario at all (extends: /etc/passwd): a short excerpt only.
      const std::string got = doc.IsScalar() ? "'" + sim::excerpt(doc.Scalar(), 40) + "'" : describe_value(doc);
      error(src.file, at, "", "a scenario must be a mapping of keys (got " + got + ")");
      return std::nullopt;
    }
    return doc;
  }

  // `doc` (of `src`, at `level`) merged over the baseline its `extends` names.
  std::optional<YAML::Node> extend(const TextSource& src, const YAML::Node& doc, const YAML::Node& ext, int level,
                                   std::vector<std::string>& chain) {
    if (!ext.IsScalar()) {
      error(src.file, ext.Mark(), "extends", "must be a file name (got " + describe_value(ext) + ")");
      return std::nullopt;
    }
    keys_read.insert("scenario.extends");
    fs::path base = ext.Scalar();
    if (base.is_relative()) base = fs::path(src.dir) / base;
    std::error_code ec;
    const std::string canonical = fs::weakly_canonical(base, ec).string();
    if (ec) {  // a name too long for the system, a loop of links: no file to read
      error(src.file, ext.Mark(), "extends",
            "cannot read scenario file '" + sim::excerpt(ext.Scalar(), 80) + "' (" + ec.message() + ")");
      return std::nullopt;
    }
    if (std::find(chain.begin(), chain.end(), canonical) != chain.end()) {
      error(src.file, ext.Mark(), "extends", "baselines extend each other in a cycle (got '" + ext.Scalar() + "')");
      return std::nullopt;
    }
    if (level >= kMaxExtends) {
      error(src.file, ext.Mark(), "extends",
            fmt::format("more than {} levels of extends (got '{}' at level {})", kMaxExtends, ext.Scalar(), level + 1));
      return std::nullopt;
    }
    if (const std::string why = scope.refuse(base.string()); !why.empty()) {
      error(src.file, ext.Mark(), "extends", "'" + ext.Scalar() + "' " + why);
      return std::nullopt;
    }
    TextSource bsrc;
    if (!read(base.string(), bsrc, src.file, ext.Mark())) return std::nullopt;
    chain.push_back(canonical);
    std::optional<YAML::Node> base_doc = parse(bsrc, level + 1, chain);
    chain.pop_back();
    if (!base_doc) return std::nullopt;
    absolutize_files(*base_doc, bsrc.dir);
    return merge(*base_doc, doc, "");
  }

  bool read(const std::string& path, TextSource& out, const std::string& from_file, const YAML::Mark& at) {
    out.file = fs::path(path).lexically_normal().string();  // "./base.yaml" -> "base.yaml"
    out.dir = fs::path(out.file).parent_path().string();
    if (out.dir.empty()) out.dir = ".";
    // A regular file only, read with a bound on the descriptor it checked: a
    // FIFO cannot block, a device or a growing file cannot fill memory.
    sim::BoundedRead file = sim::read_regular_file(path, kMaxFileBytes);
    if (file.problem == sim::BoundedRead::Problem::kTooLarge) {
      error(path, YAML::Mark::null_mark(), "", "the file is " + file.why);
      return false;
    }
    if (file.problem != sim::BoundedRead::Problem::kNone) {
      // A file that exists but cannot be opened (permissions): say so, not "an empty scenario".
      error(from_file.empty() ? path : from_file, at, from_file.empty() ? "" : "extends",
            "cannot read scenario file '" + sim::excerpt(path, 120) + "' (" + file.why + ")");
      return false;
    }
    out.text = std::move(file.text);
    return true;
  }

  // Trace files named in a baseline stay relative to the baseline.
  static void absolutize_files(YAML::Node doc, const std::string& dir) {
    YAML::Node nodes = doc["nodes"];
    if (!nodes || !nodes.IsSequence()) return;
    auto fix_demand = [&](YAML::Node demand) {
      auto fix = [&](YAML::Node d) {
        if (d.IsMap() && d["file"] && d["file"].IsScalar()) {
          fs::path p = d["file"].Scalar();
          std::error_code ec;
          if (p.is_relative()) d["file"] = fs::absolute(fs::path(dir) / p, ec).lexically_normal().string();
        }
      };
      if (demand.IsSequence()) {
        for (auto d : demand) fix(d);
      } else {
        fix(demand);
      }
    };
    for (auto n : nodes) {
      if (!n.IsMap()) continue;
      if (n["demand"]) fix_demand(n["demand"]);
      if (n["stocks"] && n["stocks"].IsSequence()) {
        for (auto s : n["stocks"]) {
          if (s.IsMap() && s["demand"]) fix_demand(s["demand"]);
        }
      }
    }
  }

  // --set path=value
  // `from` names the source of the override in messages ("--set"; empty: none).
  void apply_override(YAML::Node& root, const std::string& spec, const std::string& file,
                      const std::string& from = "--set") {
    set_note_ = from.empty() ? "" : from + " " + sim::excerpt(spec, 120);
    if (const std::size_t bad = sim::first_invalid_utf8(spec); bad != std::string::npos) {
      set_error(file, "", fmt::format("--set is not UTF-8 text: byte 0x{:02x} starts no UTF-8 character",
                                      static_cast<unsigned char>(spec[bad])));
      return;
    }
    if (sim::first_control(spec) != std::string::npos) {
      set_error(file, "", "--set holds a control character (a line break, tab, terminal escape or text-direction mark)");
      return;
    }
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) {
      set_error(file, "", "--set needs PATH=VALUE");
      return;
    }
    const std::string path = spec.substr(0, eq);
    YAML::Node value;
    try {
      value = YAML::Load(spec.substr(eq + 1));
    } catch (const YAML::Exception& e) {
      set_error(file, path, "--set value is not valid YAML: " + e.msg);
      return;
    }
    std::size_t count = 0;
    if (!within_limits(value, count, 0)) {
      set_error(file, path, "--set value is too large or too deeply nested");
      return;
    }
    if (holds_control(value)) {  // "\e" in a quoted value is an escape in the argument, ESC in the value
      set_error(file, path,
                "--set value holds a control character (a line break, tab, terminal escape or text-direction mark)");
      return;
    }
    add_override_origin(value, from.empty() ? "" : from + " " + spec);
    std::vector<std::string> parts;
    std::stringstream ss(path);
    for (std::string part; std::getline(ss, part, '.');) parts.push_back(part);
    if (parts.size() == 1 && parts[0] == "extends") {
      set_error(file, path,
            "--set cannot change extends: the baseline is merged before any --set applies (write a variant file "
            "that extends the other baseline)");
      return;
    }
    PathWalk w{root, parts, value, path, file, &scenario_section("scenario"), "", nullptr, "", 0};
    set_path(w);
  }

 private:
  std::string set_note_;  // "--set PATH=VALUE" of the override being applied ("": no note)

  // A problem with the override being applied, naming it once.
  void set_error(const std::string& file, const std::string& path, const std::string& msg) {
    error(file, YAML::Mark::null_mark(), path, set_note_.empty() ? msg : msg + " (from " + set_note_ + ")");
  }

  // Where a --set path has led so far.
  struct PathWalk {
    YAML::Node cur;  // the node reached
    const std::vector<std::string>& parts;
    const YAML::Node& value;
    const std::string& path;  // as given, for messages
    const std::string& file;
    const SectionInfo* section = &scenario_section("scenario");
    std::string walked;           // the parts walked, as a path
    const KeyInfo* list_key = nullptr;  // set while at a list of items: its key
    std::string list_name;        // the key of that list ("nodes", "events", ...)
    std::size_t i = 0;            // the part to take next
  };

  // Walks the path's keys (by the key table) and list items (by index or
  // id), and sets the value at its end; a path that is not in the format or
  // not in the scenario is reported.
  void set_path(PathWalk& w) {
    for (; w.i < w.parts.size(); ++w.i) {
      const bool done = w.list_key != nullptr ? step_item(w) : step_key(w);
      if (done) return;
    }
  }

  bool unknown_path(const PathWalk& w, const std::string& why) {
    set_error(w.file, w.path, "--set: unknown path: " + why);
    return true;
  }

  // At a list of items: the item the part names (its index or id), or the
  // items a pattern with '*' matches.
  bool step_item(PathWalk& w) {
    const std::string& p = w.parts[w.i];
    if (!w.cur.IsSequence()) return unknown_path(w, w.walked + " is not a list");
    if (p.find('*') != std::string::npos) return step_items(w);
    std::size_t idx = w.cur.size();
    const bool numeric = !p.empty() && std::all_of(p.begin(), p.end(), ::isdigit);
    for (std::size_t k = 0; k < w.cur.size(); ++k) {
      if ((numeric && std::to_string(k) == p) || item_name(w.cur[k], k, w.list_name) == p) idx = k;
    }
    if (idx == w.cur.size()) {
      std::vector<std::string> names;
      for (std::size_t k = 0; k < w.cur.size(); ++k) names.push_back(item_name(w.cur[k], k, w.list_name));
      const auto close = close_names(names, p);
      return unknown_path(w, fmt::format("{} has no item '{}'{}", w.walked, p,
                                         close.empty() ? "" : " (did you mean " + close.front() + "?)"));
    }
    w.walked = join(w.walked, p);
    if (w.i + 1 == w.parts.size()) {
      w.cur[idx] = w.value;
      return true;
    }
    YAML::Node item = w.cur[idx];
    w.cur.reset(item);
    w.section = &scenario_section(w.list_key->section);
    w.list_key = nullptr;
    return false;
  }

  // At a list of items, a pattern ("*", "store_*"): the rest of the path in
  // every item whose id (or index) it matches and that has the whole path
  // (`nodes.*.policy.beta` changes the betas there are, and skips the nodes
  // without one). Each item gets its own copy of the value.
  bool step_items(PathWalk& w) {
    const std::string& p = w.parts[w.i];
    const bool last = w.i + 1 == w.parts.size();
    const std::string note = overrides_.empty() ? "" : overrides_.back().note;
    std::size_t matched = 0, applied = 0;
    for (std::size_t k = 0; k < w.cur.size(); ++k) {
      const std::string name = item_name(w.cur[k], k, w.list_name);
      if (!glob_match(p, name)) continue;
      ++matched;
      YAML::Node item = w.cur[k];
      if (!reaches(item, w.parts, w.i + 1)) continue;
      YAML::Node v = applied == 0 ? w.value : YAML::Clone(w.value);
      if (applied++ > 0) overrides_.push_back(Origin{"", v, -1, note});
      if (last) {
        w.cur[k] = v;
        continue;
      }
      PathWalk sub{item, w.parts, v, w.path, w.file, &scenario_section(w.list_key->section),
                   join(w.walked, name), nullptr, "", w.i + 1};
      set_path(sub);
    }
    if (matched == 0) return unknown_path(w, fmt::format("no item of {} matches '{}'", w.walked, p));
    if (applied == 0) {
      std::string below;
      for (std::size_t j = w.i + 1; j < w.parts.size(); ++j) below = join(below, w.parts[j]);
      return unknown_path(w, fmt::format("no item of {} matching '{}' has {}", w.walked, p, below));
    }
    return true;
  }

  // '*' matches any run of characters, anything else itself.
  static bool glob_match(std::string_view pattern, std::string_view name) {
    std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
    while (n < name.size()) {
      if (p < pattern.size() && pattern[p] == '*') {
        star = p++;
        mark = n;
      } else if (p < pattern.size() && pattern[p] == name[n]) {
        ++p;
        ++n;
      } else if (star != std::string_view::npos) {
        p = star + 1;
        n = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
  }

  // Whether `item` has the keys parts[j ..] (reading only: a const node's
  // operator[] adds nothing); a list below is left to the walk.
  static bool reaches(const YAML::Node& item, const std::vector<std::string>& parts, std::size_t j) {
    YAML::Node n = item;
    for (; j < parts.size(); ++j) {
      if (n.IsSequence()) return true;
      if (!n.IsMap()) return false;
      const YAML::Node& cn = n;
      const YAML::Node next = cn[parts[j]];
      if (!next) return false;
      n.reset(next);
    }
    return true;
  }

  // At a mapping: the key the part names, and what the walk is at below it.
  bool step_key(PathWalk& w) {
    const std::string& p = w.parts[w.i];
    if (!w.cur.IsMap()) return unknown_path(w, w.walked + " is not a mapping");
    const KeyInfo* k = w.section->find(p);
    if (k == nullptr) {
      const auto close = close_keys(*w.section, p);
      return unknown_path(w, fmt::format("'{}' is not a key of {}{}", p, w.walked.empty() ? "the scenario" : w.walked,
                                         close.empty() ? "" : " (did you mean " + close.front() + "?)"));
    }
    w.walked = join(w.walked, p);
    if (w.i + 1 == w.parts.size()) {
      w.cur[p] = w.value;
      return true;
    }
    if (!w.cur[p]) {
      if (k->type != KeyType::kSection) return unknown_path(w, w.walked + " is not in the scenario");
      w.cur[p] = YAML::Node(YAML::NodeType::Map);
    }
    YAML::Node next = w.cur[p];
    w.cur.reset(next);
    if (k->type == KeyType::kSectionList || k->type == KeyType::kSourceList ||
        (k->type == KeyType::kSectionOrList && w.cur.IsSequence())) {
      static const KeyInfo source_key = [] {
        KeyInfo source;
        source.section = "source";
        return source;
      }();
      w.list_key = k->type == KeyType::kSourceList ? &source_key : k;
      w.list_name = p;
    } else if (k->type == KeyType::kSection || k->type == KeyType::kSectionOrList) {
      w.section = &scenario_section(k->section);
    } else if (k->type == KeyType::kDistribution && w.cur.IsMap()) {
      w.section = &scenario_section("distribution");
    } else if (k->type == KeyType::kNumberList || k->type == KeyType::kPipeline || k->type == KeyType::kNumberMap ||
               k->type == KeyType::kDistributionMap) {
      ++w.i;
      set_in_values(w);
      return true;
    } else {
      return unknown_path(w, w.walked + " has no keys below it (it is a single value: set " + w.walked + " itself)");
    }
    return false;
  }

  // Below a list of numbers (by index) or a product map (by product id):
  // what the file has.
  void set_in_values(PathWalk& w) {
    for (; w.i < w.parts.size(); ++w.i) {
      const std::string& q = w.parts[w.i];
      const bool last = w.i + 1 == w.parts.size();
      YAML::Node next;
      if (w.cur.IsSequence()) {
        const bool numeric = !q.empty() && q.size() < 10 && std::all_of(q.begin(), q.end(), ::isdigit);
        if (!numeric || std::stoul(q) >= w.cur.size()) {
          unknown_path(w, fmt::format("{} has no item '{}' (it has {}, from 0)", w.walked, q, w.cur.size()));
          return;
        }
        next.reset(w.cur[std::stoul(q)]);
        if (last) {
          w.cur[std::stoul(q)] = w.value;
          return;
        }
      } else if (w.cur.IsMap() && w.cur[q]) {
        next.reset(w.cur[q]);
        if (last) {
          w.cur[q] = w.value;
          return;
        }
      } else {
        unknown_path(w, fmt::format("{} has no item '{}'", w.walked, q));
        return;
      }
      w.walked = join(w.walked, q);
      w.cur.reset(next);
    }
  }

  // True when `n` is `doc` or one of its descendants (by identity).
  static bool contains(const YAML::Node& doc, const YAML::Node& n) {
    if (doc.is(n)) return true;
    if (doc.IsMap()) {
      for (const auto& kv : doc) {
        if (contains(kv.first, n) || contains(kv.second, n)) return true;
      }
    } else if (doc.IsSequence()) {
      for (const auto& item : doc) {
        if (contains(item, n)) return true;
      }
    }
    return false;
  }
  std::shared_ptr<ScenarioProvenance> prov_;
  NodeArena arena_;  // where unshare and merge build their containers
  std::vector<Origin> overrides_;  // the --set values of this load (appended only)
};

// Walks an index path of check_spec ("nodes.2.stocks.0.policy.S") through the
// document: the deepest node that exists, and the path as users write it.
std::pair<YAML::Node, std::string> resolve(const YAML::Node& root, const std::string& index_path) {
  std::vector<std::string> parts;
  std::stringstream ss(index_path);
  for (std::string part; std::getline(ss, part, '.');) parts.push_back(part);
  YAML::Node cur = root;
  std::string shown;
  std::string list_name;  // the last mapping key walked: the name of a list below it
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    if (cur.IsSequence()) {
      const bool numeric = !p.empty() && std::all_of(p.begin(), p.end(), ::isdigit);
      const std::size_t idx = numeric ? std::stoul(p) : cur.size();
      if (idx >= cur.size()) {
        shown = join(shown, p);
        continue;
      }
      shown = join(shown, item_name(cur[idx], idx, list_name));
      YAML::Node next = cur[idx];
      cur.reset(next);
      continue;
    }
    if (cur.IsMap()) {
      const bool numeric = !p.empty() && std::all_of(p.begin(), p.end(), ::isdigit);
      if (numeric && p == "0" && !cur[p]) continue;  // a one-item list given as the item itself
      if (p == "stocks" && !cur["stocks"] && i + 1 < parts.size()) {
        ++i;  // the node's single stock, given at the node level
        continue;
      }
      if (p == "sources" && !cur["sources"] && cur["from"] && i + 1 < parts.size()) {
        shown = join(shown, "from");  // the single source given as from:
        YAML::Node n = cur["from"];
        cur.reset(n);
        break;
      }
      const YAML::Node next = cur[p];
      shown = join(shown, p);
      list_name = p;
      if (next) {
        YAML::Node n = next;
        cur.reset(n);
      } else {
        for (++i; i < parts.size(); ++i) shown = join(shown, parts[i]);
        break;
      }
      continue;
    }
    for (; i < parts.size(); ++i) shown = join(shown, parts[i]);
  }
  return {cur, shown};
}

// The index path of the input that closes a bill-of-materials cycle: check_spec
// reports the cycle "a -> b -> a" against all the nodes; the last step (b is
// an input of a) is written at a stock of product a. Any other issue: its path.
std::string bom_cycle_input(const ScenarioSpec& spec, const SpecIssue& issue) {
  const std::string prefix = "the bill of materials has a cycle: ";
  if (issue.path != "nodes" || issue.message.rfind(prefix, 0) != 0) return issue.path;
  std::vector<std::string> cycle;
  const std::string chain = issue.message.substr(prefix.size());
  for (std::size_t at = 0;;) {
    const std::size_t arrow = chain.find(" -> ", at);
    cycle.push_back(chain.substr(at, arrow - at));
    if (arrow == std::string::npos) break;
    at = arrow + 4;
  }
  if (cycle.size() < 2) return issue.path;
  const std::string& made = cycle.front();
  const std::string& input = cycle[cycle.size() - 2];
  for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
    const auto& stocks = spec.nodes[i].stocks;
    for (std::size_t j = 0; j < stocks.size(); ++j) {
      if (stocks[j].product != made || !stocks[j].production) continue;
      const auto& inputs = stocks[j].production->inputs;
      for (std::size_t k = 0; k < inputs.size(); ++k) {
        if (inputs[k].product == input) return fmt::format("nodes.{}.stocks.{}.production.inputs.{}", i, j, k);
      }
    }
  }
  return issue.path;
}

// Reports the issues of a spec at their places in the document, but for
// those already reported: a problem at or below a path the conversion
// reported, or just above one (a stock whose bad key was reported), is that
// problem again (a whole list's, a path without a dot, never is); so is one
// at a path of `again`. Returns the paths reported.
std::set<std::string> report_issues(Loader& loader, const YAML::Node& doc, const ScenarioSpec& spec,
                                    const std::string& file, const std::vector<SpecIssue>& issues,
                                    const std::set<std::string>& reported, const std::set<std::string>& again) {
  std::set<std::string> shown_paths;
  std::set<std::pair<std::string, std::string>> shown_issues;  // a group's members' same problem, once
  for (const SpecIssue& issue : issues) {
    auto [node, shown] = resolve(doc, bom_cycle_input(spec, issue));
    if (!shown_issues.emplace(shown, issue.message).second) continue;
    bool covered = again.count(shown) > 0;
    for (const std::string& r : reported) {
      covered = covered || shown == r || shown.rfind(r + ".", 0) == 0 ||
                (shown.find('.') != std::string::npos && r.rfind(shown + ".", 0) == 0);
    }
    if (covered) continue;
    loader.error_at(file, node, shown, issue.message);
    shown_paths.insert(shown);
  }
  return shown_paths;
}

// The rest of a node's path (".stocks.0.sources.3.from") with the source's
// index as written, when groups changed the stock's sources.
std::string written_source(const std::string& rest, const std::vector<std::vector<std::size_t>>& stocks) {
  unsigned stock = 0, source = 0;
  int used = 0;
  if (std::sscanf(rest.c_str(), ".stocks.%u.sources.%u%n", &stock, &source, &used) != 2 || stock >= stocks.size() ||
      source >= stocks[stock].size()) {
    return rest;
  }
  return fmt::format(".stocks.{}.sources.{}{}", stock, stocks[stock][source], rest.substr(static_cast<std::size_t>(used)));
}

// An index path of an expanded spec ("nodes.1234.policy.S") as a path of the
// spec as written, `given` ("nodes.2.policy.S"): a member's node or lane is
// its group's item. `member` tells whether it is a group's.
std::string item_path(const std::string& path, const GroupOrigins& origins, const ScenarioSpec& given, bool& member) {
  for (const auto& [list, origin] : {std::pair{std::string("nodes."), &origins.nodes},
                                     std::pair{std::string("lanes."), &origins.lanes}}) {
    if (path.rfind(list, 0) != 0) continue;
    const std::size_t end = path.find('.', list.size());
    const std::string index = path.substr(list.size(), end - list.size());
    if (index.empty() || !std::all_of(index.begin(), index.end(), ::isdigit)) return path;
    const std::size_t i = std::stoul(index);
    if (i >= origin->size()) return path;
    const std::size_t item = (*origin)[i];
    auto group = [&](const std::string& id) {
      return std::any_of(given.nodes.begin(), given.nodes.end(),
                         [&](const NodeSpec& n) { return n.count > 1 && n.id == id; });
    };
    if (list == "nodes.") {
      member = item < given.nodes.size() && given.nodes[item].count > 1;
      const std::string rest = end == std::string::npos ? "" : path.substr(end);
      return list + std::to_string(item) + written_source(rest, i < origins.sources.size() ? origins.sources[i]
                                                                                     : decltype(origins.sources[0]){});
    } else {
      member = item < given.lanes.size() && (group(given.lanes[item].from) || group(given.lanes[item].to));
    }
    return list + std::to_string((*origin)[i]) + (end == std::string::npos ? "" : path.substr(end));
  }
  return path;
}

void throw_if_errors(Loader& loader) {
  if (loader.diags.empty()) return;
  std::stable_sort(loader.diags.begin(), loader.diags.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
  if (loader.suppressed > 0) {
    loader.diags.push_back(Diagnostic{loader.diags.front().file, 0, 0, "",
                                      fmt::format("{} more problems not shown (the first {} are above)",
                                                  loader.suppressed, detail::kMaxDiagnostics)});
  }
  throw LoadError(loader.diags);
}

// Applies the overrides to a parsed document (in place), converts and checks
// it, and throws every problem found so far.
LoadedScenario finish_document(Loader& loader, YAML::Node* parsed, const std::string& file, const std::string& dir,
                               const LoadOptions& options) {
  LoadedScenario out;
  out.file = file;
  out.base_dir = dir;
  out.allowed_dirs = options.allowed_dirs;
  if (parsed != nullptr) {
    YAML::Node& doc = *parsed;
    for (const std::string& o : options.overrides) loader.apply_override(doc, o, file, options.overrides_from);
    out.spec = detail::convert_document(doc, file, loader);
    if (const YAML::Node name = doc["name"]; name && name.IsScalar()) {
      // It names the output folder (out/<name>): a plain file name.
      const std::string& n = out.spec.name;
      const bool plain = !n.empty() && n != "." && n != ".." && std::all_of(n.begin(), n.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.';
      });
      if (!plain) {
        loader.error_at(file, name, "name",
                        "must be a plain name of letters, digits, '_', '-' and '.', since it names the output folder "
                        "(got '" + n + "')");
      }
    }
    if (out.spec.name == "scenario" && !doc["name"]) {
      // Named after the file, made a plain name (it names the output folder).
      std::string stem = fs::path(file).stem().string();
      for (char& ch : stem) {
        if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '-' && ch != '.') ch = '_';
      }
      out.spec.name = stem.empty() || stem == "." || stem == ".." ? "scenario" : stem;
    }
    std::set<std::string> reported;
    for (const Diagnostic& d : loader.diags) reported.insert(d.path);
    // A trace that cannot be read is the problem of its demand: the check
    // of the spec, which finds its values missing, does not say so again.
    // Traces are read before groups expand: a group's members share its values.
    const std::vector<SpecIssue> traces = load_traces(out.spec, dir, loader.scope);
    const ScenarioSpec* as_given = &out.spec;
    ScenarioSpec before;  // the spec as written, for the paths of the issues of groups
    const bool grouped = std::any_of(out.spec.nodes.begin(), out.spec.nodes.end(),
                                     [](const NodeSpec& n) { return n.count > 1; });
    if (grouped) {
      before = out.spec;
      as_given = &before;
    }
    GroupOrigins origins;
    std::set<std::string> unread = report_issues(loader, doc, *as_given, file, traces, reported, {});
    const std::set<std::string> grouping =
        report_issues(loader, doc, *as_given, file, expand_groups(out.spec, &origins), reported, {});
    unread.insert(grouping.begin(), grouping.end());
    // A group's members share their problems: the first member's stands for all.
    auto as_written = [&](std::vector<SpecIssue> issues) {
      if (!grouped) return issues;
      std::set<std::string> member_paths;
      std::vector<SpecIssue> kept;
      for (SpecIssue& issue : issues) {
        bool member = false;
        issue.path = item_path(issue.path, origins, before, member);
        if (!member || member_paths.insert(issue.path).second) kept.push_back(std::move(issue));
      }
      return kept;
    };
    report_issues(loader, doc, *as_given, file, as_written(check_spec(out.spec)), reported, unread);
    if (loader.diags.empty() && loader.suppressed == 0) {
      report_issues(loader, doc, *as_given, file, as_written(spec_warnings(out.spec)), {}, {});
      out.warnings = std::move(loader.diags);
      loader.diags.clear();
      for (Diagnostic& d : out.warnings) d.warning = true;
    }
    out.document = doc;
    out.keys_read = loader.keys_read;
  }
  throw_if_errors(loader);
  return out;
}

std::optional<YAML::Node> parse_document(Loader& loader, const TextSource& src) {
  std::error_code ec;
  const fs::path top = fs::weakly_canonical(fs::path(src.file), ec);
  std::vector<std::string> chain = {ec ? src.file : top.string()};
  return loader.parse(src, 0, chain);
}

}  // namespace

std::string Diagnostic::format() const {
  std::string where = file;
  if (line > 0) where += fmt::format(":{}:{}", line, column);
  // One line whatever the scenario holds: no control character reaches the terminal.
  return sim::printable(where) + (warning ? ": warning: " : ": error: ") +
         (path.empty() ? "" : sim::printable(path) + ": ") + sim::printable(message);
}

LoadError::LoadError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error([&] {
        std::string s;
        for (const auto& d : diagnostics) {
          if (!s.empty()) s.push_back('\n');
          s.append(d.format());
        }
        return s;
      }()),
      diagnostics_(std::move(diagnostics)) {}

LoadedScenario load_scenario(const std::string& path, const LoadOptions& options) {
  Loader loader;
  TextSource src;
  if (!loader.read(path, src, "", YAML::Mark::null_mark())) throw LoadError(loader.diags);
  loader.scope = FileScope(src.dir, options.allowed_dirs);
  loader.always_count = options.always_count;
  std::optional<YAML::Node> doc = parse_document(loader, src);
  return finish_document(loader, doc ? &*doc : nullptr, src.file, src.dir, options);
}

LoadedScenario load_scenario_text(const std::string& text, const std::string& name, const std::string& base_dir,
                                  const LoadOptions& options) {
  Loader loader;
  TextSource src{name, base_dir, text};
  loader.scope = FileScope(base_dir, options.allowed_dirs);
  loader.always_count = options.always_count;
  std::optional<YAML::Node> doc = parse_document(loader, src);
  return finish_document(loader, doc ? &*doc : nullptr, src.file, src.dir, options);
}

ParsedScenario parse_scenario(const std::string& path, const LoadOptions& options) {
  Loader loader;
  TextSource src;
  if (!loader.read(path, src, "", YAML::Mark::null_mark())) throw LoadError(loader.diags);
  loader.scope = FileScope(src.dir, options.allowed_dirs);
  loader.always_count = options.always_count;
  ParsedScenario out;
  out.scope = loader.scope;
  out.file = src.file;
  out.base_dir = src.dir;
  out.text = src.text;
  std::optional<YAML::Node> doc = parse_document(loader, src);
  if (doc) {
    out.document.reset(*doc);
    for (const std::string& o : options.overrides) {
      loader.apply_override(out.document, o, src.file, options.overrides_from);
    }
  }
  throw_if_errors(loader);
  out.provenance = loader.keep_provenance();
  return out;
}

LoadedScenario load_parsed_scenario(ParsedScenario& parsed, const LoadOptions& options) {
  Loader loader(parsed.provenance);
  loader.scope = parsed.scope;
  return finish_document(loader, &parsed.document, parsed.file, parsed.base_dir, options);
}

std::string to_yaml(const YAML::Node& node) {
  YAML::Emitter out;
  out << node;
  return std::string(out.c_str()) + "\n";
}

}  // namespace chainsim::models

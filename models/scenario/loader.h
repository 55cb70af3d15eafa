// Loads a scenario file (YAML) into a ScenarioSpec.
//
// Steps: read the file (bounded size), parse it (yaml-cpp), resolve
// `extends:` (the variant merged over its baseline: mappings key by key, lists
// of items by their id, `remove: true` deletes an item), apply `--set`
// overrides, convert every key against the key table (models/scenario/keys.h),
// then run the semantic checks (models/chain/builder.h). Every problem of every
// step is collected and reported in one pass as
//   file:line:col: error: key.path: what is wrong (got X)
// with yaml-cpp's 0-based marks shown 1-based and list items named by their
// id where they have one. Hostile documents (alias bombs, deep nesting, huge
// files) are refused with the same kind of message, never a crash or a hang.
#pragma once

#include <yaml-cpp/yaml.h>

#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/chain/spec.h"
#include "models/scenario/file_scope.h"

namespace chainsim::models {

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
  std::string path;
  std::string message;
  bool warning = false;  // sound, but almost surely not what was meant
  // "file:line:col: error: path: message" ("warning:" for a warning)
  std::string format() const;
};

// Thrown by the loader with every problem found.
class LoadError : public std::runtime_error {
 public:
  explicit LoadError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

struct LoadOptions {
  LoadOptions(std::vector<std::string> overrides_ = {}, std::string overrides_from_ = "--set",
              std::vector<std::string> allowed_dirs_ = {})
      : overrides(std::move(overrides_)),
        overrides_from(std::move(overrides_from_)),
        allowed_dirs(std::move(allowed_dirs_)) {}
  // "path=value" overrides, applied in order after extends. Paths are dotted;
  // list items by index or by id (product for stocks and inputs). The value
  // is YAML: a scalar, or a flow mapping or list.
  std::vector<std::string> overrides;
  // How messages name where an override came from: a problem with its value
  // ends "(from --set PATH=VALUE)". Empty: no note (the caller adds its own).
  std::string overrides_from = "--set";
  // Folders besides the scenario's own whose files it may read (extends,
  // traces); the scenario's folder tree always.
  std::vector<std::string> allowed_dirs;
  // Count every file's YAML nodes with the event parser before its tree is
  // built, as a file too large to skip the count is. Off, a small file with
  // no anchor, merge key or document marker skips it (same results, one
  // parse instead of two); tests compare the two.
  bool always_count = false;
};

struct LoadedScenario {
  ScenarioSpec spec;
  std::string file;      // as given
  std::string base_dir;  // directory of the file, for relative paths
  std::vector<std::string> allowed_dirs;  // the folders besides its own it was allowed to read (LoadOptions)
  YAML::Node document;   // the scenario as run: after extends and overrides
  // The keys the conversion read, as "section.key" (used to check that the
  // key table and the loader agree).
  std::set<std::string> keys_read;
  // What loads but is almost surely not what was meant (spec_warnings),
  // located like errors; the commands print them to standard error.
  std::vector<Diagnostic> warnings;
};

// Loads and checks a scenario file. Throws LoadError.
LoadedScenario load_scenario(const std::string& path, const LoadOptions& options = {});
// The same from text; `name` stands for the file in messages, `base_dir`
// resolves relative paths (extends, trace files).
LoadedScenario load_scenario_text(const std::string& text, const std::string& name,
                                  const std::string& base_dir, const LoadOptions& options = {});

// A scenario parsed once to be converted many times with different overrides
// (sweeps): the document after extends and the base overrides, its positions
// intact for messages.
struct ScenarioProvenance;  // where each node of a document was written (scenario_loader.cpp)
struct ParsedScenario {
  std::string file;      // as given
  std::string base_dir;  // directory of the file
  std::string text;      // the file's text, as read
  YAML::Node document;
  // Which file (or --set) each node came from, so that messages name it.
  std::shared_ptr<ScenarioProvenance> provenance;
  FileScope scope;  // the folders its files may be in
};

// Reads and parses a scenario file, resolves extends and applies
// `options.overrides`; does not convert or check it. Throws LoadError (a file
// that cannot be read, bad YAML, a bad override).
ParsedScenario parse_scenario(const std::string& path, const LoadOptions& options = {});

// Applies `options.overrides` to `parsed.document` in place, then converts and
// checks it as load_scenario does. The document keeps the overrides: applying
// overrides of the same paths again, with other values, gives the spec a
// freshly parsed document would (the earlier values are overwritten), which
// lets a sweep convert point after point without parsing again. Throws
// LoadError. REQUIRES: no other thread uses `parsed` meanwhile.
LoadedScenario load_parsed_scenario(ParsedScenario& parsed, const LoadOptions& options);

// The document as YAML text (block style), for summary files.
std::string to_yaml(const YAML::Node& node);

}  // namespace chainsim::models

// Converts a scenario document (after extends and overrides) into a
// ScenarioSpec, key by key against the key table, reporting every type error,
// unknown key and missing required key with its position. Internal to the
// loader (models/scenario/loader.cpp).
#pragma once

#include <yaml-cpp/yaml.h>

#include <set>
#include <string>
#include <vector>

#include "models/scenario/loader.h"
#include "models/chain/spec.h"

namespace chainsim::models::detail {

// The most problems reported one by one; past it they are counted (a
// broken document of half a million items is one screen, not an hour of
// locating each).
inline constexpr std::size_t kMaxDiagnostics = 100;

// The largest finite number a scenario may give: doubles hold every whole
// number up to 2^53 (about 9e15) exactly, and the audits of units and money
// add many of them; a base-stock level of 1e16 would no longer balance.
inline constexpr double kMaxMagnitude = 1e15;

// Where conversion problems go, and which keys were read.
struct DiagnosticSink {
  virtual ~DiagnosticSink() = default;
  std::vector<Diagnostic> diags;
  std::size_t suppressed = 0;  // problems past kMaxDiagnostics, not recorded
  std::set<std::string> keys_read;
  // Records a problem, or counts it past kMaxDiagnostics.
  void error(const std::string& file, const YAML::Mark& m, const std::string& path, const std::string& msg);
  // A problem with node `at` of the document converted from `file`. The
  // loader overrides this to name the file the node was written in (a
  // baseline, or a --set override) rather than the top file.
  virtual void error_at(const std::string& file, const YAML::Node& at, const std::string& path,
                        const std::string& msg) {
    error(file, at.Mark(), path, msg);
  }
};

// "nothing", "'text'", "a list" or "a mapping", for messages.
std::string describe_value(const YAML::Node& n);
// The name of item i of the list under key `list` ("nodes", "stocks",
// "events", ...; "" when not known) for messages and paths: its id; else a
// stock's or input's product, a lane's "from->to", an event's "event<i>"
// (the ids the builder gives them); else i.
std::string item_name(const YAML::Node& item, std::size_t i, const std::string& list = "");
// path + "." + key (just key at the top).
std::string join(const std::string& path, const std::string& key);

// Strict decimal parsing of a scalar, the same for files and --set: an
// optional sign, digits, and (numbers) a point and an exponent, or YAML's
// .inf and .nan. No octal ("010" is ten), no hex, no trailing text.
enum class Parsed { kOk, kNotNumber, kTooLarge };
Parsed parse_whole(const std::string& text, long long& out);
Parsed parse_decimal(const std::string& text, double& out);

ScenarioSpec convert_document(const YAML::Node& root, const std::string& file, DiagnosticSink& sink);

}  // namespace chainsim::models::detail

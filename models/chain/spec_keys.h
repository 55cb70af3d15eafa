// Every key of the spec, declared once: its name, the struct field it is
// bound to, its type, its default as the reference shows it, its range and
// one line of documentation (as ns-3 declares attributes and LevelDB documents
// Options). A section is the keys of one struct of models/chain/spec.h.
//
// From these declarations come the checks of declared ranges on a spec
// (check_declared_ranges, used by check_spec) and, in models/scenario/, the
// loader's conversion and its range checks, --set, the JSON Schema and the
// reference tables of docs/scenario-format.md. The format's own keys with no
// field (extends, remove, a stock's `from` shorthand, the node keys of its
// single stock) and the distribution mapping are added there.
//
// Representation: a section is a list of KeyInfo in reference order; a key
// reaches its field through a FieldAccess, a member pointer erased behind a
// small virtual interface (so the loader can write any field of any struct
// without knowing the struct).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/chain/spec.h"
#include "models/chain/types.h"

namespace chainsim::models {

enum class KeyType {
  kString,
  kNumber,        // a finite number (or .inf where allow_infinity)
  kInteger,
  kBoolean,
  kEnum,          // one of `values`
  kDistribution,  // a number (constant) or a distribution mapping
  kNumberList,
  kSection,       // a mapping described by `section`
  kSectionList,   // a list of such mappings
  kSectionOrList, // one mapping or a list of them
  kSourceList,    // a list of node ids or source mappings
  kNumberMap,     // product id -> number
  kDistributionMap,  // product id -> distribution
  kPipeline,      // a list of numbers, or product id -> list of numbers
};

// The most replications a scenario (or `run --replications`) asks for: `run`
// keeps every replication's KPIs (about 12 KB each) to summarise them;
// `chainsim sweep` streams them and runs any number.
inline constexpr int kMaxReplications = 10'000;

// Where a key's value lives in an object of its section's struct. The
// operations a kind does not have are never called for it.
class FieldAccess {
 public:
  enum class Kind : std::uint8_t {
    kDouble, kOptionalDouble, kInt, kUint64, kBool, kString, kOptionalString,
    kEnum, kOptionalEnum, kDistribution, kOptionalDistribution,
    kNumberList, kNumberMap, kDistributionMap, kPipeline,
    kStruct, kOptionalStruct, kStructList,
  };
  virtual ~FieldAccess() = default;
  virtual Kind kind() const = 0;
  // The field of `object`: a double*, std::optional<double>*, int*, ... as
  // kind() says; for the enum kinds see below.
  virtual void* field(void* object) const = 0;
  virtual const void* field(const void* object) const = 0;
  // Enums: sets the field to the value of index i (its place in the enum's
  // names), and reads it (npos for an empty optional).
  virtual void set_enum(void*, std::size_t) const {}
  virtual std::size_t enum_index(const void*) const { return static_cast<std::size_t>(-1); }
  // An optional struct: emplaces it and returns it; or the struct, or null.
  virtual void* emplace(void*) const { return nullptr; }
  virtual const void* get(const void*) const { return nullptr; }
  // A list of structs: appends one and returns it; its size and element i.
  virtual void* append(void*) const { return nullptr; }
  virtual std::size_t size(const void*) const { return 0; }
  virtual const void* element(const void*, std::size_t) const { return nullptr; }
};

struct KeyInfo {
  std::string name;
  KeyType type = KeyType::kNumber;
  std::string doc;           // meaning, with the unit
  std::string default_text;  // shown in the reference; empty when required
  bool required = false;
  std::string section;               // for section-valued keys
  std::vector<std::string> values;   // for enums
  // The range of a number, an integer, or (minimum 0) a distribution that
  // must not produce negative values; of each element of a list or a map
  // (checked on specs only: the loader reads elements without it).
  double minimum = -std::numeric_limits<double>::infinity();
  bool exclusive_minimum = false;
  double maximum = std::numeric_limits<double>::infinity();
  bool allow_infinity = false;
  // The section's own checks own the key's constraint (one a range cannot
  // say: warmup < horizon, shortfall < 1), so check_declared_ranges skips it.
  bool checked_apart = false;
  std::string limit_hint;  // appended to the loader's "must be <= max" message
  std::vector<std::string> only_for;      // typed sections: the types this key applies to
  std::vector<std::string> required_for;  // typed sections: the types that must give it
  // A key of a node's single stock given at the node level (the shorthand):
  // bound to the StockSpec, not the NodeSpec.
  bool of_stock = false;
  std::shared_ptr<const FieldAccess> access;  // null for the format's own keys
};

struct SectionInfo {
  std::string name;
  std::string doc;
  std::vector<KeyInfo> keys;
  std::string type_key;  // "type" for typed sections (policy, demand, distribution)
  std::vector<std::string> types;

  const KeyInfo* find(std::string_view key) const;
};

// Building declarations: a key with no field (the format's own), and the
// modifiers that keep a table readable.
namespace declare {
KeyInfo key(std::string name, KeyType type, std::string doc, std::string def = "");
KeyInfo req(KeyInfo k);             // required
KeyInfo nonneg(KeyInfo k);          // >= 0
KeyInfo positive(KeyInfo k);        // > 0
KeyInfo positive_share(KeyInfo k);  // in (0, 1]
KeyInfo unit(KeyInfo k);            // in [0, 1]
KeyInfo at_most(KeyInfo k, double maximum, std::string hint);
KeyInfo infinite_ok(KeyInfo k);     // .inf allowed
KeyInfo apart(KeyInfo k);           // checked_apart
KeyInfo of(KeyInfo k, std::string section);
KeyInfo needed(KeyInfo k, std::vector<std::string> types);  // required for these types
KeyInfo only(KeyInfo k, std::vector<std::string> types);    // applies to these types only
}  // namespace declare

// The sections of the spec's structs, the top level ("scenario", the
// ScenarioSpec) first: scenario, product, node, stock, policy, source,
// production, input, demand, returns, payment_terms, lane, event, sharing.
const std::vector<SectionInfo>& spec_sections();
// REQUIRES: the section exists.
const SectionInfo& spec_section(std::string_view name);

// Appends an issue for every key of `section` whose value in `object` (the
// section's struct) is outside its declared range: numbers, integers,
// distributions that must not go negative, and the elements of lists and
// maps; not the keys of nested sections (their own checks call this), not
// keys checked_apart, not the node's stock keys. Each issue is at
// path + "." + key (+ "." + product for a map entry).
void check_declared_ranges(const SectionInfo& section, const void* object, const std::string& path,
                           std::vector<Problem>& issues);

}  // namespace chainsim::models

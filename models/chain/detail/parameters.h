// Small helpers the policies share (internal to models/chain/policies/).
#pragma once

#include <cmath>
#include <fmt/core.h>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chainsim::models::detail {

// set_parameter for one named double: sets `field` when `name` is `key`,
// reporting the value it replaces in *old (when old is not null).
inline bool set_named(std::string_view name, std::string_view key, double& field, double value, double* old) {
  if (name != key) return false;
  if (old != nullptr) *old = field;
  field = value;
  return true;
}

// Appends `message` to `problems` unless `ok`.
inline void require(bool ok, std::vector<std::string>& problems, std::string message) {
  if (!ok) problems.push_back(std::move(message));
}
// The same with the message formatted from `format` and its arguments only
// when it is needed: a valid parameter formats nothing (a network of 100,000
// stores checks each store's policy when the spec is checked and again when
// it is built).
template <class Arg, class... Args>
void require(bool ok, std::vector<std::string>& problems, fmt::format_string<Arg, Args...> format, Arg&& arg,
             Args&&... args) {
  if (!ok) problems.push_back(fmt::format(format, std::forward<Arg>(arg), std::forward<Args>(args)...));
}

inline bool finite(double x) { return std::isfinite(x); }

}  // namespace chainsim::models::detail

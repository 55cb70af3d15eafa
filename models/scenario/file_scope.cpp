#include "models/scenario/file_scope.h"

#include <fmt/core.h>

namespace chainsim::models {

namespace fs = std::filesystem;

namespace {

// `p` absolute with its symbolic links resolved; empty when that fails (a
// loop of links, a name too long): such a path is refused, not guessed at.
fs::path resolved(const fs::path& p) {
  std::error_code ec;
  const fs::path abs = fs::absolute(p, ec);
  if (ec) return {};
  fs::path out = fs::weakly_canonical(abs, ec);
  return ec ? fs::path() : out;
}

bool inside(const fs::path& p, const fs::path& root) {
  const fs::path rel = p.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

FileScope::FileScope(const std::string& dir, const std::vector<std::string>& allowed, std::string whose)
    : whose_(std::move(whose)) {
  roots_.push_back(resolved(dir.empty() ? "." : dir));
  for (const std::string& a : allowed) roots_.push_back(resolved(a));
}

std::string FileScope::refuse(const std::string& path) const {
  if (roots_.empty()) return "";
  const fs::path p = resolved(path);
  if (p.empty()) return "cannot be resolved to a file (a loop of links, or a name too long)";
  for (const fs::path& r : roots_) {
    if (!r.empty() && inside(p, r)) return "";
  }
  return fmt::format("is outside {} folder {}{}: a scenario reads files only in its folder and below (to allow "
                     "another folder, pass --allow-dir DIR)",
                     whose_, roots_.front().string(), roots_.size() > 1 ? " and the folders --allow-dir allows" : "");
}

}  // namespace chainsim::models

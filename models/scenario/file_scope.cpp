#include "models/scenario/file_scope.h"

#include <fmt/core.h>

namespace chainsim::models {

namespace fs = std::filesystem;

namespace {

fs::path resolved(const fs::path& p) {
  std::error_code ec;
  fs::path out = fs::weakly_canonical(fs::absolute(p, ec), ec);
  if (!ec) return out;
  std::error_code ec2;
  return fs::absolute(p, ec2).lexically_normal();
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
  for (const fs::path& r : roots_) {
    if (inside(p, r)) return "";
  }
  return fmt::format("is outside {} folder {}{}: a scenario reads files only in its folder and below (to allow "
                     "another folder, pass --allow-dir DIR)",
                     whose_, roots_.front().string(), roots_.size() > 1 ? " and the folders --allow-dir allows" : "");
}

}  // namespace chainsim::models

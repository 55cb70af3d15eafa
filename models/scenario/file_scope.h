// The folders whose files a scenario may read: the folder tree of the file
// given on the command line, and any folder the user allowed (--allow-dir).
// A scenario from elsewhere (a colleague, a web form, a class), kept in a
// folder of its own, cannot make chainsim read /etc/passwd or a key in the
// home folder, through a path with "..", an absolute path or a symbolic link.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace chainsim::models {

class FileScope {
 public:
  // No folder: every path is allowed (code that builds scenarios itself).
  FileScope() = default;
  // `dir` and each of `allowed`, with symbolic links resolved; `whose`
  // names `dir` in messages ("the scenario's", "the design file's").
  FileScope(const std::string& dir, const std::vector<std::string>& allowed, std::string whose = "the scenario's");

  // "" when `path` (symbolic links resolved) is in one of the folders or
  // below; otherwise why not, to follow "'<path>' ".
  std::string refuse(const std::string& path) const;

 private:
  std::vector<std::filesystem::path> roots_;
  std::string whose_;
};

}  // namespace chainsim::models

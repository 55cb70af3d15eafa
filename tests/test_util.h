// Small helpers the test binaries share: reading and writing whole files, a
// scratch directory that removes itself, and running a shell command with its
// output captured.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace chainsim::testing {

// The whole file as bytes ("" when it cannot be read).
inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// A fresh directory under the system's temporary directory, unique to this
// process and object, removed with everything in it on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& tag = "test") {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("chainsim_" + tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  std::string str() const { return path_.string(); }
  // path / name, as a string.
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  // Writes `text` to path / name and returns that path.
  std::string write(const std::string& name, const std::string& text) const {
    write_file(path_ / name, text);
    return (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};

// The example scenarios (scenarios/*.yaml under `root`), sorted by name.
inline std::vector<std::filesystem::path> example_scenarios(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(root / "scenarios")) {
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct CommandResult {
  int status = -1;  // the exit status; 128 + the signal when killed
  std::string out, err;
};

// Runs `command` with /bin/sh in directory `dir`, stdin from /dev/null,
// capturing stdout and stderr.
inline CommandResult run_command(const std::string& command, const std::filesystem::path& dir) {
  TempDir capture("capture");
  const std::string out = capture / "stdout", err = capture / "stderr";
  const std::string cmd = "cd '" + dir.string() + "' && " + command + " >'" + out + "' 2>'" + err + "' </dev/null";
  const int raw = std::system(cmd.c_str());
  CommandResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

}  // namespace chainsim::testing

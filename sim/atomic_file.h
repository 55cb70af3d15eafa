// Files that appear whole or not at all: the content is written to a
// temporary file beside the target and renamed over it on commit() (rename is
// atomic within a file system). A file never committed, because the run
// failed or was interrupted, is removed and the target is left untouched.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace chainsim::sim {

class AtomicFile {
 public:
  // Opens a temporary file next to `path`. Throws std::runtime_error naming the
  // path when it cannot be created (missing directory, no permission).
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view data);
  // Whether `name` (a file name, no folder) is the name an AtomicFile for a
  // target named `target` gives its temporary file: TARGET.tmp.<pid>.<n>.
  static bool is_temporary_of(const std::string& name, const std::string& target);
  // Flushes, syncs and renames the temporary file to the target. Throws
  // std::runtime_error on failure (the temporary file is removed).
  void commit();
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
  std::string tmp_;
  std::FILE* f_ = nullptr;
  int slot_ = -1;  // in the registry remove_temporary_files_on_signal reads
};

// An anonymous temporary file (made in `dir` and unlinked at once: gone when
// closed, or when the process dies) that holds data written before its place
// in an AtomicFile comes: a later replication's rows while earlier ones still
// run, so that nothing of the kind waits in memory. Made beside the output,
// it needs no room in /tmp.
class SpillFile {
 public:
  // `what` names the data in messages ("the rows of replication 3"). Throws
  // std::runtime_error naming `dir` when no temporary file can be made there.
  SpillFile(std::string what, const std::string& dir);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  void write(std::string_view data);
  // Copies everything written so far to the end of `to`, then empties
  // itself. Throws std::runtime_error on a read or write failure.
  void copy_to(AtomicFile& to);

 private:
  std::string what_;
  std::FILE* f_ = nullptr;
};

// Reading a file the user named, with a bound: the contents of `path` when it
// is a regular file of at most `max_bytes` (symbolic links followed). It is
// opened without blocking (a FIFO cannot hang the program) and checked on the
// open descriptor (no race with a file swapped in between), and read until
// its end or past the bound, never further (/dev/zero cannot fill memory).
struct BoundedRead {
  enum class Problem { kNone, kMissing, kNotRegular, kTooLarge, kUnreadable } problem = Problem::kNone;
  std::string text;  // the contents, when problem is kNone
  std::string why;   // what is wrong otherwise ("No such file or directory", "a FIFO, not a regular file", ...)
};
BoundedRead read_regular_file(const std::string& path, std::uintmax_t max_bytes);

// Writes `content` to `path` atomically.
void write_file_atomically(const std::string& path, std::string_view content);

// An advisory lock (flock) on an output directory, held while a command
// writes into it, so that two chainsim processes never mix or lose each
// other's files there. Released when destroyed, or when the process dies
// however it dies (the kernel drops it with the descriptor).
class DirectoryLock {
 public:
  DirectoryLock() = default;
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;
  ~DirectoryLock();

  // Claims the output directory `dir` before any work whose results would go
  // there: creates it (and its parents), checks that files can be made in
  // it, and takes the lock without waiting. Returns "" when claimed;
  // otherwise the message, naming `option`: "--out: cannot create directory
  // 'a/b' (Not a directory)", "--out: 'o' is in use by another chainsim ...".
  // Every command says it so, and refuses with exit status 2.
  std::string claim(const std::string& dir, const std::string& option);

 private:
  int fd_ = -1;
};

// Creates a directory and its parents. Throws std::runtime_error naming it.
void make_directories(const std::string& path);


// Installs handlers for SIGINT, SIGTERM and SIGHUP that remove the temporary
// files of every AtomicFile still open (up to 64 of them, paths under 4 KiB),
// then die of the signal as they would have: an interrupted run leaves its
// earlier outputs and nothing else. For programs, not libraries.
void remove_temporary_files_on_signal();

}  // namespace chainsim::sim

#include "sim/atomic_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <csignal>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fmt/core.h>
#include <stdexcept>

namespace chainsim::sim {

namespace {
std::atomic<unsigned> g_counter{0};

std::string reason() { return std::strerror(errno); }

// The temporary files open now, for a signal handler to remove: a slot is
// claimed (`used`), filled, then published (`ready`); the handler reads only
// published slots and calls only unlink, which is async-signal-safe.
struct TempSlot {
  std::atomic<bool> used{false};
  std::atomic<bool> ready{false};
  char path[4096] = {};
};
std::array<TempSlot, 64> g_temps;
static_assert(std::atomic<bool>::is_always_lock_free);

int register_temp(const std::string& path) {
  if (path.size() >= sizeof(TempSlot::path)) return -1;
  for (std::size_t i = 0; i < g_temps.size(); ++i) {
    bool expected = false;
    if (!g_temps[i].used.compare_exchange_strong(expected, true)) continue;
    std::memcpy(g_temps[i].path, path.c_str(), path.size() + 1);
    g_temps[i].ready.store(true);
    return static_cast<int>(i);
  }
  return -1;  // more open at once than slots: this one is not cleaned on a signal
}

void unregister_temp(int slot) {
  if (slot < 0) return;
  g_temps[static_cast<std::size_t>(slot)].ready.store(false);
  g_temps[static_cast<std::size_t>(slot)].used.store(false);
}

extern "C" void remove_temps_and_die(int sig) {
  for (TempSlot& t : g_temps) {
    if (t.ready.load()) ::unlink(t.path);
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}
}  // namespace

void remove_temporary_files_on_signal() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, remove_temps_and_die);
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  tmp_ = path_ + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(g_counter++);
  slot_ = register_temp(tmp_);
  f_ = std::fopen(tmp_.c_str(), "wb");
  if (f_ == nullptr) {
    const std::string why = reason();
    unregister_temp(slot_);
    throw std::runtime_error("cannot write " + path_ + ": " + why);
  }
}

AtomicFile::~AtomicFile() {
  if (f_ != nullptr) {
    std::fclose(f_);
    std::remove(tmp_.c_str());
  }
  unregister_temp(slot_);
}

void AtomicFile::write(std::string_view data) {
  if (f_ == nullptr) throw std::logic_error("write after commit to " + path_);
  if (!data.empty() && std::fwrite(data.data(), 1, data.size(), f_) != data.size()) {
    throw std::runtime_error("cannot write " + path_ + ": " + reason());
  }
}

void AtomicFile::commit() {
  if (f_ == nullptr) throw std::logic_error("double commit of " + path_);
  const bool ok = std::fflush(f_) == 0 && ::fsync(::fileno(f_)) == 0;
  const std::string why = ok ? "" : reason();
  std::fclose(f_);
  f_ = nullptr;
  if (!ok || std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const std::string r = ok ? reason() : why;
    std::remove(tmp_.c_str());
    unregister_temp(slot_);
    slot_ = -1;
    throw std::runtime_error("cannot write " + path_ + ": " + r);
  }
  unregister_temp(slot_);
  slot_ = -1;
}

SpillFile::SpillFile(std::string what, const std::string& dir) : what_(std::move(what)) {
  std::string path = (dir.empty() ? std::string(".") : dir) + "/.chainsim-spill-XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd < 0 || ::unlink(path.c_str()) != 0 || (f_ = ::fdopen(fd, "w+b")) == nullptr) {
    const std::string why = reason();
    if (fd >= 0 && f_ == nullptr) ::close(fd);
    throw std::runtime_error("cannot make a temporary file in " + dir + " for " + what_ + ": " + why);
  }
}

SpillFile::~SpillFile() {
  if (f_ != nullptr) std::fclose(f_);
}

void SpillFile::write(std::string_view data) {
  if (!data.empty() && std::fwrite(data.data(), 1, data.size(), f_) != data.size()) {
    throw std::runtime_error("cannot write the temporary file of " + what_ + ": " + reason());
  }
}

void SpillFile::copy_to(AtomicFile& to) {
  if (std::fflush(f_) != 0 || std::fseek(f_, 0, SEEK_SET) != 0) {
    throw std::runtime_error("cannot read back the temporary file of " + what_ + ": " + reason());
  }
  std::string chunk(std::size_t{1} << 20, '\0');
  for (;;) {
    const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), f_);
    if (n > 0) to.write(std::string_view(chunk.data(), n));
    if (n < chunk.size()) break;
  }
  if (std::ferror(f_) != 0 || std::fseek(f_, 0, SEEK_SET) != 0 || ::ftruncate(::fileno(f_), 0) != 0) {
    throw std::runtime_error("cannot read back the temporary file of " + what_ + ": " + reason());
  }
}

namespace {

const char* file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

BoundedRead read_regular_file(const std::string& path, std::uintmax_t max_bytes) {
  BoundedRead r;
  using P = BoundedRead::Problem;
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    r.problem = errno == ENOENT || errno == ENOTDIR ? P::kMissing : P::kUnreadable;
    r.why = std::generic_category().message(errno);
    return r;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    r.problem = P::kUnreadable;
    r.why = std::generic_category().message(errno);
  } else if (!S_ISREG(st.st_mode)) {
    r.problem = P::kNotRegular;
    const std::string kind = file_kind(st.st_mode);
    r.why = kind == "not a regular file" ? kind : kind + ", not a regular file";
  } else if (static_cast<std::uintmax_t>(st.st_size) > max_bytes) {
    r.problem = P::kTooLarge;
    r.why = "larger than " + std::to_string(max_bytes) + " bytes (got " + std::to_string(st.st_size) + ")";
  } else {
    r.text.reserve(static_cast<std::size_t>(st.st_size));
    char buf[1 << 16];
    for (;;) {
      const std::size_t want = static_cast<std::size_t>(
          std::min<std::uintmax_t>(sizeof buf, max_bytes + 1 - std::min<std::uintmax_t>(max_bytes, r.text.size())));
      const ssize_t n = ::read(fd, buf, want);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        r.problem = P::kUnreadable;
        r.why = std::generic_category().message(errno);
        break;
      }
      if (n == 0) break;
      r.text.append(buf, static_cast<std::size_t>(n));
      if (r.text.size() > max_bytes) {  // it grew while being read
        r.problem = P::kTooLarge;
        r.why = "larger than " + std::to_string(max_bytes) + " bytes";
        break;
      }
    }
    if (r.problem != P::kNone) r.text.clear();
  }
  ::close(fd);
  return r;
}

void write_file_atomically(const std::string& path, std::string_view content) {
  AtomicFile f(path);
  f.write(content);
  f.commit();
}


namespace {

// The output directory made and writable ("" ), or why not.
std::string prepare_output_directory(const std::string& dir, const std::string& option) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    return fmt::format("{}: cannot create directory '{}' ({})", option, dir,
                       ec ? ec.message() : std::string("a file of that name is in the way"));
  }
  // Root writes anywhere; anyone else needs write and search permission.
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return fmt::format("{}: cannot write into directory '{}' ({})", option, dir,
                       std::generic_category().message(errno));
  }
  return "";
}

}  // namespace

bool AtomicFile::is_temporary_of(const std::string& name, const std::string& target) {
  const std::string prefix = target + ".tmp.";  // as the constructor names it
  if (name.rfind(prefix, 0) != 0) return false;
  const std::string_view rest = std::string_view(name).substr(prefix.size());  // <pid>.<n>
  const auto dot = rest.find('.');
  const auto digits = [](std::string_view t) {
    return !t.empty() && t.find_first_not_of("0123456789") == std::string_view::npos;
  };
  return dot != std::string_view::npos && digits(rest.substr(0, dot)) && digits(rest.substr(dot + 1));
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);
}

std::string DirectoryLock::claim(const std::string& dir, const std::string& option) {
  if (std::string why = prepare_output_directory(dir, option); !why.empty()) return why;
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return fmt::format("{}: cannot open directory '{}' ({})", option, dir, std::generic_category().message(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return fmt::format("{}: '{}' is in use by another chainsim, which is writing its results there; wait for it to "
                         "finish or choose another {}",
                         option, dir, option);
    }
    if (err == EBADF || err == ENOLCK || err == ENOSYS || err == EOPNOTSUPP || err == EINVAL) {
      // A file system without flock on folders (NFS, Lustre without -o flock): run unlocked, and say so.
      std::fprintf(stderr, "chainsim: warning: %s: cannot lock '%s' on this file system (%s); another chainsim "
                   "writing there at the same time would mix its files in\n",
                   option.c_str(), dir.c_str(), std::generic_category().message(err).c_str());
      return "";
    }
    return fmt::format("{}: cannot lock directory '{}' ({})", option, dir, std::generic_category().message(err));
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  return "";
}

void make_directories(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec || !std::filesystem::is_directory(path)) {
    throw std::runtime_error("cannot create directory " + path + (ec ? ": " + ec.message() : ""));
  }
}

}  // namespace chainsim::sim

#include "sim/atomic_file.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace chainsim::sim {

namespace {
std::atomic<unsigned> g_counter{0};

std::string reason() { return std::strerror(errno); }
}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  tmp_ = path_ + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(g_counter++);
  f_ = std::fopen(tmp_.c_str(), "wb");
  if (f_ == nullptr) throw std::runtime_error("cannot write " + path_ + ": " + reason());
}

AtomicFile::~AtomicFile() {
  if (f_ != nullptr) {
    std::fclose(f_);
    std::remove(tmp_.c_str());
  }
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
    throw std::runtime_error("cannot write " + path_ + ": " + r);
  }
}

void write_file_atomically(const std::string& path, std::string_view content) {
  AtomicFile f(path);
  f.write(content);
  f.commit();
}

void make_directories(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec || !std::filesystem::is_directory(path)) {
    throw std::runtime_error("cannot create directory " + path + (ec ? ": " + ec.message() : ""));
  }
}

}  // namespace chainsim::sim

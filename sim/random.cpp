#include "sim/random.h"

#include "sim/text.h"

namespace chainsim::sim {

namespace {
std::uint64_t splitmix64_finalize(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
}  // namespace

std::uint64_t RandomStream::hash_name(std::string_view name) noexcept {
  return splitmix64_finalize(fnv1a64(name));
}

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t replication,
                           std::string_view name) noexcept {
  key_ = {{seed, hash_name(name)}};
  counter_ = {{0, replication, 0, 0}};
}

}  // namespace chainsim::sim

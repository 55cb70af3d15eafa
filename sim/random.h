// Named random streams.
//
// Every stochastic source in a model (a retailer's demand, a lane's lead time,
// a supplier's yield) owns one RandomStream, identified by (seed, replication,
// name). A stream is the Philox4x64-10 counter-based generator of Random123
// (Salmon et al., SC'11): the key is (seed, hash of the name) and the counter
// is (block, replication, 0, 0), so
//   - creating a stream costs nothing but hashing its name (no state to warm
//     up, unlike mt19937_64's 1.2 us seeding), which matters for many short
//     replications;
//   - streams with different names or replications are distinct blocks of one
//     keyed bijection, independent by the generator's design (Philox passes
//     TestU01 BigCrush for every key and counter); drawing more from one stream
//     never shifts another, which gives common random numbers across variants;
//   - replication k of a seed is the same whatever the number of replications.
// Names are hashed with 64-bit FNV-1a followed by the SplitMix64 finaliser; two
// names collide with probability about 2^-64 per pair.
//
// Determinism: the bits are fully specified by Philox and the hash, so a
// stream's output is identical on every platform; the doubles built from it
// (uniform01) are exact, and distributions (sim/distributions.h) are computed
// with chainsim's own code and Boost.Math, never the standard library's
// distribution classes.
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cstdint>
#include <string_view>

namespace chainsim::sim {

class RandomStream {
 public:
  // The stream `name` of replication `replication` under `seed`.
  RandomStream(std::uint64_t seed, std::uint64_t replication, std::string_view name) noexcept;

  // The next 64 uniformly distributed bits.
  std::uint64_t next_u64() noexcept {
    if (index_ == kWordsPerBlock) refill();
    return block_[index_++];
  }

  // A uniform double in the open interval (0, 1): the top 53 bits of one draw,
  // centred in their cell, so neither 0 nor 1 is ever returned and inversion
  // methods (log(u), quantile(u)) are always finite.
  double uniform01() noexcept {
    return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53;
  }

  // Number of 64-bit words drawn so far.
  std::uint64_t draws() const noexcept { return counter_[0] * kWordsPerBlock - (kWordsPerBlock - index_); }

  // The 64-bit hash used for stream names.
  static std::uint64_t hash_name(std::string_view name) noexcept;

 private:
  using Generator = r123::Philox4x64;
  static constexpr unsigned kWordsPerBlock = 4;

  void refill() noexcept {
    const Generator::ctr_type out = Generator{}(counter_, key_);
    for (unsigned i = 0; i < kWordsPerBlock; ++i) block_[i] = out[i];
    ++counter_[0];
    index_ = 0;
  }

  Generator::key_type key_;
  Generator::ctr_type counter_;
  std::uint64_t block_[kWordsPerBlock] = {};
  unsigned index_ = kWordsPerBlock;
};

// Draws addressed by position instead of taken in turn: the four uniforms at
// (a, b, c) of a named key are Philox's output for the counter (a,
// replication, b, c + 1) under the key (seed, hash of the name), computed
// afresh each time. Customer i's draws of period k sit at (k, i, j) whatever
// happened to any other customer, so a variant that changes one customer's
// fate leaves every other customer's draws alone (common random numbers per
// customer). The last counter word is never 0, so these blocks are never a
// RandomStream's of the same name.
class CounterDraws {
 public:
  CounterDraws(std::uint64_t seed, std::uint64_t replication, std::string_view name) noexcept
      : key_{{seed, RandomStream::hash_name(name)}}, replication_(replication) {}
  // Four uniforms in (0, 1) at (a, b, c), built as RandomStream::uniform01 does.
  std::array<double, 4> at(std::uint64_t a, std::uint64_t b, std::uint64_t c = 0) const noexcept {
    const r123::Philox4x64::ctr_type out = r123::Philox4x64{}({{a, replication_, b, c + 1}}, key_);
    std::array<double, 4> u{};
    for (unsigned i = 0; i < 4; ++i) u[i] = (static_cast<double>(out[i] >> 11) + 0.5) * 0x1.0p-53;
    return u;
  }

 private:
  r123::Philox4x64::key_type key_;
  std::uint64_t replication_ = 0;
};

}  // namespace chainsim::sim

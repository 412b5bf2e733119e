// splitmix64 (Steele, Lea & Flood 2014): the small, fully specified
// generator behind driftd's random choices that other implementations must
// be able to reproduce (mmd.cc's permutations, the calibration's null
// streams). Its state update and output mix are given in mmd.cc's header.
#pragma once

#include <cstdint>

namespace driftd {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Rejects the lowest 2^64 mod bound values so that x mod bound is unbiased.
  std::uint64_t below(std::uint64_t bound) {
    const std::uint64_t floor = (0 - bound) % bound;
    for (;;) {
      const std::uint64_t x = next();
      if (x >= floor) return x % bound;
    }
  }

  // Uniform in [0, 1): the top 53 bits.
  double uniform() { return double(next() >> 11) * 0x1p-53; }

 private:
  std::uint64_t state_;
};

}  // namespace driftd

// Regenerates the samples the golden fixtures describe by generator
// parameters (see tests/golden/gen_univariate.py: lcg_sample), bit for bit.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <vector>

namespace driftd::testing {

inline std::vector<double> lcg_sample(simdjson::dom::element spec) {
  std::uint64_t state = std::uint64_t(spec["seed"]);
  const std::uint64_t n = std::uint64_t(spec["n"]);
  const double scale = double(spec["scale"]);
  const double shift = double(spec["shift"]);
  const std::uint64_t levels = std::uint64_t(spec["levels"]);
  std::vector<double> out;
  out.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const double u = double(state >> 11) * (1.0 / 9007199254740992.0);
    const double base = levels > 0 ? double(std::uint64_t(u * double(levels))) : u;
    out.push_back(base * scale + shift);
  }
  return out;
}

}  // namespace driftd::testing

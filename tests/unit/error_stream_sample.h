// Regenerates the error streams the concept-drift fixtures describe by
// parameters (tests/golden/error_streams.py: error_stream), bit for bit.
#pragma once

#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace driftd::testing {

inline std::vector<double> error_stream(simdjson::dom::element spec) {
  std::uint64_t state = std::uint64_t(spec["seed"]);
  const std::uint64_t n = std::uint64_t(spec["n"]);
  const std::string kind{std::string_view(spec["kind"])};
  const double before = double(spec["before"]);
  const double after = double(spec["after"]);
  const std::uint64_t change_at = std::uint64_t(spec["change_at"]);
  const std::uint64_t ramp = std::uint64_t(spec["ramp"]);
  std::vector<double> out;
  out.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const double u = double(state >> 11) * (1.0 / 9007199254740992.0);
    double level = after;
    if (i < change_at) {
      level = before;
    } else if (i < change_at + ramp) {
      level = before + (after - before) * double(i - change_at) / double(ramp);
    }
    if (kind == "bernoulli") {
      out.push_back(u < level ? 1.0 : 0.0);
    } else if (kind == "uniform") {
      out.push_back(2.0 * level * u);
    } else if (kind == "exponential") {
      out.push_back(-level * std::log1p(-u));
    } else {
      throw std::invalid_argument("error_stream: unknown kind " + kind);
    }
  }
  return out;
}

}  // namespace driftd::testing

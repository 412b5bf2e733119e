// Checks shared by the load() of the concept-drift detectors: a state is a
// list of doubles, and a count in it must be a whole number that a double
// holds exactly.
#pragma once

#include <cmath>
#include <cstdint>

namespace driftd {

inline bool is_saved_count(double value) {
  return value >= 0.0 && value < 9007199254740992.0 && std::floor(value) == value;
}

inline bool is_finite_non_negative(double value) { return std::isfinite(value) && value >= 0.0; }

}  // namespace driftd

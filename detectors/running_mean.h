// The mean of the values seen so far, one value at a time, in the order of
// operations of Frouros's utils.stats.Mean (mean += (x - mean) / n): DDM and
// HDDM-A compare such means with thresholds, and the same rounding keeps
// their warning and drift on the same steps as Frouros's.
#pragma once

#include <cstdint>

namespace driftd {

struct RunningMean {
  double mean = 0.0;
  std::uint64_t count = 0;

  void add(double value) {
    ++count;
    mean += (value - mean) / double(count);
  }
};

}  // namespace driftd

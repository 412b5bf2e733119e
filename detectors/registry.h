// Maps the test names used in configuration files to detectors.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "driftd/detector.h"

namespace driftd {

// Everything a test may be parameterised with; each detector reads the fields
// it needs. Defaults are those of config/README.md and detectors/README.md.
struct TestParams {
  std::size_t psi_bins = 10;        // psi: number of reference-quantile bins (>= 2)
  double psi_threshold = 0.2;       // psi: drift when PSI >= this
  std::size_t permutations = 100;   // mmd: permutations for the p-value (>= 1)
  std::optional<double> sigma;      // mmd: kernel width; unset = median heuristic
  std::uint64_t seed = 0x5eedd71f7ULL;  // mmd: permutations and subsampling
};

// The detector configured as `name`, or nullptr when no test has that name.
std::unique_ptr<Detector> make_detector(std::string_view name, const TestParams& params);

// Every name make_detector() knows, in a stable order (for messages).
std::span<const std::string_view> detector_names();

// Whether the named test takes numeric columns, categorical columns, or
// several numeric features at once (multivariate).
bool detector_takes_numeric(std::string_view name);
bool detector_takes_categorical(std::string_view name);
bool detector_is_multivariate(std::string_view name);

}  // namespace driftd

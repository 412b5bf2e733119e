// From a configuration to what its tests run with: the one mapping that the
// streaming engine and `driftd score` share, so that the same configuration
// tests the same way in both.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "detector_registry.h"
#include "driftd/config.h"

namespace driftd {

// The tests of a feature whose configuration lists none (config/README.md,
// `models[].features[]`): KS and PSI on a numeric feature, chi-square and
// PSI on a categorical one.
std::vector<std::string> default_tests(FeatureType type);

// The parameters of a feature's tests under `defaults`; `seed` is the
// command's (seeds:: in detector_registry.h).
TestParams test_params(const Defaults& defaults, std::uint64_t seed);

// The same for a multivariate test, with its own permutations and sigma.
TestParams test_params(const Defaults& defaults, const MultivariateConfig& multivariate, std::uint64_t seed);

}  // namespace driftd

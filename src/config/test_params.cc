#include "config/test_params.h"

namespace driftd {

std::vector<std::string> default_tests(FeatureType type) {
  return type == FeatureType::numeric ? std::vector<std::string>{"ks", "psi"} : std::vector<std::string>{"chi2", "psi"};
}

TestParams test_params(const Defaults& defaults, std::uint64_t seed) {
  return {.psi_bins = defaults.psi_bins, .psi_threshold = defaults.psi_threshold, .seed = seed};
}

TestParams test_params(const Defaults& defaults, const MultivariateConfig& multivariate, std::uint64_t seed) {
  TestParams params = test_params(defaults, seed);
  params.permutations = multivariate.permutations;
  params.sigma = multivariate.sigma;
  return params;
}

}  // namespace driftd

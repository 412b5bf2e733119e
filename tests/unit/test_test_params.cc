// The one mapping from a configuration to its tests (src/config/test_params.h).
#include <catch2/catch.hpp>

#include "config/test_params.h"

using namespace driftd;

TEST_CASE("test params: a feature's tests take the defaults' PSI settings and the seed", "[config]") {
  Defaults defaults;
  defaults.psi_bins = 7;
  defaults.psi_threshold = 0.3;
  const TestParams params = test_params(defaults, 42);
  CHECK(params.psi_bins == 7);
  CHECK(params.psi_threshold == 0.3);
  CHECK(params.seed == 42);
  CHECK(params.permutations == TestParams{}.permutations);
  CHECK_FALSE(params.sigma);
}

TEST_CASE("test params: a multivariate test takes its permutations and sigma", "[config]") {
  const Defaults defaults;
  const MultivariateConfig mv{.features = {"a", "b"}, .permutations = 250, .sigma = 1.5};
  const TestParams params = test_params(defaults, mv, seeds::kScore);
  CHECK(params.permutations == 250);
  CHECK(params.sigma == 1.5);
  CHECK(params.seed == seeds::kScore);
  CHECK(params.psi_bins == defaults.psi_bins);
}

TEST_CASE("test params: the default tests of a feature", "[config]") {
  CHECK(default_tests(FeatureType::numeric) == std::vector<std::string>{"ks", "psi"});
  CHECK(default_tests(FeatureType::categorical) == std::vector<std::string>{"chi2", "psi"});
  for (const FeatureType type : {FeatureType::numeric, FeatureType::categorical}) {
    for (const auto& name : default_tests(type)) {
      const DetectorInfo* info = find_detector(name);
      REQUIRE(info != nullptr);
      CHECK((type == FeatureType::numeric ? info->numeric : info->categorical));
    }
  }
}

TEST_CASE("test params: the policy is the defaults'", "[config]") {
  Defaults defaults;
  defaults.p_value = 0.01;
  defaults.correction = Correction::fdr;
  defaults.dataset_drift_share = 0.25;
  const DecisionPolicy policy = defaults.policy();
  CHECK(policy.p_value == 0.01);
  CHECK(policy.correction == Correction::fdr);
  CHECK(policy.dataset_drift_share == 0.25);
}

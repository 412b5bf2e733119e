// The table of tests: every row makes the detector it describes, and a name
// that is not in it has no row; every detector it makes keeps the reference
// it is told for as many tests as follow.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "detector_registry.h"

using namespace driftd;

TEST_CASE("detector registry: each row makes a detector of its name and kind", "[registry]") {
  std::set<std::string_view> names;
  for (const DetectorInfo& info : detector_table()) {
    INFO(std::string(info.name));
    CHECK(names.insert(info.name).second);
    CHECK(find_detector(info.name) == &info);
    const auto detector = info.make(TestParams{});
    REQUIRE(detector != nullptr);
    CHECK(detector->name() == info.name);
    CHECK(detector->kind() == info.kind);
    // A multivariate test takes no single column; every other test takes some.
    CHECK(info.multivariate == !(info.numeric || info.categorical));
  }
  CHECK(names == std::set<std::string_view>{"ks", "psi", "chi2", "mmd"});
}

TEST_CASE("detector registry: what each test takes", "[registry]") {
  CHECK(find_detector("ks")->numeric);
  CHECK_FALSE(find_detector("ks")->categorical);
  CHECK(find_detector("psi")->numeric);
  CHECK(find_detector("psi")->categorical);
  CHECK(find_detector("psi")->kind == TestKind::distance);
  CHECK(find_detector("chi2")->categorical);
  CHECK_FALSE(find_detector("chi2")->numeric);
  CHECK(find_detector("mmd")->multivariate);
}

TEST_CASE("detector registry: an unknown name has no row and no detector", "[registry]") {
  CHECK(find_detector("") == nullptr);
  CHECK(find_detector("KS") == nullptr);
  CHECK(find_detector("anderson") == nullptr);
  CHECK(make_detector("anderson", {}) == nullptr);
}

namespace {

void same_result(const TestResult& got, const TestResult& want) {
  CHECK(got.test == want.test);
  CHECK(got.error == want.error);
  CHECK(got.statistic == want.statistic);
  CHECK(got.p_value == want.p_value);
  CHECK(got.threshold == want.threshold);
  CHECK(got.sigma == want.sigma);
}

}  // namespace

TEST_CASE("detector registry: a reference told once serves many tests, and telling another replaces it",
          "[registry]") {
  std::mt19937_64 random(2026);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<std::vector<double>> numbers(3), points(3);
  for (std::size_t s = 0; s < 3; ++s) {
    for (int i = 0; i < 300; ++i) numbers[s].push_back(std::round((normal(random) + 0.2 * double(s)) * 10) / 10);
    std::sort(numbers[s].begin(), numbers[s].end());
    for (int i = 0; i < 2 * 60; ++i) points[s].push_back(normal(random) + (i % 2 == 0 ? 0.3 * double(s) : 0.0));
  }
  const std::vector<std::vector<std::uint64_t>> counts = {{40, 30, 30}, {20, 50, 30}, {35, 30, 35}};
  const auto numeric = [&](std::size_t s) -> Sample { return NumericSample{numbers[s]}; };
  const auto categorical = [&](std::size_t s) -> Sample { return CategoricalSample{counts[s]}; };
  const auto point = [&](std::size_t s) -> Sample { return PointSample{points[s], 2}; };

  for (const DetectorInfo& info : detector_table()) {
    std::vector<std::function<Sample(std::size_t)>> kinds;
    if (info.numeric) kinds.emplace_back(numeric);
    if (info.categorical) kinds.emplace_back(categorical);
    if (info.multivariate) kinds.emplace_back(point);
    for (const auto& sample : kinds) {
      INFO(std::string(info.name));
      const TestParams params{.permutations = 30};
      // Each question asked of a detector made for it.
      const auto fresh = [&](std::size_t reference, std::size_t current) {
        const auto detector = info.make(params);
        detector->set_reference(sample(reference));
        return detector->test(sample(current));
      };
      const auto kept = info.make(params);
      CHECK_FALSE(kept->test(sample(1)).ok());  // no reference yet
      kept->set_reference(sample(0));
      for (const std::size_t current : {1, 2, 1}) same_result(kept->test(sample(current)), fresh(0, current));
      REQUIRE(kept->test(sample(1)).ok());
      kept->set_reference(sample(2));
      same_result(kept->test(sample(1)), fresh(2, 1));
      same_result(kept->test(sample(0)), fresh(2, 0));
    }
  }
}

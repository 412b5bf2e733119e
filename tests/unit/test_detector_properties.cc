// Statistical properties with fixed seeds: under the null a p-value test
// rejects at its nominal rate; a real shift is detected.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "detector_registry.h"
#include "detector_testing.h"

using namespace driftd;
using driftd::testing::test_against;

namespace {

std::vector<double> normal_sorted(std::mt19937_64& random, std::size_t n, double mean) {
  std::normal_distribution<double> normal(mean, 1.0);
  std::vector<double> out(n);
  for (auto& v : out) v = normal(random);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("properties: ks p-values are uniform under the null", "[ks][properties]") {
  std::mt19937_64 random(12345);
  const auto ks = make_detector("ks", {});
  int below_5 = 0;
  int below_50 = 0;
  const int pairs = 500;
  for (int i = 0; i < pairs; ++i) {
    const auto r = normal_sorted(random, 200, 0.0);
    const auto c = normal_sorted(random, 150, 0.0);
    const double p = *test_against(*ks, NumericSample{r}, NumericSample{c}).p_value;
    below_5 += p < 0.05 ? 1 : 0;
    below_50 += p < 0.5 ? 1 : 0;
  }
  CHECK(below_5 / double(pairs) >= 0.03);
  CHECK(below_5 / double(pairs) <= 0.07);
  CHECK(below_50 / double(pairs) >= 0.43);
  CHECK(below_50 / double(pairs) <= 0.57);
}

TEST_CASE("properties: chi2 p-values are uniform under the null", "[chi2][properties]") {
  std::mt19937_64 random(777);
  std::discrete_distribution<int> categories({0.5, 0.3, 0.15, 0.05});
  const auto chi2 = make_detector("chi2", {});
  int below_5 = 0;
  const int pairs = 500;
  for (int i = 0; i < pairs; ++i) {
    std::vector<std::uint64_t> r(4, 0), c(4, 0);
    for (int k = 0; k < 400; ++k) ++r[std::size_t(categories(random))];
    for (int k = 0; k < 300; ++k) ++c[std::size_t(categories(random))];
    below_5 += *test_against(*chi2, CategoricalSample{r}, CategoricalSample{c}).p_value < 0.05 ? 1 : 0;
  }
  CHECK(below_5 / double(pairs) >= 0.03);
  CHECK(below_5 / double(pairs) <= 0.07);
}

TEST_CASE("properties: a half-sd shift is detected, no shift is not", "[ks][psi][properties]") {
  std::mt19937_64 random(99);
  const auto reference = normal_sorted(random, 2000, 0.0);
  const auto same = normal_sorted(random, 2000, 0.0);
  const auto shifted = normal_sorted(random, 2000, 0.5);
  const auto ks = make_detector("ks", {});
  const auto psi = make_detector("psi", {});
  ks->set_reference(NumericSample{reference});
  psi->set_reference(NumericSample{reference});
  CHECK(*ks->test(NumericSample{shifted}).p_value < 1e-10);
  CHECK(*ks->test(NumericSample{same}).p_value > 0.01);
  CHECK(psi->test(NumericSample{shifted}).statistic >= 0.2);
  CHECK(psi->test(NumericSample{same}).statistic < 0.1);
}

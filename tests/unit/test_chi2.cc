#include "chi2.h"

#include <catch2/catch.hpp>

#include "detector_testing.h"
#include "golden.h"

using namespace driftd;
using driftd::testing::test_against;

TEST_CASE("chi2: statistic and p-value agree with scipy.stats.chi2_contingency", "[chi2][golden]") {
  simdjson::dom::parser parser;
  const auto golden = driftd::testing::load_golden(parser, "univariate.json");
  Chi2Detector chi2;
  int cases = 0;
  for (auto c : golden["categorical"].get_array()) {
    std::vector<std::uint64_t> reference, current;
    for (auto v : c["reference"].get_array()) reference.push_back(std::uint64_t(v));
    for (auto v : c["current"].get_array()) current.push_back(std::uint64_t(v));
    INFO(std::string_view(c["name"]));
    const TestResult result = test_against(chi2, CategoricalSample{reference}, CategoricalSample{current});
    REQUIRE(result.ok());
    CHECK(result.statistic == Approx(double(c["chi2_statistic"])).epsilon(1e-12).margin(1e-15));
    REQUIRE(result.p_value.has_value());
    const double expected = double(c["chi2_p_value"]);
    CHECK(std::abs(*result.p_value - expected) <= 1e-12);
    CHECK(*result.p_value == Approx(expected).epsilon(1e-9));
    ++cases;
  }
  CHECK(cases == 7);
}

TEST_CASE("chi2: an empty sample or numeric input gives an error", "[chi2]") {
  Chi2Detector chi2;
  const std::vector<std::uint64_t> zero = {0, 0};
  const std::vector<std::uint64_t> some = {3, 4};
  CHECK_FALSE(test_against(chi2, CategoricalSample{zero}, CategoricalSample{some}).ok());
  const std::vector<double> values = {1.0};
  CHECK_FALSE(test_against(chi2, NumericSample{values}, NumericSample{values}).ok());
}

#include "psi.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "detector_testing.h"
#include "golden.h"
#include "lcg_sample.h"

using namespace driftd;
using driftd::testing::lcg_sample;
using driftd::testing::test_against;

TEST_CASE("psi: numeric edges and index agree with numpy", "[psi][golden]") {
  simdjson::dom::parser parser;
  const auto golden = driftd::testing::load_golden(parser, "univariate.json");
  int cases = 0;
  for (auto c : golden["psi_numeric"].get_array()) {
    auto reference = lcg_sample(c["reference"]);
    auto current = lcg_sample(c["current"]);
    std::sort(reference.begin(), reference.end());
    std::sort(current.begin(), current.end());
    const auto bins = std::size_t(std::uint64_t(c["bins"]));
    INFO(std::string_view(c["name"]));

    const auto expected_edges = driftd::testing::doubles(c["edges"].get_array());
    const auto edges = psi_edges(reference, bins);
    REQUIRE(edges.size() == expected_edges.size());
    for (std::size_t i = 0; i < edges.size(); ++i) CHECK(edges[i] == expected_edges[i]);

    PsiDetector psi(bins, 0.2);
    const TestResult result = test_against(psi, NumericSample{reference}, NumericSample{current});
    REQUIRE(result.ok());
    CHECK(result.kind == TestKind::distance);
    CHECK(result.threshold == 0.2);
    CHECK(result.statistic == Approx(double(c["statistic"])).epsilon(1e-12).margin(1e-15));
    ++cases;
  }
  CHECK(cases == 8);
}

TEST_CASE("psi: categorical shares agree with numpy", "[psi][golden]") {
  simdjson::dom::parser parser;
  const auto golden = driftd::testing::load_golden(parser, "univariate.json");
  PsiDetector psi(10, 0.2);
  for (auto c : golden["categorical"].get_array()) {
    std::vector<std::uint64_t> reference, current;
    for (auto v : c["reference"].get_array()) reference.push_back(std::uint64_t(v));
    for (auto v : c["current"].get_array()) current.push_back(std::uint64_t(v));
    INFO(std::string_view(c["name"]));
    const TestResult result = test_against(psi, CategoricalSample{reference}, CategoricalSample{current});
    REQUIRE(result.ok());
    CHECK(result.statistic == Approx(double(c["psi"])).epsilon(1e-12).margin(1e-15));
  }
}

TEST_CASE("psi: values on an edge fall in the bin the edge closes", "[psi]") {
  const std::vector<double> sorted = {1, 2, 2, 3, 4};
  const std::vector<double> edges = {2, 3};
  CHECK(psi_bin_counts(sorted, edges) == std::vector<std::uint64_t>{3, 1, 1});
}

TEST_CASE("psi: empty or mismatched samples give an error", "[psi]") {
  PsiDetector psi(10, 0.2);
  const std::vector<double> values = {1.0};
  const std::vector<double> none;
  CHECK_FALSE(test_against(psi, NumericSample{none}, NumericSample{values}).ok());
  const std::vector<std::uint64_t> zero = {0, 0};
  const std::vector<std::uint64_t> some = {1, 2};
  CHECK_FALSE(test_against(psi, CategoricalSample{zero}, CategoricalSample{some}).ok());
  CHECK_FALSE(test_against(psi, NumericSample{values}, CategoricalSample{some}).ok());
}

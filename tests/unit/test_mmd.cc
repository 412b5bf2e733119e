#include "mmd.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "detector_testing.h"
#include "golden.h"

using namespace driftd;
using driftd::testing::test_against;

namespace {

// rows × dims standard normal values, the first feature shifted by `shift`.
std::vector<double> normal_points(std::mt19937_64& random, std::size_t rows, std::size_t dims, double shift) {
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> out(rows * dims);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = normal(random) + (i % dims == 0 ? shift : 0.0);
  return out;
}

}  // namespace

TEST_CASE("mmd: statistic, sigma and p-value agree with numpy (gen_mmd.py)", "[mmd][golden]") {
  simdjson::dom::parser parser;
  const auto golden = driftd::testing::load_golden(parser, "mmd.json");
  int cases = 0;
  for (auto c : golden["cases"].get_array()) {
    INFO(std::string_view(c["name"]));
    const auto dims = static_cast<std::size_t>(std::uint64_t(c["dims"]));
    const std::vector<double> reference = driftd::testing::doubles(c["reference"].get_array());
    const std::vector<double> current = driftd::testing::doubles(c["current"].get_array());
    std::optional<double> sigma;
    if (!c["sigma"].is_null()) sigma = double(c["sigma"]);
    MmdDetector mmd{std::uint64_t(c["permutations"]), sigma, std::uint64_t(c["seed"])};

    const TestResult result = test_against(mmd, PointSample{reference, dims}, PointSample{current, dims});
    REQUIRE(result.ok());
    CHECK(result.test == "mmd");
    CHECK(result.kind == TestKind::p_value);
    const auto expected = c["expected"];
    CHECK(result.statistic == Approx(double(expected["statistic"])).epsilon(1e-9).margin(1e-12));
    REQUIRE(result.sigma.has_value());
    CHECK(*result.sigma == Approx(double(expected["sigma"])).epsilon(1e-12));
    REQUIRE(result.p_value.has_value());
    CHECK(std::abs(*result.p_value - double(expected["p_value"])) <= 1e-12);
    ++cases;
  }
  CHECK(cases == 11);
}

TEST_CASE("mmd: bad input gives an error result, not an exception", "[mmd]") {
  MmdDetector mmd(20, std::nullopt, 1);
  const std::vector<double> three_2d = {0, 0, 1, 0, 0, 1};
  const std::vector<double> four_2d = {1, 1, 2, 1, 1, 2, 2, 2};
  const PointSample good{three_2d, 2};
  REQUIRE(test_against(mmd, good, PointSample{four_2d, 2}).ok());  // the control: valid input runs

  const auto fails = [](const TestResult& result) {
    CHECK(result.test == "mmd");
    CHECK_FALSE(result.error.empty());
    return !result.ok();
  };
  const std::vector<double> numbers = {1, 2, 3};
  CHECK(fails(test_against(mmd, NumericSample{numbers}, NumericSample{numbers})));
  CHECK(fails(test_against(mmd, good, NumericSample{numbers})));
  const std::vector<std::uint64_t> counts = {3, 4};
  CHECK(fails(test_against(mmd, CategoricalSample{counts}, CategoricalSample{counts})));

  CHECK(fails(test_against(mmd, good, PointSample{three_2d, 3})));                    // dims differ
  CHECK(fails(test_against(mmd, PointSample{numbers, 2}, PointSample{four_2d, 2})));  // 3 values, 2 dims
  CHECK(fails(test_against(mmd, PointSample{numbers, 0}, PointSample{numbers, 0})));

  const std::vector<double> one_point = {5, 5};
  CHECK(fails(test_against(mmd, good, PointSample{one_point, 2})));
  CHECK(fails(test_against(mmd, PointSample{one_point, 2}, good)));

  for (const double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity(), 1e200}) {
    std::vector<double> values = four_2d;
    values[3] = bad;
    CHECK(fails(test_against(mmd, good, PointSample{values, 2})));
    CHECK(fails(test_against(mmd, PointSample{values, 2}, good)));
  }

  for (const double sigma :
       {0.0, -1.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(), 1e-200}) {
    CHECK(fails(test_against(MmdDetector(20, sigma, 1), good, PointSample{four_2d, 2})));
  }
}

TEST_CASE("mmd: no permutations gives the same statistic and sigma without a p-value", "[mmd]") {
  const std::vector<double> reference = {0, 0, 1, 0, 0, 1, 1, 1, 0.5, 0.5, 2, 0};
  const std::vector<double> current = {0.2, 0.1, 1.5, 0.3, 0.4, 1.2, 1.1, 0.9, 3, 3};
  MmdDetector with(50, std::nullopt, 7);
  MmdDetector without(0, std::nullopt, 7);
  with.set_reference(PointSample{reference, 2});
  without.set_reference(PointSample{reference, 2});
  const TestResult full = with.test(PointSample{current, 2});
  const TestResult alone = without.test(PointSample{current, 2});
  REQUIRE(full.ok());
  REQUIRE(alone.ok());
  CHECK(full.p_value.has_value());
  CHECK_FALSE(alone.p_value.has_value());
  CHECK(alone.statistic == full.statistic);
  CHECK(alone.sigma == full.sigma);
}

TEST_CASE("mmd: duplicate points are exactly 0 apart, so a zero median heuristic gives sigma 1", "[mmd]") {
  // Many points in 7 dimensions take the matrix product path, whose rounding
  // differs from that of the squared norms for some points (which ones
  // depends on the build), hence 20 different copied points.
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    std::mt19937_64 random(4245 + seed);
    const auto copied = normal_points(random, 1, 7, 0.0);
    auto reference = normal_points(random, 5, 7, 0.0);
    auto current = normal_points(random, 5, 7, 0.0);
    for (int i = 0; i < 60; ++i) reference.insert(reference.end(), copied.begin(), copied.end());
    for (int i = 0; i < 50; ++i) current.insert(current.end(), copied.begin(), copied.end());
    const TestResult result =
        test_against(MmdDetector(20, std::nullopt, 3), PointSample{reference, 7}, PointSample{current, 7});
    REQUIRE(result.ok());
    CHECK(*result.sigma == 1.0);
  }
}

TEST_CASE("mmd: samples from one distribution give a large p-value", "[mmd]") {
  std::mt19937_64 random(4242);
  const auto reference = normal_points(random, 300, 4, 0.0);
  const auto current = normal_points(random, 250, 4, 0.0);
  MmdDetector mmd(100, std::nullopt, 7);
  const TestResult result = test_against(mmd, PointSample{reference, 4}, PointSample{current, 4});
  REQUIRE(result.ok());
  CHECK(*result.p_value > 0.05);
}

TEST_CASE("mmd: a shift of one standard deviation gives the smallest p-value", "[mmd]") {
  std::mt19937_64 random(4243);
  const auto reference = normal_points(random, 300, 4, 0.0);
  const auto current = normal_points(random, 250, 4, 1.0);
  MmdDetector mmd(100, std::nullopt, 7);
  const TestResult result = test_against(mmd, PointSample{reference, 4}, PointSample{current, 4});
  REQUIRE(result.ok());
  CHECK(*result.p_value == Approx(1.0 / 101).epsilon(1e-12));
  CHECK(result.statistic > 0.05);
}

TEST_CASE("mmd: equal inputs give identical results, and the seed picks the permutations", "[mmd]") {
  std::mt19937_64 random(4244);
  const auto reference = normal_points(random, 1200, 3, 0.0);  // over 1,000: sigma uses a subsample
  const auto current = normal_points(random, 400, 3, 0.05);
  const PointSample r{reference, 3};
  const PointSample c{current, 3};
  MmdDetector mmd(50, std::nullopt, 99);

  const TestResult first = test_against(mmd, r, c);
  const TestResult second = mmd.test(c);  // the same reference, told once
  const TestResult other_instance = test_against(MmdDetector(50, std::nullopt, 99), r, c);
  REQUIRE(first.ok());
  for (const TestResult* again : {&second, &other_instance}) {
    CHECK(again->statistic == first.statistic);
    CHECK(*again->p_value == *first.p_value);
    CHECK(*again->sigma == *first.sigma);
  }

  // Another seed draws other permutations and another sigma subsample; the
  // statistic moves only with sigma.
  const TestResult reseeded = test_against(MmdDetector(50, std::nullopt, 100), r, c);
  REQUIRE(reseeded.ok());
  CHECK(*reseeded.sigma != *first.sigma);
  CHECK(*reseeded.p_value != *first.p_value);
  const TestResult fixed_sigma = test_against(MmdDetector(50, *first.sigma, 100), r, c);
  CHECK(fixed_sigma.statistic == Approx(first.statistic).epsilon(1e-12));
  CHECK(*fixed_sigma.p_value == *reseeded.p_value);
}

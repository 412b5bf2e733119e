#include "ks.h"
#include "ks_gaps.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "detector_testing.h"
#include "golden.h"
#include "lcg_sample.h"

using namespace driftd;
using driftd::testing::lcg_sample;
using driftd::testing::test_against;

TEST_CASE("ks: statistic and p-value agree with scipy.stats.ks_2samp", "[ks][golden]") {
  simdjson::dom::parser parser;
  const auto golden = driftd::testing::load_golden(parser, "univariate.json");
  KsDetector ks;
  int cases = 0;
  for (auto c : golden["ks"].get_array()) {
    auto reference = lcg_sample(c["reference"]);
    auto current = lcg_sample(c["current"]);
    std::sort(reference.begin(), reference.end());
    std::sort(current.begin(), current.end());
    const double expected_p = double(c["p_value"]);
    const bool exact_sizes = reference.size() <= 10000 && current.size() <= 10000;
    INFO(std::string_view(c["name"]) << ": n=" << reference.size() << " m=" << current.size());

    const TestResult result = test_against(ks, NumericSample{reference}, NumericSample{current});
    REQUIRE(result.ok());
    CHECK(result.statistic == Approx(double(c["statistic"])).margin(1e-12));
    REQUIRE(result.p_value.has_value());
    CHECK(std::abs(*result.p_value - expected_p) <= (exact_sizes ? 1e-6 : 1e-4));
    ++cases;
  }
  CHECK(cases == 20);
}

TEST_CASE("ks: merge walk steps over ties as one block", "[ks]") {
  const std::vector<double> r = {1, 1, 2, 2};
  const std::vector<double> c = {1, 2, 2, 2};
  // At x=1: F_R = 0.5, F_C = 0.25; at x=2 both are 1.
  CHECK(ks_statistic(r, c) == Approx(0.25));
  const std::vector<double> same = {3, 3, 3};
  CHECK(ks_statistic(same, same) == 0.0);
  // The same samples as counts on the grid {1, 2}: cells <1, =1, (1,2), =2, >2.
  const std::vector<GridCount> r_counts = {0, 2, 0, 2, 0};
  const std::vector<GridCount> c_counts = {0, 1, 0, 3, 0};
  CHECK(ks_statistic(r_counts, c_counts, 4, 4) == Approx(0.25));
}

TEST_CASE("ks: samples it cannot test give an error, not a number", "[ks]") {
  KsDetector ks;
  const std::vector<double> values = {1.0, 2.0};
  const std::vector<double> none;
  CHECK_FALSE(test_against(ks, NumericSample{values}, NumericSample{none}).ok());
  const std::vector<std::uint64_t> counts = {1, 2};
  CHECK_FALSE(test_against(ks, CategoricalSample{counts}, CategoricalSample{counts}).ok());
}

TEST_CASE("ks: the gap walk summarises m*R_k - n*C_k per block, the AVX-512 one as the portable one", "[ks]") {
  std::mt19937_64 random(7);
  for (const std::size_t cells : {1, 7, 8, 9, 63, 64, 65, 200, 10021}) {
    std::vector<GridCount> r(cells), c(cells);
    std::int64_t n = 0, m = 0;
    for (std::size_t k = 0; k < cells; ++k) {
      r[k] = GridCount(random() % 4 == 0 ? random() % 50 : 0);
      c[k] = GridCount(random() % 3 == 0 ? random() % 70 : 0);
      n += r[k];
      m += c[k];
    }
    const std::size_t blocks = (cells + kKsGapBlock - 1) / kKsGapBlock;
    std::vector<std::int64_t> start(blocks), widest(blocks);
    ks_gaps_portable(r, c, n, m, start.data(), widest.data());
    INFO(cells << " cells");
    // Against the definition, gap by gap.
    std::vector<std::int64_t> expected_start(blocks), expected_widest(blocks, 0);
    std::int64_t gap = 0;
    for (std::size_t k = 0; k < cells; ++k) {
      if (k % kKsGapBlock == 0) expected_start[k / kKsGapBlock] = gap;
      gap += std::int64_t(r[k]) * m - std::int64_t(c[k]) * n;
      expected_widest[k / kKsGapBlock] = std::max(expected_widest[k / kKsGapBlock], std::abs(gap));
    }
    CHECK(gap == 0);  // both ECDFs end at 1
    CHECK(start == expected_start);
    CHECK(widest == expected_widest);
#if defined(__AVX512F__) && defined(__AVX512DQ__)
    std::vector<std::int64_t> start_avx(blocks), widest_avx(blocks);
    ks_gaps_avx512(r, c, n, m, start_avx.data(), widest_avx.data());
    CHECK(start_avx == start);
    CHECK(widest_avx == widest);
#endif
  }
}

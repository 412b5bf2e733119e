// A sample counted on the reference grid gives the same KS and PSI as the
// sample itself: what lets the streaming engine keep windows as counts.
#include "grid.h"

#include <algorithm>
#include <array>
#include <limits>
#include <catch2/catch.hpp>
#include <random>

#include "detector_testing.h"
#include "ks.h"
#include "psi.h"

using namespace driftd;
using driftd::testing::test_against;

TEST_CASE("grid: cells of values on, between and beyond the points", "[grid]") {
  const std::vector<double> points = {1.0, 2.0, 4.0};
  CHECK(grid_cell(points, 0.5) == 0);
  CHECK(grid_cell(points, 1.0) == 1);
  CHECK(grid_cell(points, 1.5) == 2);
  CHECK(grid_cell(points, 2.0) == 3);
  CHECK(grid_cell(points, 3.0) == 4);
  CHECK(grid_cell(points, 4.0) == 5);
  CHECK(grid_cell(points, 9.0) == 6);
  CHECK(grid_counts(points, std::vector<double>{0, 1, 1, 5}) == std::vector<GridCount>{1, 2, 0, 0, 0, 0, 1});
}

TEST_CASE("grid: ks and psi on grid counts equal ks and psi on the values", "[grid][ks][psi]") {
  std::mt19937_64 random(2026);
  KsDetector ks;
  PsiDetector psi(10, 0.2);
  for (int trial = 0; trial < 200; ++trial) {
    // Rounded normals: many ties, and current values between reference values.
    const double shift = (trial % 4) * 0.1;
    const int digits = 1 + trial % 3;
    const double scale = std::pow(10.0, digits);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> reference(std::size_t(50 + trial * 7)), current(std::size_t(30 + trial * 5));
    for (auto& v : reference) v = std::round(normal(random) * scale) / scale;
    for (auto& v : current) v = std::round((normal(random) + shift) * scale * 3) / (scale * 3);
    std::sort(reference.begin(), reference.end());
    std::sort(current.begin(), current.end());

    const auto points = reference_grid(reference, 10);
    const auto ref_counts = grid_counts(points, reference);
    const auto cur_counts = grid_counts(points, current);
    const GridSample ref_grid{points, ref_counts};
    const GridSample cur_grid{points, cur_counts};
    INFO("trial " << trial);

    const TestResult ks_values = test_against(ks, NumericSample{reference}, NumericSample{current});
    const TestResult ks_grid = test_against(ks, ref_grid, cur_grid);
    REQUIRE(ks_grid.ok());
    CHECK(ks_grid.statistic == ks_values.statistic);
    CHECK(*ks_grid.p_value == *ks_values.p_value);

    const TestResult psi_values = test_against(psi, NumericSample{reference}, NumericSample{current});
    const TestResult psi_grid = test_against(psi, ref_grid, cur_grid);
    REQUIRE(psi_grid.ok());
    CHECK(psi_grid.statistic == psi_values.statistic);

    // A reference carrying its prepared bins gives the same PSI; bins
    // prepared for another bin count are not used.
    const auto ends = psi_bin_ends(ref_grid, 10);
    REQUIRE_FALSE(ends.empty());
    CHECK(test_against(psi, GridSample{points, ref_counts, 10, ends}, cur_grid).statistic ==
          psi_values.statistic);
    const auto other_ends = psi_bin_ends(ref_grid, 4);
    CHECK(test_against(psi, GridSample{points, ref_counts, 4, other_ends}, cur_grid).statistic ==
          psi_values.statistic);
  }
}

TEST_CASE("grid: psi refuses a grid that lacks the reference's values", "[grid][psi]") {
  const std::vector<double> points = {0.0, 1.0};
  const std::vector<GridCount> between = {0, 1, 5, 1, 0};  // 5 reference values inside (0, 1)
  const std::vector<GridCount> current = {0, 1, 1, 1, 0};
  PsiDetector psi(10, 0.2);
  CHECK_FALSE(test_against(psi, GridSample{points, between}, GridSample{points, current}).ok());
  // Prepared bins that do not cover the grid are refused, not read past.
  const std::vector<GridCount> on_points = {0, 3, 0, 3, 0};
  const std::vector<std::size_t> short_ends = {2, 4};
  CHECK_FALSE(
      test_against(psi, GridSample{points, on_points, 10, short_ends}, GridSample{points, current}).ok());
}

TEST_CASE("grid: the bucket index finds the same cell as binary search", "[grid]") {
  std::mt19937_64 random(31);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (const int digits : {0, 1, 3, 8}) {
    const double scale = std::pow(10.0, digits);
    std::vector<double> reference(3000);
    for (auto& v : reference) v = std::round(normal(random) * scale) / scale;
    std::sort(reference.begin(), reference.end());
    const GridIndex index(reference_grid(reference, 10));
    for (int i = 0; i < 20000; ++i) {
      // Points themselves, values between them, and far outside the range.
      const double value = i % 3 == 0 ? reference[std::size_t(i) % reference.size()]
                                       : std::round(normal(random) * 1.5 * scale * 10) / (scale * 10);
      REQUIRE(index.cell(value) == grid_cell(index.points(), value));
    }
    CHECK(index.cell(-1e300) == 0);
    CHECK(index.cell(1e300) == 2 * index.points().size());
  }
  // Skewed: nearly every point in the first of the equal-width buckets, so
  // lookups there overflow the fixed scan and must fall back.
  std::vector<double> skewed(3000);
  std::lognormal_distribution<double> heavy(0.0, 4.0);
  for (auto& v : skewed) v = heavy(random);
  std::sort(skewed.begin(), skewed.end());
  const GridIndex skewed_index(reference_grid(skewed, 10));
  for (int i = 0; i < 20000; ++i) {
    const double value = i % 2 == 0 ? skewed[std::size_t(i) % skewed.size()] : heavy(random);
    REQUIRE(skewed_index.cell(value) == grid_cell(skewed_index.points(), value));
  }
#if defined(__AVX512F__)
  // The AVX-512 scan agrees with the portable one, ties and infinities included.
  for (int i = 0; i < 20000; ++i) {
    std::array<double, 8> eight;
    for (auto& v : eight) v = std::round(normal(random) * 4) / 4;
    std::sort(eight.begin(), eight.end());
    if (i % 7 == 0) eight[7] = std::numeric_limits<double>::infinity();
    const double value = std::round(normal(random) * 8) / 8;
    REQUIRE(scan_cell_avx512(eight.data(), value) == scan_cell_portable(eight.data(), value));
  }
#endif
  CHECK(GridIndex(std::vector<double>{}).cell(1.0) == 0);
  CHECK(GridIndex(std::vector<double>{2.0}).cell(2.0) == 1);
  CHECK(GridIndex(std::vector<double>{2.0, 2.0 + 1e-300}).cell(3.0) == 4);
}

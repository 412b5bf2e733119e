#include "ks.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "ks_distribution.h"
#include "ks_gaps.h"

namespace driftd {

double ks_statistic(std::span<const double> r, std::span<const double> c) {
  const double n = double(r.size());
  const double m = double(c.size());
  std::size_t i = 0;
  std::size_t j = 0;
  double d = 0.0;
  while (i < r.size() && j < c.size()) {
    // Step both ECDFs past every copy of the smallest remaining value, so
    // that a tie moves both before the distance is measured.
    const double x = std::min(r[i], c[j]);
    while (i < r.size() && r[i] == x) ++i;
    while (j < c.size() && c[j] == x) ++j;
    d = std::max(d, std::abs(double(i) / n - double(j) / m));
  }
  // Once one sample is exhausted its ECDF is 1 and the other's only grows
  // towards 1, so the distance can only shrink: nothing more to scan.
  return d;
}

double ks_statistic(std::span<const GridCount> r, std::span<const GridCount> c, std::uint64_t n, std::uint64_t m) {
  // |i/n - j/m| is largest where |i*m - j*n| is, and that is a prefix sum
  // of r[k]*m - c[k]*n: exact integers (ks_gaps.h).
  const std::size_t cells = r.size();
  if (cells == 0) return 0.0;
  const std::size_t blocks = (cells + kKsGapBlock - 1) / kKsGapBlock;
  thread_local std::vector<std::int64_t> block_start;
  thread_local std::vector<std::int64_t> block_widest;
  block_start.resize(blocks);
  block_widest.resize(blocks);
  ks_gaps(r, c, std::int64_t(n), std::int64_t(m), block_start.data(), block_widest.data());
  const std::int64_t widest = *std::max_element(block_widest.begin(), block_widest.end());
  // Then the double as the merge walk computes it, at every cell that
  // attains the maximum, so that the result is the same to the last bit.
  double d = 0.0;
  std::uint64_t below_r = 0;
  std::size_t counted = 0;  // cells summed into below_r
  for (std::size_t b = 0; b < blocks; ++b) {
    if (block_widest[b] != widest) continue;
    std::int64_t gap = block_start[b];
    for (std::size_t cell = b * kKsGapBlock; cell < std::min(cells, (b + 1) * kKsGapBlock); ++cell) {
      gap += std::int64_t(r[cell]) * std::int64_t(m) - std::int64_t(c[cell]) * std::int64_t(n);
      if (gap != widest && gap != -widest) continue;
      below_r = std::accumulate(r.begin() + long(counted), r.begin() + long(cell) + 1, below_r);
      counted = cell + 1;
      // gap = below_r * m - below_c * n, exactly.
      const auto below_c = std::uint64_t((std::int64_t(below_r) * std::int64_t(m) - gap) / std::int64_t(n));
      d = std::max(d, std::abs(double(below_r) / double(n) - double(below_c) / double(m)));
    }
  }
  return d;
}

TestResult KsDetector::test(const Sample& current) {
  TestResult result{.test = "ks", .kind = TestKind::p_value};
  if (const auto* r = std::get_if<GridSample>(&reference())) {
    const auto* c = std::get_if<GridSample>(&current);
    if (c == nullptr || r->counts.size() != c->counts.size()) {
      result.error = "ks needs two samples on the same grid";
      return result;
    }
    const std::uint64_t n = r->size();
    const std::uint64_t m = c->size();
    if (n == 0 || m == 0) {
      result.error = "ks needs at least one value in each sample";
      return result;
    }
    if (n >= (std::uint64_t(1) << 31) || m >= (std::uint64_t(1) << 31)) {
      result.error = "ks on a grid takes samples of fewer than 2^31 values";  // so that n * m < 2^62
      return result;
    }
    result.statistic = ks_statistic(r->counts, c->counts, n, m);
    if (with_p_value_) result.p_value = ks_2samp_p_value(n, m, result.statistic);
    return result;
  }
  const auto* r = std::get_if<NumericSample>(&reference());
  const auto* c = std::get_if<NumericSample>(&current);
  if (r == nullptr || c == nullptr) {
    result.error = "ks needs numeric samples";
  } else if (r->sorted.empty() || c->sorted.empty()) {
    result.error = "ks needs at least one value in each sample";
  } else {
    result.statistic = ks_statistic(r->sorted, c->sorted);
    if (with_p_value_) result.p_value = ks_2samp_p_value(r->sorted.size(), c->sorted.size(), result.statistic);
  }
  return result;
}

}  // namespace driftd

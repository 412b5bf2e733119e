// The grid a GridSample is counted on (see detector.h): built once from the
// reference, then each value of a stream lands in one cell in a few memory
// accesses (O(log points) at worst).
#pragma once

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "driftd/detector.h"

namespace driftd {

// The reference's distinct values and its PSI quantile edges, ascending: on
// this grid both KS and PSI are exact.
std::vector<double> reference_grid(std::span<const double> reference_sorted, std::size_t psi_bins);

// The cell of `value`: 2k+1 when it equals points[k], else 2k where k is the
// number of points below it.
inline std::size_t grid_cell(std::span<const double> points, double value) {
  std::size_t lo = 0;
  std::size_t count = points.size();
  // Branch-light lower_bound: the loop length depends only on the size.
  while (count > 0) {
    const std::size_t half = count / 2;
    if (points[lo + half] < value) {
      lo += half + 1;
      count -= half + 1;
    } else {
      count = half;
    }
  }
  return 2 * lo + (lo < points.size() && points[lo] == value ? 1 : 0);
}

// Among kScan = 8 ascending points, how many are below `value` plus how
// many are at or below it: the cell offset of `value` among them (see
// grid_cell). Portable, and with AVX-512 two compares and two popcounts
// (the vectorised portable loop takes ~25 instructions).
inline std::size_t scan_cell_portable(const double* points, double value) {
  std::size_t cell = 0;
  for (std::size_t k = 0; k < 8; ++k) cell += (points[k] < value ? 1 : 0) + (points[k] <= value ? 1 : 0);
  return cell;
}
#if defined(__AVX512F__)
inline std::size_t scan_cell_avx512(const double* points, double value) {
  const __m512d eight = _mm512_loadu_pd(points);
  const __m512d v = _mm512_set1_pd(value);
  return std::size_t(std::popcount(unsigned(_mm512_cmp_pd_mask(eight, v, _CMP_LT_OQ))) +
                     std::popcount(unsigned(_mm512_cmp_pd_mask(eight, v, _CMP_LE_OQ))));
}
#endif
inline std::size_t scan_cell(const double* points, double value) {
#if defined(__AVX512F__)
  return scan_cell_avx512(points, value);
#else
  return scan_cell_portable(points, value);
#endif
}

// grid_cell() in two memory accesses instead of log2(points): a directory
// of equal-width buckets over the points' range, each holding where its
// points start, so that a lookup compares the value with a fixed kScan
// points from there, with no data-dependent branch (a searching loop
// mispredicted ~2 branches per lookup). A value outside the range, or in a
// bucket of more than kScan points, takes the binary search, so skewed data
// stays exact, only slower. The window pays one lookup per event and
// numeric column, the hottest work of the streaming engine.
class GridIndex {
 public:
  static constexpr std::size_t kScan = 8;  // one AVX-512 compare of doubles

  GridIndex() = default;
  explicit GridIndex(std::vector<double> points);

  std::span<const double> points() const { return {points_.data(), size_}; }
  // Inline: the window calls it in a loop over a column's values, where the
  // members stay in registers.
  std::size_t cell(double value) const {
    const std::size_t b = bucket(value);
    if (b == SIZE_MAX) return grid_cell(points(), value);
    const std::size_t first = first_[b];
    if (first_[b + 1] - first > kScan) return grid_cell(points(), value);  // a crowded bucket
    // The bucket's points, then points of later buckets (above the value)
    // or the +infinity padding: the cell is twice the points below the
    // value plus one when one equals it, i.e. the count below plus the
    // count at or below.
    static_assert(kScan == 8);
    return 2 * first + scan_cell(&points_[first], value);
  }
  // An order in which to look up many values: roughly ascending, so that
  // the lookups read the directory and the points in one sweep (and the
  // caller's counts too), which the hardware prefetcher follows, instead of
  // at random. In a daemon whose caches Kafka's traffic keeps flushing this
  // halves the cost of the lookups.
  void lookup_order(std::span<const double> values, std::vector<std::uint32_t>& order) const;

 private:
  // The directory bucket of `value`, or none (SIZE_MAX) outside the points'
  // range. Monotone: a <= b implies bucket(a) <= bucket(b) inside it.
  std::size_t bucket(double value) const {
    if (!(scale_ > 0.0 && value >= low_ && value <= points_[size_ - 1])) return SIZE_MAX;
    return std::min(std::size_t((value - low_) * scale_), first_.size() - 2);
  }

  std::vector<double> points_;        // size_ points, then kScan +infinity so that a scan never reads past
  std::size_t size_ = 0;
  double low_ = 0.0;
  double scale_ = 0.0;                // buckets per unit of value
  std::vector<std::uint32_t> first_;  // per bucket (and one past the last): its first point
};

// Counts of the values on the grid (2*points.size()+1 cells).
// Throws std::length_error past GridCount's range.
std::vector<GridCount> grid_counts(std::span<const double> points, std::span<const double> values);

}  // namespace driftd

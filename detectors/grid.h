// The grid a GridSample is counted on (see detector.h): built once from the
// reference, then each value of a stream lands in one cell in O(log points).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

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

// grid_cell() in a few memory accesses instead of log2(points): a directory
// of equal-width buckets over the points' range, each holding where its
// points start, so a lookup searches one bucket's few points. The window
// pays one lookup per event and numeric column, the hottest work of the
// streaming engine.
class GridIndex {
 public:
  GridIndex() = default;
  explicit GridIndex(std::vector<double> points);

  const std::vector<double>& points() const { return points_; }
  std::size_t cell(double value) const;
  // Starts loading what cell(value) will read first: a caller with several
  // independent lookups issues all prefetches, then all lookups, so that
  // their cache misses overlap instead of queueing.
  void prefetch(double value) const {
    if (scale_ > 0.0 && value >= low_ && value <= points_.back()) {
      __builtin_prefetch(&first_[std::min(std::size_t((value - low_) * scale_), first_.size() - 2)]);
    }
  }

 private:
  std::vector<double> points_;
  double low_ = 0.0;
  double scale_ = 0.0;                // buckets per unit of value
  std::vector<std::uint32_t> first_;  // per bucket (and one past the last): first point >= its start
};

// Counts of the values on the grid (2*points.size()+1 cells).
std::vector<std::uint64_t> grid_counts(std::span<const double> points, std::span<const double> values);

}  // namespace driftd

#include "grid.h"

#include <algorithm>
#include <cmath>

#include "psi.h"

namespace driftd {

std::vector<double> reference_grid(std::span<const double> reference_sorted, std::size_t psi_bins) {
  std::vector<double> points(reference_sorted.begin(), reference_sorted.end());
  const auto edges = psi_edges(reference_sorted, psi_bins);
  points.insert(points.end(), edges.begin(), edges.end());
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  return points;
}

GridIndex::GridIndex(std::vector<double> points) : points_(std::move(points)) {
  if (points_.size() < 2) return;
  low_ = points_.front();
  const double range = points_.back() - low_;
  const std::size_t buckets = std::max<std::size_t>(points_.size() / 2, 1);
  scale_ = double(buckets) / range;
  if (!std::isfinite(scale_)) {
    scale_ = 0.0;  // a range too small or too large to divide: plain binary search
    return;
  }
  first_.resize(buckets + 1);
  for (std::size_t b = 0; b <= buckets; ++b) {
    const double start = low_ + double(b) / scale_;
    first_[b] = std::uint32_t(std::lower_bound(points_.begin(), points_.end(), start) - points_.begin());
  }
}

std::size_t GridIndex::cell(double value) const {
  const std::size_t size = points_.size();
  if (scale_ > 0.0 && value >= low_ && value <= points_.back()) {
    const auto bucket = std::min(std::size_t((value - low_) * scale_), first_.size() - 2);
    std::size_t lo = first_[bucket];
    const std::size_t hi = std::min<std::size_t>(first_[bucket + 1] + 1, size);
    while (lo < hi && points_[lo] < value) ++lo;
    // Rounding can put a value at a bucket's edge in its neighbour: the
    // answer is checked, and a miss falls back to the full search.
    if ((lo == 0 || points_[lo - 1] < value) && (lo == size || points_[lo] >= value)) {
      return 2 * lo + (lo < size && points_[lo] == value ? 1 : 0);
    }
  }
  return grid_cell(points_, value);
}

std::vector<std::uint64_t> grid_counts(std::span<const double> points, std::span<const double> values) {
  std::vector<std::uint64_t> counts(2 * points.size() + 1, 0);
  for (const double value : values) ++counts[grid_cell(points, value)];
  return counts;
}

}  // namespace driftd

#include "grid.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

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

GridIndex::GridIndex(std::vector<double> points) : points_(std::move(points)), size_(points_.size()) {
  points_.resize(size_ + kScan, std::numeric_limits<double>::infinity());
  if (size_ < 2) return;
  low_ = points_.front();
  const double range = points_[size_ - 1] - low_;
  // Twice as many buckets as points: a bucket of a smooth distribution's
  // densest part then rarely holds more than kScan points.
  const std::size_t buckets = 2 * size_;
  scale_ = double(buckets) / range;
  if (!std::isfinite(scale_)) {
    scale_ = 0.0;  // a range too small or too large to divide: plain binary search
    return;
  }
  first_.resize(buckets + 1);
  for (std::size_t b = 0; b <= buckets; ++b) {
    const double start = low_ + double(b) / scale_;
    first_[b] = std::uint32_t(std::lower_bound(points_.begin(), points_.begin() + long(size_), start) - points_.begin());
  }
}

std::size_t GridIndex::cell(double value) const {
  if (const std::size_t b = bucket(value); b != SIZE_MAX) {
    const std::size_t first = first_[b];
    std::size_t below = 0;
    for (std::size_t k = 0; k < kScan; ++k) below += points_[first + k] < value ? 1 : 0;
    const std::size_t lo = first + below;
    // The points counted are those below the value only if the one before
    // the first is below it too and the one after the last counted is not:
    // a bucket of more than kScan points, or rounding at a bucket's edge,
    // fails this and takes the binary search.
    if ((lo == 0 || points_[lo - 1] < value) && points_[lo] >= value) {
      return 2 * lo + (points_[lo] == value ? 1 : 0);
    }
  }
  return grid_cell(points(), value);
}

std::vector<GridCount> grid_counts(std::span<const double> points, std::span<const double> values) {
  if (values.size() > std::numeric_limits<GridCount>::max()) throw std::length_error("too many values to count on a grid");
  std::vector<GridCount> counts(2 * points.size() + 1, 0);
  for (const double value : values) ++counts[grid_cell(points, value)];
  return counts;
}

}  // namespace driftd

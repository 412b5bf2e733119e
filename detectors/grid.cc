#include "grid.h"

#include <algorithm>
#include <array>
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
  // Each point is put in its bucket by the very function that puts a value
  // in one, so rounding cannot disagree: bucket() is monotone, hence a
  // point in an earlier bucket than a value's is below the value, and one
  // in a later bucket above it.
  first_.assign(buckets + 1, 0);
  for (std::size_t k = 0; k < size_; ++k) ++first_[bucket(points_[k]) + 1];
  for (std::size_t b = 0; b < buckets; ++b) first_[b + 1] += first_[b];
}

void GridIndex::lookup_order(std::span<const double> values, std::vector<std::uint32_t>& order) const {
  constexpr std::size_t kRanges = 256;
  const std::size_t n = values.size();
  order.resize(n);
  if (scale_ == 0.0) {
    for (std::size_t i = 0; i < n; ++i) order[i] = std::uint32_t(i);
    return;
  }
  // A counting sort into 256 ranges of buckets: enough order for the
  // hardware prefetcher to follow, at the cost of two passes over the values.
  const std::size_t per_range = (first_.size() - 1 + kRanges - 1) / kRanges;
  thread_local std::vector<std::uint8_t> range_of;
  range_of.resize(n);
  std::array<std::uint32_t, kRanges + 1> start{};
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t b = bucket(values[i]);
    range_of[i] = std::uint8_t(b == SIZE_MAX ? 0 : b / per_range);
    ++start[range_of[i] + 1];
  }
  for (std::size_t k = 0; k < kRanges; ++k) start[k + 1] += start[k];
  for (std::size_t i = 0; i < n; ++i) order[start[range_of[i]]++] = std::uint32_t(i);
}

std::vector<GridCount> grid_counts(std::span<const double> points, std::span<const double> values) {
  if (values.size() > std::numeric_limits<GridCount>::max()) throw std::length_error("too many values to count on a grid");
  std::vector<GridCount> counts(2 * points.size() + 1, 0);
  for (const double value : values) ++counts[grid_cell(points, value)];
  return counts;
}

}  // namespace driftd

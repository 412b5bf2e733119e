#include "grid.h"

#include <algorithm>

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

std::vector<std::uint64_t> grid_counts(std::span<const double> points, std::span<const double> values) {
  std::vector<std::uint64_t> counts(2 * points.size() + 1, 0);
  for (const double value : values) ++counts[grid_cell(points, value)];
  return counts;
}

}  // namespace driftd

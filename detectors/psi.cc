#include "psi.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace driftd {
namespace {

constexpr double kShareFloor = 1e-4;

std::uint64_t total(std::span<const std::uint64_t> counts) {
  return std::accumulate(counts.begin(), counts.end(), std::uint64_t{0});
}

// numpy's linear interpolation (numpy/lib/function_base.py: _lerp), which
// interpolates from the nearer end so that the result stays within [a, b].
double lerp_like_numpy(double a, double b, double t) {
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

// Quantile edges of a sample of n values whose i-th smallest is value_at(i).
template <typename ValueAt>
std::vector<double> quantile_edges(std::size_t n, std::size_t bins, ValueAt value_at) {
  std::vector<double> edges;
  if (n == 0) return edges;
  for (std::size_t k = 1; k < bins; ++k) {
    const double q = double(k) / double(bins);
    const double index = double(n - 1) * q;
    const double below = std::floor(index);
    const auto lo = std::size_t(below);
    const double value = lo + 1 >= n ? value_at(n - 1) : lerp_like_numpy(value_at(lo), value_at(lo + 1), index - below);
    if (edges.empty() || value != edges.back()) edges.push_back(value);
  }
  return edges;
}

}  // namespace

std::vector<double> psi_edges(std::span<const double> sorted, std::size_t bins) {
  return quantile_edges(sorted.size(), bins, [&](std::size_t i) { return sorted[i]; });
}

std::vector<double> psi_edges(const GridSample& reference, std::size_t bins) {
  // through[k] = reference values <= points[k]; all of them sit on points.
  std::vector<std::uint64_t> through(reference.points.size());
  std::uint64_t total = 0;
  for (std::size_t k = 0; k < reference.points.size(); ++k) {
    if (reference.counts[2 * k] != 0) return {};
    total += reference.counts[2 * k + 1];
    through[k] = total;
  }
  if (reference.counts.back() != 0) return {};
  return quantile_edges(total, bins, [&](std::size_t i) {
    const auto k = std::size_t(std::upper_bound(through.begin(), through.end(), std::uint64_t(i)) - through.begin());
    return reference.points[k];
  });
}

std::vector<std::size_t> psi_bin_ends(const GridSample& reference, std::size_t bins) {
  std::vector<std::size_t> ends;
  for (const double edge : psi_edges(reference, bins)) {
    // Bin i ends with the cell "== edges[i]".
    const auto point = std::lower_bound(reference.points.begin(), reference.points.end(), edge);
    if (point == reference.points.end() || *point != edge) return {};
    ends.push_back(2 * std::size_t(point - reference.points.begin()) + 2);
  }
  if (ends.empty()) return {};
  ends.push_back(reference.counts.size());
  return ends;
}

namespace {

std::vector<std::uint64_t> grid_bin_counts(const GridSample& sample, std::span<const std::size_t> ends) {
  std::vector<std::uint64_t> counts;
  counts.reserve(ends.size());
  std::size_t cell = 0;
  for (const std::size_t end : ends) {
    counts.push_back(std::accumulate(sample.counts.begin() + long(cell), sample.counts.begin() + long(end), std::uint64_t{0}));
    cell = end;
  }
  return counts;
}

}  // namespace

std::vector<std::uint64_t> psi_bin_counts(std::span<const double> sorted, std::span<const double> edges) {
  std::vector<std::uint64_t> counts;
  counts.reserve(edges.size() + 1);
  std::size_t below = 0;
  for (const double edge : edges) {
    // Bins are closed on the right: (e_{k-1}, e_k].
    const auto upto = std::size_t(std::upper_bound(sorted.begin(), sorted.end(), edge) - sorted.begin());
    counts.push_back(upto - below);
    below = upto;
  }
  counts.push_back(sorted.size() - below);
  return counts;
}

double psi_from_counts(std::span<const std::uint64_t> reference, std::span<const std::uint64_t> current) {
  const double n = double(std::accumulate(reference.begin(), reference.end(), std::uint64_t{0}));
  const double m = double(std::accumulate(current.begin(), current.end(), std::uint64_t{0}));
  double psi = 0.0;
  for (std::size_t i = 0; i < reference.size(); ++i) {
    const double r = std::max(double(reference[i]) / n, kShareFloor);
    const double c = std::max(double(current[i]) / m, kShareFloor);
    psi += (c - r) * std::log(c / r);
  }
  return psi;
}

TestResult PsiDetector::test(const Sample& current) {
  TestResult result{.test = "psi", .kind = TestKind::distance, .threshold = threshold_};
  if (const auto* r = std::get_if<GridSample>(&reference())) {
    const auto* c = std::get_if<GridSample>(&current);
    if (c == nullptr || r->counts.size() != c->counts.size() || r->counts.size() != 2 * r->points.size() + 1) {
      result.error = "psi needs two samples on the same grid";
      return result;
    }
    if (r->size() == 0 || c->size() == 0) {
      result.error = "psi needs at least one value in each sample";
      return result;
    }
    std::span<const std::size_t> ends = r->psi_bin_ends;
    std::vector<std::size_t> found;
    if (r->psi_bins != bins_ || ends.empty()) {
      found = psi_bin_ends(*r, bins_);
      ends = found;
    }
    if (ends.empty() || ends.back() != r->counts.size()) {
      result.error = "psi: the grid lacks the reference's values or its quantile edges";
      return result;
    }
    result.statistic = psi_from_counts(grid_bin_counts(*r, ends), grid_bin_counts(*c, ends));
    return result;
  }
  if (const auto* r = std::get_if<NumericSample>(&reference())) {
    const auto* c = std::get_if<NumericSample>(&current);
    if (c == nullptr || r->sorted.empty() || c->sorted.empty()) {
      result.error = "psi needs at least one value in each sample";
      return result;
    }
    const auto edges = psi_edges(r->sorted, bins_);
    result.statistic = psi_from_counts(psi_bin_counts(r->sorted, edges), psi_bin_counts(c->sorted, edges));
    return result;
  }
  const auto* r = std::get_if<CategoricalSample>(&reference());
  const auto* c = std::get_if<CategoricalSample>(&current);
  if (r == nullptr || c == nullptr || r->counts.size() != c->counts.size()) {
    result.error = "psi needs two numeric or two categorical samples";
    return result;
  }
  if (total(r->counts) == 0 || total(c->counts) == 0) {
    result.error = "psi needs at least one value in each sample";
    return result;
  }
  result.statistic = psi_from_counts(r->counts, c->counts);
  return result;
}

}  // namespace driftd

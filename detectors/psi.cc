#include "psi.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace driftd {
namespace {

constexpr double kShareFloor = 1e-4;

// numpy's linear interpolation (numpy/lib/function_base.py: _lerp), which
// interpolates from the nearer end so that the result stays within [a, b].
double lerp_like_numpy(double a, double b, double t) {
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

}  // namespace

std::vector<double> psi_edges(std::span<const double> sorted, std::size_t bins) {
  std::vector<double> edges;
  if (sorted.empty()) return edges;
  const std::size_t n = sorted.size();
  for (std::size_t k = 1; k < bins; ++k) {
    const double q = double(k) / double(bins);
    const double index = double(n - 1) * q;
    const double below = std::floor(index);
    const auto lo = std::size_t(below);
    const double value = lo + 1 >= n ? sorted[n - 1]
                                     : lerp_like_numpy(sorted[lo], sorted[lo + 1], index - below);
    if (edges.empty() || value != edges.back()) edges.push_back(value);
  }
  return edges;
}

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

TestResult PsiDetector::compare(const Sample& reference, const Sample& current) const {
  TestResult result{.test = "psi", .kind = TestKind::distance, .threshold = threshold_};
  if (const auto* r = std::get_if<NumericSample>(&reference)) {
    const auto* c = std::get_if<NumericSample>(&current);
    if (c == nullptr || r->sorted.empty() || c->sorted.empty()) {
      result.error = "psi needs at least one value in each sample";
      return result;
    }
    const auto edges = psi_edges(r->sorted, bins_);
    result.statistic = psi_from_counts(psi_bin_counts(r->sorted, edges), psi_bin_counts(c->sorted, edges));
    return result;
  }
  const auto* r = std::get_if<CategoricalSample>(&reference);
  const auto* c = std::get_if<CategoricalSample>(&current);
  if (r == nullptr || c == nullptr || r->counts.size() != c->counts.size()) {
    result.error = "psi needs two numeric or two categorical samples";
    return result;
  }
  const auto total = [](std::span<const std::uint64_t> counts) {
    return std::accumulate(counts.begin(), counts.end(), std::uint64_t{0});
  };
  if (total(r->counts) == 0 || total(c->counts) == 0) {
    result.error = "psi needs at least one value in each sample";
    return result;
  }
  result.statistic = psi_from_counts(r->counts, c->counts);
  return result;
}

}  // namespace driftd

#include "score/distributions.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "score/scorer.h"

namespace driftd {
namespace {

constexpr std::size_t kMinBins = 5;
constexpr std::size_t kMaxBins = 40;
// How much wider than the central range the full one may be before the
// tails go into the outer bins: past it, a few outliers would squeeze
// nearly all values into one or two bars.
constexpr double kTailRatio = 4;
constexpr double kTailShare = 0.005;  // cut from each end of each sample

bool all_integers(std::span<const double> values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::floor(v) == v; });
}

double share(std::uint64_t count, std::uint64_t total) {
  return total == 0 ? 0.0 : static_cast<double>(count) / static_cast<double>(total);
}

FeatureDistribution numeric_distribution(TableNumbers& reference, TableNumbers& current, const std::string& name) {
  const NumericValues r = numeric_values(reference, require_column(reference.table(), name));
  const NumericValues c = numeric_values(current, require_column(current.table(), name));
  FeatureDistribution out{.name = name, .categorical = false};
  out.edges = shared_bin_edges(r.sorted, c.sorted);
  for (auto [sample, values] : {std::pair{&out.reference, &r}, std::pair{&out.current, &c}}) {
    const std::span<const double> sorted = values->sorted;
    *sample = {.shares = bin_shares(sorted, out.edges), .values = sorted.size(), .missing = values->missing};
    if (!sorted.empty()) sample->min = sorted.front(), sample->max = sorted.back();
  }
  return out;
}

FeatureDistribution categorical_distribution(const Table& reference, const Table& current, const std::string& name) {
  const Column& r = require_column(reference, name);
  const Column& c = require_column(current, name);
  const CategoryCounts counts = category_counts(r, c);
  FeatureDistribution out{.name = name, .categorical = true};
  out.reference.values = std::accumulate(counts.reference.begin(), counts.reference.end(), std::uint64_t{0});
  out.current.values = std::accumulate(counts.current.begin(), counts.current.end(), std::uint64_t{0});
  // category_counts() counts missing cells of both samples together; each
  // sample's own is what its rows did not count.
  out.reference.missing = r.cells.size() - out.reference.values;
  out.current.missing = c.cells.size() - out.current.values;

  std::vector<std::size_t> order(counts.categories.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return counts.reference[a] + counts.current[a] > counts.reference[b] + counts.current[b];
  });
  const std::size_t shown = std::min(order.size(), kTopCategories);
  std::uint64_t other_reference = 0;
  std::uint64_t other_current = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t i = order[k];
    if (k < shown) {
      out.categories.push_back(counts.categories[i]);
      out.reference.shares.push_back(share(counts.reference[i], out.reference.values));
      out.current.shares.push_back(share(counts.current[i], out.current.values));
    } else {
      other_reference += counts.reference[i];
      other_current += counts.current[i];
    }
  }
  out.other_categories = order.size() - shown;
  if (out.other_categories > 0) {
    out.reference.shares.push_back(share(other_reference, out.reference.values));
    out.current.shares.push_back(share(other_current, out.current.values));
  }
  return out;
}

FeatureDistribution distribution(TableNumbers& reference, TableNumbers& current, const FeatureConfig& feature) {
  if (feature.type == FeatureType::categorical) {
    return categorical_distribution(reference.table(), current.table(), feature.name);
  }
  return numeric_distribution(reference, current, feature.name);
}

}  // namespace

std::vector<double> shared_bin_edges(std::span<const double> reference_sorted,
                                     std::span<const double> current_sorted) {
  if (reference_sorted.empty() && current_sorted.empty()) return {};
  const auto low = [](std::span<const double> v) { return v.empty() ? INFINITY : v.front(); };
  const auto high = [](std::span<const double> v) { return v.empty() ? -INFINITY : v.back(); };
  double lo = std::min(low(reference_sorted), low(current_sorted));
  double hi = std::max(high(reference_sorted), high(current_sorted));
  // Each sample's own central range, so that a sample shifted far from
  // the other keeps its place on the axis. Rounded outwards: a sample of two
  // hundred values or fewer keeps its minimum and maximum.
  const auto central_low = [](std::span<const double> v) {
    return v.empty() ? INFINITY : v[static_cast<std::size_t>(std::floor(kTailShare * double(v.size() - 1)))];
  };
  const auto central_high = [](std::span<const double> v) {
    return v.empty() ? -INFINITY : v[static_cast<std::size_t>(std::ceil((1 - kTailShare) * double(v.size() - 1)))];
  };
  const double central_lo = std::min(central_low(reference_sorted), central_low(current_sorted));
  const double central_hi = std::max(central_high(reference_sorted), central_high(current_sorted));
  if (central_hi > central_lo && !(hi - lo <= kTailRatio * (central_hi - central_lo))) {
    lo = central_lo;  // `!(<=)`: hi - lo may overflow to infinity
    hi = central_hi;
  }
  std::vector<double> edges;
  const double pooled = static_cast<double>(reference_sorted.size() + current_sorted.size());
  const auto bins = std::clamp(static_cast<std::size_t>(std::ceil(2.0 * std::cbrt(pooled))), kMinBins, kMaxBins);
  // Beyond 2^52 doubles are not one apart: no integer bins there.
  const bool small = std::abs(lo) < 0x1p52 && std::abs(hi) < 0x1p52;
  if (small && all_integers(reference_sorted) && all_integers(current_sorted)) {
    // Integer data: bins of a whole number of integers, edges between
    // them, so that no bin holds one more value than its neighbour (a comb
    // of tall and short bars). One bin per integer when at most kMaxBins
    // of them span the range (a constant integer column too).
    const double values = hi - lo + 1;
    const double width = values <= static_cast<double>(kMaxBins) ? 1 : std::ceil(values / static_cast<double>(bins));
    const auto count = static_cast<std::size_t>(std::ceil(values / width));
    for (std::size_t k = 0; k <= count; ++k) edges.push_back(lo - 0.5 + width * static_cast<double>(k));
    return edges;
  }
  if (lo == hi) return {lo - 0.5, lo + 0.5};  // a constant that is not an integer
  // The width as hi/B - lo/B: hi - lo may overflow for values near the
  // ends of the double range.
  const double width = hi / static_cast<double>(bins) - lo / static_cast<double>(bins);
  for (std::size_t k = 0; k < bins; ++k) edges.push_back(lo + width * static_cast<double>(k));
  edges.push_back(hi);  // exactly, so the largest value is inside
  return edges;
}

bool FeatureDistribution::tails() const {
  if (categorical || edges.empty()) return false;
  const auto beyond = [&](const SampleShares& s) {
    return s.values > 0 && (s.min < edges.front() || s.max > edges.back());
  };
  return beyond(reference) || beyond(current);
}

std::vector<double> bin_shares(std::span<const double> sorted, const std::vector<double>& edges) {
  std::vector<double> shares;
  if (edges.size() < 2) return shares;
  // Values below each edge, by binary search: O(bins · log n) on sorted data.
  std::size_t below = 0;
  for (std::size_t k = 1; k < edges.size(); ++k) {
    const bool last = k + 1 == edges.size();
    const auto end = last ? sorted.end() : std::lower_bound(sorted.begin(), sorted.end(), edges[k]);
    const auto upto = static_cast<std::size_t>(end - sorted.begin());
    shares.push_back(share(upto - below, sorted.size()));
    below = upto;
  }
  return shares;
}

std::vector<FeatureDistribution> feature_distributions(TableNumbers& reference, TableNumbers& current,
                                                       const ModelConfig& model) {
  std::vector<FeatureDistribution> out;
  for (const FeatureConfig* feature : tested_features(model)) out.push_back(distribution(reference, current, *feature));
  return out;
}

}  // namespace driftd

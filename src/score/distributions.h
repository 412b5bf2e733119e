// What the HTML report draws for each feature: the reference's and the
// current sample's distributions over shared bins (numeric) or shared
// categories, as shares of each sample's values. Summaries, not points, so a
// report of a million rows is as small as one of a hundred.
#pragma once

#include <cstdint>
#include <string>
#include <span>
#include <vector>

#include "driftd/config.h"
#include "samples/samples.h"

namespace driftd {

struct SampleShares {
  std::vector<double> shares;  // per bar: this sample's values in it / `values`
  std::uint64_t values = 0;    // non-missing values
  std::uint64_t missing = 0;
  double min = 0;              // numeric, with values: the smallest and largest
  double max = 0;
};

struct FeatureDistribution {
  std::string name;
  bool categorical = false;
  // Numeric: the bars' edges, ascending, one more than bars. Bar k holds
  // [edges[k], edges[k+1]), the first also what lies below, the last also
  // its upper edge and what lies above (the tails, when the edges span
  // less than the values: see shared_bin_edges()). Empty when neither
  // sample has a value.
  std::vector<double> edges;
  // Categorical: the most common categories of both samples pooled, most
  // common first (ties: first seen first), one bar each; then, when
  // `other_categories` > 0, one more bar pooling that many others.
  std::vector<std::string> categories;
  std::size_t other_categories = 0;
  SampleShares reference;
  SampleShares current;

  // Numeric: whether the outer bars hold values beyond the edges.
  bool tails() const;

  std::size_t bars() const {
    if (categorical) return categories.size() + (other_categories > 0 ? 1 : 0);
    return edges.empty() ? 0 : edges.size() - 1;
  }
};

// Categories drawn one bar each before the rest are pooled.
inline constexpr std::size_t kTopCategories = 20;

// Equal-width bins over both samples' range (when a few far-out values
// make that range more than 4 times as wide as the union of each sample's
// central 99%, over that instead, the outer bins taking the tails): 2·n^(1/3) of them (Rice's rule
// on the pooled count), from 5 to 40. Integer data gets bins of a whole
// number of integers, edges halfway between two (one per integer when at
// most 40 span the range), so that no bin holds more values than another
// of the same data.
std::vector<double> shared_bin_edges(std::span<const double> reference_sorted,
                                     std::span<const double> current_sorted);

// Shares of sorted `values` in the bins `edges` describes (see
// FeatureDistribution::edges: values below or above them count in the
// outer bins).
std::vector<double> bin_shares(std::span<const double> sorted, const std::vector<double>& edges);

// The distributions of the model's features and then its prediction, in the
// order score_tables() evaluates them, from the samples its tests use.
// Throws InputError as score_tables() does for a column absent from a file.
std::vector<FeatureDistribution> feature_distributions(TableNumbers& reference, TableNumbers& current,
                                                       const ModelConfig& model);

}  // namespace driftd

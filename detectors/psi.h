// Population stability index (detectors/README.md, "psi"): a distance between the binned
// reference and current distributions, compared with a fixed threshold.
#pragma once

#include <vector>

#include "driftd/detector.h"

namespace driftd {

class PsiDetector final : public Detector {
 public:
  PsiDetector(std::size_t bins, double threshold) : bins_(bins), threshold_(threshold) {}
  std::string_view name() const override { return "psi"; }
  TestKind kind() const override { return TestKind::distance; }
  TestResult test(const Sample& current) override;

 private:
  std::size_t bins_;
  double threshold_;
};

// The bin edges of a numeric reference: its quantiles at k/bins for
// k = 1..bins-1, interpolated linearly as numpy.quantile's default does,
// with repeated edges dropped. Value x falls in the first bin whose edge is
// >= x; values above the last edge fall in one more bin.
std::vector<double> psi_edges(std::span<const double> reference_sorted, std::size_t bins);

// The same edges for a reference given as grid counts (GridSample); empty
// when the reference has values between grid points (its order statistics
// are then unknown).
std::vector<double> psi_edges(const GridSample& reference, std::size_t bins);

// Where each bin of those edges ends on the grid (one past its last cell,
// the last bin ending with the grid), for GridSample::psi_bin_ends; empty
// when the edges are unknown or not all grid points.
std::vector<std::size_t> psi_bin_ends(const GridSample& reference, std::size_t bins);

// Counts of an ascending sample in the bins the edges define (edges.size()+1 bins).
std::vector<std::uint64_t> psi_bin_counts(std::span<const double> sorted, std::span<const double> edges);

// PSI of two count vectors over the same bins, shares floored at 1e-4.
// Bins empty in both samples contribute nothing (their floored shares are equal).
double psi_from_counts(std::span<const std::uint64_t> reference, std::span<const std::uint64_t> current);

}  // namespace driftd

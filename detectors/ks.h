// Two-sample, two-sided Kolmogorov–Smirnov test (detectors/README.md, "ks").
#pragma once

#include "driftd/detector.h"

namespace driftd {

class KsDetector final : public Detector {
 public:
  // with_p_value false: the statistic alone, for a threshold on it.
  explicit KsDetector(bool with_p_value = true) : with_p_value_(with_p_value) {}
  std::string_view name() const override { return "ks"; }
  TestKind kind() const override { return TestKind::p_value; }
  TestResult test(const Sample& current) override;

 private:
  bool with_p_value_;
};

// D = sup |F_R(x) - F_C(x)| of two ascending samples, in one merge walk.
// Ties are stepped over as a block, so D is taken between distinct values,
// as for scipy's searchsorted(side='right') formulation.
double ks_statistic(std::span<const double> reference_sorted, std::span<const double> current_sorted);

// The same D from two count vectors over the cells of one grid (GridSample):
// the ECDFs are compared at the end of every cell. n and m are the sums of
// the counts (> 0), which the caller has already taken.
// n * m must be below 2^62.
double ks_statistic(std::span<const GridCount> reference_counts, std::span<const GridCount> current_counts,
                    std::uint64_t n, std::uint64_t m);

}  // namespace driftd

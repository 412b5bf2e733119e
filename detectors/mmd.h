// Maximum mean discrepancy between two multivariate samples (detectors/README.md, "mmd"):
// Gaussian kernel, unbiased MMD², permutation p-value.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "driftd/detector.h"

namespace driftd {

// Takes two PointSample of equal dims, already standardised by the caller.
// The result carries the kernel width used in `sigma`. All randomness (the
// permutations and, for samples over 1,000 points, the points the median
// heuristic looks at) comes from `seed`, so equal inputs give equal results;
// mmd.cc documents the generator so that other implementations can reproduce
// it exactly. test() shares its work among up to hardware_concurrency()
// threads of its own when the samples are large; its results do not depend
// on how many.
class MmdDetector final : public Detector {
 public:
  // sigma unset = median heuristic; seed fixes permutations and subsampling.
  // permutations = 0 computes the statistic alone, without a p-value: what a
  // decision by a calibrated threshold on the statistic needs.
  MmdDetector(std::size_t permutations, std::optional<double> sigma, std::uint64_t seed);

  std::string_view name() const override { return "mmd"; }
  TestKind kind() const override { return TestKind::p_value; }
  TestResult test(const Sample& current) override;

 private:
  std::size_t permutations_;
  std::optional<double> sigma_;
  std::uint64_t seed_;
};

}  // namespace driftd

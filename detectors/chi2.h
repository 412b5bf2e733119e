// Pearson chi-square test of homogeneity on the 2xK table of category counts
// (detectors/README.md, "chi2"), as scipy.stats.chi2_contingency(correction=False).
#pragma once

#include "driftd/detector.h"

namespace driftd {

class Chi2Detector final : public Detector {
 public:
  // with_p_value false: the statistic alone, for a threshold on it.
  explicit Chi2Detector(bool with_p_value = true) : with_p_value_(with_p_value) {}
  std::string_view name() const override { return "chi2"; }
  TestKind kind() const override { return TestKind::p_value; }
  TestResult test(const Sample& current) override;

 private:
  bool with_p_value_;
};

}  // namespace driftd

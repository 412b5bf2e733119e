// HDDM-A, Hoeffding's drift detection method with the A-test (Frías-Blanco,
// del Campo-Ávila, Ramos-Jiménez, Morales-Bueno, Ortiz-Díaz,
// Caballero-Mota, "Online and non-parametric drift detection methods based
// on Hoeffding's bounds", IEEE TKDE 27(3), 2015), one-sided, as Frouros
// implements it with two_sided_test=False (its default).
//
// Watches errors in [0, 1] (0/1 or bounded continuous) through the mean
// of all values since the last drift (z) and the mean up to a cut point
// (x): the cut moves to the present whenever z's Hoeffding upper bound
// drops to x's, so x is the prefix where the model did best. Drift when
// z - x >= sqrt(m / (2 n_x n_z) ln(1 / alpha_d)), m = n_z - n_x, the
// Hoeffding bound for a mean that has risen; warning with alpha_w. It is
// one-sided: a falling error rate is not drift. (Frouros's two-sided test
// fires on stationary streams; driftd does not offer it.) The bounds hold
// for values in [0, 1]; neither Frouros nor driftd checks or clips.
//
// On drift the two means start afresh (the step count does not, as in
// Frouros); reset() starts everything afresh.
//
// statistic(): (z - x) over its drift bound ("mean_increase_over_bound"):
// drift from 1 on; 0 while there is nothing after the cut point.
#pragma once

#include <cstddef>
#include <cstdint>

#include "driftd/error_stream_detector.h"
#include "running_mean.h"

namespace driftd {

struct HddmAParams {
  // Significance of the drift test (also sets the bounds that move the cut point).
  double alpha_d = 0.001;
  // Significance of the warning test (larger than alpha_d).
  double alpha_w = 0.005;
  // Values taken before the detector judges.
  std::size_t min_num_instances = 30;
};

class HddmA final : public ErrorStreamDetector {
 public:
  explicit HddmA(HddmAParams params = {});

  std::string_view name() const override { return "hddm_a"; }
  ErrorStreamStatus update(double error) override;
  void reset() override;
  double statistic() const override;
  std::string_view statistic_name() const override { return "mean_increase_over_bound"; }
  void save(std::vector<double>& state) const override;
  bool load(std::span<const double> state) override;

 private:
  double hoeffding_bound(std::uint64_t count) const;
  double increase_bound(double log_inverse_alpha) const;

  HddmAParams params_;
  double log_inverse_alpha_d_;
  double log_inverse_alpha_w_;
  std::uint64_t num_instances_ = 0;
  RunningMean since_reset_;  // z
  RunningMean up_to_cut_;    // x
};

}  // namespace driftd

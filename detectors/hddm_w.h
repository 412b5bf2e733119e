// HDDM-W, Hoeffding's drift detection method with the W-test (Frías-Blanco
// et al., "Online and non-parametric drift detection methods based on
// Hoeffding's bounds", IEEE TKDE 27(3), 2015), one-sided, as Frouros
// implements it with two_sided_test=False (its default).
//
// Like HDDM-A, but with exponentially weighted means (weight lambda on the
// newest value), so old errors fade and a recent rise weighs more. Each
// weighted mean carries the sum of its squared weights (Frouros's
// "independent bound condition"), which sizes McDiarmid's bound
// sqrt(c ln(1 / alpha) / 2). The cut point moves to the present whenever the
// weighted mean of all values plus its bound falls below its lowest value so
// far; drift when the weighted mean after the cut exceeds the one up to the
// cut by more than the bound of their summed conditions at alpha_d, warning
// at alpha_w. One-sided: a falling error rate is not drift. (Frouros's
// two-sided test fires on stationary streams; driftd does not offer it.)
// Values are assumed in [0, 1]; neither Frouros nor driftd checks.
//
// Frouros moves the cut point with the bound at significance lambda, not
// alpha_d (it passes config.lambda_ as alpha); driftd does the same, so
// that the steps agree.
//
// On drift the weighted means start afresh (the step count does not, as in
// Frouros); reset() starts everything afresh.
//
// statistic(): the weighted increase after the cut over its drift bound
// ("ewma_increase_over_bound"): drift above 1. Right after the cut point
// the part after it is empty (weighted mean 0), so it is then negative.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

#include "driftd/error_stream_detector.h"

namespace driftd {

struct HddmWParams {
  // Significance of the drift test.
  double alpha_d = 0.001;
  // Significance of the warning test (larger than alpha_d).
  double alpha_w = 0.005;
  // Weight of the newest value in the weighted means, in (0, 1].
  double lambda = 0.05;
  // Values taken before the detector judges.
  std::size_t min_num_instances = 30;
};

class HddmW final : public ErrorStreamDetector {
 public:
  explicit HddmW(HddmWParams params = {});

  std::string_view name() const override { return "hddm_w"; }
  ErrorStreamStatus update(double error) override;
  void reset() override;
  double statistic() const override;
  std::string_view statistic_name() const override { return "ewma_increase_over_bound"; }
  void save(std::vector<double>& state) const override;
  bool load(std::span<const double> state) override;

 private:
  // An exponentially weighted mean and the sum of its weights squared
  // (1 when empty, as Frouros's SampleInfo starts).
  struct WeightedMean {
    double mean = 0.0;
    double squared_weights = 1.0;
  };

  static constexpr double kNoCut = std::numeric_limits<double>::infinity();

  void add(WeightedMean& sample, double value) const;
  double increase_bound(double log_inverse_alpha) const;
  void restart_test();

  HddmWParams params_;
  double one_minus_lambda_;
  double lambda_squared_;
  double one_minus_lambda_squared_;
  double log_inverse_alpha_d_;
  double log_inverse_alpha_w_;
  double log_inverse_lambda_;
  std::uint64_t num_instances_ = 0;
  WeightedMean since_reset_;
  WeightedMean up_to_cut_;
  WeightedMean after_cut_;
  double cut_point_ = kNoCut;  // the lowest weighted mean plus its bound so far
};

}  // namespace driftd

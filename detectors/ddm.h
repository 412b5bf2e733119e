// DDM, the drift detection method (Gama, Medas, Castillo, Rodrigues,
// "Learning with drift detection", SBIA 2004), as Frouros implements it.
//
// Watches a classifier's 0/1 errors. While the concept holds, the error rate
// p of all values since the last reset can only settle down, so the lowest
// p + s seen (s = sqrt(p (1 - p) / n), the binomial standard deviation of p)
// marks the best the model has done. The rate rising clearly above that best
// is a concept drift: warning when p + s > p_min + warning_level * s_min,
// drift when p + s > p_min + drift_level * s_min. Nothing is judged, and no
// minimum recorded, before min_num_instances values.
//
// statistic(): p + s ("error_rate_plus_std"), 0 before any value. Meant for
// 0/1 errors; where an error above 1 makes p (1 - p) negative, s counts as 0
// in the statistic (the thresholds then never fire, as in Frouros).
#pragma once

#include <cstddef>
#include <limits>

#include "driftd/error_stream_detector.h"
#include "running_mean.h"

namespace driftd {

struct DdmParams {
  // How many of the best standard deviations above the best error rate make a warning.
  double warning_level = 2.0;
  // How many make a drift (larger than warning_level).
  double drift_level = 3.0;
  // Values taken before the detector judges: p and s of a few values say little.
  std::size_t min_num_instances = 30;
};

class Ddm final : public ErrorStreamDetector {
 public:
  explicit Ddm(DdmParams params = {}) : params_(params) {}

  std::string_view name() const override { return "ddm"; }
  ErrorStreamStatus update(double error) override;
  void reset() override;
  double statistic() const override;
  std::string_view statistic_name() const override { return "error_rate_plus_std"; }
  void save(std::vector<double>& state) const override;
  bool load(std::span<const double> state) override;

 private:
  static constexpr double kNone = std::numeric_limits<double>::infinity();

  DdmParams params_;
  RunningMean error_rate_;  // its count is also the number of values since reset
  double min_error_rate_ = kNone;
  double min_std_ = kNone;
};

}  // namespace driftd

// EDDM, the early drift detection method (Baena-García, del Campo-Ávila,
// Fidalgo, Bifet, Gavaldà, Morales-Bueno, "Early drift detection method",
// 4th Int. Workshop on Knowledge Discovery from Data Streams, 2006), as
// Frouros implements it.
//
// Watches a classifier's 0/1 errors through the distance between
// consecutive errors (steps since the previous error, or since the start for
// the first), which shrinks before the error rate itself has visibly moved
// when a concept changes slowly. With p' and s' the running mean and
// (population) standard deviation of those distances, the largest
// p' + level * s' seen is the best the model has done; the detector warns
// when (p' + level s') / max < alpha and drifts when it is < beta. Only the
// value 1 counts as an error.
//
// Frouros records the maximum once min_num_misclassified_instances values
// (not errors) have been seen, and judges once that many errors have been
// seen; a step without an error is in control.
//
// statistic(): that ratio (p' + level s') / max ("distance_threshold_ratio"),
// 1 until a maximum has been recorded; lower is closer to drift.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

#include "driftd/error_stream_detector.h"

namespace driftd {

struct EddmParams {
  // Warning when the ratio to the best distance threshold falls below this.
  double alpha = 0.95;
  // Drift when it falls below this (below alpha).
  double beta = 0.9;
  // How many standard deviations of the distance make the threshold p' + level * s'.
  double level = 2.0;
  // Errors needed before judging (and values needed before recording the maximum).
  std::size_t min_num_misclassified_instances = 30;
};

class Eddm final : public ErrorStreamDetector {
 public:
  explicit Eddm(EddmParams params = {}) : params_(params) {}

  std::string_view name() const override { return "eddm"; }
  ErrorStreamStatus update(double error) override;
  void reset() override;
  double statistic() const override;
  std::string_view statistic_name() const override { return "distance_threshold_ratio"; }
  void save(std::vector<double>& state) const override;
  bool load(std::span<const double> state) override;

 private:
  static constexpr double kNoMaximum = -std::numeric_limits<double>::infinity();

  double distance_threshold() const;

  EddmParams params_;
  std::uint64_t num_instances_ = 0;
  std::uint64_t num_errors_ = 0;
  double last_error_at_ = 0.0;  // the step (1-based) of the latest error, 0 before any
  double mean_distance_ = 0.0;
  double distance_squares_sum_ = 0.0;  // Welford's running sum of squared deviations
  double max_distance_threshold_ = kNoMaximum;
  // Frouros leaves its flags as they were on an error step that is not judged.
  ErrorStreamStatus status_ = ErrorStreamStatus::in_control;
};

}  // namespace driftd

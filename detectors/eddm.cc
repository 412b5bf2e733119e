#include "eddm.h"

#include <cmath>

#include "saved_state.h"

namespace driftd {

double Eddm::distance_threshold() const {
  const double std = num_errors_ > 0 ? std::sqrt(distance_squares_sum_ / double(num_errors_)) : 0.0;
  return mean_distance_ + params_.level * std;
}

ErrorStreamStatus Eddm::update(double error) {
  ++num_instances_;
  if (error != 1.0) {
    status_ = ErrorStreamStatus::in_control;
    return status_;
  }

  ++num_errors_;
  const double distance = double(num_instances_) - last_error_at_;
  const double old_mean = mean_distance_;
  mean_distance_ += (distance - mean_distance_) / double(num_errors_);
  distance_squares_sum_ += (distance - mean_distance_) * (distance - old_mean);
  last_error_at_ = double(num_instances_);

  if (num_instances_ < params_.min_num_misclassified_instances) return status_;
  const double threshold = distance_threshold();
  if (threshold > max_distance_threshold_) {
    max_distance_threshold_ = threshold;
    status_ = ErrorStreamStatus::in_control;
  } else if (num_errors_ >= params_.min_num_misclassified_instances) {
    const double ratio = threshold / max_distance_threshold_;
    if (ratio < params_.beta) {
      status_ = ErrorStreamStatus::drift;
    } else if (ratio < params_.alpha) {
      status_ = ErrorStreamStatus::warning;
    } else {
      status_ = ErrorStreamStatus::in_control;
    }
  }
  return status_;
}

void Eddm::reset() {
  num_instances_ = 0;
  num_errors_ = 0;
  last_error_at_ = 0.0;
  mean_distance_ = 0.0;
  distance_squares_sum_ = 0.0;
  max_distance_threshold_ = kNoMaximum;
  status_ = ErrorStreamStatus::in_control;
}

double Eddm::statistic() const {
  // A recorded maximum is at least 1 (every distance is), so the ratio is finite.
  if (max_distance_threshold_ == kNoMaximum) return 1.0;
  return distance_threshold() / max_distance_threshold_;
}

void Eddm::save(std::vector<double>& state) const {
  state = {double(num_instances_), double(num_errors_),     last_error_at_, mean_distance_,
           distance_squares_sum_,  max_distance_threshold_, double(status_)};
}

bool Eddm::load(std::span<const double> state) {
  reset();
  if (state.size() != 7) return false;
  const double num_instances = state[0], num_errors = state[1], last_error_at = state[2];
  const double mean_distance = state[3], squares_sum = state[4], max_threshold = state[5];
  const double status = state[6];
  if (!is_saved_count(num_instances) || !is_saved_count(num_errors) || !is_saved_count(last_error_at)) return false;
  // Each error is at its own step, the latest one at last_error_at.
  if (num_errors > last_error_at || last_error_at > num_instances) return false;
  if ((num_errors == 0.0) != (last_error_at == 0.0)) return false;
  if (!is_finite_non_negative(mean_distance) || !is_finite_non_negative(squares_sum)) return false;
  if (num_errors == 0.0 && (mean_distance != 0.0 || squares_sum != 0.0)) return false;
  if (num_errors > 0.0 && mean_distance < 1.0) return false;
  if (max_threshold != kNoMaximum && !(std::isfinite(max_threshold) && max_threshold >= 1.0)) return false;
  if (status != 0.0 && status != 1.0 && status != 2.0) return false;
  num_instances_ = std::uint64_t(num_instances);
  num_errors_ = std::uint64_t(num_errors);
  last_error_at_ = last_error_at;
  mean_distance_ = mean_distance;
  distance_squares_sum_ = squares_sum;
  max_distance_threshold_ = max_threshold;
  status_ = ErrorStreamStatus(std::uint8_t(status));
  return true;
}

}  // namespace driftd

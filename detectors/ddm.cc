#include "ddm.h"

#include <cmath>

#include "saved_state.h"

namespace driftd {

ErrorStreamStatus Ddm::update(double error) {
  error_rate_.add(error);
  if (error_rate_.count < params_.min_num_instances) return ErrorStreamStatus::in_control;

  const double p = error_rate_.mean;
  const double std = std::sqrt(p * (1 - p) / double(error_rate_.count));
  const double p_plus_s = p + std;
  // Strictly lower, as Frouros: a tie keeps the older, longer-based minimum.
  if (p_plus_s < min_error_rate_ + min_std_) {
    min_error_rate_ = p;
    min_std_ = std;
  }
  if (p_plus_s > min_error_rate_ + params_.drift_level * min_std_) return ErrorStreamStatus::drift;
  if (p_plus_s > min_error_rate_ + params_.warning_level * min_std_) return ErrorStreamStatus::warning;
  return ErrorStreamStatus::in_control;
}

void Ddm::reset() {
  error_rate_ = {};
  min_error_rate_ = kNone;
  min_std_ = kNone;
}

double Ddm::statistic() const {
  if (error_rate_.count == 0) return 0.0;
  const double p = error_rate_.mean;
  const double variance = p * (1 - p) / double(error_rate_.count);
  return p + (variance > 0.0 ? std::sqrt(variance) : 0.0);
}

void Ddm::save(std::vector<double>& state) const {
  state = {double(error_rate_.count), error_rate_.mean, min_error_rate_, min_std_};
}

bool Ddm::load(std::span<const double> state) {
  reset();
  if (state.size() != 4) return false;
  const double count = state[0], mean = state[1], min_error_rate = state[2], min_std = state[3];
  if (!is_saved_count(count) || !is_finite_non_negative(mean)) return false;
  if (count == 0.0 && mean != 0.0) return false;
  // The minimum is recorded from the min_num_instances-th value on, both parts at once.
  const bool has_minimum = min_error_rate != kNone;
  if (has_minimum != (min_std != kNone)) return false;
  if (has_minimum) {
    if (!is_finite_non_negative(min_error_rate) || !is_finite_non_negative(min_std)) return false;
    if (count < double(params_.min_num_instances)) return false;
  }
  error_rate_.count = std::uint64_t(count);
  error_rate_.mean = mean;
  min_error_rate_ = min_error_rate;
  min_std_ = min_std;
  return true;
}

}  // namespace driftd

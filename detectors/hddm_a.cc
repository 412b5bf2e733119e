#include "hddm_a.h"

#include <cmath>

#include "saved_state.h"

namespace driftd {

// Frouros computes np.log(1 / alpha), in that order.
HddmA::HddmA(HddmAParams params)
    : params_(params),
      log_inverse_alpha_d_(std::log(1.0 / params.alpha_d)),
      log_inverse_alpha_w_(std::log(1.0 / params.alpha_w)) {}

double HddmA::hoeffding_bound(std::uint64_t count) const {
  return std::sqrt(log_inverse_alpha_d_ / (2.0 * double(count)));
}

// Only called with values after the cut point (n_z > n_x > 0).
double HddmA::increase_bound(double log_inverse_alpha) const {
  const double after_cut = double(since_reset_.count - up_to_cut_.count);
  return std::sqrt(after_cut / (2.0 * double(up_to_cut_.count) * double(since_reset_.count)) * log_inverse_alpha);
}

ErrorStreamStatus HddmA::update(double error) {
  ++num_instances_;
  since_reset_.add(error);
  if (up_to_cut_.count == 0) up_to_cut_ = since_reset_;
  const double bound_since_reset = hoeffding_bound(since_reset_.count);
  if (since_reset_.mean + bound_since_reset <= up_to_cut_.mean + hoeffding_bound(up_to_cut_.count)) {
    up_to_cut_ = since_reset_;
  }

  if (num_instances_ < params_.min_num_instances) return ErrorStreamStatus::in_control;
  // Without values after the cut there is no increase to test (its bound would be 0).
  if (since_reset_.count == up_to_cut_.count) return ErrorStreamStatus::in_control;
  const double increase = since_reset_.mean - up_to_cut_.mean;
  if (increase >= increase_bound(log_inverse_alpha_d_)) {
    since_reset_ = {};
    up_to_cut_ = {};
    return ErrorStreamStatus::drift;
  }
  if (increase >= increase_bound(log_inverse_alpha_w_)) return ErrorStreamStatus::warning;
  return ErrorStreamStatus::in_control;
}

void HddmA::reset() {
  num_instances_ = 0;
  since_reset_ = {};
  up_to_cut_ = {};
}

double HddmA::statistic() const {
  if (since_reset_.count == up_to_cut_.count) return 0.0;
  const double bound = increase_bound(log_inverse_alpha_d_);
  if (!(bound > 0.0)) return 0.0;
  return (since_reset_.mean - up_to_cut_.mean) / bound;
}

void HddmA::save(std::vector<double>& state) const {
  state = {double(num_instances_), double(since_reset_.count), since_reset_.mean, double(up_to_cut_.count),
           up_to_cut_.mean};
}

bool HddmA::load(std::span<const double> state) {
  reset();
  if (state.size() != 5) return false;
  const double num_instances = state[0], count_z = state[1], mean_z = state[2], count_x = state[3], mean_x = state[4];
  if (!is_saved_count(num_instances) || !is_saved_count(count_z) || !is_saved_count(count_x)) return false;
  if (count_x > count_z || count_z > num_instances) return false;
  // The cut point is set by the first value after a drift or reset.
  if ((count_x == 0.0) != (count_z == 0.0)) return false;
  if (!is_finite_non_negative(mean_z) || !is_finite_non_negative(mean_x)) return false;
  if ((count_z == 0.0 && mean_z != 0.0) || (count_x == 0.0 && mean_x != 0.0)) return false;
  num_instances_ = std::uint64_t(num_instances);
  since_reset_ = {mean_z, std::uint64_t(count_z)};
  up_to_cut_ = {mean_x, std::uint64_t(count_x)};
  return true;
}

}  // namespace driftd

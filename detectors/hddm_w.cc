#include "hddm_w.h"

#include <cmath>

#include "saved_state.h"

namespace driftd {

namespace {

// Frouros: np.sqrt(condition * np.log(1 / alpha) / 2), in that order.
double mcdiarmid_bound(double squared_weights, double log_inverse_alpha) {
  return std::sqrt(squared_weights * log_inverse_alpha / 2);
}

}  // namespace

HddmW::HddmW(HddmWParams params)
    : params_(params),
      one_minus_lambda_(1.0 - params.lambda),
      lambda_squared_(params.lambda * params.lambda),
      one_minus_lambda_squared_(one_minus_lambda_ * one_minus_lambda_),
      log_inverse_alpha_d_(std::log(1.0 / params.alpha_d)),
      log_inverse_alpha_w_(std::log(1.0 / params.alpha_w)),
      log_inverse_lambda_(std::log(1.0 / params.lambda)) {}

void HddmW::add(WeightedMean& sample, double value) const {
  sample.mean = params_.lambda * value + one_minus_lambda_ * sample.mean;
  sample.squared_weights = lambda_squared_ + one_minus_lambda_squared_ * sample.squared_weights;
}

double HddmW::increase_bound(double log_inverse_alpha) const {
  return mcdiarmid_bound(up_to_cut_.squared_weights + after_cut_.squared_weights, log_inverse_alpha);
}

void HddmW::restart_test() {
  since_reset_ = {};
  up_to_cut_ = {};
  after_cut_ = {};
  cut_point_ = kNoCut;
}

ErrorStreamStatus HddmW::update(double error) {
  ++num_instances_;
  add(since_reset_, error);
  const double mean_plus_bound = since_reset_.mean + mcdiarmid_bound(since_reset_.squared_weights, log_inverse_lambda_);
  if (mean_plus_bound < cut_point_) {
    cut_point_ = mean_plus_bound;
    up_to_cut_ = since_reset_;
    after_cut_ = {};
  } else {
    add(after_cut_, error);
  }

  if (num_instances_ < params_.min_num_instances) return ErrorStreamStatus::in_control;
  const double increase = after_cut_.mean - up_to_cut_.mean;
  if (increase > increase_bound(log_inverse_alpha_d_)) {
    restart_test();
    return ErrorStreamStatus::drift;
  }
  if (increase > increase_bound(log_inverse_alpha_w_)) return ErrorStreamStatus::warning;
  return ErrorStreamStatus::in_control;
}

void HddmW::reset() {
  num_instances_ = 0;
  restart_test();
}

double HddmW::statistic() const {
  const double bound = increase_bound(log_inverse_alpha_d_);
  if (!(bound > 0.0)) return 0.0;
  return (after_cut_.mean - up_to_cut_.mean) / bound;
}

void HddmW::save(std::vector<double>& state) const {
  state = {double(num_instances_),     since_reset_.mean, since_reset_.squared_weights, up_to_cut_.mean,
           up_to_cut_.squared_weights, after_cut_.mean,   after_cut_.squared_weights,   cut_point_};
}

bool HddmW::load(std::span<const double> state) {
  reset();
  if (state.size() != 8) return false;
  if (!is_saved_count(state[0])) return false;
  // Each weighted mean of non-negative errors is non-negative; its sum of
  // squared weights starts at 1 and moves towards lambda^2, so it stays in (0, 1].
  for (std::size_t i = 1; i < 7; i += 2) {
    if (!is_finite_non_negative(state[i])) return false;
    if (!(state[i + 1] > 0.0 && state[i + 1] <= 1.0)) return false;
  }
  const double cut_point = state[7];
  if (cut_point != kNoCut && !is_finite_non_negative(cut_point)) return false;
  num_instances_ = std::uint64_t(state[0]);
  since_reset_ = {state[1], state[2]};
  up_to_cut_ = {state[3], state[4]};
  after_cut_ = {state[5], state[6]};
  cut_point_ = cut_point;
  return true;
}

}  // namespace driftd

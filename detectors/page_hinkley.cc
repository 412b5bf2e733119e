#include "page_hinkley.h"

#include <cmath>
#include <stdexcept>

namespace driftd {
namespace {

// Layout of save(): the parameters (so a state only loads into a detector
// configured alike), then num_instances, mean, sum. The status is not
// stored: Frouros recomputes it from these at every value.
constexpr std::size_t kStateSize = 7;
constexpr double kMaxExactInteger = 9007199254740992.0;

}  // namespace

PageHinkley::PageHinkley(const PageHinkleyParams& params) : params_(params) {
  // Negated comparisons so that NaN is rejected too.
  if (!(params_.delta >= 0.0 && params_.delta <= 1.0))
    throw std::invalid_argument("page_hinkley: delta must be in [0, 1]");
  if (!(params_.lambda >= 0.0) || std::isinf(params_.lambda)) {
    throw std::invalid_argument("page_hinkley: lambda must be finite and >= 0");
  }
  if (!(params_.alpha >= 0.0 && params_.alpha <= 1.0))
    throw std::invalid_argument("page_hinkley: alpha must be in [0, 1]");
  if (params_.min_num_instances < 1) throw std::invalid_argument("page_hinkley: min_num_instances must be at least 1");
}

bool PageHinkley::drifted() const { return num_instances_ >= params_.min_num_instances && sum_ > params_.lambda; }

ErrorStreamStatus PageHinkley::update(double error) {
  ++num_instances_;
  // Frouros's incremental mean and faded sum, in its order of operations.
  mean_ += (error - mean_) / double(num_instances_);
  sum_ = params_.alpha * sum_ + (error - mean_ - params_.delta);
  return drifted() ? ErrorStreamStatus::drift : ErrorStreamStatus::in_control;
}

void PageHinkley::reset() {
  num_instances_ = 0;
  mean_ = 0.0;
  sum_ = 0.0;
}

void PageHinkley::save(std::vector<double>& state) const {
  state.assign({params_.delta, params_.lambda, params_.alpha, double(params_.min_num_instances), double(num_instances_),
                mean_, sum_});
}

bool PageHinkley::load(std::span<const double> state) {
  reset();
  if (state.size() != kStateSize) return false;
  if (state[0] != params_.delta || state[1] != params_.lambda || state[2] != params_.alpha ||
      state[3] != double(params_.min_num_instances)) {
    return false;
  }
  const double num_instances = state[4];
  const double mean = state[5];
  const double sum = state[6];
  if (!(num_instances >= 0.0 && num_instances < kMaxExactInteger) || num_instances != std::floor(num_instances)) {
    return false;
  }
  // Errors are >= 0, so is their mean; a new detector's mean and sum are 0.
  if (!std::isfinite(mean) || mean < 0.0 || !std::isfinite(sum)) return false;
  if (num_instances == 0.0 && (mean != 0.0 || sum != 0.0)) return false;
  num_instances_ = std::uint64_t(num_instances);
  mean_ = mean;
  sum_ = sum;
  return true;
}

}  // namespace driftd

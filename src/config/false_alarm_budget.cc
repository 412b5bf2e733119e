#include <algorithm>

#include "driftd/config.h"

namespace driftd {

std::uint64_t false_alarm_every(const ModelConfig& model) {
  if (model.alerting.false_alarm_every > 0) return model.alerting.false_alarm_every;
  const std::uint64_t step = model.window.by_time() ? std::uint64_t(model.window.step_duration.count()) : model.window.step;
  return kDefaultFalseAlarmSteps * step;
}

double evaluations_per_false_alarm(const ModelConfig& model) {
  const double step = model.window.by_time() ? double(model.window.step_duration.count()) : double(model.window.step);
  return double(false_alarm_every(model)) / std::max(step, 1.0);
}

}  // namespace driftd

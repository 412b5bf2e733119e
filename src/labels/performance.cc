#include "labels/performance.h"

#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace driftd {
namespace {

double ratio_or_zero(double numerator, double denominator) { return denominator > 0 ? numerator / denominator : 0.0; }

}  // namespace

std::vector<PerformanceMetric> performance_metrics(const LabelsConfig& labels,
                                                   std::span<const LabelledOutcome> outcomes) {
  if (outcomes.empty()) throw std::invalid_argument("performance_metrics: no outcomes");
  const double n = double(outcomes.size());
  if (labels.task == LabelTask::regression) {
    double absolute = 0.0, squared = 0.0;
    for (const LabelledOutcome& o : outcomes) {
      absolute += o.error;
      squared += o.error * o.error;
    }
    return {{"mae", absolute / n}, {"rmse", std::sqrt(squared / n)}};
  }
  std::uint64_t wrong = 0, true_positive = 0, false_positive = 0, false_negative = 0;
  for (const LabelledOutcome& o : outcomes) {
    wrong += o.error != 0.0;
    true_positive += o.predicted_positive && o.actual_positive;
    false_positive += o.predicted_positive && !o.actual_positive;
    false_negative += !o.predicted_positive && o.actual_positive;
  }
  std::vector<PerformanceMetric> metrics{{"accuracy", double(outcomes.size() - wrong) / n},
                                         {"error_rate", double(wrong) / n}};
  if (!labels.positive_class.empty()) {
    const double precision = ratio_or_zero(double(true_positive), double(true_positive + false_positive));
    const double recall = ratio_or_zero(double(true_positive), double(true_positive + false_negative));
    metrics.push_back({"precision", precision});
    metrics.push_back({"recall", recall});
    metrics.push_back({"f1", ratio_or_zero(2.0 * precision * recall, precision + recall)});
  }
  return metrics;
}

std::string_view headline_metric(LabelTask task) { return task == LabelTask::regression ? "mae" : "accuracy"; }

double performance_drop(LabelTask task, double reference, double current) {
  return task == LabelTask::regression ? current - reference : reference - current;
}

double headline_value(LabelTask task, const std::vector<PerformanceMetric>& metrics) {
  for (const PerformanceMetric& m : metrics) {
    if (m.name == headline_metric(task)) return m.value;
  }
  throw std::logic_error("headline_value: the metrics lack the headline metric");
}

}  // namespace driftd

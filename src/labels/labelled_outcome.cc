#include "labels/labelled_outcome.h"

#include <cmath>

#include "labels/class_text.h"

namespace driftd {
namespace {

std::string class_of(const LabelValue& value) {
  return value.kind == LabelValue::Kind::number ? class_text_of_number(value.number) : std::string(value.text);
}

}  // namespace

std::optional<LabelledOutcome> labelled_outcome(const LabelsConfig& labels, const LabelValue& prediction,
                                                const LabelValue& label, OutcomeProblem& problem) {
  problem = OutcomeProblem::none;
  if (prediction.kind == LabelValue::Kind::none) {
    problem = OutcomeProblem::no_prediction;
    return std::nullopt;
  }
  LabelledOutcome outcome;
  if (labels.task == LabelTask::regression) {
    if (prediction.kind != LabelValue::Kind::number || label.kind != LabelValue::Kind::number) {
      problem = OutcomeProblem::wrong_type;
      return std::nullopt;
    }
    outcome.error = std::fabs(prediction.number - label.number);
    return outcome;
  }
  const std::string actual = class_of(label);
  outcome.actual_positive = actual == labels.positive_class;
  if (labels.threshold) {
    if (prediction.kind != LabelValue::Kind::number) {
      problem = OutcomeProblem::wrong_type;
      return std::nullopt;
    }
    outcome.predicted_positive = prediction.number >= *labels.threshold;
    outcome.error = outcome.predicted_positive == outcome.actual_positive ? 0.0 : 1.0;
    return outcome;
  }
  const std::string predicted = class_of(prediction);
  outcome.predicted_positive = predicted == labels.positive_class;
  outcome.error = predicted == actual ? 0.0 : 1.0;
  return outcome;
}

}  // namespace driftd

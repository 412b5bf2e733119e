// One labelled prediction, reduced to what the performance windows and the
// concept-drift detectors need: how wrong the model was.
#pragma once

#include <optional>
#include <string>

#include "driftd/config.h"
#include "driftd/event.h"

namespace driftd {

struct LabelledOutcome {
  double error = 0.0;               // classification: 0 right, 1 wrong; regression: |prediction - label|
  bool predicted_positive = false;  // classification: the prediction is labels.positive_class
  bool actual_positive = false;     // classification: the label is labels.positive_class
};

// Why a label and its prediction give no outcome; counted by the caller.
enum class OutcomeProblem {
  none,
  no_prediction,  // the event has no prediction to compare with
  wrong_type,     // regression: a label or prediction that is not a number; a threshold: a prediction that is not
};

// A prediction kept while its label is awaited: LabelValue with its text owned.
struct HeldValue {
  LabelValue::Kind kind = LabelValue::Kind::none;
  double number = 0.0;
  std::string text;

  static HeldValue of(const LabelValue& value) { return {value.kind, value.number, std::string(value.text)}; }
  LabelValue view() const { return {kind, number, text}; }
};

// The outcome of `prediction` against `label` under the model's labels
// configuration, or nullopt with the problem.
std::optional<LabelledOutcome> labelled_outcome(const LabelsConfig& labels, const LabelValue& prediction,
                                                const LabelValue& label, OutcomeProblem& problem);

}  // namespace driftd

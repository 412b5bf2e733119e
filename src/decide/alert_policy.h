// The alert lifecycle and the retrain policy of one model (include/driftd/README.md, "When alerts and triggers are sent"; issue
// "streaming engine"): from each evaluation's decision to the alerts and
// retrain triggers to publish. Time is the evaluation's event time (the
// window's end_ts), never the wall clock, so replay is deterministic.
//
// Lifecycle of each (feature, test) — a multivariate test's feature is its
// features joined by '+':
//  - fires after `min_consecutive` drifted evaluations in a row, unless it
//    fired less than `cooldown` ago (then it fires at the first drifted
//    evaluation after the cooldown has passed);
//  - resolves after `min_consecutive` clean evaluations in a row;
//  - a test that could not run (error) leaves its state unchanged.
// Severity: "critical" when the model drifted in that evaluation, else "warning".
// Retrain: when the share of features with a firing alert >=
// retrain.drifted_share, or a multivariate test's alert is firing, at most
// once per retrain.cooldown. Following the alerts (not the raw decision)
// gives retraining the same min_consecutive debounce, and every trigger
// names the alerts that caused it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "driftd/alert.h"
#include "driftd/calibration.h"
#include "driftd/config.h"
#include "driftd/decision.h"
#include "state/partition_snapshot.h"

namespace driftd {

class AlertPolicy {
 public:
  AlertPolicy(std::string model_id, AlertingConfig alerting, RetrainConfig retrain, std::uint64_t reference_rows);

  AlertOutput on_evaluation(const Evaluation& evaluation, const Decision& decision, const WindowInfo& window);
  // An evaluation of the model's labelled window (labels/label_monitor.h):
  // the same lifecycle and retrain policy, ids of their own (its windows
  // are counted in labelled events, not the model's events), and no
  // calibration named, since its tests are not calibrated.
  AlertOutput on_label_evaluation(const Evaluation& evaluation, const Decision& decision, const WindowInfo& window);

  // The reference size reported in alerts; set once a from_stream reference is complete.
  void set_reference_rows(std::uint64_t rows) { reference_rows_ = rows; }
  // Alerts from here on name the calibration that decided them.
  void set_calibration(const Calibration& calibration) {
    calibration_ = AlertCalibration{calibration.false_alarm_every, calibration.by_time};
  }

  // Per (feature, test) state, for checkpoints and tests.
  struct TestState {
    bool firing = false;
    std::uint32_t drifted_in_a_row = 0;
    std::uint32_t clean_in_a_row = 0;
    std::optional<std::int64_t> last_fired_at;
    std::string firing_alert_id;   // the alert that is firing, for resolve and retrain messages
  };
  // The state of a (feature, test), or nullptr before the test first ran.
  const TestState* state(const std::string& feature, const std::string& test) const;
  std::optional<std::int64_t> last_retrain_at() const { return last_retrain_at_; }

  // The lifecycle of every test, and where a restart picks it up again.
  std::vector<AlertStateSnapshot> snapshot() const;
  void restore(const std::vector<AlertStateSnapshot>& states, std::optional<std::int64_t> last_retrain_at);

 private:
  // What one evaluation's tests share, and what they add up to.
  struct Step {
    const WindowInfo& window;
    std::string scope;  // "" for the feature windows, "labels" for the labelled window: part of every id
    std::string severity;
    AlertOutput output;
    std::vector<std::string> firing_ids;  // after this evaluation's transitions, in evaluation order
  };
  // Applies one test's result and decision to its state, adding the alert
  // of a transition to step.output; returns whether its alert is firing after.
  bool apply(const std::string& feature, const TestResult& result, const TestDecision& decision, Step& step);
  AlertOutput evaluate(const Evaluation& evaluation, const Decision& decision, Step step);
  // An id of the given parts and the step's scope.
  static std::string scoped_id(const Step& step, std::vector<std::string> parts);

  struct TestKey {
    std::string feature;  // a multivariate test's features joined by '+'
    std::string test;
    auto operator<=>(const TestKey&) const = default;
  };

  std::string model_id_;
  AlertingConfig alerting_;
  RetrainConfig retrain_;
  std::uint64_t reference_rows_;
  std::optional<AlertCalibration> calibration_;
  std::map<TestKey, TestState> states_;
  std::optional<std::int64_t> last_retrain_at_;
};

// A deterministic id (RFC 4122 version 5 UUID text) of the given parts.
std::string deterministic_id(const std::vector<std::string>& parts);

}  // namespace driftd

// What driftd publishes (include/driftd/README.md, "Outputs"): drift alerts and retraining triggers, with
// ids that are a deterministic function of what caused them, so that a
// consumer (and driftd itself after a crash) can drop duplicates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "driftd/window_info.h"

namespace driftd {

// The calibration an alert was decided by (calibrated mode only).
struct AlertCalibration {
  std::uint64_t false_alarm_every = 0;  // events, or event-time ms when by_time
  bool by_time = false;
  double alpha = 0.0;                   // the threshold's per-evaluation false alarm probability
};

struct Alert {
  std::string alert_id;      // deterministic: f(model, feature, test, window end)
  std::string model_id;
  std::string state;         // "firing" or "resolved"
  std::string severity;      // "warning" (a feature drifted) or "critical" (the model drifted)
  std::string feature;       // a multivariate test names its features joined by '+'
  std::string test;
  double statistic = 0.0;
  std::optional<double> p_value;
  double threshold = 0.0;           // calibrated: the statistic's; per window: as decided (p-value level or PSI)
  WindowInfo window;
  std::uint64_t reference_rows = 0;
  std::int64_t evaluated_at = 0;  // event time of the evaluation, epoch ms
  std::optional<AlertCalibration> calibration;
};

struct RetrainTrigger {
  std::string trigger_id;    // deterministic: f(model, window end)
  std::string model_id;
  std::vector<std::string> drifted_features;
  std::vector<std::string> alert_ids;  // the firing alerts that caused it
  double drifted_share = 0.0;
  WindowInfo window;
  std::int64_t evaluated_at = 0;
};

// What one evaluation changed: the alert transitions, in evaluation order
// (features, then multivariate), and a retrain trigger when one is due.
struct AlertOutput {
  std::vector<Alert> alerts;
  std::optional<RetrainTrigger> retrain;
};

// One line of JSON each (no trailing newline), exactly as include/driftd/README.md ("Outputs") shows.
std::string alert_json(const Alert& alert);
std::string retrain_json(const RetrainTrigger& trigger);

}  // namespace driftd

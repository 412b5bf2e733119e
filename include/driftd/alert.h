// What driftd publishes (SPEC §5): drift alerts and retraining triggers, with
// ids that are a deterministic function of what caused them, so that a
// consumer (and driftd itself after a crash) can drop duplicates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace driftd {

// The current window an evaluation looked at.
struct WindowInfo {
  std::uint64_t count = 0;       // events in the window
  std::int64_t start_ts = 0;     // event time of the oldest, epoch ms
  std::int64_t end_ts = 0;       // event time of the newest, epoch ms
  std::uint64_t end_sequence = 0;  // the model's event count at the window's end: identifies the window
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
  double threshold = 0.0;
  WindowInfo window;
  std::uint64_t reference_rows = 0;
  std::int64_t evaluated_at = 0;  // event time of the evaluation, epoch ms
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

// One line of JSON each (no trailing newline), exactly as SPEC §5 shows.
std::string alert_json(const Alert& alert);
std::string retrain_json(const RetrainTrigger& trigger);

}  // namespace driftd

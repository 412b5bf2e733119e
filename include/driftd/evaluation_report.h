// What the streaming engine reports for each evaluation of a model: read by
// the output sinks, the metrics and the status report.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "driftd/alert.h"
#include "driftd/decision.h"
#include "driftd/event.h"
#include "driftd/window_info.h"

namespace driftd {

// How long one detector took in one evaluation (driftd_evaluation_seconds).
struct TestTiming {
  std::string_view test;  // the detector's name; lives as long as the monitor
  double seconds = 0.0;
};

// A model's performance over a window of labelled events.
struct PerformanceMetric {
  std::string_view name;  // "accuracy", "error_rate", "precision", "recall", "f1", "mae", "rmse"
  double value = 0.0;
};

// What an evaluation produced, for publishing and metrics.
struct EvaluationReport {
  std::size_t model = 0;                  // the model's index in the configuration
  const ModelSchema* schema = nullptr;    // that model's schema
  WindowInfo window;
  Evaluation evaluation;
  Decision decision;
  AlertOutput output;
  std::vector<TestTiming> timings;  // one per test run, in evaluation order
  // An evaluation of the model's window of labelled events: its one
  // feature is "label", its tests `performance` and the concept-drift
  // detectors, its window counted in labelled events.
  bool labelled_window = false;
  std::vector<PerformanceMetric> performance;  // labelled windows only
};

}  // namespace driftd

// Everything one model does with ground truth: labels joined to their
// predictions, the per-event errors in a window of labelled events, the
// model's performance over that window against the reference's, and the
// concept-drift detectors on the error stream. Each evaluation of the
// labelled window is an Evaluation of one pseudo-feature, "label", whose
// tests are `performance` and the detectors, so that it goes through the
// model's alert lifecycle and retrain policy like any other.
//
// Windows of labelled events are separate from the feature windows:
// labels arrive hours or days after their predictions, at their own pace.
//
// Not thread-safe: one thread feeds one model.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "driftd/config.h"
#include "driftd/decision.h"
#include "driftd/error_stream_detector.h"
#include "driftd/event.h"
#include "driftd/table.h"
#include "driftd/window_info.h"
#include "labels/label_join.h"
#include "labels/labelled_outcome.h"
#include "labels/performance.h"

namespace driftd {

// What a model's labels came to so far, for metrics and the status.
struct LabelCounts {
  std::uint64_t in_event = 0;       // labels that came with their prediction, each an outcome
  std::uint64_t no_prediction = 0;  // labels in events without a prediction to compare with (no outcome)
  std::uint64_t outcomes = 0;       // labelled predictions so far
  LabelJoinCounts join;  // filled in by LabelMonitor::counts()
};

struct LabelEvaluation {
  Evaluation evaluation;  // one feature, "label"
  Decision decision;
  WindowInfo window;
  std::vector<PerformanceMetric> metrics;
};

class LabelMonitor {
 public:
  // `reference_performance`: the headline metric (performance.h) of the
  // reference's own labels; needed when labels.max_drop is set.
  LabelMonitor(const LabelsConfig& labels, std::optional<double> reference_performance);
  ~LabelMonitor();

  // One event of the model: a prediction (its inline label, if any, gives
  // an outcome now; with an event_id and no label it waits) or a feedback
  // event. `sequence` is the model's event count after this event (names
  // the window). Returns the labelled window's evaluation when one is due.
  std::optional<LabelEvaluation> on_event(const DecodedEvent& event);

  LabelCounts counts() const {
    LabelCounts counts = counts_;
    counts.join = join_.counts();
    return counts;
  }
  std::size_t pending() const { return join_.pending(); }
  std::optional<std::int64_t> last_lag_ms() const { return join_.last_lag_ms(); }
  std::optional<double> reference_performance() const { return reference_performance_; }
  LabelTask task() const { return labels_.task; }
  // Restarts (state/partition_snapshot.h): the whole ground-truth state,
  // and putting it back into a monitor of the same configuration; false
  // (and the monitor as new) for a snapshot that does not fit it.
  LabelSnapshot snapshot() const;
  bool restore(const LabelSnapshot& snapshot);

  // The metrics of the last evaluation (empty before the first).
  const std::vector<PerformanceMetric>& last_metrics() const { return last_metrics_; }

 private:
  struct Watch {
    std::unique_ptr<ErrorStreamDetector> detector;
    bool drifted = false;             // since the last evaluation
    double statistic_at_drift = 0.0;  // its statistic when it drifted
  };

  struct Labelled {
    LabelledOutcome outcome;
    std::int64_t ts_ms = 0;  // event time of the label (the feedback event's, or the event's own)
  };

  std::optional<LabelEvaluation> add_outcome(const LabelledOutcome& outcome, std::int64_t ts_ms);
  // A time window's evaluation of the labels in [end - duration, end), if any.
  std::optional<LabelEvaluation> evaluate_until(std::int64_t end);
  // Evaluates ordered_, the window's outcomes oldest first, from start_ts to end_ts.
  LabelEvaluation evaluate(std::int64_t start_ts, std::int64_t end_ts);
  void forget();

  const LabelsConfig& labels_;
  std::optional<double> reference_performance_;
  LabelJoin join_;
  std::vector<Watch> watches_;
  // The window of labelled events in the order they came: a count window's
  // last `size`; a time window's recent ones (at most max_events), with the
  // end of the step being filled.
  std::deque<Labelled> window_;
  std::optional<std::int64_t> window_end_;
  LabelCounts counts_;
  std::vector<PerformanceMetric> last_metrics_;
  std::vector<LabelledOutcome> ordered_;  // what an evaluation looks at, oldest first
};

// One line on what a model's labels came to: "labels: 1200 labelled (200
// in events, 1000 joined), 3 unmatched, ...; accuracy 0.93 (reference 0.95)".
std::string describe_labels(const LabelMonitor& labels);

// The headline performance of a reference file's `label` and `prediction`
// columns under `labels`. Throws InputError naming the file (and line) when
// either column is missing or no row has both.
double reference_performance(const Table& table, const LabelsConfig& labels);

}  // namespace driftd

// What one input partition's models need after a restart that the log
// cannot give back cheaply (include/driftd/README.md, "State snapshots"):
// each model's decision state, and where the partition must be re-read from
// so that the windows fill again. Written to the state topic at each
// checkpoint, read back when the partition is assigned.
//
// The windows' contents are not in it: they come back from the log, from
// `replay_from` on. So a snapshot's size is bounded by the decision state,
// the category dictionaries and a from_stream reference, never by a window.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "driftd/calibration.h"
#include "window/reference_profile.h"

namespace driftd {

// A window's bookkeeping; its events are re-read from the log.
struct WindowSnapshot {
  std::uint64_t since_evaluation = 0;           // count windows: events since the last evaluation
  bool evaluated_once = false;
  std::optional<std::int64_t> window_end;       // time windows: the boundary being filled
  std::uint64_t last_sequence = 0;              // of the last event added
  std::uint64_t overflowed = 0;                 // time windows: events let go at max_events
  // The window's event with the smallest offset, and its sequence: the
  // model's events from that offset on, numbered from that sequence, refill
  // the window. -1: the window is empty.
  std::int64_t refill_offset = -1;
  std::uint64_t refill_sequence = 0;
};

// One (feature, test)'s alert lifecycle (decide/alert_policy.h).
struct AlertStateSnapshot {
  std::string feature;
  std::string test;
  bool firing = false;
  std::uint32_t drifted_in_a_row = 0;
  std::uint32_t clean_in_a_row = 0;
  std::optional<std::int64_t> last_fired_at;
  std::string firing_alert_id;
};

// A model's ground truth (labels/label_monitor.h), whole: a labelled
// window's outcomes and the predictions still waiting for their labels
// come from events far apart in the log, so they are kept here rather
// than re-read. A model whose predictions wait long at a high rate makes
// a large snapshot (a restart then reads more of the log instead, exactly).
struct WaitingPrediction {
  std::string event_id;
  std::int64_t ts_ms = 0;
  std::uint8_t kind = 0;  // LabelValue::Kind
  double number = 0.0;
  std::string text;
  bool labelled = false;
};

struct ErrorDetectorSnapshot {
  std::vector<double> state;  // ErrorStreamDetector::save()
  bool drifted = false;       // since the last evaluation
  double statistic_at_drift = 0.0;
};

struct LabelSnapshot {
  // in_event, no_prediction, outcomes, joined, unmatched, late, duplicate, expired, dropped.
  std::vector<std::uint64_t> counts;
  // The labelled window, in the order it came: each outcome's error, its flags
  // (1: predicted positive, 2: actually positive) and event time.
  std::vector<double> window_errors;
  std::vector<std::uint8_t> window_flags;
  std::vector<std::int64_t> window_ts;
  std::optional<std::int64_t> window_end;  // a time window: the end of the step being filled
  std::vector<WaitingPrediction> waiting;  // in the order they arrived
  std::optional<std::int64_t> latest_ts;
  std::optional<std::int64_t> last_lag_ms;
  std::vector<ErrorDetectorSnapshot> detectors;  // in configuration order
};

struct ModelSnapshot {
  std::string model_id;
  // Of the model's configuration and reference (state/model_fingerprint.h):
  // a snapshot whose fingerprint differs belongs to another configuration.
  std::uint64_t fingerprint = 0;
  std::uint64_t sequence = 0;                   // events of this model so far
  // from_stream: the reference gathered so far (complete once it holds
  // reference.from_stream rows). Absent for a file reference.
  std::optional<ReferenceData> stream_reference;
  // Per schema column: a categorical column's dictionary in code order
  // (empty for numeric columns), and how many values it sent to the
  // overflow code. Present once the reference is ready.
  std::vector<std::vector<std::string>> dictionaries;
  std::vector<std::uint64_t> dictionary_overflowed;
  WindowSnapshot window;
  // Time windows in calibrated mode: the earliest event time so far.
  std::optional<std::int64_t> first_event_ts;
  // Calibrated mode, once calibrated: the thresholds. Calibration is
  // deterministic (the fingerprint covers what it depends on), so this only
  // saves a restart the seconds it takes.
  std::optional<Calibration> calibration;
  std::vector<AlertStateSnapshot> alerts;
  std::optional<std::int64_t> last_retrain_at;
  std::optional<LabelSnapshot> labels;  // models with `labels`
};

struct PartitionSnapshot {
  static constexpr std::uint32_t kFormatVersion = 2;  // 2: labels

  std::string topic;
  std::int32_t partition = 0;
  // The state is the one after every message before this offset.
  std::int64_t next_offset = 0;
  // The oldest offset still inside any of the models' windows (next_offset
  // when they are all empty): re-reading from here refills them.
  std::int64_t replay_from = 0;
  std::vector<ModelSnapshot> models;
};

}  // namespace driftd

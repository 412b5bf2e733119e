// The configuration file (config/README.md) as typed values. load_config() checks
// every key, type and bound, and rejects unknown keys, so that everything
// past it can trust these structs.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "driftd/decision.h"

namespace driftd {

using Millis = std::chrono::milliseconds;

struct KafkaConfig {
  std::string bootstrap_servers = "localhost:9092";
  std::string group_id = "driftd";
  std::vector<std::string> input_topics;           // at least one for `run`
  std::string alert_topic = "ml.drift.alerts";
  std::string retrain_topic = "ml.retrain.triggers";
  std::string dead_letter_topic;                   // empty: invalid events are only counted
  bool exactly_once = false;                       // transactional alerts + offsets
  std::string transactional_id;                    // exactly_once: default group_id + "-" + host name
  std::map<std::string, std::string> properties;   // passed to librdkafka as they are
  Millis connect_timeout{30'000};                  // `run` exits 3 when no broker answers by then
  std::size_t batch_size = 10'000;                 // messages taken from the consumer at a time, [1, 1e6]
};

struct HttpConfig {
  std::string listen = "127.0.0.1:9108";  // loopback unless the user opens it up
  std::size_t ready_max_lag = 100'000;    // /readyz: ready when the consumer lag is at most this
};

struct StateConfig {
  // Where `run` writes its state snapshots; empty: "<kafka.group_id>.state".
  std::string topic;
  Millis checkpoint_interval{10'000};
};

// Where the fields of an event are found (include/driftd/README.md, "Events"), so an existing topic can
// be monitored as it is.
struct InputConfig {
  std::string model_id_field = "model_id";
  std::string ts_field = "ts";
  std::string features_field = "features";
  std::string prediction_field = "prediction";
  std::string label_field = "label";
  std::string event_id_field = "event_id";  // joins a feedback event's label to its prediction
  std::size_t max_bytes = 1 << 20;  // larger messages are invalid ("too_large")
};

struct Defaults {
  double p_value = 0.05;                          // (0, 1)
  Correction correction = Correction::bonferroni;
  double psi_threshold = 0.2;                     // > 0
  std::size_t psi_bins = 10;                      // [2, 1000]
  double dataset_drift_share = 0.5;               // (0, 1]

  // How evaluations under these defaults are decided (detectors/README.md,
  // "The decision").
  DecisionPolicy policy() const { return {p_value, correction, dataset_drift_share}; }
};

enum class FeatureType { numeric, categorical };

struct FeatureConfig {
  std::string name;
  FeatureType type = FeatureType::numeric;
  std::vector<std::string> tests;  // default: default_tests() (src/config/test_params.h)
};

struct MultivariateConfig {
  std::string test = "mmd";
  std::vector<std::string> features;    // declared numeric features, at least one
  std::size_t permutations = 100;       // [1, 100000]
  std::optional<double> sigma;          // unset: `auto` (median heuristic)
  std::size_t max_points = 1000;        // larger samples are subsampled (fixed seed) to this; [2, 5000]
};

// Exactly one of count (size/step) or duration (duration/step_duration) is set.
struct WindowConfig {
  std::size_t size = 0;   // count window: events held
  std::size_t step = 0;   // count window: evaluated every `step` events
  Millis duration{0};     // time window: event time held
  Millis step_duration{0};
  std::size_t max_events = 1'000'000;  // time window: the most events held; beyond, the oldest go early
  bool by_time() const { return duration.count() > 0; }
};

struct ReferenceConfig {
  std::string path;              // CSV or JSONL, resolved against the config's folder
  std::size_t from_stream = 0;   // > 0: the model's first N events are the reference
};

// How an evaluation decides that a test drifted (config/README.md, `alerting`).
enum class AlertMode {
  calibrated,  // statistic thresholds calibrated for false_alarm_every (src/calibrate/)
  per_window,  // each p-value against the corrected level, PSI against psi_threshold
  // Never configured: the calibration's own null streams, which need the
  // statistics alone (no p-values, no decision).
  statistics_only,
};

struct AlertingConfig {
  std::size_t min_consecutive = 1;  // drifted evaluations before firing (and clean ones before resolving)
  Millis cooldown{10 * 60'000};     // an alert does not re-fire within this
  AlertMode mode = AlertMode::calibrated;
  // calibrated: the mean distance between two false alarm episodes on a
  // stream from the reference's distribution, in events (count windows) or
  // event-time milliseconds (time windows); 0 = kDefaultFalseAlarmSteps steps.
  std::uint64_t false_alarm_every = 0;
};

inline constexpr std::uint64_t kDefaultFalseAlarmSteps = 10'000;

struct RetrainConfig {
  double drifted_share = 0.5;       // (0, 1]
  Millis cooldown{6 * 3'600'000};
};

// Ground truth (config/README.md, `labels`): per-event errors of labelled
// predictions, their performance over windows of labelled events, and
// concept-drift detectors on the error stream.
enum class LabelTask { classification, regression };

struct LabelsConfig {
  LabelTask task = LabelTask::classification;
  // classification: the class whose precision, recall and F1 are reported,
  // as text ("1", "fraud", "true"; a number in canonical form, see
  // labels/class_text.h); empty: the metrics of that class are not reported.
  std::string positive_class;
  // classification with a numeric score as the prediction: predicted
  // positive when score >= threshold. Unset: the prediction is a class.
  std::optional<double> threshold;
  Millis join_within{3'600'000};      // a feedback event later than this after its prediction is late
  std::size_t max_pending = 1'000'000;  // predictions waiting for their label; beyond, the oldest go
  // The window of labelled events: a count window (size labelled events,
  // evaluated every step of them), or a time window of the labels' event
  // time (duration, evaluated every step_duration, at most max_events).
  WindowConfig window{.size = 2'000, .step = 500};
  std::optional<double> max_drop;     // `performance` test: on when set
  std::vector<std::string> detectors; // concept-drift detectors on the error stream
};

struct ModelConfig {
  std::string id;
  ReferenceConfig reference;
  WindowConfig window;
  std::vector<FeatureConfig> features;
  std::optional<FeatureConfig> prediction;  // name "prediction" when set
  std::vector<MultivariateConfig> multivariate;
  AlertingConfig alerting;
  RetrainConfig retrain;
  std::optional<LabelsConfig> labels;
  // The model's YAML with the defaults and input settings, as loaded: what
  // a state snapshot's fingerprint covers (state/model_fingerprint.h).
  std::string settings;

  // The configuration of schema column `column` (driftd/event.h: the
  // features in order, then the prediction).
  const FeatureConfig& column_config(std::size_t column) const {
    return column < features.size() ? features[column] : *prediction;
  }
};

struct Config {
  std::string path;  // the file it was loaded from, for messages
  KafkaConfig kafka;
  HttpConfig http;
  StateConfig state;
  InputConfig input;
  Defaults defaults;
  std::vector<ModelConfig> models;  // at least one
};

// What a configuration may ask for. load_config refuses more, naming the
// file, line and key, the value, the bound and why; config/README.md lists them
// under "Limits".
namespace config_limits {

// The file itself: yaml-cpp holds a parsed file in about 80 times its size.
inline constexpr std::uint64_t kMaxFileBytes = std::uint64_t(8) << 20;  // 8 MiB

inline constexpr std::size_t kMaxModels = 10'000;
inline constexpr std::size_t kMaxFeaturesPerModel = 10'000;  // the prediction included
inline constexpr std::size_t kMaxFeatures = 100'000;         // over all models

// Every duration: event time (up to the year 9999, 2.5e14 ms) plus any of
// them stays far within 64-bit milliseconds, and a deadline of steady_clock
// now plus one within its 64-bit nanoseconds (100 years: 3.2e18 of 9.2e18).
inline constexpr Millis kMaxDuration{3'155'760'000'000};  // 100 years of 365.25 days
// kafka.connect_timeout is handed to librdkafka, which takes int milliseconds.
inline constexpr Millis kMaxKafkaTimeout{2'147'483'647};   // ~24.8 days

// Events a window (size, max_events) or a stream reference (from_stream)
// holds: each costs a slot per column (src/window/model_window.h), so the
// configuration's total is bounded too (kMaxHeldBytes).
inline constexpr std::size_t kMaxWindowEvents = 10'000'000;
// A time window's duration / step: the windows one event can close, each
// an evaluation of every test.
inline constexpr std::int64_t kMaxStepsPerWindow = 100'000;

// MMD's work per evaluation grows with the pairs of pooled points,
// (2 x max_points)^2 / 2: 50 million at 5000 points, about 0.2 s with 100
// permutations on two cores (bench/RESULTS.md). Its memory stays small (it
// keeps no kernel matrix), so the bound is about time.
inline constexpr std::size_t kMaxMmdPoints = 5'000;

// alerting.false_alarm_every for a count window: a million years of events
// at 30,000 a second; far enough that no budget a user means is refused.
inline constexpr std::uint64_t kMaxFalseAlarmEvents = 1'000'000'000'000'000;

// What all models' windows and stream references together may hold, by
// held_bytes() below (config/README.md, "Bounds on the whole file": memory is bounded by the configured windows).
inline constexpr std::uint64_t kMaxHeldBytes = std::uint64_t(16) << 30;  // 16 GiB

}  // namespace config_limits

// The model's false_alarm_every with the default applied: events for a
// count window, event-time milliseconds for a time window.
std::uint64_t false_alarm_every(const ModelConfig& model);

// How many evaluations that is: false_alarm_every / step.
double evaluations_per_false_alarm(const ModelConfig& model);

// The memory a model's window and, with from_stream, its reference take for
// the events they hold: an estimate from the configuration alone (the
// window's layout: per event a slot of 4 bytes per column, 8 more per
// multivariate feature, and 28 of bookkeeping; a time window's slots grow
// by doubling; a stream reference keeps 8 bytes per numeric value and a
// std::optional<std::string> per category); with labels, also its window of
// labelled events and the predictions waiting for theirs (max_pending).
std::uint64_t held_bytes(const ModelConfig& model);

// Loads and validates `path`. Throws InputError naming the file, the line and
// the key (e.g. "models[0].features[1].tests[0]") for an unreadable file, bad
// YAML, a key given twice in a mapping, an unknown key, a wrong type, a value
// out of bounds (config_limits), an unknown test or one that does not fit
// the feature's type, a feature named twice, a multivariate test over
// features that are not declared numeric, a malformed http.listen, or a
// reference path that is not a readable, non-empty regular file.
//
// `score` compares two files it is given on its command line, so for it a
// model's `reference` and `window` may be left out, and a reference path
// that is given is not opened.
enum class ConfigUse { stream, score };
Config load_config(const std::string& path, ConfigUse use = ConfigUse::stream);

// Parses "500ms", "10s", "5m", "1h", "2d" (a bare number means seconds).
std::optional<Millis> parse_duration(std::string_view text);

}  // namespace driftd

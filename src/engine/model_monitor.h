// Everything one model needs between a decoded event and its alerts: the
// reference (from a file, or gathered from the stream's first events), the
// current window, the detectors, the decision policy and the alert policy.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "decide/alert_policy.h"
#include "driftd/calibration.h"
#include "driftd/config.h"
#include "driftd/decision.h"
#include "driftd/detector.h"
#include "driftd/evaluation_report.h"
#include "driftd/event.h"
#include "labels/label_monitor.h"
#include "state/partition_snapshot.h"
#include "window/model_window.h"
#include "window/reference_profile.h"

namespace driftd {

class ModelMonitor {
 public:
  // Bounds that keep memory independent of the stream (include/driftd/README.md, "Limits").
  static constexpr std::size_t kMaxCategories = 1000;  // per categorical column, the last shared by the rest

  // `reference` is the file reference's values, or empty for from_stream.
  // In calibrated mode a count window's thresholds are calibrated on it
  // here (a time window's at its first evaluation, when its events per
  // window are known), unless `calibrated` already holds them for this
  // same reference and configuration.
  // With `defer_calibration`, a count window too is calibrated only at its
  // first evaluation (`run`: a model restored from a snapshot brings its
  // thresholds, and one whose partition another instance owns needs none).
  // `reference_performance`: the headline metric of the reference's own
  // labels (labels/label_monitor.h), for a model whose labels set max_drop.
  ModelMonitor(const ModelSchema& schema, const ModelConfig& model, const Defaults& defaults,
               std::optional<ReferenceData> reference, std::optional<Calibration> calibrated = std::nullopt,
               bool defer_calibration = false, std::optional<double> reference_performance = std::nullopt);
  ~ModelMonitor();
  // The window and the detectors view the reference profile it holds: a
  // copy or a move would leave them reading the old one. Held by pointer.
  ModelMonitor(const ModelMonitor&) = delete;
  ModelMonitor& operator=(const ModelMonitor&) = delete;

  // Feeds one event of this model; appends the evaluations it caused.
  // Returns false when the event was late for a time window (dropped).
  bool on_event(const DecodedEvent& event, std::vector<EvaluationReport>& reports);

  // Restarts (state/partition_snapshot.h). snapshot() is this model's
  // decision state (its fingerprint is the caller's to set). restore(), on
  // a monitor just built, puts one back and returns false when it does not
  // fit this model (then the monitor must be built afresh). After it,
  // refill() is given the model's events read again up to the snapshot's
  // offset: they fill the window back, and change nothing else.
  ModelSnapshot snapshot() const;
  bool restore(const ModelSnapshot& snapshot);
  void refill(const DecodedEvent& event);

  bool reference_ready() const { return profile_.has_value(); }
  // The calibrated thresholds, once there are (calibrated mode).
  const std::optional<Calibration>& calibration() const { return calibration_; }
  std::uint64_t events() const { return sequence_; }
  std::size_t window_events() const { return window_ ? window_->size() : 0; }
  // Values past a memory bound so far: categories beyond kMaxCategories,
  // events a time window let go early at max_events.
  std::uint64_t overflowed() const;
  // Ground truth, for a model with `labels` (else null).
  const LabelMonitor* labels() const { return labels_.get(); }

 private:
  void start_windows(const ReferenceData& reference);
  void calibrate_for(const ReferenceData& reference, std::size_t window_events, std::size_t step_events);
  bool calibration_fits(const Calibration& calibration) const;
  void gather_reference(const DecodedEvent& event);
  EvaluationReport evaluate();
  void on_labels(const DecodedEvent& event, std::vector<EvaluationReport>& reports);

  const ModelSchema& schema_;
  const ModelConfig& model_;
  Defaults defaults_;
  DecisionPolicy policy_;
  std::optional<ReferenceData> gathering_;        // from_stream: the first events so far
  std::optional<ReferenceData> stream_reference_; // from_stream, once complete: for snapshots
  std::optional<ReferenceProfile> profile_;
  std::optional<ModelWindow> window_;
  // One detector per (column, test) and per multivariate test, told its
  // reference once it is ready (start_windows).
  std::vector<std::vector<std::unique_ptr<Detector>>> detectors_;  // per column, per test
  std::vector<std::unique_ptr<Detector>> multivariate_;            // per multivariate test
  // Per categorical column, the reference counts its detectors were told:
  // they grow with the category dictionary, and are told again then.
  std::vector<std::span<const std::uint64_t>> categorical_told_;
  std::optional<Calibration> calibration_;
  bool defer_calibration_;
  // The reference values, until the first evaluation calibrates on them (a
  // time window's, or any window's with defer_calibration).
  std::optional<ReferenceData> calibration_source_;
  std::optional<std::int64_t> first_event_ts_;    // the earliest event in a window so far
  AlertPolicy alerts_;
  std::unique_ptr<LabelMonitor> labels_;
  std::uint64_t sequence_ = 0;                    // events of this model so far (feedback events aside)
  // After restore(): where refill() starts keeping events, and the sequence of the next.
  std::int64_t refill_offset_ = -1;
  std::uint64_t refill_sequence_ = 0;
};

}  // namespace driftd

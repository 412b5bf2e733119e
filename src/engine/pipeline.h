// The streaming engine, independent of where events come from: raw
// messages in (from Kafka or a file), decoded, routed to their model's
// monitor, evaluated; what comes out goes to a sink. `driftd replay` and
// `driftd run` feed the same Pipeline.
//
// Not thread-safe: one thread feeds one Pipeline.
#pragma once

#include <array>
#include <memory>
#include <string_view>
#include <vector>

#include "decode/event_decoder.h"
#include "driftd/config.h"
#include "driftd/message_source.h"
#include "engine/model_monitor.h"

namespace driftd {

// Receives what the pipeline produces, in order. Every method has a no-op default.
class PipelineSink {
 public:
  virtual ~PipelineSink() = default;
  virtual void on_invalid(const MessageSource& /*message*/, InvalidReason /*reason*/) {}
  virtual void on_evaluation(const EvaluationReport& /*report*/) {}
};

struct PipelineCounters {
  std::uint64_t messages = 0;              // live messages, valid or not
  std::uint64_t replayed = 0;              // messages re-read to rebuild state (not in the counts below)
  std::array<std::uint64_t, kInvalidReasons> invalid{};  // by InvalidReason
  std::vector<std::uint64_t> consumed;     // valid events, per model
  std::vector<std::uint64_t> late;         // dropped by time windows, per model
  std::uint64_t evaluations = 0;
  std::uint64_t alerts = 0;
  std::uint64_t retrain_triggers = 0;
};

class Pipeline {
 public:
  // When calibrated models calibrate: all at once here, or each at its
  // first evaluation (`run`: restored models bring their thresholds).
  enum class Calibrate { at_start, when_needed };

  // Reads each model's reference file. Throws InputError for a bad one.
  // `config` must outlive the pipeline (the monitors keep references into it).
  explicit Pipeline(const Config& config, Calibrate calibrate = Calibrate::at_start);

  // How a message is processed. `replay` rebuilds state from messages whose
  // effect is already out (re-read after a restart or a partition move): it
  // evaluates and advances the alert lifecycle exactly as live processing
  // does, but tells the sink nothing and counts the message only as replayed.
  // `refill`: a message before the offset of the snapshot its model was
  // restored from; it only fills the window back (ModelMonitor::refill).
  enum class Mode { live, replay, refill };

  // Decodes and processes one message; `fallback_ts_ms` is the event time
  // for an event without one. Returns the model it went to, or kNoModel for
  // an invalid message.
  std::size_t process(const MessageSource& message, std::int64_t fallback_ts_ms, PipelineSink& sink,
                      Mode mode = Mode::live);
  // The same for a message from nowhere in particular (tests, benchmarks).
  std::size_t process(std::string_view payload, std::int64_t fallback_ts_ms, PipelineSink& sink,
                      Mode mode = Mode::live) {
    return process(MessageSource{.payload = payload}, fallback_ts_ms, sink, mode);
  }
  static constexpr std::size_t kNoModel = static_cast<std::size_t>(-1);

  // Forgets everything model `model` has seen: its window, a from_stream
  // reference, its alert lifecycle. For a model whose events are about to be
  // read again from the start of their partition.
  void reset_model(std::size_t model);

  // Restarts (state/partition_snapshot.h): model `model`'s decision state
  // with its fingerprint, and putting one back in place of what the model
  // has. A snapshot of another configuration (fingerprint), or one that
  // does not fit, leaves the model fresh and returns false with the reason.
  ModelSnapshot snapshot(std::size_t model) const;
  bool restore(std::size_t model, const ModelSnapshot& snapshot, std::string& why);
  // The model with this id, or kNoModel.
  std::size_t model_index(std::string_view id) const;

  const PipelineCounters& counters() const { return counters_; }
  const std::vector<ModelSchema>& schemas() const { return schemas_; }
  const ModelMonitor& monitor(std::size_t model) const { return *monitors_[model]; }

 private:
  const Config& config_;
  Calibrate calibrate_;
  std::vector<ModelSchema> schemas_;
  std::vector<std::optional<ReferenceData>> references_;  // from files; kept for reset_model()
  std::vector<std::optional<double>> reference_performances_;  // of the reference's labels (labels.max_drop)
  std::vector<std::uint64_t> fingerprints_;               // per model (state/model_fingerprint.h)
  EventDecoder decoder_;
  std::vector<std::unique_ptr<ModelMonitor>> monitors_;
  DecodedEvent event_;
  std::vector<EvaluationReport> reports_;
  PipelineCounters counters_;
};

}  // namespace driftd

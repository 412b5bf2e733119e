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
#include "route/model_monitor.h"

namespace driftd {

// Receives what the pipeline produces, in order. Every method has a no-op default.
class PipelineSink {
 public:
  virtual ~PipelineSink() = default;
  virtual void on_invalid(std::string_view /*message*/, InvalidReason /*reason*/) {}
  virtual void on_evaluation(const EvaluationReport& /*report*/) {}
};

struct PipelineCounters {
  std::uint64_t messages = 0;
  std::array<std::uint64_t, 8> invalid{};  // by InvalidReason
  std::vector<std::uint64_t> consumed;     // valid events, per model
  std::vector<std::uint64_t> late;         // dropped by time windows, per model
  std::uint64_t evaluations = 0;
  std::uint64_t alerts = 0;
  std::uint64_t retrain_triggers = 0;
};

class Pipeline {
 public:
  // Reads each model's reference file. Throws InputError for a bad one.
  // `config` must outlive the pipeline (the monitors keep references into it).
  explicit Pipeline(const Config& config);

  // Decodes and processes one message; `fallback_ts_ms` is the event time
  // for an event without one.
  void process(std::string_view message, std::int64_t fallback_ts_ms, PipelineSink& sink);

  const PipelineCounters& counters() const { return counters_; }
  const std::vector<ModelSchema>& schemas() const { return schemas_; }
  const ModelMonitor& monitor(std::size_t model) const { return *monitors_[model]; }

 private:
  std::vector<ModelSchema> schemas_;
  EventDecoder decoder_;
  std::vector<std::unique_ptr<ModelMonitor>> monitors_;
  DecodedEvent event_;
  std::vector<EvaluationReport> reports_;
  PipelineCounters counters_;
};

}  // namespace driftd

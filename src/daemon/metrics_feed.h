// How the counters of `driftd run` reach Prometheus: the engine and the
// outputs count for themselves, and update() adds to the metrics what they
// counted since the previous update (the daemon calls it about once a
// second). Gauges of an evaluation's results are the one other way in
// (Metrics::record, with each evaluation).
#pragma once

#include <cstdint>
#include <vector>

#include "delivery/kafka_output_sink.h"
#include "engine/pipeline.h"
#include "labels/label_monitor.h"
#include "metrics/metrics.h"

namespace driftd {

class MetricsFeed {
 public:
  MetricsFeed(Metrics& metrics, std::size_t models);

  // `snapshots_failed`: state snapshots the producer could not write, so far.
  void update(const Pipeline& pipeline, const KafkaOutputSink::Counters& outputs, std::uint64_t snapshots_failed);
  // Model `model`'s monitor was made anew: its own counts start over.
  void monitor_reset(std::size_t model) {
    overflowed_[model] = 0;
    calibrated_[model] = false;
  }

 private:
  Metrics& metrics_;
  PipelineCounters pipeline_;            // what was added already
  std::vector<std::uint64_t> overflowed_;  // per model, likewise
  std::vector<bool> calibrated_;           // per model: its monitor's calibration is in the metrics
  std::vector<LabelCounts> labels_;        // per model, what was added already
  void update_labels(std::size_t model, const LabelMonitor& labels);
  KafkaOutputSink::Counters outputs_;    // likewise
  std::uint64_t snapshots_failed_ = 0;   // likewise
};

}  // namespace driftd

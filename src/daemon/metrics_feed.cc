#include "daemon/metrics_feed.h"

#include <algorithm>

namespace driftd {

MetricsFeed::MetricsFeed(Metrics& metrics, std::size_t models)
    : metrics_(metrics), overflowed_(models, 0), calibrated_(models, false), labels_(models) {
  pipeline_.consumed.assign(models, 0);
  pipeline_.late.assign(models, 0);
}

void MetricsFeed::update(const Pipeline& pipeline, const KafkaOutputSink::Counters& outputs,
                         std::uint64_t snapshots_failed) {
  const PipelineCounters& counters = pipeline.counters();
  for (std::size_t r = 1; r < kInvalidReasons; ++r) {
    metrics_.add_invalid(InvalidReason(r), counters.invalid[r] - pipeline_.invalid[r]);
  }
  for (std::size_t m = 0; m < counters.consumed.size(); ++m) {
    metrics_.add_consumed(m, counters.consumed[m] - pipeline_.consumed[m]);
    metrics_.add_late(m, counters.late[m] - pipeline_.late[m]);
    metrics_.set_window_events(m, pipeline.monitor(m).window_events());
    // A monitor made anew counts from 0 again: what it counted up to what
    // was added before is not new.
    const std::uint64_t overflowed = pipeline.monitor(m).overflowed();
    metrics_.add_overflowed(m, overflowed - std::min(overflowed, overflowed_[m]));
    overflowed_[m] = overflowed;
    // A monitor is calibrated once (at start, or when the stream brings
    // what it needs); made anew, it may be calibrated on another reference.
    // A stream reference gathered anew has none until it is complete again.
    if (const LabelMonitor* labels = pipeline.monitor(m).labels()) update_labels(m, *labels);
    if (const auto& calibration = pipeline.monitor(m).calibration(); !calibration) {
      calibrated_[m] = false;
    } else if (!calibrated_[m]) {
      metrics_.set_calibration(m, *calibration);
      calibrated_[m] = true;
    }
  }
  metrics_.add_replayed(counters.replayed - pipeline_.replayed);
  pipeline_ = counters;

  metrics_.add_dead_lettered(outputs.dead_lettered - outputs_.dead_lettered);
  metrics_.add_duplicates_suppressed(outputs.duplicates_suppressed - outputs_.duplicates_suppressed);
  metrics_.add_dead_letters_truncated(outputs.dead_letters_truncated - outputs_.dead_letters_truncated);
  metrics_.add_dead_letters_failed(outputs.dead_letters_failed - outputs_.dead_letters_failed);
  outputs_ = outputs;
  metrics_.add_snapshots_failed(snapshots_failed - snapshots_failed_);
  snapshots_failed_ = snapshots_failed;
}

void MetricsFeed::update_labels(std::size_t model, const LabelMonitor& labels) {
  const LabelCounts now = labels.counts();
  LabelCounts& added = labels_[model];
  // A monitor made anew counts from 0 again, as overflowed does.
  const auto add = [&](std::string_view outcome, std::uint64_t count, std::uint64_t& before) {
    metrics_.add_labels(model, outcome, count - std::min(count, before));
    before = count;
  };
  add("in_event", now.in_event, added.in_event);
  add("no_prediction", now.no_prediction, added.no_prediction);
  add("joined", now.join.joined, added.join.joined);
  add("unmatched", now.join.unmatched, added.join.unmatched);
  add("late", now.join.late, added.join.late);
  add("duplicate", now.join.duplicate, added.join.duplicate);
  add("expired", now.join.expired, added.join.expired);
  add("dropped", now.join.dropped, added.join.dropped);
  metrics_.set_labels_pending(model, labels.pending());
  if (const auto lag = labels.last_lag_ms()) metrics_.set_label_lag(model, double(*lag) / 1000.0);
  if (const auto reference = labels.reference_performance()) {
    metrics_.set_reference_performance(model, headline_metric(labels.task()), *reference);
  }
}

}  // namespace driftd

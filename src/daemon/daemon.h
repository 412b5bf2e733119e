// `driftd run` without its process plumbing: Kafka in, the streaming
// pipeline, alerts, retrain triggers and dead letters out.
//
// Single-threaded: run() drives everything on the calling thread; metrics
// and the status board are the only things other threads read.
//
// State is the log plus snapshots. At every checkpoint (each
// `state.checkpoint_interval`, on revocation and on shutdown) the producer
// delivers everything queued, then a snapshot of each partition's models
// (StateKeeper), then the offsets are committed: a committed event's
// outputs are on their topics, and its effect is in a snapshot. A partition
// assigned to us — at start, or moved from another instance — gets its
// models' decision state back from its snapshot and is read from the
// snapshot's replay-from offset (the oldest event still in a window; its
// start without a usable snapshot): messages before the snapshot's offset
// refill the windows, those before the committed offset are replayed
// (nothing published or counted as consumed), the rest is live. Live
// outputs whose deterministic ids the output topics already hold (a crash
// came between publishing and committing) are not sent again.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>

#include "daemon/metrics_feed.h"
#include "daemon/partition_tracker.h"
#include "daemon/state_keeper.h"
#include "daemon/status_board.h"
#include "daemon/status_report.h"
#include "driftd/config.h"
#include "kafka/event_consumer.h"
#include "delivery/kafka_output_sink.h"
#include "delivery/output_ledger.h"
#include "delivery/output_sink.h"
#include "kafka/output_producer.h"
#include "metrics/metrics.h"
#include "engine/calibration_log.h"
#include "engine/pipeline.h"

namespace driftd {

class Daemon final : private PartitionListener, private PipelineSink {
 public:
  // Reads the references (InputError for a bad one), then waits up to
  // kafka.connect_timeout for a broker (std::runtime_error if none answers;
  // the wait ends early when `stop` is set, and run() then returns at once),
  // then joins the consumer group. `stop` is also what run() watches.
  // `calibrate`: `run` calibrates each model at its first evaluation, unless
  // its partition's snapshot brought the thresholds; the demo, which prints
  // them at start, calibrates at once.
  Daemon(const Config& config, Metrics& metrics, StatusBoard& status, const std::atomic<bool>& stop,
         Pipeline::Calibrate calibrate = Pipeline::Calibrate::at_start);

  // Called with every evaluation, after its output was queued (the demo prints them).
  void set_observer(std::function<void(const EvaluationReport&)> observer) { observer_ = std::move(observer); }

  // Consumes until `stop` becomes true, then checkpoints and leaves the
  // group. Throws std::runtime_error when an alert or trigger cannot be
  // delivered (the uncommitted events are then read again after a restart).
  // Nothing an input message holds, and no broker outage, ends it.
  //
  // Returns false when the brokers were unreachable at the stop: then there
  // was no final commit and the group was not left, and destroying the
  // Kafka clients would wait for the brokers (librdkafka's close does), so
  // the caller should exit the process without destroying the Daemon.
  bool run();

  const Pipeline& pipeline() const { return pipeline_; }

 private:
  bool wait_for_broker();
  bool load_ledger();  // false: stopped before the ledger was read
  void process(RdKafka::Message& message);
  // `sync`: wait for the group to take the offsets (revocation, shutdown);
  // else they are sent and on_committed() hears when they are taken.
  enum class Commit { sync, async };
  void checkpoint(std::chrono::milliseconds wait, Commit commit);
  // A flush's answer: true when delivered; false (logged with `otherwise`)
  // when pending; throws when an alert or trigger could not be delivered.
  bool delivered(OutputSink::Flush flush, const char* otherwise);
  bool shut_down();
  void refresh_status();
  StatusFacts status_facts(const std::vector<PartitionLag>& lags, bool ready) const;

  std::vector<std::int64_t> on_assigned(const std::vector<PartitionOffset>& partitions) override;
  void on_revoking(const std::vector<PartitionId>& partitions, bool lost) override;
  void on_committed(const std::vector<PartitionOffset>& offsets) override;
  void on_invalid(const MessageSource& message, InvalidReason reason) override;
  void on_evaluation(const EvaluationReport& report) override;

  const Config& config_;
  Metrics& metrics_;
  StatusBoard& status_;
  const std::atomic<bool>& stop_;
  Pipeline pipeline_;
  CalibrationLog calibration_log_;             // right after the pipeline: its start-up block comes first
  OutputProducer producer_;
  bool connected_;  // a broker answered before the consumer joined (false: stopped while waiting)
  std::function<void(const EvaluationReport&)> observer_;

  PartitionTracker partitions_;
  StateKeeper state_;
  bool ledger_stale_ = true;                   // partitions moved in: read the output topics again
  OutputLedger ledger_;
  OutputFanOut outputs_;                       // where alerts, triggers and dead letters go
  KafkaOutputSink& kafka_outputs_;             // one of them
  MetricsFeed metrics_feed_;
  bool broker_ok_ = true;
  std::uint64_t transactions_ = 0;             // exactly_once: transactions committed
  std::string failure_;                        // a fatal error met inside a librdkafka callback
  // Messages come in runs from one partition: what identifies the current
  // run's partition without a topic-name comparison, and its position.
  const void* run_topic_ = nullptr;            // librdkafka's topic handle
  std::int32_t run_partition_ = -1;
  PartitionTracker::Position* run_position_ = nullptr;
  std::vector<std::optional<LastEvaluation>> last_evaluation_;        // per model, of its feature window
  std::vector<std::optional<LastEvaluation>> last_label_evaluation_;  // per model, of its labelled window
  std::uint64_t read_at_last_status_ = 0;     // messages read, live or replayed, at the last refresh_status()
  EventConsumer consumer_;                     // last: its callbacks use everything above
};

}  // namespace driftd

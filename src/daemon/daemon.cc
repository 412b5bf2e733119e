#include "daemon/daemon.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <stdexcept>

#include <librdkafka/rdkafka.h>


namespace driftd {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPollWait{100};
constexpr std::chrono::seconds kStatusEvery{1};
// How long a checkpoint waits for outputs to be delivered before it leaves
// the commit to the next one; at shutdown, a little longer.
constexpr std::chrono::milliseconds kCheckpointWait{1'000};
constexpr std::chrono::milliseconds kShutdownWait{5'000};
// The output topics' tail read after partitions move in: at least every
// output a checkpoint interval can produce, per partition.
constexpr std::size_t kLedgerTail = 10'000;
// One attempt at reading them; attempts repeat until one succeeds.
constexpr std::chrono::seconds kLedgerAttempt{10};

std::int64_t broker_timestamp(const rd_kafka_message_t& message) {
  rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
  const std::int64_t ts = rd_kafka_message_timestamp(&message, &type);
  return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? 0 : ts;
}

}  // namespace

Daemon::Daemon(const Config& config, Metrics& metrics, StatusBoard& status, const std::atomic<bool>& stop,
               Pipeline::Calibrate calibrate)
    : config_(config),
      metrics_(metrics),
      status_(status),
      stop_(stop),
      pipeline_(config, calibrate),
      calibration_log_(config, pipeline_, std::cerr, "driftd: "),
      producer_(config.kafka),
      connected_(wait_for_broker()),
      partitions_(config.models.size()),
      state_(config, metrics, stop),
      kafka_outputs_(outputs_.add(std::make_unique<KafkaOutputSink>(config.kafka, producer_, ledger_))),
      metrics_feed_(metrics, config.models.size()),
      consumer_(config.kafka, *this) {
  producer_.stop_waiting_on(stop_);
  last_evaluation_.resize(config.models.size());
  last_label_evaluation_.resize(config.models.size());
}

bool Daemon::wait_for_broker() {
  const auto deadline = Clock::now() + config_.kafka.connect_timeout;
  while (!producer_.reachable(std::chrono::milliseconds(500))) {
    if (stop_.load()) return false;
    if (Clock::now() >= deadline) {
      throw std::runtime_error("no Kafka broker answered at " + config_.kafka.bootstrap_servers + " within " +
                               std::to_string(config_.kafka.connect_timeout.count()) +
                               " ms (kafka.connect_timeout): " + producer_.last_error());
    }
  }
  producer_.start_transactions(config_.kafka.connect_timeout);
  return true;
}

bool Daemon::run() {
  if (!connected_) return true;  // stopped while waiting for a broker: nothing to leave
  auto next_checkpoint = Clock::now() + config_.state.checkpoint_interval;
  auto next_status = Clock::now();
  try {
    while (!stop_.load()) {
      const auto batch = consumer_.poll_batch(config_.kafka.batch_size, kPollWait);
      if (!failure_.empty()) throw std::runtime_error(failure_);
      if (ledger_stale_ && partitions_.assigned() && !load_ledger()) break;
      for (const auto& message : batch) process(*message);
      producer_.poll();
      const auto now = Clock::now();
      if (now >= next_checkpoint) {
        checkpoint(kCheckpointWait, Commit::async);
        next_checkpoint = now + config_.state.checkpoint_interval;
      }
      if (now >= next_status) {
        refresh_status();
        next_status = now + kStatusEvery;
      }
    }
  } catch (const OutputProducer::Stopping& e) {
    // Outputs of the events since the last commit may not all be queued:
    // the shutdown's checkpoint commits only what was delivered.
    std::cerr << "driftd: " << e.what() << "\n";
  }
  return shut_down();
}

// Until the output topics' tails are read, nothing is published: an earlier
// owner's outputs could be sent again. In a broker outage the attempts go
// on (and /readyz says not ready) until the brokers are back or we stop.
bool Daemon::load_ledger() {
  while (!stop_.load()) {
    try {
      if (ledger_.load(config_.kafka, kLedgerTail, kLedgerAttempt, stop_)) {
        ledger_stale_ = false;
        return true;
      }
    } catch (const std::runtime_error& e) {
      std::cerr << "driftd: " << e.what() << "; trying again\n";
    }
    refresh_status();
  }
  return false;
}

bool Daemon::shut_down() {
  status_.publish(status_json(status_facts({}, false)), false);
  metrics_.set_ready(false);
  // Asked afresh: the last status may be older than the outage.
  broker_ok_ = producer_.reachable(std::chrono::milliseconds(500));
  if (!broker_ok_) {
    // A commit, and leaving the group, would wait for the brokers past any
    // stop timeout. The events since the last commit are read again after a
    // restart, and the outputs they had already sent are not sent twice.
    std::cerr << "driftd: the brokers are unreachable: stopping without a final commit or leaving the group\n";
    return false;
  }
  checkpoint(kShutdownWait, Commit::sync);
  consumer_.close();  // revokes what we own through on_revoking: committed there
  return true;
}

void Daemon::process(RdKafka::Message& message) {
  // librdkafka's C message: the C++ accessors are virtual calls, and
  // topic_name() builds a std::string per message.
  const rd_kafka_message_t& raw = *static_cast<const rd_kafka_message_t*>(message.c_ptr());
  if (run_position_ == nullptr || run_partition_ != raw.partition || run_topic_ != raw.rkt) {
    run_topic_ = raw.rkt;
    run_partition_ = raw.partition;
    run_position_ = partitions_.begin_run({message.topic_name(), raw.partition});
    if (run_position_ == nullptr) return;
  }
  const Pipeline::Mode mode = raw.offset < run_position_->refill_until   ? Pipeline::Mode::refill
                              : raw.offset < run_position_->replay_until ? Pipeline::Mode::replay
                                                                         : Pipeline::Mode::live;
  MessageSource source{.payload = std::string_view(static_cast<const char*>(raw.payload), raw.len),
                       .topic = partitions_.run_partition().topic,
                       .partition = raw.partition,
                       .offset = raw.offset};
  if (raw.key != nullptr) source.key = std::string_view(static_cast<const char*>(raw.key), raw.key_len);
  const std::size_t model = pipeline_.process(source, broker_timestamp(raw), *this, mode);
  if (model != Pipeline::kNoModel) {
    partitions_.saw_model(model);
    calibration_log_.after_event(model);
  }
  run_position_->next = raw.offset + 1;
}

void Daemon::on_invalid(const MessageSource& message, InvalidReason reason) {
  outputs_.dead_letter(message, reason);
}

void Daemon::on_evaluation(const EvaluationReport& report) {
  publish(report.output, outputs_);
  metrics_.record(report);
  // A labelled window counts labelled events at its own pace: kept apart,
  // it would otherwise pass for the feature window's last evaluation.
  auto& last = report.labelled_window ? last_label_evaluation_ : last_evaluation_;
  last[report.model] = LastEvaluation{report.window, report.decision.drift, report.decision.drifted_share};
  if (observer_) observer_(report);
}

void Daemon::checkpoint(std::chrono::milliseconds wait, Commit commit) {
  const std::vector<PartitionOffset> offsets = partitions_.uncommitted();
  if (producer_.transactional()) {
    // The Kafka sink's outputs, the snapshots and the offsets commit
    // together, or none does. (Kafka is the only sink of `run`; a sink
    // outside Kafka would have to be flushed before this commit.)
    const std::vector<PartitionOffset> snapshots = state_.write(pipeline_, partitions_, producer_);
    if (producer_.commit_transaction(offsets, *consumer_.group_metadata(), wait) != OutputProducer::Flush::delivered) {
      std::cerr << "driftd: " << producer_.last_error() << "; committing at a later checkpoint\n";
      return;
    }
    partitions_.snapshots_written(snapshots);
    ++transactions_;
  } else {
    // Outputs first, then the snapshots: a snapshot delivered with outputs
    // still on their way would, after a crash, let a restart skip the
    // events that caused them. Each flush also reports an alert that failed
    // since the previous one.
    if (!delivered(outputs_.flush(wait), "offsets not committed yet")) return;
    const std::vector<PartitionOffset> snapshots = state_.write(pipeline_, partitions_, producer_);
    if (!snapshots.empty()) {
      if (!delivered(producer_.flush(wait), "state snapshots not delivered yet; offsets not committed yet")) return;
      partitions_.snapshots_written(snapshots);
    }
    if (offsets.empty()) return;
    if (commit == Commit::async) {
      consumer_.commit_async(offsets);  // on_committed() hears when it is taken
      return;
    }
    if (!consumer_.commit(offsets)) {
      // Not fatal: the next checkpoint commits again, and what a crash in
      // between re-reads only produces outputs the ledger holds.
      std::cerr << "driftd: " << consumer_.last_error() << "\n";
      return;
    }
  }
  on_committed(offsets);
}

bool Daemon::delivered(OutputSink::Flush flush, const char* otherwise) {
  switch (flush) {
    case OutputSink::Flush::delivered:
      return true;
    case OutputSink::Flush::pending:
      // The brokers are slow or away: commit at a later checkpoint.
      std::cerr << "driftd: " << producer_.last_error() << "; " << otherwise << "\n";
      return false;
    case OutputSink::Flush::failed:
      break;
  }
  metrics_.add_delivery_errors(1);
  throw std::runtime_error("alerts could not be delivered (" + producer_.last_error() +
                           "); stopping without committing their events, which a restart reads again");
}

void Daemon::on_committed(const std::vector<PartitionOffset>& offsets) { partitions_.committed(offsets); }

std::vector<std::int64_t> Daemon::on_assigned(const std::vector<PartitionOffset>& partitions) {
  ledger_stale_ = true;
  run_position_ = nullptr;
  // Their models are restored or rebuilt: forget what they had.
  for (const std::size_t m : partitions_.assign(partitions)) {
    pipeline_.reset_model(m);
    metrics_feed_.monitor_reset(m);
    last_evaluation_[m].reset();
    last_label_evaluation_[m].reset();
  }
  // Called from inside librdkafka: an exception must not unwind through it.
  try {
    return state_.restore(partitions, pipeline_, partitions_);
  } catch (const std::exception& e) {
    failure_ = e.what();
    return {};
  }
}

void Daemon::on_revoking(const std::vector<PartitionId>& partitions, bool lost) {
  // Called from inside librdkafka: an exception must not unwind through it.
  try {
    // Lost partitions have another owner already; with the brokers away a
    // commit would only block. Either way their next owner re-reads from
    // the last commit, and the ledger keeps outputs from repeating.
    if (!lost && broker_ok_) checkpoint(kCheckpointWait, Commit::sync);
  } catch (const std::exception& e) {
    failure_ = e.what();
  }
  run_position_ = nullptr;
  partitions_.revoke(partitions);
  for (const PartitionId& id : partitions) metrics_.remove_consumer_lag(id.topic, id.partition);
}

void Daemon::refresh_status() {
  const PipelineCounters& counters = pipeline_.counters();
  // Consuming proves the broker is there; when idle, ask it.
  const std::uint64_t read = counters.messages + counters.replayed;
  broker_ok_ = read > read_at_last_status_ || producer_.reachable(std::chrono::milliseconds(500));
  read_at_last_status_ = read;
  metrics_feed_.update(pipeline_, kafka_outputs_.counters(), producer_.snapshots_failed());

  const std::vector<PartitionLag> lags = consumer_.lag(partitions_.positions());
  std::int64_t total_lag = 0;
  for (const PartitionLag& l : lags) {
    metrics_.set_consumer_lag(l.id.topic, l.id.partition, l.lag);
    total_lag += l.lag;
  }
  const bool ready = partitions_.assigned() && !ledger_stale_ && broker_ok_ && !partitions_.replaying() &&
                     std::uint64_t(total_lag) <= config_.http.ready_max_lag;
  metrics_.set_ready(ready);
  status_.publish(status_json(status_facts(lags, ready)), ready);
}

StatusFacts Daemon::status_facts(const std::vector<PartitionLag>& lags, bool ready) const {
  return {.ready = ready,
          .broker_reachable = broker_ok_,
          .transactions = transactions_,
          .fetch_wakes = consumer_.fetch_wakes(),
          .pipeline = pipeline_,
          .models = config_.models,
          .last_evaluations = last_evaluation_,
          .last_label_evaluations = last_label_evaluation_,
          .partitions = partitions_.partitions(),
          .lags = lags};
}

}  // namespace driftd

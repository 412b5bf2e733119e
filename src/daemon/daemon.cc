#include "daemon/daemon.h"

#include <algorithm>
#include <iostream>
#include <stdexcept>

#include <librdkafka/rdkafka.h>

#include "util/json_text.h"

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

Daemon::Daemon(const Config& config, Metrics& metrics, StatusBoard& status, const std::atomic<bool>& stop)
    : config_(config),
      metrics_(metrics),
      status_(status),
      stop_(stop),
      pipeline_(config),
      producer_(config.kafka),
      connected_(wait_for_broker()),
      kafka_outputs_(config.kafka, producer_, ledger_, metrics),
      consumer_(config.kafka, *this) {
  producer_.stop_waiting_on(stop_);
  outputs_.add(kafka_outputs_);
  reported_.consumed.assign(config.models.size(), 0);
  reported_.late.assign(config.models.size(), 0);
  last_evaluation_.resize(config.models.size());
  model_partition_.resize(config.models.size());
  model_run_.resize(config.models.size(), 0);
  reported_overflowed_.assign(config.models.size(), 0);
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
      if (ledger_stale_ && assigned_ && !load_ledger()) break;
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
  status_.publish(status_json({}, false), false);
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
  if (last_position_ == nullptr || last_id_.partition != raw.partition || last_topic_ != raw.rkt) {
    last_id_ = {message.topic_name(), raw.partition};
    last_topic_ = raw.rkt;
    ++run_;
    const auto owned = positions_.find(last_id_);
    // Taken before a revocation that came in the same batch: its new owner
    // processes it, and we must not.
    if (owned == positions_.end()) {
      last_position_ = nullptr;
      return;
    }
    last_position_ = &owned->second;
  }
  const Pipeline::Mode mode = raw.offset < last_position_->replay_until ? Pipeline::Mode::replay
                                                                         : Pipeline::Mode::live;
  MessageSource source{.payload = std::string_view(static_cast<const char*>(raw.payload), raw.len),
                       .topic = last_id_.topic,
                       .partition = raw.partition,
                       .offset = raw.offset};
  if (raw.key != nullptr) source.key = std::string_view(static_cast<const char*>(raw.key), raw.key_len);
  const std::size_t model = pipeline_.process(source, broker_timestamp(raw), *this, mode);
  if (model != Pipeline::kNoModel && model_run_[model] != run_) {
    model_run_[model] = run_;
    model_partition_[model] = last_id_;
  }
  last_position_->next = raw.offset + 1;
}

void Daemon::on_invalid(const MessageSource& message, InvalidReason reason) {
  metrics_.add_invalid(reason);
  outputs_.dead_letter(message, reason);
}

void Daemon::on_evaluation(const EvaluationReport& report) {
  publish(report.output, outputs_);
  metrics_.record(report);
  last_evaluation_[report.model] = LastEvaluation{report.window, report.decision.drift, report.decision.drifted_share};
  if (observer_) observer_(report);
}

void Daemon::checkpoint(std::chrono::milliseconds wait, Commit commit) {
  std::vector<PartitionOffset> offsets;
  for (const auto& [id, position] : positions_) {
    if (position.next > position.committed) offsets.push_back({id, position.next});
  }
  if (producer_.transactional()) {
    // Outputs and offsets commit together, or neither does.
    if (producer_.commit_transaction(offsets, *consumer_.group_metadata(), wait) != OutputProducer::Flush::delivered) {
      std::cerr << "driftd: " << producer_.last_error() << "; committing at a later checkpoint\n";
      return;
    }
    ++transactions_;
  } else {
    switch (outputs_.flush(wait)) {
      case OutputSink::Flush::delivered:
        break;
      case OutputSink::Flush::pending:
        // The brokers are slow or away: commit at a later checkpoint.
        std::cerr << "driftd: " << producer_.last_error() << "; offsets not committed yet\n";
        return;
      case OutputSink::Flush::failed:
        metrics_.add_delivery_errors(1);
        throw std::runtime_error("alerts could not be delivered (" + producer_.last_error() +
                                 "); stopping without committing their events, which a restart reads again");
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

void Daemon::on_committed(const std::vector<PartitionOffset>& offsets) {
  for (const PartitionOffset& o : offsets) {
    auto it = positions_.find(o.id);
    if (it != positions_.end()) it->second.committed = std::max(it->second.committed, o.offset);
  }
}

void Daemon::on_assigned(const std::vector<PartitionOffset>& partitions) {
  assigned_ = true;
  ledger_stale_ = true;
  last_position_ = nullptr;
  for (const PartitionOffset& p : partitions) {
    positions_[p.id] = Position{.next = -1, .committed = p.offset, .replay_until = p.offset};
    // Its models are rebuilt from the partition's start: forget what they had.
    for (std::size_t m = 0; m < model_partition_.size(); ++m) {
      if (model_partition_[m] == p.id) {
        pipeline_.reset_model(m);
        reported_overflowed_[m] = 0;
        last_evaluation_[m].reset();
      }
    }
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
  last_position_ = nullptr;
  for (const PartitionId& id : partitions) {
    positions_.erase(id);
    metrics_.remove_consumer_lag(id.topic, id.partition);
  }
}

std::vector<PartitionOffset> Daemon::positions() const {
  std::vector<PartitionOffset> out;
  for (const auto& [id, position] : positions_) out.push_back({id, position.next});
  return out;
}

void Daemon::refresh_status() {
  const PipelineCounters& counters = pipeline_.counters();
  // Consuming proves the broker is there; when idle, ask it.
  const bool consumed = counters.messages + counters.replayed > reported_.messages + reported_.replayed;
  broker_ok_ = consumed || producer_.reachable(std::chrono::milliseconds(500));

  for (std::size_t m = 0; m < counters.consumed.size(); ++m) {
    metrics_.add_consumed(m, counters.consumed[m] - reported_.consumed[m]);
    metrics_.add_late(m, counters.late[m] - reported_.late[m]);
    metrics_.set_window_events(m, pipeline_.monitor(m).window_events());
    const std::uint64_t overflowed = pipeline_.monitor(m).overflowed();
    metrics_.add_overflowed(m, overflowed - std::min(overflowed, reported_overflowed_[m]));
    reported_overflowed_[m] = overflowed;
  }
  metrics_.add_replayed(counters.replayed - reported_.replayed);
  reported_ = counters;
  report_output_counters();

  const std::vector<PartitionLag> lags = consumer_.lag(positions());
  std::int64_t total_lag = 0;
  for (const PartitionLag& l : lags) {
    metrics_.set_consumer_lag(l.id.topic, l.id.partition, l.lag);
    total_lag += l.lag;
  }
  const bool replaying = std::any_of(positions_.begin(), positions_.end(),
                                     [](const auto& entry) { return entry.second.replaying(); });
  const bool ready = assigned_ && !ledger_stale_ && broker_ok_ && !replaying &&
                     std::uint64_t(total_lag) <= config_.http.ready_max_lag;
  metrics_.set_ready(ready);
  status_.publish(status_json(lags, ready), ready);
}

void Daemon::report_output_counters() {
  metrics_.add_dead_letters_truncated(producer_.dead_letters_truncated() - reported_truncated_);
  reported_truncated_ = producer_.dead_letters_truncated();
  metrics_.add_dead_letters_failed(producer_.dead_letters_failed() - reported_dead_letters_failed_);
  reported_dead_letters_failed_ = producer_.dead_letters_failed();
}

std::string Daemon::status_json(const std::vector<PartitionLag>& lags, bool ready) const {
  const PipelineCounters& counters = pipeline_.counters();
  std::string out = "{\"version\":";
  append_json_string(out, DRIFTD_VERSION);
  out += ",\"ready\":";
  out += ready ? "true" : "false";
  out += ",\"broker_reachable\":";
  out += broker_ok_ ? "true" : "false";
  out += ",\"messages\":" + std::to_string(counters.messages);
  out += ",\"replayed\":" + std::to_string(counters.replayed);
  out += ",\"transactions\":" + std::to_string(transactions_);
  out += ",\"fetch_wakes\":" + std::to_string(consumer_.fetch_wakes());
  std::uint64_t invalid = 0;
  for (const auto n : counters.invalid) invalid += n;
  out += ",\"invalid\":" + std::to_string(invalid);
  out += ",\"evaluations\":" + std::to_string(counters.evaluations);
  out += ",\"alerts\":" + std::to_string(counters.alerts);
  out += ",\"retrain_triggers\":" + std::to_string(counters.retrain_triggers);
  out += ",\"models\":[";
  for (std::size_t m = 0; m < pipeline_.schemas().size(); ++m) {
    const ModelMonitor& monitor = pipeline_.monitor(m);
    if (m > 0) out += ',';
    out += "{\"id\":";
    append_json_string(out, pipeline_.schemas()[m].id);
    out += ",\"events\":" + std::to_string(counters.consumed[m]);
    out += ",\"late\":" + std::to_string(counters.late[m]);
    out += ",\"window_events\":" + std::to_string(monitor.window_events());
    out += ",\"overflowed\":" + std::to_string(monitor.overflowed());
    out += ",\"reference_ready\":";
    out += monitor.reference_ready() ? "true" : "false";
    out += ",\"last_evaluation\":";
    if (const auto& last = last_evaluation_[m]) {
      out += "{\"window_count\":" + std::to_string(last->window.count);
      out += ",\"start_ts\":" + std::to_string(last->window.start_ts);
      out += ",\"end_ts\":" + std::to_string(last->window.end_ts);
      out += ",\"drift\":";
      out += last->drift ? "true" : "false";
      out += ",\"drifted_share\":";
      append_json_number(out, last->drifted_share);
      out += '}';
    } else {
      out += "null";
    }
    out += '}';
  }
  // Every partition we own, with its lag once librdkafka knows the high watermark.
  out += "],\"partitions\":[";
  bool first = true;
  for (const auto& [id, position] : positions_) {
    if (!first) out += ',';
    first = false;
    out += "{\"topic\":";
    append_json_string(out, id.topic);
    out += ",\"partition\":" + std::to_string(id.partition);
    out += ",\"position\":" + std::to_string(position.next);
    out += ",\"committed\":" + std::to_string(position.committed);
    out += ",\"replaying\":";
    out += position.replaying() ? "true" : "false";
    const auto lag = std::find_if(lags.begin(), lags.end(), [&](const PartitionLag& l) { return l.id == id; });
    out += ",\"lag\":" + (lag == lags.end() ? std::string("null") : std::to_string(lag->lag)) + '}';
  }
  out += "]}";
  return out;
}

}  // namespace driftd

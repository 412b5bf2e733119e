// The output side of `driftd run`: one idempotent librdkafka producer for
// alerts, retrain triggers and dead letters. Sends are asynchronous;
// flush() waits for every delivery report, and is what makes output durable
// before offsets are committed.
//
// Alerts and triggers must arrive: one that cannot be delivered stops the
// daemon before its events are committed. A dead letter is a courtesy copy
// of a message that stays on its input topic: one that cannot be written
// (too large for the producer or the topic, say) is counted and logged, and
// never stops consuming, since a message that did would stop every restart
// at the same offset.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "delivery/output_sink.h"
#include "driftd/config.h"
#include "driftd/event.h"
#include "driftd/message_source.h"
#include "kafka/partition.h"

namespace driftd {

class OutputProducer {
 public:
  // Throws std::runtime_error when librdkafka rejects the configuration.
  explicit OutputProducer(const KafkaConfig& kafka);
  ~OutputProducer();

  // Queues one message; waits for room while librdkafka's queue is full
  // (throws Stopping when `stop` becomes true meanwhile).
  void send(const std::string& topic, std::string_view key, std::string_view value);

  // Copies an invalid input message, with the reason and its source
  // coordinates as headers (include/driftd/README.md, "Dead letters"). Unchanged when it fits the producer's
  // message.max.bytes; else its first bytes, with a `driftd-truncated`
  // header holding the original length. One that still cannot be queued
  // is counted in dead_letters_failed(); returns whether it was queued.
  bool dead_letter(const std::string& topic, const MessageSource& source, InvalidReason reason);

  // Queues a state snapshot (state/partition_snapshot.h) under its
  // partition's key. One that cannot be written (larger than
  // message.max.bytes, refused by the broker) is logged and counted in
  // snapshots_failed(), and stops nothing: an older snapshot, or failing
  // that the partition's start, still restores exactly, by reading more.
  bool snapshot(const std::string& topic, std::string_view key, std::string_view value);
  std::uint64_t snapshots_failed() const;

  // The waits for queue room give up when this becomes true.
  void stop_waiting_on(const std::atomic<bool>& stop) { stop_ = &stop; }
  struct Stopping : std::runtime_error {
    Stopping() : std::runtime_error("stopping while waiting for room in the producer's queue") {}
  };

  // Dead letters cut to fit, and those that could not be written at all
  // (refused when queued, or by the broker), since the start.
  std::uint64_t dead_letters_truncated() const { return dead_letters_truncated_; }
  std::uint64_t dead_letters_failed() const;

  // Serves delivery reports without waiting.
  void poll();

  // The answer of an output sink's flush: delivered (everything queued so
  // far is on the brokers), pending (not yet, e.g. the brokers are away:
  // retried later, nothing lost), failed (a message was rejected for good
  // since the previous flush).
  using Flush = OutputSink::Flush;
  // Waits up to `timeout` for every queued message to be delivered.
  Flush flush(std::chrono::milliseconds timeout);

  // exactly_once: registers the transactional id (fencing an older instance
  // with the same id) and opens the first transaction. Throws on failure.
  void start_transactions(std::chrono::milliseconds timeout);

  // exactly_once: the offsets go into the open transaction, which is
  // committed with every output queued since the previous one; a new one is
  // opened. `pending` when the brokers could not be reached in time (the
  // transaction stays open and is committed later); throws when the
  // transaction had to be aborted or the producer was fenced.
  Flush commit_transaction(const std::vector<PartitionOffset>& offsets, const RdKafka::ConsumerGroupMetadata& group,
                           std::chrono::milliseconds timeout);
  bool transactional() const { return transactional_; }

  // Is any broker answering? Asks for metadata, waiting at most `timeout`.
  bool reachable(std::chrono::milliseconds timeout);

  const std::string& last_error() const { return last_error_; }

 private:
  class Reports;
  // librdkafka's error code when the message cannot be queued for good;
  // ERR_NO_ERROR once queued. Waits while the queue is full.
  RdKafka::ErrorCode produce(const std::string& topic, std::string_view key, std::string_view value,
                             RdKafka::Headers* headers, void* kind);

  std::unique_ptr<Reports> reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::string last_error_;
  bool transactional_ = false;
  std::size_t max_message_bytes_ = 0;  // the producer's message.max.bytes
  const std::atomic<bool>* stop_ = nullptr;
  std::uint64_t dead_letters_truncated_ = 0;
  std::uint64_t dead_letters_refused_ = 0;  // when queued; the broker's refusals are counted by Reports
  std::uint64_t snapshots_refused_ = 0;     // the same for snapshots
};

}  // namespace driftd

// The output side of `driftd run`: one idempotent librdkafka producer for
// alerts, retrain triggers and dead letters. Sends are asynchronous;
// flush() waits for every delivery report, and is what makes output durable
// before offsets are committed.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "driftd/config.h"
#include "driftd/event.h"
#include "kafka/partition.h"

namespace driftd {

class OutputProducer {
 public:
  // Throws std::runtime_error when librdkafka rejects the configuration.
  explicit OutputProducer(const KafkaConfig& kafka);
  ~OutputProducer();

  // Queues one message; waits for room while librdkafka's queue is full.
  void send(const std::string& topic, std::string_view key, std::string_view value);

  // Copies an invalid input message unchanged, with the reason and its
  // source coordinates as headers (SPEC §2).
  void dead_letter(const std::string& topic, const RdKafka::Message& source, InvalidReason reason);

  // Serves delivery reports without waiting.
  void poll();

  enum class Flush {
    delivered,  // everything queued so far is on the brokers
    pending,    // not yet (e.g. the brokers are away): retried later, nothing lost
    failed,     // a message was rejected for good since the previous flush
  };
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
  void produce(const std::string& topic, std::string_view key, std::string_view value, RdKafka::Headers* headers);

  std::unique_ptr<Reports> reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::string last_error_;
  bool transactional_ = false;
};

}  // namespace driftd

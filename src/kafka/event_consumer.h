// The input side of `driftd run`: a librdkafka KafkaConsumer in a consumer
// group over the input topics. Takes messages in batches, reports partition
// assignment (with the committed offsets) and revocation to a listener
// before they take effect, reads every assigned partition from where the
// listener says (its start, or a state snapshot's replay-from), commits the offsets it is given, and reads the consumer lag. Wakes
// librdkafka's fetchers when its queue has drained (FetchWaker).
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "driftd/config.h"
#include "kafka/fetch_waker.h"
#include "kafka/partition.h"

namespace driftd {

// Told about partitions moving, from inside EventConsumer::poll_batch().
class PartitionListener {
 public:
  virtual ~PartitionListener() = default;
  // Each partition with the group's committed offset (-1: none). Returns
  // where to start reading each one, in the same order: the log from there
  // to the committed offset is what rebuilds the windows (see Daemon); -1
  // (or a missing entry): its start.
  virtual std::vector<std::int64_t> on_assigned(const std::vector<PartitionOffset>& partitions) = 0;
  // Still owned while this runs: the last moment to commit their offsets.
  // `lost`: the group gave them away already (our session expired, e.g. in
  // a broker outage): a commit would be refused, and must not be waited for.
  virtual void on_revoking(const std::vector<PartitionId>& partitions, bool lost) = 0;
  // An asynchronous commit went through: these offsets are the group's now.
  virtual void on_committed(const std::vector<PartitionOffset>& offsets) = 0;
};

class EventConsumer {
 public:
  // Throws std::runtime_error when librdkafka rejects the configuration.
  EventConsumer(const KafkaConfig& kafka, PartitionListener& listener);
  ~EventConsumer();

  // Up to `max` messages, waiting at most `wait` for the first one. A
  // consumer error (e.g. the brokers are away) ends the batch early; it is
  // kept in last_error().
  std::vector<std::unique_ptr<RdKafka::Message>> poll_batch(std::size_t max, std::chrono::milliseconds wait);

  // Synchronous commit; returns false (and keeps the reason in last_error())
  // when the broker refused, e.g. during a rebalance. Blocks while the
  // brokers are away: for revocation, where the next owner needs the offsets.
  bool commit(const std::vector<PartitionOffset>& offsets);
  // Sends the commit and returns at once; the listener hears of its success
  // from a later poll_batch(), and a failure lands in last_error(). Periodic
  // checkpoints use it, so that a broker outage never blocks the poll loop.
  void commit_async(const std::vector<PartitionOffset>& offsets);

  // Lag of each partition given its next offset to read, from the high
  // watermarks librdkafka caches with every fetch (no broker round trip).
  std::vector<PartitionLag> lag(const std::vector<PartitionOffset>& positions) const;

  // This member's group identity, for offsets sent within a transaction.
  std::unique_ptr<RdKafka::ConsumerGroupMetadata> group_metadata() const {
    return std::unique_ptr<RdKafka::ConsumerGroupMetadata>(consumer_->groupMetadata());
  }

  // Leaves the group (revoking everything through the listener first).
  void close();

  const std::string& last_error() const { return last_error_; }

  // How often the fetchers were woken after the queue had filled up.
  std::uint64_t fetch_wakes() const { return fetch_waker_.wakes(); }

 private:
  class Rebalance;
  class Commits;

  std::unique_ptr<Rebalance> rebalance_;
  std::unique_ptr<Commits> commits_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  FetchWaker fetch_waker_;  // after consumer_: built after it, released before it
  std::string last_error_;
  bool closed_ = false;
};

}  // namespace driftd

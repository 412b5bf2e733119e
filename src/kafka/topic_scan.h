// Reading topics to a point, outside any consumer group: what the output
// ledger (the tails of the output topics) and the state snapshots (the
// state topic) are loaded with before consuming resumes.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "driftd/config.h"
#include "kafka/partition.h"

namespace driftd {

struct TopicScan {
  std::string reader;                 // names the reader in errors, and its (never joined) group id
  std::vector<std::string> topics;
  // Where to start in a partition whose messages run from `low` to `high` (exclusive).
  std::function<std::int64_t(std::int64_t low, std::int64_t high)> start;
  std::function<void(RdKafka::Message&)> on_message;
};

// Reads every partition of `scan.topics` from scan.start() up to its high
// watermark at the time of asking, handing each message to on_message. A
// topic that does not exist has no partitions; its name is added to
// `missing` when given. Throws std::runtime_error when the topics cannot be
// read within `timeout`; returns false, unfinished, once `stop` is set.
bool scan_topics(const KafkaConfig& kafka, const TopicScan& scan, std::chrono::milliseconds timeout,
                 const std::atomic<bool>& stop, std::vector<std::string>* missing = nullptr);

// The first offset each partition still holds (its low watermark); a
// partition whose watermark cannot be had within `timeout` is left out.
std::map<PartitionId, std::int64_t> log_starts(const KafkaConfig& kafka, const std::vector<PartitionId>& partitions,
                                               std::chrono::milliseconds timeout);

}  // namespace driftd

// The state topic (include/driftd/README.md, "State snapshots"): one
// snapshot per input partition, keyed by the partition, the latest one
// valid. On a real cluster it is compacted, so that it holds about one
// snapshot per key; without compaction (the embedded Kafka) the latest of
// what retention kept is read just the same.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "driftd/config.h"
#include "kafka/partition.h"

namespace driftd {

// The state topic's key of an input partition: "<topic>/<partition>".
std::string state_key(const PartitionId& id);

// The state topic of a configuration: state.topic, or "<group_id>.state".
std::string state_topic(const KafkaConfig& kafka, const StateConfig& state);

struct StateRead {
  // key -> the last value written under it in each partition of the state
  // topic that has one: usually one, unless the topic's partitions were
  // changed or another writer placed keys differently.
  std::map<std::string, std::vector<std::string>> latest;
  bool topic_missing = false;  // the state topic does not exist (yet)
};

// Reads the whole state topic, keeping the last values of each of `keys`.
// Throws std::runtime_error when it cannot be read within `timeout`;
// `stop` ends it early (then nothing was found).
StateRead read_state(const KafkaConfig& kafka, const std::string& topic, const std::set<std::string>& keys,
                     std::chrono::milliseconds timeout, const std::atomic<bool>& stop);

}  // namespace driftd

#include "kafka/state_topic.h"

#include <optional>
#include <utility>

#include "kafka/topic_scan.h"

namespace driftd {

std::string state_key(const PartitionId& id) { return id.topic + "/" + std::to_string(id.partition); }

std::string state_topic(const KafkaConfig& kafka, const StateConfig& state) {
  return state.topic.empty() ? kafka.group_id + ".state" : state.topic;
}

StateRead read_state(const KafkaConfig& kafka, const std::string& topic, const std::set<std::string>& keys,
                     std::chrono::milliseconds timeout, const std::atomic<bool>& stop) {
  std::map<std::pair<std::string, std::int32_t>, std::optional<std::string>> last;  // (key, partition) -> value
  TopicScan scan{.reader = "state", .topics = {topic}};
  scan.start = [](std::int64_t low, std::int64_t) { return low; };
  scan.on_message = [&](RdKafka::Message& message) {
    if (message.key() == nullptr || keys.count(*message.key()) == 0) return;
    std::optional<std::string>& value = last[{*message.key(), message.partition()}];
    // A tombstone (null value) deletes the key's snapshot.
    if (message.payload() == nullptr) {
      value.reset();
    } else {
      value.emplace(static_cast<const char*>(message.payload()), message.len());
    }
  };
  std::vector<std::string> missing;
  if (!scan_topics(kafka, scan, timeout, stop, &missing)) return {};
  StateRead out;
  out.topic_missing = !missing.empty();
  for (auto& [where, value] : last) {
    if (value) out.latest[where.first].push_back(std::move(*value));
  }
  return out;
}

}  // namespace driftd

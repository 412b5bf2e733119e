#include "kafka/state_topic.h"

#include "kafka/topic_scan.h"

namespace driftd {

std::string state_key(const PartitionId& id) { return id.topic + "/" + std::to_string(id.partition); }

std::string state_topic(const KafkaConfig& kafka, const StateConfig& state) {
  return state.topic.empty() ? kafka.group_id + ".state" : state.topic;
}

StateRead read_state(const KafkaConfig& kafka, const std::string& topic, const std::set<std::string>& keys,
                     std::chrono::milliseconds timeout, const std::atomic<bool>& stop) {
  StateRead out;
  TopicScan scan{.reader = "state", .topics = {topic}};
  scan.start = [](std::int64_t low, std::int64_t) { return low; };
  scan.on_message = [&](RdKafka::Message& message) {
    if (message.key() == nullptr) return;
    const auto wanted = keys.find(*message.key());
    if (wanted == keys.end()) return;
    // A tombstone (null value) deletes the key's snapshot.
    if (message.payload() == nullptr) {
      out.latest.erase(*wanted);
    } else {
      out.latest[*wanted].assign(static_cast<const char*>(message.payload()), message.len());
    }
  };
  std::vector<std::string> missing;
  if (!scan_topics(kafka, scan, timeout, stop, &missing)) return {};
  out.topic_missing = !missing.empty();
  return out;
}

}  // namespace driftd

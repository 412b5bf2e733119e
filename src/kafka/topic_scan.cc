#include "kafka/topic_scan.h"

#include <map>
#include <memory>
#include <stdexcept>

#include "kafka/client_config.h"

namespace driftd {

bool scan_topics(const KafkaConfig& kafka, const TopicScan& scan, std::chrono::milliseconds timeout,
                 const std::atomic<bool>& stop, std::vector<std::string>* missing) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  const auto left_ms = [&] {
    return int(std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count()));
  };
  KafkaConfig reader = kafka;
  reader.group_id = kafka.group_id + "." + scan.reader;  // never joined: partitions are assigned by hand
  std::unique_ptr<RdKafka::Conf> conf = consumer_conf(reader);
  std::string problem;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), problem));
  if (!consumer) throw std::runtime_error(scan.reader + ": " + problem);
  std::vector<RdKafka::TopicPartition*> assignment;
  std::map<std::pair<std::string, std::int32_t>, std::int64_t> ends;  // where each partition's read ends
  for (const std::string& topic : scan.topics) {
    std::unique_ptr<RdKafka::Topic> handle(RdKafka::Topic::create(consumer.get(), topic, nullptr, problem));
    RdKafka::Metadata* raw = nullptr;
    const RdKafka::ErrorCode err = consumer->metadata(false, handle.get(), &raw, left_ms());
    std::unique_ptr<RdKafka::Metadata> metadata(raw);
    if (err != RdKafka::ERR_NO_ERROR) {
      throw std::runtime_error(scan.reader + ": metadata of " + topic + ": " + RdKafka::err2str(err));
    }
    for (const RdKafka::TopicMetadata* t : *metadata->topics()) {
      if (t->err() != RdKafka::ERR_NO_ERROR) {  // not created yet: nothing was written there
        if (missing != nullptr) missing->push_back(topic);
        continue;
      }
      for (const RdKafka::PartitionMetadata* p : *t->partitions()) {
        std::int64_t low = 0, high = 0;
        const RdKafka::ErrorCode werr = consumer->query_watermark_offsets(topic, p->id(), &low, &high, left_ms());
        if (werr != RdKafka::ERR_NO_ERROR) {
          throw std::runtime_error(scan.reader + ": watermarks of " + topic + ": " + RdKafka::err2str(werr));
        }
        if (high <= low) continue;
        assignment.push_back(RdKafka::TopicPartition::create(topic, p->id(), scan.start(low, high)));
        ends[{topic, p->id()}] = high;
      }
    }
  }
  if (assignment.empty()) return true;
  consumer->assign(assignment);
  RdKafka::TopicPartition::destroy(assignment);
  while (!ends.empty()) {
    if (stop.load()) return false;
    if (Clock::now() >= deadline) throw std::runtime_error(scan.reader + ": topics not read in time");
    std::unique_ptr<RdKafka::Message> message(consumer->consume(100));
    if (message->err() == RdKafka::ERR__TIMED_OUT || message->err() == RdKafka::ERR__PARTITION_EOF) continue;
    if (message->err() != RdKafka::ERR_NO_ERROR) continue;  // transient: retried until the deadline
    const auto end = ends.find({message->topic_name(), message->partition()});
    if (end == ends.end()) continue;
    scan.on_message(*message);
    if (message->offset() + 1 >= end->second) ends.erase(end);
  }
  consumer->close();
  return true;
}

std::map<PartitionId, std::int64_t> log_starts(const KafkaConfig& kafka, const std::vector<PartitionId>& partitions,
                                               std::chrono::milliseconds timeout) {
  std::map<PartitionId, std::int64_t> out;
  KafkaConfig reader = kafka;
  reader.group_id = kafka.group_id + ".watermarks";  // never joined
  std::unique_ptr<RdKafka::Conf> conf = consumer_conf(reader);
  std::string problem;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), problem));
  if (!consumer) return out;
  for (const PartitionId& id : partitions) {
    std::int64_t low = 0, high = 0;
    if (consumer->query_watermark_offsets(id.topic, id.partition, &low, &high, int(timeout.count())) ==
        RdKafka::ERR_NO_ERROR) {
      out[id] = low;
    }
  }
  consumer->close();
  return out;
}

}  // namespace driftd

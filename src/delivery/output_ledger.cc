#include "delivery/output_ledger.h"

#include <librdkafka/rdkafkacpp.h>
#include <simdjson.h>

#include <charconv>
#include <map>
#include <memory>
#include <stdexcept>

#include "kafka/client_config.h"

namespace driftd {
namespace {

using Clock = std::chrono::steady_clock;

std::string header(RdKafka::Message& message, const std::string& name) {
  const RdKafka::Headers* headers = message.headers();
  if (headers == nullptr) return {};
  const RdKafka::Headers::Header h = headers->get_last(name);
  if (h.err() != RdKafka::ERR_NO_ERROR || h.value() == nullptr) return {};
  return std::string(static_cast<const char*>(h.value()), h.value_size());
}

template <typename Number>
bool parse(const std::string& text, Number& out) {
  const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), out);
  return err == std::errc() && end == text.data() + text.size() && !text.empty();
}

// The alert_id or trigger_id of an output message; empty when it has none
// (another producer's message on the topic).
std::string output_id(const RdKafka::Message& message, simdjson::ondemand::parser& parser) {
  const simdjson::padded_string json(static_cast<const char*>(message.payload()), message.len());
  simdjson::ondemand::document doc;
  if (parser.iterate(json).get(doc) != simdjson::SUCCESS) return {};
  simdjson::ondemand::object object;
  if (doc.get_object().get(object) != simdjson::SUCCESS) return {};
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return {};
    if (key != "alert_id" && key != "trigger_id") continue;
    std::string_view id;
    if (field.value().get_string().get(id) != simdjson::SUCCESS) return {};
    return std::string(id);
  }
  return {};
}

}  // namespace

std::string OutputLedger::dead_letter_id(std::string_view topic, std::int32_t partition, std::int64_t offset) {
  return "dead-letter:" + std::string(topic) + "/" + std::to_string(partition) + "/" + std::to_string(offset);
}

void OutputLedger::remember(std::string id) {
  if (!ids_.insert(id).second) return;
  order_.push_back(std::move(id));
  if (order_.size() > capacity_) {
    ids_.erase(order_.front());
    order_.pop_front();
  }
}

bool OutputLedger::load(const KafkaConfig& kafka, std::size_t tail, std::chrono::milliseconds timeout,
                        const std::atomic<bool>& stop) {
  const auto deadline = Clock::now() + timeout;
  const auto left_ms = [&] {
    return int(std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count()));
  };
  KafkaConfig reader = kafka;
  reader.group_id = kafka.group_id + ".ledger";  // never joined: partitions are assigned by hand
  std::unique_ptr<RdKafka::Conf> conf = consumer_conf(reader);
  std::string problem;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), problem));
  if (!consumer) throw std::runtime_error("output ledger: " + problem);

  std::vector<std::string> topics = {kafka.alert_topic, kafka.retrain_topic};
  if (!kafka.dead_letter_topic.empty()) topics.push_back(kafka.dead_letter_topic);
  std::vector<RdKafka::TopicPartition*> assignment;
  std::map<std::pair<std::string, std::int32_t>, std::int64_t> ends;  // where each partition's tail ends
  for (const std::string& topic : topics) {
    std::unique_ptr<RdKafka::Topic> handle(RdKafka::Topic::create(consumer.get(), topic, nullptr, problem));
    RdKafka::Metadata* raw = nullptr;
    const RdKafka::ErrorCode err = consumer->metadata(false, handle.get(), &raw, left_ms());
    std::unique_ptr<RdKafka::Metadata> metadata(raw);
    if (err != RdKafka::ERR_NO_ERROR) throw std::runtime_error("output ledger: metadata of " + topic + ": " + RdKafka::err2str(err));
    for (const RdKafka::TopicMetadata* t : *metadata->topics()) {
      if (t->err() != RdKafka::ERR_NO_ERROR) continue;  // not created yet: nothing published there
      for (const RdKafka::PartitionMetadata* p : *t->partitions()) {
        std::int64_t low = 0, high = 0;
        const RdKafka::ErrorCode werr = consumer->query_watermark_offsets(topic, p->id(), &low, &high, left_ms());
        if (werr != RdKafka::ERR_NO_ERROR) {
          throw std::runtime_error("output ledger: watermarks of " + topic + ": " + RdKafka::err2str(werr));
        }
        if (high <= low) continue;
        const std::int64_t from = std::max(low, high - std::int64_t(tail));
        assignment.push_back(RdKafka::TopicPartition::create(topic, p->id(), from));
        ends[{topic, p->id()}] = high;
      }
    }
  }
  if (assignment.empty()) return true;
  consumer->assign(assignment);
  RdKafka::TopicPartition::destroy(assignment);

  simdjson::ondemand::parser parser;
  while (!ends.empty()) {
    if (stop.load()) return false;
    if (Clock::now() >= deadline) throw std::runtime_error("output ledger: output topics not read in time");
    std::unique_ptr<RdKafka::Message> message(consumer->consume(100));
    if (message->err() == RdKafka::ERR__TIMED_OUT || message->err() == RdKafka::ERR__PARTITION_EOF) continue;
    if (message->err() != RdKafka::ERR_NO_ERROR) continue;  // transient: retried until the deadline
    const auto key = std::make_pair(message->topic_name(), message->partition());
    const auto end = ends.find(key);
    if (end == ends.end()) continue;
    if (message->topic_name() == kafka.dead_letter_topic) {
      const std::string source = header(*message, "driftd-source-topic");
      const std::string partition = header(*message, "driftd-source-partition");
      const std::string offset = header(*message, "driftd-source-offset");
      std::int32_t p = 0;
      std::int64_t o = 0;
      if (!source.empty() && parse(partition, p) && parse(offset, o)) remember(dead_letter_id(source, p, o));
    } else if (std::string id = output_id(*message, parser); !id.empty()) {
      remember(std::move(id));
    }
    if (message->offset() + 1 >= end->second) ends.erase(end);
  }
  consumer->close();
  return true;
}

}  // namespace driftd

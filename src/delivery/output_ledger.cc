#include "delivery/output_ledger.h"

#include <librdkafka/rdkafkacpp.h>
#include <simdjson.h>

#include <charconv>
#include <map>
#include <memory>
#include <stdexcept>

#include "kafka/topic_scan.h"

namespace driftd {
namespace {


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
  TopicScan scan{.reader = "ledger", .topics = {kafka.alert_topic, kafka.retrain_topic}};
  if (!kafka.dead_letter_topic.empty()) scan.topics.push_back(kafka.dead_letter_topic);
  scan.start = [tail](std::int64_t low, std::int64_t high) { return std::max(low, high - std::int64_t(tail)); };
  simdjson::ondemand::parser parser;
  scan.on_message = [&](RdKafka::Message& message) {
    if (message.topic_name() == kafka.dead_letter_topic) {
      const std::string source = header(message, "driftd-source-topic");
      const std::string partition = header(message, "driftd-source-partition");
      const std::string offset = header(message, "driftd-source-offset");
      std::int32_t p = 0;
      std::int64_t o = 0;
      if (!source.empty() && parse(partition, p) && parse(offset, o)) remember(dead_letter_id(source, p, o));
    } else if (std::string id = output_id(message, parser); !id.empty()) {
      remember(std::move(id));
    }
  };
  return scan_topics(kafka, scan, timeout, stop);
}

}  // namespace driftd

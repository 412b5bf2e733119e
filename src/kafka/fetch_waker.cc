#include "kafka/fetch_waker.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace driftd {
namespace {

// A wake only needs its requests sent; the wait bounds the rare case of a
// broker that does not answer.
constexpr int kWakeTimeoutMs = 200;

FetchQueueWatch watch_for(const RdKafka::Conf& conf) {
  std::string messages, kbytes;
  if (conf.get("queued.min.messages", messages) != RdKafka::Conf::CONF_OK ||
      conf.get("queued.max.messages.kbytes", kbytes) != RdKafka::Conf::CONF_OK) {
    throw std::runtime_error("kafka consumer: cannot read the queue limits back");
  }
  return FetchQueueWatch(std::stoull(messages), std::stoull(kbytes) * 1024);
}

}  // namespace

FetchWaker::FetchWaker(const RdKafka::Conf& conf, RdKafka::KafkaConsumer& consumer)
    : consumer_(consumer),
      watch_(watch_for(conf)),
      queue_(rd_kafka_queue_get_consumer(static_cast<rd_kafka_t*>(consumer.c_ptr()))) {}

FetchWaker::~FetchWaker() { rd_kafka_queue_destroy(queue_); }

void FetchWaker::look(std::size_t taken_messages, std::size_t taken_bytes) {
  if (!watch_.should_wake(rd_kafka_queue_length(queue_), taken_messages, taken_bytes)) return;
  std::vector<RdKafka::TopicPartition*> owned;
  if (consumer_.assignment(owned) == RdKafka::ERR_NO_ERROR && !owned.empty()) {
    for (RdKafka::TopicPartition* p : owned) p->set_offset(RdKafka::Topic::OFFSET_END);
    consumer_.offsetsForTimes(owned, kWakeTimeoutMs);  // the answer is not needed
    ++wakes_;
  }
  RdKafka::TopicPartition::destroy(owned);
}

}  // namespace driftd

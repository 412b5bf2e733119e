#include "kafka/fetch_waker.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace driftd {
namespace {

// A wake only needs its requests sent; the wait bounds the rare case of a
// broker that does not answer.
constexpr int kWakeTimeoutMs = 200;

// One of the consumer's settings, as it runs with it.
std::size_t setting(rd_kafka_t* consumer, const char* name) {
  char value[32];
  std::size_t size = sizeof value;
  if (rd_kafka_conf_get(rd_kafka_conf(consumer), name, value, &size) != RD_KAFKA_CONF_OK) {
    throw std::runtime_error(std::string("kafka consumer: cannot read ") + name + " back");
  }
  return std::stoull(value);
}

rd_kafka_t* handle(RdKafka::KafkaConsumer& consumer) { return static_cast<rd_kafka_t*>(consumer.c_ptr()); }

}  // namespace

FetchWaker::FetchWaker(RdKafka::KafkaConsumer& consumer)
    : consumer_(consumer),
      watch_(setting(handle(consumer), "queued.min.messages"),
             setting(handle(consumer), "queued.max.messages.kbytes") * 1024),
      queue_(rd_kafka_queue_get_consumer(handle(consumer))) {}

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

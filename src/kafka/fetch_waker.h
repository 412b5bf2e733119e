// Keeps a consumer's fetchers going through a backlog: looks at its queue
// and, when FetchQueueWatch says so, wakes the fetchers librdkafka 2.0.2
// left asleep after the queue filled (see fetch_queue_watch.h). Any request
// wakes the broker thread it goes to, and a woken thread looks at its
// partitions' queue again: asking for the latest offsets of what the
// consumer owns reaches every leader of it, in one call. Used by
// EventConsumer, and by bench_intake so that the baseline does the same.
#pragma once

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include <cstddef>
#include <cstdint>

#include "kafka/fetch_queue_watch.h"

namespace driftd {

class FetchWaker {
 public:
  // Watches the queue limits `consumer` runs with (kafka.properties may set
  // them); `consumer` must outlive the waker. Throws std::runtime_error
  // when the limits cannot be read back.
  explicit FetchWaker(RdKafka::KafkaConsumer& consumer);
  ~FetchWaker();
  FetchWaker(const FetchWaker&) = delete;
  FetchWaker& operator=(const FetchWaker&) = delete;

  // At each look at the queue: what was taken from it since the last look.
  void look(std::size_t taken_messages, std::size_t taken_bytes);

  // How often the fetchers were woken.
  std::uint64_t wakes() const { return wakes_; }

 private:
  RdKafka::KafkaConsumer& consumer_;
  FetchQueueWatch watch_;
  rd_kafka_queue_t* queue_;  // the consumer queue, for its length
  std::uint64_t wakes_ = 0;
};

}  // namespace driftd

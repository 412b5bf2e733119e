// What bench_fill and bench_intake share: clocks and a topic's partition count.
#pragma once

#include <librdkafka/rdkafkacpp.h>
#include <sys/resource.h>
#include <time.h>

#include <memory>
#include <string>

namespace driftd::bench {

inline double wall_seconds() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

// Every thread of the process: librdkafka's too.
inline double cpu_seconds() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

// 0 when the topic does not exist or the brokers do not answer in 10 s.
inline int partition_count(RdKafka::Handle& client, const std::string& topic_name) {
  RdKafka::Metadata* raw = nullptr;
  if (client.metadata(true, nullptr, &raw, 10000) != RdKafka::ERR_NO_ERROR) return 0;
  const std::unique_ptr<RdKafka::Metadata> metadata(raw);
  for (const RdKafka::TopicMetadata* t : *metadata->topics()) {
    if (t->topic() == topic_name && t->err() == RdKafka::ERR_NO_ERROR) return int(t->partitions()->size());
  }
  return 0;
}

}  // namespace driftd::bench

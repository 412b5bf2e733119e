// The intake baseline: how fast can a bare librdkafka consumer read events
// and pull every number out of "features" with simdjson On Demand? driftd's
// own Kafka intake is measured against this figure.
//   driftd kafka-sandbox --topics bench:64 &        # first stdout line: B
//   bench_fill --bootstrap B --topic bench --generate 200000
//   bench_intake --bootstrap B --topic bench --messages 200000 [--no-parse] [--no-wake]
// Every partition is read from the beginning with assign() (no group join).
// librdkafka 2.0.2 stops fetching while its local queue is full and looks
// again only up to 1 s later; like driftd, this consumer wakes its fetchers
// once a full queue has drained to half (kafka/fetch_waker.h), so that
// it runs at its intake limit instead of stalling (--no-wake: it stalls).
// Time and CPU (all threads of this process, librdkafka's included; the
// brokers are in the sandbox's process) run from the first message to the
// N-th, so connecting and the first fetch are left out.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <librdkafka/rdkafkacpp.h>
#include <simdjson.h>

#include "kafka/client_config.h"
#include "kafka/fetch_waker.h"
#include "kafka_bench.h"

using driftd::bench::cpu_seconds;
using driftd::bench::partition_count;
using driftd::bench::wall_seconds;

namespace {

// simdjson reads up to SIMDJSON_PADDING bytes past the end of its input, and
// a Kafka payload has no such slack: each one is copied into this buffer.
class FeatureExtractor {
 public:
  // Adds every number under "features" to `sum`; false when the message is
  // not a JSON object with a "features" object.
  bool extract(const void* data, std::size_t size, double& sum, std::size_t& numbers) {
    if (buffer_.size() < size + simdjson::SIMDJSON_PADDING) buffer_.resize(2 * size + simdjson::SIMDJSON_PADDING);
    std::memcpy(buffer_.data(), data, size);
    simdjson::ondemand::document document;
    if (parser_.iterate(buffer_.data(), size, buffer_.size()).get(document)) return false;
    simdjson::ondemand::object features;
    if (document["features"].get_object().get(features)) return false;
    for (auto field : features) {
      simdjson::ondemand::value value;
      simdjson::ondemand::json_type type;
      if (field.value().get(value) || value.type().get(type)) return false;
      if (type != simdjson::ondemand::json_type::number) continue;
      double number;
      if (value.get_double().get(number)) return false;
      sum += number;
      ++numbers;
    }
    return true;
  }

 private:
  simdjson::ondemand::parser parser_;
  std::vector<char> buffer_;
};

}  // namespace

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  std::string bootstrap, topic;
  std::size_t messages = 0;
  double timeout_s = 120;
  std::string queue_kbytes;
  po::options_description options("bench_intake options");
  options.add_options()
      ("help,h", "print this help")
      ("bootstrap", po::value(&bootstrap)->required(), "bootstrap servers")
      ("topic", po::value(&topic)->required(), "topic to read from the beginning")
      ("messages", po::value(&messages)->required(), "stop after this many messages")
      ("timeout-s", po::value(&timeout_s)->default_value(timeout_s), "give up after this long")
      ("no-parse", "consume only: the bare client's cost")
      ("no-wake", "leave librdkafka's fetchers to wake up by themselves")
      ("queue-kbytes", po::value(&queue_kbytes), "queued.max.messages.kbytes (driftd's default when absent)");
  po::variables_map values;
  try {
    po::store(po::parse_command_line(argc, argv, options), values);
    if (values.count("help")) {
      std::printf("usage: bench_intake --bootstrap B --topic T --messages N [--no-parse] [--no-wake]\n");
      std::cout << options;
      return 0;
    }
    po::notify(values);
  } catch (const po::error& e) {
    std::fprintf(stderr, "bench_intake: %s\n", e.what());
    return 2;
  }
  const bool parse = values.count("no-parse") == 0;

  // driftd's own consumer settings (kafka/client_config.h), so that the
  // baseline differs from driftd only in what it does with the messages.
  driftd::KafkaConfig kafka;
  kafka.bootstrap_servers = bootstrap;
  kafka.group_id = "bench-intake";
  if (!queue_kbytes.empty()) kafka.properties["queued.max.messages.kbytes"] = queue_kbytes;
  std::unique_ptr<RdKafka::Conf> conf;
  try {
    conf = driftd::consumer_conf(kafka);
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "bench_intake: %s\n", e.what());
    return 2;
  }
  std::string error;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer) {
    std::fprintf(stderr, "bench_intake: %s\n", error.c_str());
    return 3;
  }
  const int partitions = partition_count(*consumer, topic);
  if (partitions == 0) {
    std::fprintf(stderr, "bench_intake: topic %s not found at %s\n", topic.c_str(), bootstrap.c_str());
    return 3;
  }
  std::vector<RdKafka::TopicPartition*> assignment;
  for (int p = 0; p < partitions; ++p) {
    assignment.push_back(RdKafka::TopicPartition::create(topic, p, RdKafka::Topic::OFFSET_BEGINNING));
  }
  const RdKafka::ErrorCode assigned = consumer->assign(assignment);
  RdKafka::TopicPartition::destroy(assignment);
  if (assigned != RdKafka::ERR_NO_ERROR) {
    std::fprintf(stderr, "bench_intake: assign: %s\n", RdKafka::err2str(assigned).c_str());
    return 3;
  }

  driftd::FetchWaker waker(*consumer);
  const bool wake = values.count("no-wake") == 0;
  std::size_t taken = 0, taken_bytes = 0;
  // driftd looks after each batch, and the queue refills while the batch
  // is processed. Here processing is interleaved with taking, so the queue
  // is looked at often: every 1,000 messages, a small part of any queue (a
  // queue-length read, no request).
  const auto look_at_queue = [&] {
    if (wake) waker.look(taken, taken_bytes);
    taken = taken_bytes = 0;
  };

  FeatureExtractor extractor;
  double sum = 0, wall_start = 0, cpu_start = 0;
  std::size_t count = 0, numbers = 0, invalid = 0, bytes = 0;
  const double deadline = wall_seconds() + timeout_s;
  while (count < messages && wall_seconds() < deadline) {
    if (taken == 1'000) look_at_queue();
    const std::unique_ptr<RdKafka::Message> message(consumer->consume(100));
    if (message->err() == RdKafka::ERR__TIMED_OUT) look_at_queue();
    if (message->err() == RdKafka::ERR__TIMED_OUT || message->err() == RdKafka::ERR__PARTITION_EOF) continue;
    if (message->err() != RdKafka::ERR_NO_ERROR) {
      std::fprintf(stderr, "bench_intake: %s\n", message->errstr().c_str());
      continue;
    }
    if (count == 0) {
      wall_start = wall_seconds();
      cpu_start = cpu_seconds();
    }
    ++count;
    ++taken;
    taken_bytes += message->len();
    bytes += message->len();
    if (parse && !extractor.extract(message->payload(), message->len(), sum, numbers)) ++invalid;
  }
  const double wall = wall_seconds() - wall_start, cpu = cpu_seconds() - cpu_start;
  consumer->close();

  if (count < messages) {
    std::fprintf(stderr, "bench_intake: read %zu of %zu messages within %.0f s\n", count, messages, timeout_s);
    return 3;
  }
  std::printf("intake: %zu msgs in %.3f s = %.0f msgs/s (cpu %.3f s)\n", count, wall, double(count) / wall, cpu);
  std::printf("  %.0f bytes/msg avg, %d partitions, %s; %.2f us cpu/msg", double(bytes) / double(count), partitions,
              parse ? "simdjson On Demand on \"features\"" : "no parsing", cpu * 1e6 / double(count));
  if (parse) std::printf(", %zu numbers (%.1f/msg, checksum %g), %zu invalid", numbers,
                         double(numbers) / double(count), sum, invalid);
  std::printf(", %llu fetch wakes", static_cast<unsigned long long>(waker.wakes()));
  std::printf("\n");
  return 0;
}

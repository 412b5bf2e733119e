// Fills a topic fast for the intake benchmark (kafka-python is far too slow
// for 10^6 messages): events of ~300 bytes with 20 numeric features, as in
// bench_decode, or the lines of a JSONL file, keyed by model_id.
//   driftd kafka-sandbox --topics bench:64 &        # first stdout line: B
//   bench_fill --bootstrap B --topic bench --generate 1000000
//   bench_fill --bootstrap B --topic bench --input events.jsonl
// Messages go to partitions round-robin, not by key: the mock keeps only about
// 5 MiB per partition and drops older data silently, so spreading evenly is
// what lets the most data survive (--by-key places them by librdkafka's
// partitioner instead). At the end the partitions' watermarks are checked, and
// the program fails when the mock dropped anything (only warns with
// --allow-drops, for a fill past the mock's retention on purpose).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <librdkafka/rdkafkacpp.h>

#include "kafka_bench.h"

using driftd::bench::cpu_seconds;
using driftd::bench::partition_count;
using driftd::bench::wall_seconds;

namespace {

// The same shape as bench_decode's events, with `models` models in turn.
std::vector<std::string> generate_events(std::size_t count, std::size_t features, std::size_t models) {
  std::mt19937_64 random(11);
  std::normal_distribution<double> value(0.0, 50.0);
  std::uniform_real_distribution<double> score(0.0, 1.0);
  std::vector<std::string> events(count);
  char number[40];
  for (std::size_t i = 0; i < count; ++i) {
    std::string& event = events[i];
    event = R"({"model_id":"model-)" + std::to_string(i % models) + R"(","ts":)" +
            std::to_string(1763800000000 + i) + R"(,"features":{)";
    for (std::size_t f = 0; f < features; ++f) {
      std::snprintf(number, sizeof number, "%s\"f%02zu\":%.2f", f == 0 ? "" : ",", f, value(random));
      event += number;
    }
    std::snprintf(number, sizeof number, "%.3f", score(random));
    event += std::string(R"(},"prediction":)") + number + "}";
  }
  return events;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream input(path, std::ios::binary);
  if (!input) throw std::runtime_error("cannot open " + path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(input, line)) lines.push_back(line);
  return lines;
}

// The model_id string of a generated-shape event, by a plain search: this is
// a load tool, not a parser.
std::string model_key(const std::string& event) {
  const std::string marker = R"("model_id":")";
  const std::size_t start = event.find(marker);
  if (start == std::string::npos) return {};
  const std::size_t begin = start + marker.size();
  const std::size_t end = event.find('"', begin);
  return end == std::string::npos ? std::string() : event.substr(begin, end - begin);
}

class Deliveries final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    if (message.err() != RdKafka::ERR_NO_ERROR && failed++ == 0) {
      std::fprintf(stderr, "bench_fill: delivery failed: %s\n", message.errstr().c_str());
    }
  }
  std::size_t failed = 0;
};

}  // namespace

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  std::string bootstrap, topic, input;
  std::size_t generate = 0, features = 20, models = 2;
  po::options_description options("bench_fill options");
  options.add_options()
      ("help,h", "print this help")
      ("bootstrap", po::value(&bootstrap)->required(), "bootstrap servers")
      ("topic", po::value(&topic)->required(), "topic to fill (create it first, with many partitions)")
      ("input", po::value(&input), "send the lines of this JSONL file")
      ("generate", po::value(&generate), "or send this many synthetic events")
      ("features", po::value(&features)->default_value(features), "numeric features per synthetic event")
      ("models", po::value(&models)->default_value(models), "model ids of synthetic events, in turn")
      ("by-key", "place messages by key (librdkafka's partitioner), not round-robin")
      ("allow-drops", "only warn when the mock dropped messages (a fill past its retention, on purpose)");
  po::variables_map values;
  try {
    po::store(po::parse_command_line(argc, argv, options), values);
    if (values.count("help")) {
      std::printf("usage: bench_fill --bootstrap B --topic T (--input FILE.jsonl | --generate N)\n");
      std::cout << options;
      return 0;
    }
    po::notify(values);
    if (input.empty() == (generate == 0)) throw po::error("give exactly one of --input and --generate");
    if (models == 0) throw po::error("--models must be at least 1");
  } catch (const po::error& e) {
    std::fprintf(stderr, "bench_fill: %s\n", e.what());
    return 2;
  }
  const bool by_key = values.count("by-key") > 0;
  const bool allow_drops = values.count("allow-drops") > 0;

  const std::vector<std::string> events = input.empty() ? generate_events(generate, features, models) : read_lines(input);
  std::size_t bytes = 0;
  for (const std::string& event : events) bytes += event.size();

  Deliveries deliveries;
  std::string error;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  const std::pair<const char*, std::string> settings[] = {
      {"bootstrap.servers", bootstrap}, {"linger.ms", "20"}, {"acks", "1"},
      {"queue.buffering.max.messages", "2000000"}, {"queue.buffering.max.kbytes", "2097151"},
      {"batch.size", "1000000"}};
  for (const auto& [name, value] : settings) {
    if (conf->set(name, value, error) != RdKafka::Conf::CONF_OK) {
      std::fprintf(stderr, "bench_fill: %s\n", error.c_str());
      return 2;
    }
  }
  conf->set("dr_cb", &deliveries, error);
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), error));
  if (!producer) {
    std::fprintf(stderr, "bench_fill: %s\n", error.c_str());
    return 3;
  }
  const int partitions = partition_count(*producer, topic);
  if (partitions == 0) {
    std::fprintf(stderr, "bench_fill: topic %s not found at %s\n", topic.c_str(), bootstrap.c_str());
    return 3;
  }
  if (double(bytes) / partitions > 4.5 * 1024 * 1024) {
    std::fprintf(stderr, "bench_fill: warning: %.1f MiB per partition over %d partitions; the mock keeps ~5 MiB\n",
                 double(bytes) / partitions / 1048576, partitions);
  }

  const double wall_start = wall_seconds(), cpu_start = cpu_seconds();
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::string& event = events[i];
    const std::string key = model_key(event);
    const int partition = by_key ? RdKafka::Topic::PARTITION_UA : int(i % std::size_t(partitions));
    for (;;) {
      const RdKafka::ErrorCode err =
          producer->produce(topic, partition, RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(event.data()),
                            event.size(), key.empty() ? nullptr : key.data(), key.size(), 0, nullptr);
      if (err == RdKafka::ERR_NO_ERROR) break;
      if (err != RdKafka::ERR__QUEUE_FULL) {
        std::fprintf(stderr, "bench_fill: produce: %s\n", RdKafka::err2str(err).c_str());
        return 3;
      }
      producer->poll(100);
    }
    producer->poll(0);
  }
  if (producer->flush(60000) != RdKafka::ERR_NO_ERROR) {
    std::fprintf(stderr, "bench_fill: messages still unsent after 60 s\n");
    return 3;
  }
  const double wall = wall_seconds() - wall_start, cpu = cpu_seconds() - cpu_start;

  // What the mock still holds: it drops the oldest data of a full partition
  // while reporting success, so count what is left.
  std::int64_t kept = 0;
  for (int p = 0; p < partitions; ++p) {
    std::int64_t low = 0, high = 0;
    if (producer->query_watermark_offsets(topic, p, &low, &high, 5000) != RdKafka::ERR_NO_ERROR) {
      std::fprintf(stderr, "bench_fill: cannot read the watermarks of partition %d\n", p);
      return 3;
    }
    kept += high - low;
  }
  std::printf("fill: %zu msgs (%.0f bytes avg) to %d partitions in %.2f s = %.0f msgs/s (cpu %.2f s); topic holds %lld\n",
              events.size(), double(bytes) / double(events.size()), partitions, wall, double(events.size()) / wall, cpu,
              static_cast<long long>(kept));
  if (deliveries.failed > 0) {
    std::fprintf(stderr, "bench_fill: %zu messages failed\n", deliveries.failed);
    return 3;
  }
  if (kept < std::int64_t(events.size()) && allow_drops) {
    std::fprintf(stderr, "bench_fill: warning: the mock dropped %lld of %zu messages (its retention)\n",
                 static_cast<long long>(std::int64_t(events.size()) - kept), events.size());
  } else if (kept < std::int64_t(events.size())) {
    std::fprintf(stderr, "bench_fill: the topic holds fewer messages than sent (the mock dropped some, or the topic "
                         "was not empty); use more partitions\n");
    return 3;
  }
  return 0;
}

#include "kafka/client_config.h"

#include <stdexcept>

namespace driftd {
namespace {

std::unique_ptr<RdKafka::Conf> with_user_properties(std::unique_ptr<RdKafka::Conf> conf, const KafkaConfig& kafka) {
  for (const auto& [name, value] : kafka.properties) set_property(*conf, name, value);
  return conf;
}

}  // namespace

void set_property(RdKafka::Conf& conf, const std::string& name, const std::string& value) {
  std::string problem;
  if (conf.set(name, value, problem) != RdKafka::Conf::CONF_OK) {
    throw std::runtime_error("kafka property " + name + "=" + value + ": " + problem);
  }
}

std::unique_ptr<RdKafka::Conf> consumer_conf(const KafkaConfig& kafka) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  set_property(*conf, "bootstrap.servers", kafka.bootstrap_servers);
  set_property(*conf, "group.id", kafka.group_id);
  set_property(*conf, "client.id", "driftd");
  // Offsets are committed by driftd, and only for events whose effect is durable.
  set_property(*conf, "enable.auto.commit", "false");
  set_property(*conf, "enable.auto.offset.store", "false");
  // A new group reads the topic from its start: a monitor should not skip data.
  set_property(*conf, "auto.offset.reset", "earliest");
  // Partitions that do not move keep flowing through a rebalance.
  set_property(*conf, "partition.assignment.strategy", "cooperative-sticky");
  // librdkafka 2.0.2 compares this with the whole local queue; low values
  // stall a consumer that keeps up (include/driftd/README.md, "driftd run").
  set_property(*conf, "queued.min.messages", "1000000");
  // The local queue's bytes: librdkafka's 64 MiB made ~200-240 MiB of
  // peak RSS catching up a backlog; 16 MiB keeps the pace (the fetchers
  // are woken, FetchWaker) at ~90 MiB and less CPU per message, with
  // slack for larger messages (bench/RESULTS.md, 2026-12-01 night).
  set_property(*conf, "queued.max.messages.kbytes", "16384");
  // Bounds how long a quiet partition delays the batch (and alert latency).
  set_property(*conf, "fetch.wait.max.ms", "100");
  return with_user_properties(std::move(conf), kafka);
}

std::unique_ptr<RdKafka::Conf> producer_conf(const KafkaConfig& kafka) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  set_property(*conf, "bootstrap.servers", kafka.bootstrap_servers);
  set_property(*conf, "client.id", "driftd");
  // No duplicates from producer retries, and acks from all in-sync replicas.
  set_property(*conf, "enable.idempotence", "true");
  set_property(*conf, "linger.ms", "5");
  // Outputs wait out a broker outage instead of being dropped after the
  // default 5 minutes: their events' offsets stay uncommitted meanwhile.
  set_property(*conf, "message.timeout.ms", "0");
  return with_user_properties(std::move(conf), kafka);
}

}  // namespace driftd

// librdkafka configurations for driftd's consumer and producer: driftd's
// defaults first, then every `kafka.properties` entry as the user wrote it,
// so that SASL, TLS and tuning pass through unchanged (include/driftd/README.md, "driftd run").
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <memory>

#include "driftd/config.h"

namespace driftd {

// Group consumer: manual offset storage and commits (driftd commits only
// what is durable), cooperative-sticky assignment, a 16 MiB local queue.
std::unique_ptr<RdKafka::Conf> consumer_conf(const KafkaConfig& kafka);

// Idempotent producer for alerts, retrain triggers and dead letters.
std::unique_ptr<RdKafka::Conf> producer_conf(const KafkaConfig& kafka);

// Sets one property or throws std::runtime_error naming it.
void set_property(RdKafka::Conf& conf, const std::string& name, const std::string& value);

}  // namespace driftd

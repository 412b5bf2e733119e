#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "kafka/client_config.h"

namespace {

std::string property(const RdKafka::Conf& conf, const std::string& name) {
  std::string value;
  REQUIRE(conf.get(name, value) == RdKafka::Conf::CONF_OK);
  return value;
}

}  // namespace

TEST_CASE("client config: the consumer gets driftd's settings, then the user's properties win") {
  driftd::KafkaConfig kafka;
  kafka.bootstrap_servers = "broker-a:9092";
  kafka.group_id = "monitors";
  const auto defaults = driftd::consumer_conf(kafka);
  CHECK(property(*defaults, "bootstrap.servers") == "broker-a:9092");
  CHECK(property(*defaults, "group.id") == "monitors");
  CHECK(property(*defaults, "enable.auto.commit") == "false");
  CHECK(property(*defaults, "enable.auto.offset.store") == "false");
  CHECK(property(*defaults, "queued.max.messages.kbytes") == "16384");

  kafka.properties["queued.max.messages.kbytes"] = "65536";
  kafka.properties["security.protocol"] = "sasl_plaintext";
  const auto tuned = driftd::consumer_conf(kafka);
  CHECK(property(*tuned, "queued.max.messages.kbytes") == "65536");
  CHECK(property(*tuned, "security.protocol") == "sasl_plaintext");
}

TEST_CASE("client config: a property librdkafka refuses is an error naming it") {
  driftd::KafkaConfig kafka;
  kafka.properties["queued.max.messages.kbytes"] = "lots";
  CHECK_THROWS_WITH(driftd::consumer_conf(kafka), Catch::Contains("queued.max.messages.kbytes=lots"));
  CHECK_THROWS_WITH(driftd::producer_conf(kafka), Catch::Contains("queued.max.messages.kbytes=lots"));
}

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <librdkafka/rdkafkacpp.h>

#include "driftd/error.h"
#include "sandbox/mock_cluster.h"

using Catch::Matchers::Contains;
using driftd::MockCluster;
using driftd::parse_topic_list;
using driftd::UsageError;

namespace {

using TopicList = std::vector<std::pair<std::string, int>>;

std::unique_ptr<RdKafka::Conf> client_conf(const std::string& bootstrap) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string error;
  REQUIRE(conf->set("bootstrap.servers", bootstrap, error) == RdKafka::Conf::CONF_OK);
  // Faults injected on purpose make librdkafka log errors: keep them out of
  // the test report.
  REQUIRE(conf->set("log_level", "0", error) == RdKafka::Conf::CONF_OK);
  return conf;
}

// Remembers the outcome of every delivery, in order.
class Deliveries final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override { errors.push_back(message.err()); }
  std::vector<RdKafka::ErrorCode> errors;
};

class TestProducer {
 public:
  explicit TestProducer(const std::string& bootstrap) {
    auto conf = client_conf(bootstrap);
    std::string error;
    REQUIRE(conf->set("linger.ms", "5", error) == RdKafka::Conf::CONF_OK);
    // Reconnect soon after a broker comes back (the default backs off to 10 s).
    REQUIRE(conf->set("reconnect.backoff.ms", "50", error) == RdKafka::Conf::CONF_OK);
    REQUIRE(conf->set("reconnect.backoff.max.ms", "100", error) == RdKafka::Conf::CONF_OK);
    REQUIRE(conf->set("dr_cb", &deliveries, error) == RdKafka::Conf::CONF_OK);
    producer.reset(RdKafka::Producer::create(conf.get(), error));
    REQUIRE(producer != nullptr);
  }

  void send(const std::string& topic, int partition, const std::string& key, const std::string& value) {
    const RdKafka::ErrorCode err =
        producer->produce(topic, partition, RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(value.data()),
                          value.size(), key.data(), key.size(), 0, nullptr);
    REQUIRE(err == RdKafka::ERR_NO_ERROR);
  }

  void flush() { REQUIRE(producer->flush(5000) == RdKafka::ERR_NO_ERROR); }

  Deliveries deliveries;
  std::unique_ptr<RdKafka::Producer> producer;
};

}  // namespace

TEST_CASE("parse_topic_list: names with partition counts, 4 when omitted", "[mock_cluster]") {
  CHECK(parse_topic_list("a:4,b:8") == TopicList{{"a", 4}, {"b", 8}});
  CHECK(parse_topic_list("ml.events") == TopicList{{"ml.events", 4}});
  CHECK(parse_topic_list("ml.events:8,ml.events.dlq,x_y-Z.0:1") ==
        TopicList{{"ml.events", 8}, {"ml.events.dlq", 4}, {"x_y-Z.0", 1}});
}

TEST_CASE("parse_topic_list: a bad item is a usage error naming it", "[mock_cluster]") {
  const auto rejects = [](const std::string& list, const std::string& item) {
    INFO(list);
    CHECK_THROWS_MATCHES(parse_topic_list(list), UsageError, Catch::Matchers::Predicate<UsageError>(
        [&](const UsageError& e) { return std::string(e.what()).find("'" + item + "'") != std::string::npos; },
        "names '" + item + "'"));
  };
  rejects("", "");
  rejects("a:4,", "");
  rejects("a:4,,b", "");
  rejects("a:", "a:");
  rejects("a:0", "a:0");
  rejects("a:-1", "a:-1");
  rejects("a:x", "a:x");
  rejects("a:4x", "a:4x");
  rejects("a:1:2", "a:1:2");
  rejects("a:99999999999", "a:99999999999");
  rejects("b:1,bad name:2", "bad name:2");
  rejects(":3", ":3");
  rejects("a:2,a:3", "a:3");
  CHECK_THROWS_WITH(parse_topic_list("a:2,a:3"), Contains("twice"));
}

TEST_CASE("MockCluster: one address per broker, topics as created", "[mock_cluster]") {
  MockCluster cluster(3);
  const std::string bootstrap = cluster.bootstrap_servers();
  CHECK(std::count(bootstrap.begin(), bootstrap.end(), ',') == 2);
  cluster.create_topic("events", 6, 3);
  CHECK_THROWS_WITH(cluster.create_topic("events", 6), Contains("events"));

  TestProducer client(bootstrap);
  RdKafka::Metadata* raw = nullptr;
  REQUIRE(client.producer->metadata(true, nullptr, &raw, 5000) == RdKafka::ERR_NO_ERROR);
  const std::unique_ptr<RdKafka::Metadata> metadata(raw);
  CHECK(metadata->brokers()->size() == 3);
  const auto topics = metadata->topics();
  const auto events = std::find_if(topics->begin(), topics->end(),
                                   [](const RdKafka::TopicMetadata* t) { return t->topic() == "events"; });
  REQUIRE(events != topics->end());
  CHECK((*events)->partitions()->size() == 6);
}

TEST_CASE("MockCluster: librdkafka clients round-trip messages over TCP", "[mock_cluster]") {
  MockCluster cluster(1);
  cluster.create_topic("rt", 2);
  const std::string bootstrap = cluster.bootstrap_servers();

  std::map<std::string, std::string> sent;
  {
    TestProducer client(bootstrap);
    for (int i = 0; i < 10; ++i) {
      const std::string key = "key-" + std::to_string(i), value = "{\"i\":" + std::to_string(i) + "}";
      client.send("rt", i % 2, key, value);
      sent[key] = value;
    }
    client.flush();
    CHECK(client.deliveries.errors == std::vector<RdKafka::ErrorCode>(10, RdKafka::ERR_NO_ERROR));
  }

  // assign() with no subscribe(): no group join, so no ~3 s wait. The C++
  // KafkaConsumer insists on a group.id all the same.
  auto conf = client_conf(bootstrap);
  std::string error;
  REQUIRE(conf->set("group.id", "test-mock-cluster", error) == RdKafka::Conf::CONF_OK);
  REQUIRE(conf->set("enable.auto.commit", "false", error) == RdKafka::Conf::CONF_OK);
  REQUIRE(conf->set("fetch.wait.max.ms", "100", error) == RdKafka::Conf::CONF_OK);
  const std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), error));
  REQUIRE(consumer != nullptr);
  std::vector<RdKafka::TopicPartition*> partitions = {
      RdKafka::TopicPartition::create("rt", 0, RdKafka::Topic::OFFSET_BEGINNING),
      RdKafka::TopicPartition::create("rt", 1, RdKafka::Topic::OFFSET_BEGINNING)};
  REQUIRE(consumer->assign(partitions) == RdKafka::ERR_NO_ERROR);
  RdKafka::TopicPartition::destroy(partitions);

  std::map<std::string, std::string> received;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  while (received.size() < sent.size() && std::chrono::steady_clock::now() < deadline) {
    const std::unique_ptr<RdKafka::Message> message(consumer->consume(100));
    if (message->err() == RdKafka::ERR__TIMED_OUT) continue;
    REQUIRE(message->err() == RdKafka::ERR_NO_ERROR);
    received[*message->key()] = std::string(static_cast<const char*>(message->payload()), message->len());
  }
  consumer->close();
  CHECK(received == sent);
}

TEST_CASE("MockCluster: pushed request errors fail the next requests", "[mock_cluster]") {
  MockCluster cluster(1);
  cluster.create_topic("faults", 1);
  TestProducer client(cluster.bootstrap_servers());
  // Make sure the producer is connected and knows the partition leader, so
  // that the next Produce request is the one that meets the error.
  client.send("faults", 0, "k", "warm-up");
  client.flush();

  constexpr std::int16_t kProduce = 0;
  cluster.push_request_errors(kProduce, {RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE});
  client.send("faults", 0, "k", "refused");
  client.flush();
  client.send("faults", 0, "k", "accepted");
  client.flush();
  CHECK(client.deliveries.errors == std::vector<RdKafka::ErrorCode>{
                                        RdKafka::ERR_NO_ERROR, RdKafka::ERR_MSG_SIZE_TOO_LARGE, RdKafka::ERR_NO_ERROR});
}

TEST_CASE("MockCluster: a broker set down holds messages back until set up again", "[mock_cluster]") {
  MockCluster cluster(1);
  cluster.create_topic("faults", 1);
  TestProducer client(cluster.bootstrap_servers());
  client.send("faults", 0, "k", "before");
  client.flush();

  cluster.set_broker_down(1, true);
  client.send("faults", 0, "k", "while down");
  CHECK(client.producer->flush(1000) == RdKafka::ERR__TIMED_OUT);
  CHECK(client.deliveries.errors.size() == 1);
  cluster.set_broker_down(1, false);
  client.flush();
  CHECK(client.deliveries.errors == std::vector<RdKafka::ErrorCode>{RdKafka::ERR_NO_ERROR, RdKafka::ERR_NO_ERROR});
}

TEST_CASE("MockCluster: a round-trip time delays every response", "[mock_cluster]") {
  MockCluster cluster(1);
  cluster.create_topic("slow", 1);
  TestProducer client(cluster.bootstrap_servers());
  client.send("slow", 0, "k", "fast");
  client.flush();

  cluster.set_rtt(1, 300);
  const auto start = std::chrono::steady_clock::now();
  client.send("slow", 0, "k", "slow");
  client.flush();
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(300));
  CHECK_THROWS_WITH(cluster.set_rtt(42, 0), Contains("broker 42"));
}

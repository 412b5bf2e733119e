// An embedded Kafka: librdkafka's mock cluster, for `driftd demo`,
// `driftd kafka-sandbox` and tests. Its brokers listen on 127.0.0.1 ports of
// their own, so any Kafka client (other processes included) can connect to
// bootstrap_servers(). Facts worth knowing (include/driftd/README.md, "driftd kafka-sandbox"): each partition
// keeps only about 5 MiB, there is no CreateTopics API (use create_topic),
// unknown topics are auto-created with 4 partitions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

namespace driftd {

class MockCluster {
 public:
  // Starts `brokers` brokers (ids 1..brokers); throws std::runtime_error
  // when librdkafka cannot. librdkafka's own log lines go to stderr.
  explicit MockCluster(int brokers = 1);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  // "127.0.0.1:PORT,127.0.0.1:PORT,..." for bootstrap.servers.
  std::string bootstrap_servers() const;

  // Throws std::runtime_error with librdkafka's error string.
  void create_topic(const std::string& name, int partitions, int replication = 1);

  // Fault injection. broker_id -1 means every broker.
  void set_broker_down(std::int32_t broker_id, bool down);
  void set_rtt(std::int32_t broker_id, int rtt_ms);
  // The next errors.size() requests of that Kafka protocol type (e.g. 0 =
  // Produce, 1 = Fetch) fail with these codes in turn, cluster-wide.
  void push_request_errors(std::int16_t api_key, const std::vector<rd_kafka_resp_err_t>& errors);

 private:
  rd_kafka_t* handle_ = nullptr;  // bookkeeping producer the cluster lives on
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

// "a:4,b:8" -> {{"a",4},{"b",8}}; a missing ":P" means 4 partitions (the
// mock's own default). Throws UsageError naming the bad item.
std::vector<std::pair<std::string, int>> parse_topic_list(std::string_view list);

}  // namespace driftd

#include "sandbox/mock_cluster.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <set>
#include <stdexcept>

#include "driftd/error.h"

namespace driftd {
namespace {

void check(rd_kafka_resp_err_t err, const std::string& what) {
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw std::runtime_error("mock Kafka: " + what + ": " + rd_kafka_err2str(err));
  }
}

// The bookkeeping handle has no bootstrap.servers of its own, and librdkafka
// warns about that at creation; the warning is noise here.
void log_to_stderr(const rd_kafka_t*, int level, const char* facility, const char* message) {
  if (std::string_view(message).find("No `bootstrap.servers` configured") != std::string_view::npos) return;
  std::fprintf(stderr, "librdkafka %d %s: %s\n", level, facility, message);
}

bool valid_topic_name(std::string_view name) {
  if (name.empty() || name.size() > 249 || name == "." || name == "..") return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

MockCluster::MockCluster(int brokers) {
  if (brokers < 1) throw std::runtime_error("mock Kafka: needs at least one broker");
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set_log_cb(conf, log_to_stderr);
  // rd_kafka_new takes ownership of conf only on success.
  handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (handle_ == nullptr) {
    rd_kafka_conf_destroy(conf);
    throw std::runtime_error(std::string("mock Kafka: cannot create the bookkeeping client: ") + error);
  }
  cluster_ = rd_kafka_mock_cluster_new(handle_, brokers);
  if (cluster_ == nullptr) {
    rd_kafka_destroy(handle_);
    throw std::runtime_error("mock Kafka: cannot start the mock cluster (see librdkafka's log above)");
  }
}

MockCluster::~MockCluster() {
  // The cluster runs on the handle's machinery, so it goes first.
  rd_kafka_mock_cluster_destroy(cluster_);
  rd_kafka_destroy(handle_);
}

std::string MockCluster::bootstrap_servers() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }

void MockCluster::create_topic(const std::string& name, int partitions, int replication) {
  check(rd_kafka_mock_topic_create(cluster_, name.c_str(), partitions, replication),
        "cannot create topic '" + name + "'");
}

void MockCluster::set_broker_down(std::int32_t broker_id, bool down) {
  check(down ? rd_kafka_mock_broker_set_down(cluster_, broker_id) : rd_kafka_mock_broker_set_up(cluster_, broker_id),
        "cannot set broker " + std::to_string(broker_id) + (down ? " down" : " up"));
}

void MockCluster::set_rtt(std::int32_t broker_id, int rtt_ms) {
  check(rd_kafka_mock_broker_set_rtt(cluster_, broker_id, rtt_ms),
        "cannot set the round-trip time of broker " + std::to_string(broker_id));
}

void MockCluster::push_request_errors(std::int16_t api_key, const std::vector<rd_kafka_resp_err_t>& errors) {
  rd_kafka_mock_push_request_errors_array(cluster_, api_key, errors.size(), errors.data());
}

std::vector<std::pair<std::string, int>> parse_topic_list(std::string_view list) {
  constexpr int kDefaultPartitions = 4;
  constexpr int kMaxPartitions = 10'000;
  std::vector<std::pair<std::string, int>> topics;
  std::set<std::string, std::less<>> seen;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view item = list.substr(start, comma - start);
    start = comma + 1;
    const std::string bad = "bad topic '" + std::string(item) + "' in '" + std::string(list) + "': ";

    const std::size_t colon = item.find(':');
    const std::string_view name = item.substr(0, colon);
    if (!valid_topic_name(name)) {
      throw UsageError(bad + "expected NAME or NAME:PARTITIONS, NAME of 1-249 characters from [a-zA-Z0-9._-]");
    }
    int partitions = kDefaultPartitions;
    if (colon != std::string_view::npos) {
      const std::string_view digits = item.substr(colon + 1);
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), partitions);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || partitions < 1 ||
          partitions > kMaxPartitions) {
        throw UsageError(bad + "PARTITIONS must be a whole number from 1 to " + std::to_string(kMaxPartitions));
      }
    }
    if (!seen.emplace(name).second) throw UsageError(bad + "topic named twice");
    topics.emplace_back(std::string(name), partitions);
  }
  return topics;
}

}  // namespace driftd

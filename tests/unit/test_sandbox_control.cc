#include <catch2/catch.hpp>
#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <memory>
#include <thread>

#include "sandbox/sandbox_control.h"

using driftd::apply_sandbox_command;
using driftd::MockCluster;

namespace {

// Whether a real client gets metadata from the cluster within `timeout_ms`.
bool answers(const MockCluster& cluster, int timeout_ms) {
  std::string problem;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  conf->set("bootstrap.servers", cluster.bootstrap_servers(), problem);
  conf->set("log_level", "0", problem);
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), problem));
  RdKafka::Metadata* metadata = nullptr;
  const RdKafka::ErrorCode err = producer->metadata(true, nullptr, &metadata, timeout_ms);
  delete metadata;
  return err == RdKafka::ERR_NO_ERROR;
}

}  // namespace

TEST_CASE("sandbox control: commands are applied or refused with a reason", "[sandbox]") {
  MockCluster cluster(2);
  CHECK(apply_sandbox_command(cluster, "rtt all 20") == "ok rtt all 20");
  CHECK(apply_sandbox_command(cluster, "rtt 1 0") == "ok rtt 1 0");
  CHECK(apply_sandbox_command(cluster, "errors 1 6 6") == "ok errors 1 6 6");
  CHECK(apply_sandbox_command(cluster, "down 2") == "ok down 2");
  CHECK(apply_sandbox_command(cluster, "up 2") == "ok up 2");
  CHECK(apply_sandbox_command(cluster, "down x").rfind("error expected a broker id or all", 0) == 0);
  CHECK(apply_sandbox_command(cluster, "rtt 1").rfind("error unknown command", 0) == 0);
  CHECK(apply_sandbox_command(cluster, "reboot").rfind("error unknown command", 0) == 0);
  CHECK(apply_sandbox_command(cluster, "  ") == "error empty command");
}

TEST_CASE("sandbox control: a cluster taken down stops answering clients, and answers again when up", "[sandbox]") {
  MockCluster cluster(1);
  REQUIRE(answers(cluster, 5000));
  CHECK(apply_sandbox_command(cluster, "down all") == "ok down all");
  CHECK_FALSE(answers(cluster, 1000));
  CHECK(apply_sandbox_command(cluster, "up all") == "ok up all");
  CHECK(answers(cluster, 5000));
}

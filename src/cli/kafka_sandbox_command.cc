// `driftd kafka-sandbox`: an embedded Kafka (librdkafka's mock cluster) for
// trying driftd and for tests. The bootstrap address is the first line of
// stdout so that a script can read it and go; everything else (our summary,
// librdkafka's log) goes to stderr.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <pthread.h>
#include <memory>
#include <mutex>
#include <thread>

#include "cli/commands.h"
#include "cli/options.h"
#include "driftd/error.h"
#include "sandbox/mock_cluster.h"
#include "sandbox/sandbox_control.h"

namespace driftd {
namespace {

// Blocks SIGTERM and SIGINT in this thread (and the threads it starts) for
// its lifetime, so that only sigwait ever sees them.
class StopSignals {
 public:
  StopSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set_, &previous_);
  }
  ~StopSignals() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  int wait() const {
    int signal = 0;
    sigwait(&set_, &signal);
    return signal;
  }

 private:
  sigset_t set_, previous_;
};

}  // namespace

int kafka_sandbox_command(const std::vector<std::string>& args) {
  namespace po = boost::program_options;
  int brokers = 1;
  std::string topic_list = "ml.events:8,ml.drift.alerts:1,ml.retrain.triggers:1,ml.events.dlq:1";
  po::options_description options("options");
  options.add_options()
      ("brokers", po::value(&brokers)->default_value(brokers), "number of brokers, 1 to 16")
      ("topics", po::value(&topic_list)->default_value(topic_list),
       "topics to create, NAME:PARTITIONS separated by commas (PARTITIONS defaults to 4)");
  po::variables_map values;
  if (!parse_options(args,
                     "usage: driftd kafka-sandbox [--brokers N] [--topics a:P,b:P]\n"
                     "Starts an embedded Kafka cluster (librdkafka's mock), prints its bootstrap address\n"
                     "as the first line of stdout, and serves until SIGTERM or SIGINT.\n"
                     "Each partition keeps only about 5 MiB; older messages are dropped silently.\n"
                     "Fault injection, one command per line on stdin, each answered on stdout:\n"
                     "  down B | up B   broker B (an id, or all) stops or resumes answering\n"
                     "  rtt B MS        broker B answers MS milliseconds late\n"
                     "  errors API CODE...  the next requests of Kafka API key API fail with these codes",
                     options, values)) {
    return kExitOk;
  }
  if (brokers < 1 || brokers > 16) throw UsageError("--brokers must be from 1 to 16, not " + std::to_string(brokers));
  const auto topics = parse_topic_list(topic_list);

  // Blocked before the cluster starts its threads, which inherit the mask.
  const StopSignals stop_signals;
  MockCluster cluster(brokers);
  for (const auto& [name, partitions] : topics) cluster.create_topic(name, partitions, std::min(brokers, 3));

  std::cout << cluster.bootstrap_servers() << std::endl;  // flushed: a script is waiting for it
  std::cerr << "kafka-sandbox: " << brokers << (brokers == 1 ? " broker" : " brokers") << ", topics:";
  for (const auto& [name, partitions] : topics) std::cerr << " " << name << " (" << partitions << ")";
  std::cerr << "; stop with SIGTERM or Ctrl-C" << std::endl;

  // Fault injection from stdin (see sandbox/sandbox_control.h). The reader is
  // detached (it may sit in a read when the signal comes); what it shares
  // with us outlives both, and after the signal it no longer touches the cluster.
  struct Control {
    std::mutex mutex;
    MockCluster* cluster = nullptr;
  };
  const auto control = std::make_shared<Control>();
  control->cluster = &cluster;
  std::thread([control] {
    for (std::string line; std::getline(std::cin, line);) {
      if (line.empty()) continue;
      const std::lock_guard lock(control->mutex);
      if (control->cluster == nullptr) return;
      std::cout << apply_sandbox_command(*control->cluster, line) << std::endl;
    }
  }).detach();

  const int signal = stop_signals.wait();
  {
    const std::lock_guard lock(control->mutex);
    control->cluster = nullptr;
  }
  std::cerr << "kafka-sandbox: stopping on " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << "\n";
  return kExitOk;
}

}  // namespace driftd

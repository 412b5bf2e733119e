// `driftd run`: the daemon. Kafka in, alerts and retrain triggers out,
// metrics and health on HTTP, until SIGTERM or SIGINT.
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "daemon/daemon.h"
#include "daemon/service.h"
#include "driftd/error.h"

namespace driftd {

int run_command(const std::vector<std::string>& args) {
  namespace po = boost::program_options;
  std::string config_path;
  po::options_description options("options");
  options.add_options()("config", po::value(&config_path)->required(), "the configuration file");
  po::variables_map values;
  if (!parse_options(args,
                     "usage: driftd run --config FILE\n"
                     "The daemon: consumes kafka.input_topics, publishes alerts and retrain triggers,\n"
                     "serves /metrics /healthz /readyz /v1/status on http.listen; stops on SIGTERM/SIGINT.",
                     options, values)) {
    return kExitOk;
  }
  const Config config = load_config(config_path);
  if (config.kafka.input_topics.empty()) {
    throw InputError(config.path, 0, "kafka.input_topics", "driftd run needs at least one input topic");
  }
  Service service(config);
  std::cerr << "driftd: metrics at " << service.metrics_url() << "\n";
  Daemon daemon(config, service.metrics(), service.status(), service.stop_requested(), Pipeline::Calibrate::when_needed);
  std::cerr << "driftd: consuming " << config.kafka.input_topics.size() << " topic(s) from "
            << config.kafka.bootstrap_servers << " as group " << config.kafka.group_id << "\n";
  const bool left_group = daemon.run();
  std::cerr << "driftd: stopped after " << daemon.pipeline().counters().messages << " messages\n";
  // librdkafka's clients would wait for the brokers when destroyed.
  if (!left_group) std::_Exit(kExitOk);
  return kExitOk;
}

}  // namespace driftd

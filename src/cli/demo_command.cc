// `driftd demo`: the one-command experience. An embedded Kafka (librdkafka's
// mock cluster), a synthetic producer of three models' events with drift
// injected part-way (into one model's features, into another's concept,
// seen only through its labels), and the daemon on config/demo.yaml; alerts
// are printed as they fire.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>

#include "cli/commands.h"
#include "cli/options.h"
#include "daemon/daemon.h"
#include "daemon/service.h"
#include "demo/synthetic_stream.h"
#include "driftd/calibration.h"
#include "driftd/error.h"
#include "engine/pipeline.h"
#include "sandbox/mock_cluster.h"
#include "kafka/output_producer.h"

namespace driftd {
namespace {

using Clock = std::chrono::steady_clock;

// A year: far beyond any demo, and within an int for the messages.
constexpr double kMaxDemoSeconds = 366 * 86400;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Sends `rate` events a second, and the feedback events that fall due,
// until `stop`, or until `seconds` have passed (then asks the service to
// stop).
void produce(const KafkaConfig& kafka, double rate, double seconds, std::uint64_t drift_after, Service& service) {
  OutputProducer out(kafka);
  SyntheticStream stream(20261201, drift_after, 250);
  const auto start = Clock::now();
  std::uint64_t sent = 0;
  while (!service.stop_requested()) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (seconds > 0 && elapsed >= seconds) {
      service.request_stop();
      break;
    }
    for (; double(sent) < elapsed * rate; ++sent) {
      const SyntheticStream::Event event = stream.next(now_ms());
      out.send(kafka.input_topics.front(), event.model_id, event.json);
      while (const auto feedback = stream.next_feedback(now_ms())) {
        out.send(kafka.input_topics.front(), feedback->model_id, feedback->json);
      }
    }
    out.poll();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  out.flush(std::chrono::seconds(5));
}

// An alert on the labelled window has no distribution test behind it: the
// performance test's statistic is how far the headline metric (accuracy,
// or a regressor's MAE) moved past the reference's, and a detector decides
// by its own rule, whose statistic means something different in each (and
// no threshold).
void print_label_alert(const EvaluationReport& report, const Alert& alert) {
  const bool known = !report.performance.empty();
  const std::string headline = known ? std::string(report.performance.front().name) : "performance";
  const double value = known ? report.performance.front().value : 0.0;
  if (alert.test == "performance") {
    std::printf("  %s %.3f, %.3g %s the reference's  max_drop %.3g", headline.c_str(), value, alert.statistic,
                headline == "mae" ? "above" : "below", alert.threshold);
  } else {
    std::printf("  %s  %s %.3f", alert.state == "firing" ? "the error rate rose" : "no further rise", headline.c_str(),
                value);
  }
  std::printf("  (window of %llu labelled events)\n", static_cast<unsigned long long>(alert.window.count));
}

void print_report(const EvaluationReport& report, Clock::time_point start, int model_width) {
  const double at = std::chrono::duration<double>(Clock::now() - start).count();
  for (const Alert& alert : report.output.alerts) {
    std::printf("[%6.1fs] %-8s %-8s %-*s %s/%s", at, alert.state == "firing" ? "FIRING" : "resolved",
                alert.severity.c_str(), model_width, alert.model_id.c_str(), alert.feature.c_str(), alert.test.c_str());
    if (report.labelled_window) {
      print_label_alert(report, alert);
      continue;
    }
    std::printf("  statistic %.4g", alert.statistic);
    if (alert.p_value) std::printf("  p %.3g", *alert.p_value);
    std::printf("  threshold %.3g  (window of %llu events)\n", alert.threshold,
                static_cast<unsigned long long>(alert.window.count));
  }
  if (report.output.retrain) {
    const RetrainTrigger& trigger = *report.output.retrain;
    std::string features;
    for (const std::string& f : trigger.drifted_features) features += (features.empty() ? "" : ", ") + f;
    std::printf("[%6.1fs] RETRAIN  %s: drifted share %.2f (%s)\n", at, trigger.model_id.c_str(), trigger.drifted_share,
                features.c_str());
  }
  std::fflush(stdout);
}

// One line per model: what its decisions were calibrated for, so that a new
// user sees why the steady model stays silent (config/README.md, `alerting`).
void print_calibration(const Config& config, const Pipeline& pipeline, int model_width) {
  for (std::size_t m = 0; m < config.models.size(); ++m) {
    const std::optional<Calibration>& calibration = pipeline.monitor(m).calibration();
    if (!calibration) {
      std::printf("  %-*s decides per window (p < alpha), not calibrated\n", model_width, config.models[m].id.c_str());
      continue;
    }
    std::size_t tests = calibration->multivariate.size();
    double alpha = 0.0;  // the tests' false alarm probabilities per evaluation, added up
    for (const auto& test : calibration->multivariate) alpha += test.alpha;
    for (const auto& feature : calibration->features) {
      tests += feature.size();
      for (const auto& test : feature) alpha += test.alpha;
    }
    std::printf(
        "  %-*s calibrated: one false alarm per %llu %s, on average; %zu thresholds "
        "(%.2g per evaluation together) in %.2f s\n",
        model_width, config.models[m].id.c_str(), static_cast<unsigned long long>(calibration->false_alarm_every),
        calibration->by_time ? "ms of event time" : "events", tests, alpha, calibration->seconds);
  }
  std::fflush(stdout);
}

}  // namespace

int demo_command(const std::vector<std::string>& args) {
  namespace po = boost::program_options;
  std::string config_path = "config/demo.yaml";
  double seconds = 0, rate = 2000;
  po::options_description options("options");
  options.add_options()
      ("seconds", po::value(&seconds), "stop after this many seconds (default: at Ctrl-C)")
      ("rate", po::value(&rate), "synthetic events per second (default 2000)")
      ("config", po::value(&config_path), "the configuration (default config/demo.yaml)");
  po::variables_map values;
  if (!parse_options(args,
                     "usage: driftd demo [--seconds N] [--rate R] [--config FILE]\n"
                     "Embedded Kafka, a synthetic producer with drift injected part-way, and the daemon.",
                     options, values)) {
    return kExitOk;
  }
  // Written so that NaN fails too.
  if (!(rate > 0 && rate <= 1e6)) throw UsageError("--rate must be in (0, 1000000]");
  if (!(seconds >= 0 && seconds <= kMaxDemoSeconds)) {
    throw UsageError("--seconds must be from 0 (until Ctrl-C) to " + std::to_string(int(kMaxDemoSeconds)));
  }
  Config config = load_config(config_path);
  if (config.kafka.input_topics.empty()) {
    throw InputError(config.path, 0, "kafka.input_topics", "the demo needs an input topic");
  }
  MockCluster cluster(1);
  for (const std::string& topic : config.kafka.input_topics) cluster.create_topic(topic, 4);
  for (const std::string& topic :
       {config.kafka.alert_topic, config.kafka.retrain_topic, config.kafka.dead_letter_topic}) {
    if (!topic.empty()) cluster.create_topic(topic, 1);
  }
  config.kafka.bootstrap_servers = cluster.bootstrap_servers();

  Service service(config);
  // The drifting model gets half the traffic; drift starts ~15 s in.
  const auto drift_after = std::uint64_t(rate * 15 / 2);
  std::printf("driftd demo: embedded Kafka at %s\n", config.kafka.bootstrap_servers.c_str());
  std::printf("  metrics  %s   status  %s\n", service.metrics_url().c_str(),
              service.metrics_url().replace(service.metrics_url().rfind("/metrics"), 8, "/v1/status").c_str());
  std::printf("  producing %.0f events/s and feedback events: %s drifts after ~15 s, %s stays steady; %s\n", rate,
              SyntheticStream::kDriftingModel, SyntheticStream::kSteadyModel,
              seconds > 0 ? ("stopping after " + std::to_string(int(seconds)) + " s").c_str() : "Ctrl-C stops");
  std::printf("  %s's concept drifts at the same moment, its features do not: only its labels can show it\n",
              SyntheticStream::kConceptModel);
  std::fflush(stdout);

  const auto start = Clock::now();
  std::thread producer([&] { produce(config.kafka, rate, seconds, drift_after, service); });
  try {
    Daemon daemon(config, service.metrics(), service.status(), service.stop_requested());
    // Model ids padded to the longest, so that the alerts line up.
    int model_width = 0;
    for (const ModelConfig& model : config.models) model_width = std::max(model_width, int(model.id.size()));
    print_calibration(config, daemon.pipeline(), model_width);
    daemon.set_observer(
        [start, model_width](const EvaluationReport& report) { print_report(report, start, model_width); });
    daemon.run();
    const PipelineCounters& counters = daemon.pipeline().counters();
    std::uint64_t invalid = 0;
    for (const auto n : counters.invalid) invalid += n;
    std::printf("summary: %llu messages, %llu invalid (dead-lettered to %s), %llu evaluations, %llu alerts, "
                "%llu retrain triggers\n",
                static_cast<unsigned long long>(counters.messages), static_cast<unsigned long long>(invalid),
                config.kafka.dead_letter_topic.c_str(), static_cast<unsigned long long>(counters.evaluations),
                static_cast<unsigned long long>(counters.alerts),
                static_cast<unsigned long long>(counters.retrain_triggers));
  } catch (...) {
    service.request_stop();
    producer.join();
    throw;
  }
  producer.join();
  return kExitOk;
}

}  // namespace driftd

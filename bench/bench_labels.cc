// What ground truth costs the streaming engine, against the per-event cost
// of the same model without labels, in the same process:
//  - the same 400,000 predictions of a 5-feature model (KS and PSI on each,
//    windows 2,000/500) through the Pipeline, without labels and with them
//    (a third labelled inline, the rest by feedback events 100 events later;
//    labelled windows 2,000/500 with the performance test and all six
//    concept-drift detectors); the difference per labelled event;
//  - each detector alone: nanoseconds per error;
//  - each detector's drifts on stationary 0/1 error streams (reset after
//    each drift, as the engine does): false alarms per 100,000 labelled events.
//   bench_labels WORKDIR
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "driftd/config.h"
#include "engine/pipeline.h"
#include "error_stream_registry.h"

using namespace driftd;

namespace {

constexpr int kFeatures = 5;
constexpr int kPredictions = 400'000;
constexpr int kFeedbackDelay = 100;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string model_yaml(bool labelled) {
  std::string yaml = "models:\n  - id: m\n    reference: {path: reference.csv}\n    window: {size: 2000, step: 500}\n"
                     "    alerting: {mode: per_window}\n    features:\n";
  for (int f = 0; f < kFeatures; ++f) yaml += "      - {name: f" + std::to_string(f) + ", type: numeric, tests: [ks, psi]}\n";
  if (labelled) {
    yaml += "    labels:\n      positive_class: 1\n      window: {size: 2000, step: 500}\n      max_drop: 0.05\n"
            "      detectors: [ddm, eddm, adwin, page_hinkley, hddm_a, hddm_w]\n";
  }
  return yaml;
}

// The messages of both runs: predictions only, and the same predictions
// with their labels (inline or by feedback).
void write_inputs(const std::filesystem::path& dir, std::vector<std::string>& plain, std::vector<std::string>& labelled) {
  std::mt19937_64 random(18);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  std::ofstream(dir / "plain.yaml") << model_yaml(false);
  std::ofstream(dir / "labelled.yaml") << model_yaml(true);
  std::ofstream reference(dir / "reference.csv");
  for (int f = 0; f < kFeatures; ++f) reference << "f" << f << ",";
  reference << "prediction,label\n";
  char text[64];
  for (int i = 0; i < 20000; ++i) {
    for (int f = 0; f < kFeatures; ++f) {
      std::snprintf(text, sizeof text, "%.6g,", normal(random));
      reference << text;
    }
    const int prediction = uniform(random) < 0.5;
    reference << prediction << "," << (uniform(random) < 0.9 ? prediction : 1 - prediction) << "\n";
  }
  std::vector<std::pair<int, int>> waiting;
  for (int i = 0; i < kPredictions; ++i) {
    std::string event = "{\"model_id\":\"m\",\"ts\":" + std::to_string(1763800000000 + i) + ",\"features\":{";
    for (int f = 0; f < kFeatures; ++f) {
      std::snprintf(text, sizeof text, "%s\"f%d\":%.6g", f ? "," : "", f, normal(random));
      event += text;
    }
    const int prediction = uniform(random) < 0.5;
    const int label = uniform(random) < 0.9 ? prediction : 1 - prediction;
    event += "},\"prediction\":" + std::to_string(prediction);
    plain.push_back(event + "}");
    if (i % 3 == 0) {
      labelled.push_back(event + ",\"label\":" + std::to_string(label) + "}");
    } else {
      labelled.push_back(event + ",\"event_id\":\"e" + std::to_string(i) + "\"}");
      waiting.emplace_back(i, label);
    }
    while (!waiting.empty() && waiting.front().first + kFeedbackDelay <= i) {
      labelled.push_back("{\"model_id\":\"m\",\"ts\":" + std::to_string(1763800000000 + i) + ",\"event_id\":\"e" +
                         std::to_string(waiting.front().first) + "\",\"label\":" + std::to_string(waiting.front().second) +
                         "}");
      waiting.erase(waiting.begin());
    }
  }
}

double run_seconds(const std::filesystem::path& config_path, const std::vector<std::string>& messages) {
  const Config config = load_config(config_path.string());
  Pipeline pipeline(config);
  PipelineSink sink;
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& message : messages) pipeline.process(message, 0, sink);
  return seconds_since(start);
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path();
  std::filesystem::create_directories(dir);
  std::vector<std::string> plain, labelled;
  write_inputs(dir, plain, labelled);

  // Best of 3 for each, alternating, so that a noisy neighbour hurts both alike.
  double plain_s = 1e9, labelled_s = 1e9;
  for (int round = 0; round < 3; ++round) {
    plain_s = std::min(plain_s, run_seconds(dir / "plain.yaml", plain));
    labelled_s = std::min(labelled_s, run_seconds(dir / "labelled.yaml", labelled));
  }
  const double per_event_ns = plain_s / kPredictions * 1e9;
  const double per_label_ns = (labelled_s - plain_s) / kPredictions * 1e9;
  std::printf("engine, %d predictions x %d features (KS+PSI, windows 2000/500): %.0f ns per event\n", kPredictions,
              kFeatures, per_event_ns);
  std::printf("with labels (a third inline, the rest by %zu feedback events; performance + 6 detectors): %.0f ns "
              "per prediction, +%.0f ns per labelled event (%.2fx the per-event cost)\n",
              labelled.size() - plain.size(), labelled_s / kPredictions * 1e9, per_label_ns,
              per_label_ns / per_event_ns);

  // Each detector alone, and its drifts on stationary streams.
  constexpr int kErrors = 1'000'000;
  std::printf("%-13s %12s %32s\n", "detector", "ns per error", "false alarms / 100k (p=0.05, 0.2)");
  std::printf("(ns per error on the 0/1 stream with error rate 0.2)\n");
  for (const std::string_view name : kErrorStreamDetectors) {
    double alarms[2] = {0, 0};
    double ns = 0;
    for (int k = 0; k < 2; ++k) {
      const double rate = k == 0 ? 0.05 : 0.2;
      std::mt19937_64 random(7 + k);
      std::bernoulli_distribution error(rate);
      std::vector<double> errors(kErrors);
      for (double& e : errors) e = error(random) ? 1.0 : 0.0;
      auto detector = make_error_stream_detector(name);
      const auto start = std::chrono::steady_clock::now();
      for (const double e : errors) {
        if (detector->update(e) == ErrorStreamStatus::drift) {
          if (detector->drift_was_rise()) ++alarms[k];
          detector->reset();
        }
      }
      // The cost on the error rate of 0.2, the peer's stream.
      if (k == 1) ns = seconds_since(start) / kErrors * 1e9;
    }
    std::printf("%-13s %12.1f %15.1f %15.1f\n", std::string(name).c_str(), ns, alarms[0] * 1e5 / kErrors,
                alarms[1] * 1e5 / kErrors);
    std::printf("RESULT driftd_%s_ns=%.1f\n", std::string(name).c_str(), ns);
  }
  std::printf("RESULT per_event_ns=%.0f per_labelled_event_ns=%.0f\n", per_event_ns, per_label_ns);
  return 0;
}

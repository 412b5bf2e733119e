// The streaming engine's throughput: 1,000,000 events x 20 numeric
// features, windows 5,000/1,000, KS + PSI on every feature, against the
// time to merely read and decode the same file, in the same process.
//   bench_replay WORKDIR
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "decode/event_decoder.h"
#include "driftd/config.h"
#include "engine/pipeline.h"

using namespace driftd;

namespace {

constexpr int kFeatures = 20;
constexpr int kEvents = 1'000'000;

double cpu_seconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

long max_rss_mib() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

void write_inputs(const std::filesystem::path& dir) {
  std::mt19937_64 random(3);
  std::normal_distribution<double> normal;
  std::ofstream config(dir / "bench.yaml");
  config << "models:\n  - id: bench\n    reference: {path: reference.csv}\n    window: {size: 5000, step: 1000}\n"
            "    features:\n";
  for (int f = 0; f < kFeatures; ++f) config << "      - {name: f" << f << ", type: numeric, tests: [ks, psi]}\n";
  std::ofstream reference(dir / "reference.csv");
  for (int f = 0; f < kFeatures; ++f) reference << (f ? "," : "") << "f" << f;
  reference << "\n";
  char number[32];
  for (int i = 0; i < 5000; ++i) {
    for (int f = 0; f < kFeatures; ++f) {
      std::snprintf(number, sizeof number, "%s%.6g", f ? "," : "", normal(random));
      reference << number;
    }
    reference << "\n";
  }
  std::ofstream events(dir / "events.jsonl");
  for (int i = 0; i < kEvents; ++i) {
    const double shift = i > kEvents / 2 ? 0.3 : 0.0;
    events << "{\"model_id\":\"bench\",\"ts\":" << 1763800000000 + i << ",\"features\":{";
    for (int f = 0; f < kFeatures; ++f) {
      std::snprintf(number, sizeof number, "%s\"f%d\":%.6g", f ? "," : "", f, normal(random) + (f < 3 ? shift : 0));
      events << number;
    }
    events << "}}\n";
  }
}

class CountingSink final : public PipelineSink {
 public:
  void on_evaluation(const EvaluationReport& report) override { alerts += report.output.alerts.size(); }
  std::size_t alerts = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bench_replay WORKDIR\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  if (!std::filesystem::exists(dir / "events.jsonl")) write_inputs(dir);
  const Config config = load_config((dir / "bench.yaml").string());

  // Decode only: read every line and decode it, as the pipeline's first stage does.
  const auto decode_pass = [&] {
    EventDecoder decoder(config.input, model_schemas(config));
    DecodedEvent event;
    std::ifstream in(dir / "events.jsonl");
    std::string line;
    std::size_t valid = 0;
    const double start = cpu_seconds();
    while (std::getline(in, line)) valid += decoder.decode(line, 0, event) == InvalidReason::none ? 1 : 0;
    const double seconds = cpu_seconds() - start;
    if (valid != std::size_t(kEvents)) std::fprintf(stderr, "decoded %zu of %d\n", valid, kEvents);
    return seconds;
  };
  CountingSink sink;
  std::uint64_t evaluations = 0;
  const auto pipeline_pass = [&] {
    Pipeline pipeline(config);
    sink.alerts = 0;
    std::ifstream in(dir / "events.jsonl");
    std::string line;
    const double start = cpu_seconds();
    while (std::getline(in, line)) pipeline.process(line, 0, sink);
    const double seconds = cpu_seconds() - start;
    evaluations = pipeline.counters().evaluations;
    return seconds;
  };

  // The machine is shared and noisy: rounds of both, back to back, and the
  // best of each.
  constexpr int kRounds = 3;
  double decode_seconds = 1e300;
  double pipeline_seconds = 1e300;
  long rss_before = 0;
  for (int round = 1; round <= kRounds; ++round) {
    const double decode = decode_pass();
    if (round == 1) rss_before = max_rss_mib();
    const double pipeline = pipeline_pass();
    std::printf("round %d: read+decode only %.2f s CPU, replay pipeline %.2f s CPU\n", round, decode, pipeline);
    decode_seconds = std::min(decode_seconds, decode);
    pipeline_seconds = std::min(pipeline_seconds, pipeline);
  }
  const double decode_rate = kEvents / decode_seconds;
  const double pipeline_rate = kEvents / pipeline_seconds;
  std::printf("best of %d, read+decode only: %.0f events/s (%.2f s CPU)\n", kRounds, decode_rate, decode_seconds);
  std::printf("best of %d, replay pipeline:  %.0f events/s (%.2f s CPU), %llu evaluations, %zu alerts\n", kRounds,
              pipeline_rate, pipeline_seconds, static_cast<unsigned long long>(evaluations), sink.alerts);
  std::printf("engine (pipeline - decode): %.0f ns/event\n", 1e9 * (pipeline_seconds - decode_seconds) / kEvents);
  std::printf("pipeline / decode-only rate: %.0f %% (target >= 40 %%; target rate >= 500000 events/s)\n",
              100.0 * pipeline_rate / decode_rate);
  std::printf("max RSS: %ld MiB after decode-only, %ld MiB after the pipeline\n", rss_before, max_rss_mib());
  return 0;
}

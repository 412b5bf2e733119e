// EventDecoder::decode() on its usual load: 200,000 events of ~300 bytes with
// 20 numeric features (fixed seed), in CPU time per event, median of 5 runs.
// For scale, the same events read by a bare simdjson On Demand loop (parse,
// walk, get_double on every feature), with no checks and no routing.
//   bench_decode
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include <simdjson.h>

#include "decode/event_decoder.h"

namespace {

constexpr std::size_t event_count = 200'000;
constexpr std::size_t feature_count = 20;
constexpr int runs = 5;

double cpu_seconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string feature_name(std::size_t f) {
  char name[8];
  std::snprintf(name, sizeof name, "f%02zu", f);
  return name;
}

std::vector<std::string> make_events() {
  std::mt19937_64 random(11);
  std::normal_distribution<double> value(0.0, 50.0);
  std::uniform_real_distribution<double> score(0.0, 1.0);
  std::vector<std::string> events(event_count);
  char number[32];
  for (std::size_t i = 0; i < event_count; ++i) {
    std::string& event = events[i];
    event = R"({"model_id":"fraud-v3","ts":)" + std::to_string(1763800000000 + i) + R"(,"features":{)";
    for (std::size_t f = 0; f < feature_count; ++f) {
      std::snprintf(number, sizeof number, "%.2f", value(random));
      event += (f == 0 ? "\"" : ",\"") + feature_name(f) + "\":" + number;
    }
    std::snprintf(number, sizeof number, "%.3f", score(random));
    event += std::string(R"(},"prediction":)") + number + "}";
  }
  return events;
}

driftd::Config make_config() {
  driftd::Config config;
  driftd::ModelConfig model;
  model.id = "fraud-v3";
  for (std::size_t f = 0; f < feature_count; ++f) {
    model.features.push_back({feature_name(f), driftd::FeatureType::numeric});
  }
  model.prediction = driftd::FeatureConfig{"prediction", driftd::FeatureType::numeric};
  config.models = {model};
  return config;
}

// Median seconds of `runs` passes of `pass` over all events.
template <typename Pass>
double time_runs(Pass pass) {
  pass();  // warm: buffers grown, caches filled
  std::vector<double> seconds;
  for (int run = 0; run < runs; ++run) {
    const double start = cpu_seconds();
    pass();
    seconds.push_back(cpu_seconds() - start);
  }
  return median(seconds);
}

}  // namespace

int main() {
  const std::vector<std::string> events = make_events();
  std::size_t bytes = 0;
  for (const std::string& event : events) bytes += event.size();

  const driftd::Config config = make_config();
  driftd::EventDecoder decoder(config.input, driftd::model_schemas(config));
  driftd::DecodedEvent decoded;
  double sum = 0.0;
  std::size_t invalid = 0;
  const double decode_seconds = time_runs([&] {
    for (const std::string& event : events) {
      if (decoder.decode(event, 0, decoded) != driftd::InvalidReason::none) ++invalid;
      sum += decoded.values[0].number;
    }
  });
  if (invalid != 0) {
    std::fprintf(stderr, "bench_decode: %zu events did not decode\n", invalid);
    return 1;
  }

  simdjson::ondemand::parser parser;
  std::vector<char> padded;
  const double simdjson_seconds = time_runs([&] {
    for (const std::string& event : events) {
      padded.resize(event.size() + simdjson::SIMDJSON_PADDING);
      std::copy(event.begin(), event.end(), padded.begin());
      simdjson::ondemand::document document = parser.iterate(padded.data(), event.size(), padded.size());
      for (auto field : document.get_object()) {
        if (field.unescaped_key().value() != "features") continue;
        for (auto feature : field.value().get_object()) sum += feature.value().get_double().value();
      }
    }
  });

  const double ns = decode_seconds * 1e9 / event_count;
  std::printf("events: %zu of %.0f bytes on average, %zu numeric features (checksum %g)\n", event_count,
              double(bytes) / event_count, feature_count, sum);
  std::printf("decode: %.0f ns/event (%.2f M events/s)\n", ns, 1e3 / ns);
  std::printf("simdjson On Demand walk alone: %.0f ns/event\n", simdjson_seconds * 1e9 / event_count);
  std::printf("RESULT driftd_decode_ns=%.1f simdjson_walk_ns=%.1f\n", ns, simdjson_seconds * 1e9 / event_count);
  return 0;
}

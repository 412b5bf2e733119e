// libFuzzer target for load_config (and parse_duration). Build and run with
// scripts/fuzz.sh (make fuzz), or by hand:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
//     -Iinclude -Isrc -Idetectors -I/usr/include/eigen3 tests/fuzz/fuzz_config_loader.cc \
//     src/config/*.cc src/decode/*.cc src/http/listen_address.cc detectors/*.cc -lsimdjson -lyaml-cpp \
//     -lrdkafka++ -lrdkafka \
//     -o fuzz_config_loader
//   mkdir -p /tmp/config_corpus  # new inputs go to the first directory, not the seeds
//   ./fuzz_config_loader -dict=tests/fuzz/config_loader.dict -max_total_time=60 /tmp/config_corpus \
//     tests/fuzz/corpus/config_loader
// The input is written as config.yaml into a directory of this process's own,
// next to small reference files (ref.csv, ref.jsonl, example-reference.csv,
// data/ref.csv), so that `reference: {path: ...}` can get past the check that
// the file exists. An InputError is the expected answer to bad input;
// anything else (a crash, another exception — std::bad_alloc included — a
// sanitizer report, or a Config that breaks what config.h promises) is a
// finding. So is a Config that asks for more memory or work than the
// documented budget (config/README.md "Bounds on the whole file", config_limits): the windows' events
// times their columns, the pairs MMD compares, the models and features, the
// steps of a time window, the durations. The budget is computed here from
// the Config's values with the plainest formulas, independently of the
// loader's own estimate, so that a loader that lets an unbounded value
// through is caught even if its estimate is wrong.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>

#include "detector_registry.h"
#include "driftd/config.h"
#include "driftd/error.h"
#include "http/listen_address.h"

namespace {

namespace fs = std::filesystem;

void require(bool condition) {
  if (!condition) std::abort();
}

void write_file(const fs::path& path, std::string_view text) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  require(file != nullptr && std::fwrite(text.data(), 1, text.size(), file) == text.size() && std::fclose(file) == 0);
}

// The directory, made once per process, with the reference files the seeds name.
// Never destroyed, so that the clean-up at exit can still name it.
const fs::path& directory() {
  static const fs::path& dir = *new fs::path([] {
    const fs::path d = fs::temp_directory_path() / ("driftd_fuzz_config_" + std::to_string(::getpid()));
    fs::create_directories(d / "data");
    const std::string_view csv = "amount,age,country,is_new,prediction\n1.5,30,KR,true,0.1\n2.5,41,US,false,0.7\n";
    write_file(d / "ref.csv", csv);
    write_file(d / "example-reference.csv", csv);
    write_file(d / "data" / "ref.csv", csv);
    write_file(d / "ref.jsonl", "{\"model_id\":\"m\",\"features\":{\"amount\":1.5}}\n");
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    });
    return d;
  }());
  return dir;
}

bool positive(driftd::Millis m) { return m.count() > 0; }

// The documented budget (config/README.md "Bounds on the whole file").
constexpr std::int64_t kHundredYearsMs = 3'155'760'000'000;  // 100 x 365.25 days
constexpr std::int64_t kIntMaxMs = 2'147'483'647;            // librdkafka's timeouts
constexpr std::uint64_t kMaxWindowEvents = 10'000'000;
constexpr std::int64_t kMaxStepsPerWindow = 100'000;
constexpr std::uint64_t kMaxMmdPairs = 10'000ull * 10'000 / 2;       // (2 x 5000 points)^2 / 2
constexpr std::uint64_t kMaxHeldBytes = 16ull << 30;                   // all windows and stream references
constexpr std::size_t kMaxModels = 10'000;
constexpr std::size_t kMaxFeaturesPerModel = 10'000;
constexpr std::size_t kMaxFeatures = 100'000;

// Every duration a Config holds is positive and at most 100 years.
bool bounded_duration(driftd::Millis m) { return m.count() > 0 && m.count() <= kHundredYearsMs; }

// What the configuration asks to hold and do, against the budget. The
// window's memory is at least 4 bytes per column per event held (its cell
// or category code), a stream reference's at least 8 per column per event.
void check_budget(const driftd::Config& config) {
  require(config.models.size() <= kMaxModels);
  require(bounded_duration(config.kafka.connect_timeout) && config.kafka.connect_timeout.count() <= kIntMaxMs);
  require(bounded_duration(config.state.checkpoint_interval));
  std::size_t features = 0;
  std::uint64_t held = 0;
  for (const driftd::ModelConfig& model : config.models) {
    const std::uint64_t columns = model.features.size() + (model.prediction ? 1 : 0);
    require(columns <= kMaxFeaturesPerModel);
    features += columns;
    const driftd::WindowConfig& w = model.window;
    const std::uint64_t events = w.by_time() ? w.max_events : w.size;
    require(events <= kMaxWindowEvents && model.reference.from_stream <= kMaxWindowEvents);
    held += events * columns * 4 + model.reference.from_stream * columns * 8;
    if (w.by_time()) {
      require(bounded_duration(w.duration) && bounded_duration(w.step_duration));
      // The windows one event can close: each an evaluation.
      require(w.duration.count() / w.step_duration.count() <= kMaxStepsPerWindow);
    }
    for (const driftd::MultivariateConfig& mv : model.multivariate) {
      const std::uint64_t points = 2 * std::uint64_t(mv.max_points);
      require(points * points / 2 <= kMaxMmdPairs);
    }
    require(bounded_duration(model.alerting.cooldown) && bounded_duration(model.retrain.cooldown));
  }
  require(features <= kMaxFeatures);
  require(held <= kMaxHeldBytes);
}

bool in(double value, double low, double high, bool low_open) {
  return std::isfinite(value) && value >= low && value <= high && !(low_open && value == low);
}

void check_tests(const driftd::FeatureConfig& feature) {
  require(!feature.tests.empty());
  std::set<std::string> seen;
  for (const std::string& test : feature.tests) {
    require(seen.insert(test).second);
    const driftd::DetectorInfo* info = driftd::find_detector(test);
    require(info != nullptr && !info->multivariate);
    require(feature.type == driftd::FeatureType::numeric ? info->numeric : info->categorical);
  }
}

// What config.h promises about a Config that load_config returns.
void check(const driftd::Config& config, const std::string& path) {
  require(config.path == path);
  require(positive(config.kafka.connect_timeout));
  require(config.kafka.batch_size >= 1 && config.kafka.batch_size <= 1'000'000);
  require(positive(config.state.checkpoint_interval));
  require(config.input.max_bytes >= 64 && config.input.max_bytes <= (64u << 20));
  const driftd::Defaults& d = config.defaults;
  require(in(d.p_value, 0, 1, true));
  require(in(d.psi_threshold, 0, 1e9, true));
  require(d.psi_bins >= 2 && d.psi_bins <= 1000);
  require(in(d.dataset_drift_share, 0, 1, true));

  require(!config.models.empty());
  std::set<std::string> ids;
  for (const driftd::ModelConfig& model : config.models) {
    require(!model.id.empty() && ids.insert(model.id).second);
    // Exactly one reference: a file that exists, or the first events.
    if (model.reference.path.empty()) {
      require(model.reference.from_stream >= 2 && model.reference.from_stream <= 10'000'000);
    } else {
      require(model.reference.from_stream == 0);
      require(fs::is_regular_file(model.reference.path) && fs::file_size(model.reference.path) > 0);
    }
    // Exactly one kind of window.
    const driftd::WindowConfig& w = model.window;
    if (w.by_time()) {
      require(w.size == 0 && w.step == 0);
      require(positive(w.step_duration) && w.step_duration <= w.duration);
      require(w.max_events >= 2 && w.max_events <= 10'000'000);
    } else {
      require(w.duration.count() == 0 && w.step_duration.count() == 0 && w.max_events == driftd::WindowConfig{}.max_events);
      require(w.size >= 2 && w.size <= 10'000'000 && w.step >= 1 && w.step <= w.size);
    }
    require(!model.features.empty() || model.prediction.has_value());
    std::set<std::string> names;
    for (const driftd::FeatureConfig& feature : model.features) {
      require(!feature.name.empty() && names.insert(feature.name).second);
      check_tests(feature);
    }
    if (model.prediction) {
      require(model.prediction->name == "prediction" && names.insert("prediction").second);
      check_tests(*model.prediction);
    }
    for (const driftd::MultivariateConfig& mv : model.multivariate) {
      const driftd::DetectorInfo* info = driftd::find_detector(mv.test);
      require(info != nullptr && info->multivariate);
      require(!mv.features.empty());
      std::set<std::string> used;
      for (const std::string& name : mv.features) {
        require(used.insert(name).second);
        const auto it = std::find_if(model.features.begin(), model.features.end(),
                                     [&](const driftd::FeatureConfig& f) { return f.name == name; });
        require(it != model.features.end() && it->type == driftd::FeatureType::numeric);
      }
      require(mv.permutations >= 1 && mv.permutations <= 100'000);
      require(!mv.sigma || in(*mv.sigma, 0, 1e300, true));
      require(mv.max_points >= 2 && mv.max_points <= 5'000);
    }
    require(model.alerting.min_consecutive >= 1 && model.alerting.min_consecutive <= 1000);
    require(positive(model.alerting.cooldown));
    require(in(model.retrain.drifted_share, 0, 1, true));
    require(positive(model.retrain.cooldown));
  }
  // http.listen: its syntax was checked (run resolves host names later).
  std::string problem;
  require(driftd::parse_listen_address(config.http.listen, problem).has_value());
  check_budget(config);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // parse_duration on the raw bytes: never a negative duration.
  if (size <= 64) {
    const auto duration = driftd::parse_duration(text);
    if (duration) require(duration->count() >= 0);
  }

  static const std::string path = (directory() / "config.yaml").string();
  write_file(path, text);
  try {
    const driftd::Config config = driftd::load_config(path);
    check(config, path);
  } catch (const driftd::InputError& e) {
    // It names this file, and a line that is in it (0: the whole file).
    require(e.file() == path);
    require(e.line() <= 1 + std::size_t(std::count_if(text.begin(), text.end(), [](char c) {
                           return c == '\n' || c == '\r' || c == '\x85';
                         })));
  }
  // Removed rather than overwritten: ext4 flushes a file truncated and
  // rewritten on close (auto_da_alloc), which costs ~4 ms an input.
  std::remove(path.c_str());
  return 0;
}

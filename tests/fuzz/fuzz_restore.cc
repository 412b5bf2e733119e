// libFuzzer target for restoring a model from a state snapshot: snapshots
// come from a Kafka topic, so a restore must survive any content that
// decodes (the codec has its own target, fuzz_snapshot_codec). Built and
// run by scripts/fuzz.sh (make fuzz).
//
// The input's first bytes shape a ModelSnapshot of one of two models (a
// time window of 1h / 5m, a count window) with the model's own fingerprint
// — bookkeeping, offsets and sequences, a stream reference, dictionaries,
// alert states, all from the fuzzer, and the time window's calibration
// (its thresholds of any value, in the right shape or not) — which is restored; the rest are
// events, read first as refill and then live. Findings besides crashes,
// sanitizer reports and time-outs: a window holding more than it may, or
// one event causing more evaluations than its window has boundaries.
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

#include "driftd/config.h"
#include "engine/pipeline.h"
#include "pipeline_fixture.h"

namespace {

using driftd::fuzzing::require;

constexpr std::size_t kTimed = 0;
constexpr std::size_t kMaxEvents = 300;
constexpr std::size_t kWindowSize = 40;
constexpr std::uint64_t kBoundariesPerEvent = 12 + 1;

const char* kConfig = R"(models:
  - id: timed
    reference: {from_stream: 16}
    window: {duration: 1h, step: 5m, max_events: 300}
    features:
      - {name: x, type: numeric, tests: [ks]}
      - {name: c, type: categorical, tests: [chi2]}
    alerting: {min_consecutive: 2, cooldown: 10m}
  - id: counted
    reference: {from_stream: 16}
    window: {size: 40, step: 8}
    features:
      - {name: x, type: numeric, tests: [ks]}
      - {name: c, type: categorical, tests: [chi2]}
    alerting: {mode: per_window}
)";

const driftd::Config& config() {
  static const driftd::Config& loaded = driftd::fuzzing::load_once(kConfig, "restore");
  return loaded;
}

// Takes bytes off the front of the input; zeros once it runs out.
struct Bytes {
  const std::uint8_t* data;
  std::size_t left;
  std::uint8_t u8() {
    if (left == 0) return 0;
    --left;
    return *data++;
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | u8();
    return v;
  }
  // Mostly small or near the event times of the events below, sometimes anything.
  std::int64_t offset_or_time() {
    const std::uint8_t how = u8();
    const std::int64_t raw = std::int64_t(u64());
    switch (how % 4) {
      case 0: return raw;
      case 1: return raw & 0xff;
      case 2: return 1'763'800'000'000 + (raw % 10'000'000);
      default: return driftd::kMaxEventTimeMs - (raw & 0xffff);
    }
  }
};

driftd::ModelSnapshot shaped(Bytes& in, const driftd::Pipeline& pipeline, std::size_t model) {
  driftd::ModelSnapshot s = pipeline.snapshot(model);  // the right id and fingerprint
  s.sequence = in.u64() % 100'000;
  const std::uint8_t flags = in.u8();
  if (flags & 1) {
    driftd::ReferenceData reference;
    reference.rows = (flags & 2) ? 16 : in.u8() % 20;
    reference.numbers = {std::vector<double>(reference.rows, double(in.u8()) / 16.0), {}};
    reference.texts = {{}, std::vector<std::optional<std::string>>(reference.rows, std::string(1, char('a' + in.u8() % 5)))};
    if ((flags & 4) && !reference.texts[1].empty()) reference.texts[1].pop_back();  // a shape that does not fit
    s.stream_reference = std::move(reference);
  }
  const std::size_t categories = in.u8() % 8;
  s.dictionaries = {{}, {}};
  for (std::size_t i = 0; i < categories; ++i) s.dictionaries[1].push_back(std::string(1, char('a' + in.u8() % 8)));
  s.dictionary_overflowed = {0, in.u64() % 1000};
  if (flags & 8) s.dictionaries.pop_back();
  s.window.since_evaluation = in.u64();
  s.window.evaluated_once = flags & 16;
  if (flags & 32) s.window.window_end = in.offset_or_time();
  s.window.last_sequence = in.u64();
  s.window.overflowed = in.u64();
  s.window.refill_offset = in.offset_or_time();
  s.window.refill_sequence = in.u64();
  if (flags & 64) s.first_event_ts = in.offset_or_time();
  const std::uint8_t more = in.u8();
  if (model == kTimed) {  // calibrated: always given thresholds (a calibration per input would be slow)
    // Thresholds of any value, in the right shape or not.
    const auto threshold = [&](const char* feature, const char* test) {
      return driftd::TestThreshold{.feature = feature, .test = test,
                                   .threshold = std::bit_cast<double>(in.u64()), .alpha = 1e-4};
    };
    s.calibration = driftd::Calibration{.false_alarm_every = in.u64(), .by_time = true,
                                        .window_events = std::size_t(in.u64() % 1000),
                                        .features = {{threshold("x", "ks")}, {threshold("c", "chi2")}}};
    if (more & 2) s.calibration->features.pop_back();
  }
  if (flags & 128) {
    s.alerts.push_back({.feature = "x", .test = "ks", .firing = bool(in.u8() & 1),
                        .drifted_in_a_row = std::uint32_t(in.u8()), .clean_in_a_row = std::uint32_t(in.u8()),
                        .last_fired_at = in.offset_or_time(), .firing_alert_id = "id"});
    s.last_retrain_at = in.offset_or_time();
  }
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in{data, size};
  driftd::Pipeline pipeline(config());
  const std::size_t model = in.u8() & 1;
  std::string why;
  // A calibrated model refused its snapshot would calibrate at its first
  // full window, a fraction of a second per input: not what this target is for.
  if (!pipeline.restore(model, shaped(in, pipeline, model), why) && model == kTimed) return 0;

  driftd::fuzzing::EvaluationCounter sink;
  const std::size_t refills = in.u8();
  for (std::size_t i = 0; in.left >= 3; ++i) {
    const std::int64_t ts = 1'763'800'000'000 + std::int64_t(in.u8()) * 60'000 * (i % 7 == 0 ? -1 : 1) +
                            std::int64_t(i) * 30'000;
    const double x = double(std::int8_t(in.u8())) / 16.0;
    const char category = char('a' + in.u8() % 6);
    std::string message = std::string(R"({"model_id":")") + (model == kTimed ? "timed" : "counted") +
                          R"(","ts":)" + std::to_string(ts) + R"(,"features":{"x":)" + std::to_string(x) +
                          R"(,"c":")" + category + "\"}}";
    const driftd::MessageSource source{.payload = message, .topic = "fuzz", .offset = std::int64_t(i)};
    const std::uint64_t before = sink.evaluations;
    pipeline.process(source, 0, sink, i < refills ? driftd::Pipeline::Mode::refill : driftd::Pipeline::Mode::live);
    require(sink.evaluations - before <= (model == kTimed ? kBoundariesPerEvent : 1));
    require(pipeline.monitor(model).window_events() <= (model == kTimed ? kMaxEvents : kWindowSize));
  }
  return 0;
}

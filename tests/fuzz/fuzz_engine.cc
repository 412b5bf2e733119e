// libFuzzer target for the streaming engine: decoded events through the
// Pipeline into count and time windows, evaluations and the alert policy.
// Built and run by scripts/fuzz.sh (make fuzz).
//
// The input is a sequence of 12-byte records, each one event: which model
// (a time window of 1h / 5m, or a count window), how its time is made
// (raw 64-bit, near an extreme of the accepted range or past it, or a small
// step from the previous one, back or forth), and its values; for the count
// window's model, which has labels, also its ground truth (none, a label,
// an event_id awaiting feedback, or a feedback event for one of 16 ids).
// The decoder sees the event as JSON, as from Kafka, with the time as `ts`
// or as the broker's timestamp.
//
// Findings besides crashes, sanitizer reports and time-outs (the wedge of
// issue 13 was a time-out): an event time outside [0, kMaxEventTimeMs]
// that is not bad_timestamp, or one inside it that is refused; one event
// causing more evaluations than its window has boundaries to close
// (duration / step + 1, or 1, and one labelled window's); a window holding
// more than it may, or more predictions waiting for labels than max_pending.
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "driftd/config.h"
#include "driftd/event.h"
#include "engine/pipeline.h"
#include "pipeline_fixture.h"

namespace {

using driftd::fuzzing::require;

constexpr std::size_t kTimed = 0;  // model indexes in the configuration below
constexpr std::size_t kCounted = 1;
constexpr std::size_t kMaxEvents = 300;  // the time window's max_events
constexpr std::size_t kWindowSize = 40;  // the count window's size
constexpr std::uint64_t kBoundariesPerEvent = 12 + 1;  // 1h / 5m, and the one being filled
constexpr std::size_t kMaxPending = 8;  // the counted model's labels.max_pending

const char* kConfig = R"(models:
  - id: timed
    reference: {from_stream: 16}
    window: {duration: 1h, step: 5m, max_events: 300}
    features:
      - {name: x, type: numeric, tests: [ks, psi]}
      - {name: c, type: categorical, tests: [chi2, psi]}
    alerting: {min_consecutive: 2, cooldown: 10m}
    retrain: {drifted_share: 0.5, cooldown: 1h}
  - id: counted
    reference: {from_stream: 16}
    window: {size: 40, step: 8}
    features:
      - {name: x, type: numeric, tests: [ks]}
      - {name: c, type: categorical, tests: [chi2]}
    # The timed model decides calibrated (the default), this one per window:
    # calibrating takes a fraction of a second per input, so only one model pays it.
    alerting: {mode: per_window}
    labels:
      positive_class: 1
      join_within: 10m
      max_pending: 8
      # A time window of labels, so that their event times reach its arithmetic too.
      window: {duration: 10m, step: 1m, max_events: 30}
      detectors: [ddm, eddm, adwin, page_hinkley, hddm_a, hddm_w]
)";

const driftd::Config& config() {
  static const driftd::Config& loaded = driftd::fuzzing::load_once(kConfig, "engine");
  return loaded;
}

std::int64_t read_i64(const std::uint8_t* bytes) {
  std::uint64_t value = 0;
  std::memcpy(&value, bytes, sizeof value);
  return static_cast<std::int64_t>(value);
}

// An event time from a record: raw, near the ends of the range, or a step from `previous`.
std::int64_t event_time(std::uint8_t how, std::int64_t raw, std::int64_t previous) {
  constexpr std::int64_t kLast = driftd::kMaxEventTimeMs;
  constexpr std::int64_t kLargest = std::numeric_limits<std::int64_t>::max();
  const std::int64_t small = raw % 4'000'000;  // within about an hour, either way
  switch (how % 8) {
    case 0: return raw;
    case 1: return kLast - (raw & 0xffff);
    case 2: return kLast + 1 + (raw & 0xffff);
    case 3: return kLargest - (raw & 0xffff);
    case 4: return raw & 0xffff;
    default: {
      // Mostly small steps, so that windows fill and boundaries close.
      if (small > 0 && previous > kLargest - small) return kLargest;
      if (small < 0 && previous < std::numeric_limits<std::int64_t>::min() - small) return previous;
      return previous + small;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kRecord = 12;
  driftd::Pipeline pipeline(config());
  driftd::fuzzing::EvaluationCounter sink;
  std::int64_t previous = 1'763'800'000'000;
  std::uint64_t invalid = 0;
  for (std::size_t at = 0; at + kRecord <= size; at += kRecord) {
    const std::uint8_t* record = data + at;
    const std::size_t model = record[0] & 1;
    const bool as_broker_time = (record[0] & 2) != 0;
    const std::int64_t ts = event_time(record[0] >> 2, read_i64(record + 1), previous);
    const double x = double(std::int8_t(record[9])) / 16.0;
    const char category = char('a' + record[10] % 5);
    // The counted model has labels: record[11] says whether this event has
    // none, one inline, an event_id awaiting feedback, or is the feedback
    // for one of 16 ids.
    const int label_form = model == kCounted ? record[11] & 3 : 0;
    const std::string event_id = std::to_string((record[11] >> 2) % 16);
    std::string message = std::string(R"({"model_id":")") + (model == kTimed ? "timed" : "counted") + '"';
    if (!as_broker_time) message += R"(,"ts":)" + std::to_string(ts);
    if (label_form == 3) {
      message += R"(,"event_id":")" + event_id + R"(","label":)" + std::to_string(record[10] & 1) + "}";
    } else {
      message += R"(,"features":{"x":)" + std::to_string(x) + R"(,"c":")" + category + "\"}";
      message += R"(,"prediction":)" + std::to_string((record[10] >> 1) & 1);
      if (label_form == 1) message += R"(,"label":)" + std::to_string(record[10] & 1);
      if (label_form == 2) message += R"(,"event_id":")" + event_id + "\"";
      message += "}";
    }

    const std::uint64_t evaluations_before = sink.evaluations;
    const std::size_t routed = pipeline.process(message, as_broker_time ? ts : 0, sink);
    const bool in_range = ts >= 0 && ts <= driftd::kMaxEventTimeMs;
    if (!in_range) {
      require(routed == driftd::Pipeline::kNoModel);
      ++invalid;
      require(pipeline.counters().invalid[std::size_t(driftd::InvalidReason::bad_timestamp)] == invalid);
      continue;
    }
    require(routed == model);
    previous = ts;
    // The counted model: its feature window and its labelled window, at most one evaluation each.
    require(sink.evaluations - evaluations_before <= (model == kTimed ? kBoundariesPerEvent : 2));
    require(pipeline.monitor(kTimed).window_events() <= kMaxEvents);
    require(pipeline.monitor(kCounted).window_events() <= kWindowSize);
    const driftd::LabelMonitor* labels = pipeline.monitor(kCounted).labels();
    require(labels != nullptr && labels->pending() <= kMaxPending);
  }
  return 0;
}

#include "state/snapshot_codec.h"

#include <bit>
#include <boost/crc.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace driftd {
namespace {

constexpr std::string_view kMagic = "DRIFTDSS";

std::uint32_t crc32(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

class Writer {
 public:
  void u8(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void u32(std::uint32_t value) { little_endian(value, 4); }
  void u64(std::uint64_t value) { little_endian(value, 8); }
  void i32(std::int32_t value) { u32(static_cast<std::uint32_t>(value)); }
  void i64(std::int64_t value) { u64(static_cast<std::uint64_t>(value)); }
  // The bits, not the value: NaN payloads and -0.0 must come back as they were.
  void f64(double value) { u64(std::bit_cast<std::uint64_t>(value)); }
  void flag(bool value) { u8(value ? 1 : 0); }
  void bytes(std::string_view value) { out_.append(value); }
  void text(std::string_view value) {
    u64(value.size());
    bytes(value);
  }

  template <class T, class Put>
  void optional(const std::optional<T>& value, Put put) {
    flag(value.has_value());
    if (value) put(*value);
  }

  template <class T, class Put>
  void vector(const std::vector<T>& values, Put put) {
    u64(values.size());
    for (const T& value : values) put(value);
  }

  std::string take() { return std::move(out_); }

 private:
  // Byte by byte, so the encoding does not depend on the host's byte order.
  void little_endian(std::uint64_t value, int width) {
    for (int i = 0; i < width; ++i) u8(static_cast<std::uint8_t>(value >> (8 * i)));
  }

  std::string out_;
};

// Every read names what it reads, so that a bad snapshot's error says where
// it went wrong. Reads never go past the end: each checks what is left first.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}

  std::size_t left() const { return rest_.size(); }

  std::string_view bytes(std::size_t count, const char* what) {
    if (rest_.size() < count) throw SnapshotError(std::string("truncated at ") + what);
    const std::string_view taken = rest_.substr(0, count);
    rest_.remove_prefix(count);
    return taken;
  }

  std::uint8_t u8(const char* what) { return static_cast<std::uint8_t>(bytes(1, what)[0]); }
  std::uint32_t u32(const char* what) { return static_cast<std::uint32_t>(little_endian(4, what)); }
  std::uint64_t u64(const char* what) { return little_endian(8, what); }
  // Two's complement both ways, which C++20 defines for these conversions.
  std::int32_t i32(const char* what) { return static_cast<std::int32_t>(u32(what)); }
  std::int64_t i64(const char* what) { return static_cast<std::int64_t>(u64(what)); }
  double f64(const char* what) { return std::bit_cast<double>(u64(what)); }

  // Only 0 and 1, so that each snapshot has a single encoding.
  bool flag(const char* what) {
    const std::uint8_t value = u8(what);
    if (value > 1) {
      throw SnapshotError(std::string("flag byte ") + std::to_string(value) + " at " + what + " (0 or 1 expected)");
    }
    return value == 1;
  }

  std::string text(const char* what) {
    const std::size_t length = count(what, 1);
    return std::string(bytes(length, what));
  }

  template <class Get>
  auto optional(const char* what, Get get) -> std::optional<decltype(get())> {
    if (!flag(what)) return std::nullopt;
    return get();
  }

  // `min_bytes`: the fewest bytes one element takes, so that a count no
  // input of this size could hold is refused before anything is allocated.
  template <class Get>
  auto vector(const char* what, std::size_t min_bytes, Get get) -> std::vector<decltype(get())> {
    const std::size_t n = count(what, min_bytes);
    std::vector<decltype(get())> values;
    values.reserve(n);
    for (std::size_t i = 0; i < n; ++i) values.push_back(get());
    return values;
  }

 private:
  std::uint64_t little_endian(std::size_t width, const char* what) {
    const std::string_view taken = bytes(width, what);
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) value |= std::uint64_t(static_cast<unsigned char>(taken[i])) << (8 * i);
    return value;
  }

  std::size_t count(const char* what, std::size_t min_bytes) {
    const std::uint64_t n = u64(what);
    if (n > rest_.size() / min_bytes) {
      throw SnapshotError(std::string("count ") + std::to_string(n) + " of " + what + " larger than the " +
                          std::to_string(rest_.size()) + " bytes left");
    }
    return static_cast<std::size_t>(n);
  }

  std::string_view rest_;
};

// The fewest bytes an element takes: a u64 length or count, or one flag.
constexpr std::size_t kCountBytes = 8;
constexpr std::size_t kFlagBytes = 1;
// Lower bounds, kept loose so they cannot drift from the layout below into
// refusing a valid snapshot: an alert's three string lengths, a model's id
// length, fingerprint and sequence.
constexpr std::size_t kMinAlertBytes = 3 * kCountBytes;
constexpr std::size_t kMinModelBytes = 3 * kCountBytes;

// --- Body: each put_* has its get_* right below, field for field. ----------

void put_reference(Writer& w, const ReferenceData& reference) {
  w.vector(reference.numbers, [&](const std::vector<double>& column) {
    w.vector(column, [&](double number) { w.f64(number); });
  });
  w.vector(reference.texts, [&](const std::vector<std::optional<std::string>>& column) {
    w.vector(column, [&](const std::optional<std::string>& text) {
      w.optional(text, [&](const std::string& value) { w.text(value); });
    });
  });
  w.u64(reference.rows);
}

ReferenceData get_reference(Reader& r) {
  ReferenceData reference;
  reference.numbers = r.vector("reference numbers", kCountBytes, [&] {
    return r.vector("reference number", 8, [&] { return r.f64("reference number"); });
  });
  reference.texts = r.vector("reference texts", kCountBytes, [&] {
    return r.vector("reference text", kFlagBytes,
                    [&] { return r.optional("reference text", [&] { return r.text("reference text"); }); });
  });
  reference.rows = r.u64("reference rows");
  return reference;
}

void put_window(Writer& w, const WindowSnapshot& window) {
  w.u64(window.since_evaluation);
  w.flag(window.evaluated_once);
  w.optional(window.window_end, [&](std::int64_t end) { w.i64(end); });
  w.u64(window.last_sequence);
  w.u64(window.overflowed);
  w.i64(window.refill_offset);
  w.u64(window.refill_sequence);
}

WindowSnapshot get_window(Reader& r) {
  WindowSnapshot window;
  window.since_evaluation = r.u64("window since_evaluation");
  window.evaluated_once = r.flag("window evaluated_once");
  window.window_end = r.optional("window end", [&] { return r.i64("window end"); });
  window.last_sequence = r.u64("window last_sequence");
  window.overflowed = r.u64("window overflowed");
  window.refill_offset = r.i64("window refill_offset");
  window.refill_sequence = r.u64("window refill_sequence");
  return window;
}

void put_alert(Writer& w, const AlertStateSnapshot& alert) {
  w.text(alert.feature);
  w.text(alert.test);
  w.flag(alert.firing);
  w.u32(alert.drifted_in_a_row);
  w.u32(alert.clean_in_a_row);
  w.optional(alert.last_fired_at, [&](std::int64_t at) { w.i64(at); });
  w.text(alert.firing_alert_id);
}

AlertStateSnapshot get_alert(Reader& r) {
  AlertStateSnapshot alert;
  alert.feature = r.text("alert feature");
  alert.test = r.text("alert test");
  alert.firing = r.flag("alert firing");
  alert.drifted_in_a_row = r.u32("alert drifted_in_a_row");
  alert.clean_in_a_row = r.u32("alert clean_in_a_row");
  alert.last_fired_at = r.optional("alert last_fired_at", [&] { return r.i64("alert last_fired_at"); });
  alert.firing_alert_id = r.text("alert firing_alert_id");
  return alert;
}

void put_threshold(Writer& w, const TestThreshold& threshold) {
  w.text(threshold.feature);
  w.text(threshold.test);
  w.f64(threshold.threshold);
  w.f64(threshold.alpha);
}

TestThreshold get_threshold(Reader& r) {
  TestThreshold threshold;
  threshold.feature = r.text("threshold feature");
  threshold.test = r.text("threshold test");
  threshold.threshold = r.f64("threshold");
  threshold.alpha = r.f64("threshold alpha");
  return threshold;
}

// The smallest encodings: two empty texts and two doubles; two empty texts
// and four 8-byte numbers.
constexpr std::size_t kMinThresholdBytes = 2 * kCountBytes + 16;
constexpr std::size_t kMinGroupBytes = 2 * kCountBytes + 32;

void put_calibration(Writer& w, const Calibration& c) {
  w.u64(c.false_alarm_every);
  w.flag(c.by_time);
  w.f64(c.evaluations_per_alarm);
  w.f64(c.level);
  w.u64(c.window_events);
  w.u64(c.step_events);
  w.u64(c.reference_rows);
  w.u64(c.simulated_evaluations);
  w.f64(c.expected_episode_rate);
  w.vector(c.features, [&](const std::vector<TestThreshold>& tests) {
    w.vector(tests, [&](const TestThreshold& t) { put_threshold(w, t); });
  });
  w.vector(c.multivariate, [&](const TestThreshold& t) { put_threshold(w, t); });
  w.vector(c.groups, [&](const CalibrationGroup& g) {
    w.text(g.features);
    w.text(g.tests);
    w.u64(g.copies);
    w.u64(g.evaluations);
    w.f64(g.measured_rate);
    w.f64(g.expected_rate);
  });
  w.f64(c.seconds);
}

Calibration get_calibration(Reader& r) {
  Calibration c;
  c.false_alarm_every = r.u64("calibration false_alarm_every");
  c.by_time = r.flag("calibration by_time");
  c.evaluations_per_alarm = r.f64("calibration evaluations_per_alarm");
  c.level = r.f64("calibration level");
  c.window_events = std::size_t(r.u64("calibration window_events"));
  c.step_events = std::size_t(r.u64("calibration step_events"));
  c.reference_rows = r.u64("calibration reference_rows");
  c.simulated_evaluations = r.u64("calibration simulated_evaluations");
  c.expected_episode_rate = r.f64("calibration expected_episode_rate");
  c.features = r.vector("calibration features", kCountBytes, [&] {
    return r.vector("calibration tests", kMinThresholdBytes, [&] { return get_threshold(r); });
  });
  c.multivariate = r.vector("calibration multivariate", kMinThresholdBytes, [&] { return get_threshold(r); });
  c.groups = r.vector("calibration groups", kMinGroupBytes, [&] {
    CalibrationGroup g;
    g.features = r.text("group features");
    g.tests = r.text("group tests");
    g.copies = std::size_t(r.u64("group copies"));
    g.evaluations = r.u64("group evaluations");
    g.measured_rate = r.f64("group measured_rate");
    g.expected_rate = r.f64("group expected_rate");
    return g;
  });
  c.seconds = r.f64("calibration seconds");
  return c;
}

void put_labels(Writer& w, const LabelSnapshot& labels) {
  w.vector(labels.counts, [&](std::uint64_t count) { w.u64(count); });
  w.vector(labels.window_errors, [&](double error) { w.f64(error); });
  w.vector(labels.window_flags, [&](std::uint8_t flags) { w.u8(flags); });
  w.vector(labels.window_ts, [&](std::int64_t ts) { w.i64(ts); });
  w.optional(labels.window_end, [&](std::int64_t end) { w.i64(end); });
  w.vector(labels.waiting, [&](const WaitingPrediction& p) {
    w.text(p.event_id);
    w.i64(p.ts_ms);
    w.u8(p.kind);
    w.f64(p.number);
    w.text(p.text);
    w.flag(p.labelled);
  });
  w.optional(labels.latest_ts, [&](std::int64_t ts) { w.i64(ts); });
  w.optional(labels.last_lag_ms, [&](std::int64_t lag) { w.i64(lag); });
  w.vector(labels.detectors, [&](const ErrorDetectorSnapshot& d) {
    w.vector(d.state, [&](double value) { w.f64(value); });
    w.flag(d.drifted);
    w.f64(d.statistic_at_drift);
  });
}

LabelSnapshot get_labels(Reader& r) {
  LabelSnapshot labels;
  labels.counts = r.vector("label counts", 8, [&] { return r.u64("label count"); });
  labels.window_errors = r.vector("label window errors", 8, [&] { return r.f64("label window error"); });
  labels.window_flags = r.vector("label window flags", 1, [&] { return r.u8("label window flags"); });
  labels.window_ts = r.vector("label window times", 8, [&] { return r.i64("label window time"); });
  labels.window_end = r.optional("label window end", [&] { return r.i64("label window end"); });
  // An id's length, a time, a kind, a number, a text's length and a flag.
  constexpr std::size_t kMinWaitingBytes = 8 + 8 + 1 + 8 + 8 + 1;
  labels.waiting = r.vector("waiting predictions", kMinWaitingBytes, [&] {
    WaitingPrediction p;
    p.event_id = r.text("waiting event_id");
    p.ts_ms = r.i64("waiting ts");
    p.kind = r.u8("waiting kind");
    p.number = r.f64("waiting number");
    p.text = r.text("waiting text");
    p.labelled = r.flag("waiting labelled");
    return p;
  });
  labels.latest_ts = r.optional("labels latest_ts", [&] { return r.i64("labels latest_ts"); });
  labels.last_lag_ms = r.optional("labels last_lag_ms", [&] { return r.i64("labels last_lag_ms"); });
  labels.detectors = r.vector("error detectors", kCountBytes + kFlagBytes + 8, [&] {
    ErrorDetectorSnapshot d;
    d.state = r.vector("error detector state", 8, [&] { return r.f64("error detector state"); });
    d.drifted = r.flag("error detector drifted");
    d.statistic_at_drift = r.f64("error detector statistic_at_drift");
    return d;
  });
  return labels;
}

void put_model(Writer& w, const ModelSnapshot& model) {
  w.text(model.model_id);
  w.u64(model.fingerprint);
  w.u64(model.sequence);
  w.optional(model.stream_reference, [&](const ReferenceData& reference) { put_reference(w, reference); });
  w.vector(model.dictionaries, [&](const std::vector<std::string>& dictionary) {
    w.vector(dictionary, [&](const std::string& name) { w.text(name); });
  });
  w.vector(model.dictionary_overflowed, [&](std::uint64_t overflowed) { w.u64(overflowed); });
  put_window(w, model.window);
  w.optional(model.first_event_ts, [&](std::int64_t ts) { w.i64(ts); });
  w.optional(model.calibration, [&](const Calibration& calibration) { put_calibration(w, calibration); });
  w.vector(model.alerts, [&](const AlertStateSnapshot& alert) { put_alert(w, alert); });
  w.optional(model.last_retrain_at, [&](std::int64_t at) { w.i64(at); });
  w.optional(model.labels, [&](const LabelSnapshot& labels) { put_labels(w, labels); });
}

ModelSnapshot get_model(Reader& r) {
  ModelSnapshot model;
  model.model_id = r.text("model_id");
  model.fingerprint = r.u64("model fingerprint");
  model.sequence = r.u64("model sequence");
  model.stream_reference = r.optional("stream_reference", [&] { return get_reference(r); });
  model.dictionaries = r.vector("dictionaries", kCountBytes, [&] {
    return r.vector("dictionary", kCountBytes, [&] { return r.text("dictionary category"); });
  });
  model.dictionary_overflowed =
      r.vector("dictionary_overflowed", 8, [&] { return r.u64("dictionary_overflowed"); });
  model.window = get_window(r);
  model.first_event_ts = r.optional("first_event_ts", [&] { return r.i64("first_event_ts"); });
  model.calibration = r.optional("calibration", [&] { return get_calibration(r); });
  model.alerts = r.vector("alerts", kMinAlertBytes, [&] { return get_alert(r); });
  model.last_retrain_at = r.optional("last_retrain_at", [&] { return r.i64("last_retrain_at"); });
  model.labels = r.optional("labels", [&] { return get_labels(r); });
  return model;
}

void put_partition(Writer& w, const PartitionSnapshot& snapshot) {
  w.text(snapshot.topic);
  w.i32(snapshot.partition);
  w.i64(snapshot.next_offset);
  w.i64(snapshot.replay_from);
  w.vector(snapshot.models, [&](const ModelSnapshot& model) { put_model(w, model); });
}

PartitionSnapshot get_partition(Reader& r) {
  PartitionSnapshot snapshot;
  snapshot.topic = r.text("topic");
  snapshot.partition = r.i32("partition");
  snapshot.next_offset = r.i64("next_offset");
  snapshot.replay_from = r.i64("replay_from");
  snapshot.models = r.vector("models", kMinModelBytes, [&] { return get_model(r); });
  return snapshot;
}

}  // namespace

std::string encode_snapshot(const PartitionSnapshot& snapshot) {
  Writer body;
  put_partition(body, snapshot);
  const std::string bytes = body.take();

  Writer out;
  out.bytes(kMagic);
  out.u32(PartitionSnapshot::kFormatVersion);
  out.u32(crc32(bytes));
  out.u64(bytes.size());
  out.bytes(bytes);
  return out.take();
}

PartitionSnapshot decode_snapshot(std::string_view bytes) {
  // A prefix of the magic is a cut-off snapshot; anything else is not one.
  if (bytes.substr(0, kMagic.size()) != kMagic.substr(0, bytes.size())) {
    throw SnapshotError("not a driftd state snapshot", SnapshotError::Kind::foreign);
  }
  Reader header(bytes);
  header.bytes(kMagic.size(), "magic");
  // Before the checksum: another version may checksum differently or not at all.
  const std::uint32_t version = header.u32("format version");
  if (version != PartitionSnapshot::kFormatVersion) {
    throw SnapshotError(std::string("format version ") + std::to_string(version) + ", this driftd reads " +
                        std::to_string(PartitionSnapshot::kFormatVersion),
                        SnapshotError::Kind::other_format);
  }
  const std::uint32_t checksum = header.u32("checksum");
  const std::uint64_t length = header.u64("body length");
  if (length > header.left()) {
    throw SnapshotError(std::string("truncated at body (") + std::to_string(header.left()) + " of " +
                        std::to_string(length) + " bytes)");
  }
  if (length < header.left()) {
    throw SnapshotError(std::string("trailing bytes (") + std::to_string(header.left() - length) +
                        " after the body)");
  }
  const std::string_view body = header.bytes(static_cast<std::size_t>(length), "body");
  if (crc32(body) != checksum) throw SnapshotError("checksum mismatch (corrupt)");

  // The checksum only says the body arrived as written, not that a writer
  // wrote it well: it is read as carefully as the header.
  Reader r(body);
  PartitionSnapshot snapshot = get_partition(r);
  if (r.left() != 0) {
    throw SnapshotError(std::string("trailing bytes (") + std::to_string(r.left()) + " after the snapshot in the body)");
  }
  return snapshot;
}

}  // namespace driftd

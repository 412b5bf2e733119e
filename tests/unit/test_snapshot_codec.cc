#include "state/snapshot_codec.h"

#include <bit>
#include <boost/crc.hpp>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

using driftd::AlertStateSnapshot;
using driftd::decode_snapshot;
using driftd::encode_snapshot;
using driftd::ModelSnapshot;
using driftd::PartitionSnapshot;
using driftd::ReferenceData;
using driftd::SnapshotError;
using driftd::WindowSnapshot;

namespace {

constexpr std::size_t kHeaderBytes = 24;  // magic, version, checksum, body length

// A NaN with a payload: a missing number must come back bit for bit, not as
// whatever NaN the platform makes.
const double kPayloadNaN = std::bit_cast<double>(std::uint64_t{0x7ff8'0000'dead'beefULL});

// Three models: a time window calibrated from a stream reference, a count
// window with a file reference (no stream_reference) and few optionals, and
// one with every container empty.
PartitionSnapshot full_snapshot() {
  PartitionSnapshot snapshot;
  snapshot.topic = "payments.events";
  snapshot.partition = 7;
  snapshot.next_offset = 1'234'567'890'123;
  snapshot.replay_from = 1'234'567'880'000;

  ModelSnapshot fraud;
  fraud.model_id = "fraud-v3";
  fraud.fingerprint = 0xfedc'ba98'7654'3210ULL;
  fraud.sequence = 98'765;
  ReferenceData reference;
  reference.numbers = {{1.5, kPayloadNaN, -0.0, std::numeric_limits<double>::quiet_NaN(),
                        std::numeric_limits<double>::infinity(), std::numeric_limits<double>::denorm_min()},
                       {},
                       {}};
  reference.texts = {{}, {std::string("DE"), std::nullopt, std::string(""), std::string("caf\xc3\xa9")}, {}};
  reference.rows = 6;
  fraud.stream_reference = reference;
  fraud.dictionaries = {{}, {"DE", "FR", "", std::string("nul\0byte", 8)}, {}};
  fraud.dictionary_overflowed = {0, 3, 0};
  fraud.window = {.since_evaluation = 12,
                  .evaluated_once = true,
                  .window_end = 1'763'800'600'000,
                  .last_sequence = 98'764,
                  .overflowed = 5,
                  .refill_offset = 1'234'567'880'000,
                  .refill_sequence = 90'000};
  fraud.first_event_ts = 1'763'800'000'000;
  driftd::Calibration calibration{.false_alarm_every = 5'000'000,
                                  .by_time = false,
                                  .evaluations_per_alarm = 10'000.0,
                                  .level = 12.5,
                                  .window_events = 5'000,
                                  .step_events = 500,
                                  .reference_rows = 100'000,
                                  .simulated_evaluations = 4'000,
                                  .expected_episode_rate = 1e-4,
                                  .features = {{{.feature = "amount", .test = "ks", .threshold = 0.0625, .alpha = 2e-5},
                                                {.feature = "amount", .test = "psi", .threshold = 0.031, .alpha = 3e-5}},
                                               {}},
                                  .multivariate = {{.feature = "amount+age", .test = "mmd", .threshold = 0.0012,
                                                    .alpha = std::numeric_limits<double>::denorm_min()}},
                                  .groups = {{.features = "amount", .tests = "ks+psi", .copies = 3, .evaluations = 400,
                                              .measured_rate = 2.5e-3, .expected_rate = 1e-4}},
                                  .seconds = 1.25};
  fraud.calibration = calibration;
  fraud.alerts = {{.feature = "amount",
                   .test = "ks",
                   .firing = true,
                   .drifted_in_a_row = 4,
                   .clean_in_a_row = 0,
                   .last_fired_at = 1'763'800'540'000,
                   .firing_alert_id = "2326ba75-c16b-55b1-92b7-19b795c851d6"},
                  {.feature = "amount+country",
                   .test = "mmd",
                   .firing = false,
                   .drifted_in_a_row = 0,
                   .clean_in_a_row = std::numeric_limits<std::uint32_t>::max(),
                   .last_fired_at = std::nullopt,
                   .firing_alert_id = ""}};
  fraud.last_retrain_at = -1;

  ModelSnapshot churn;
  churn.model_id = "churn";
  churn.fingerprint = 1;
  churn.sequence = 0;
  churn.dictionaries = {{"basic", "pro"}};
  churn.dictionary_overflowed = {std::numeric_limits<std::uint64_t>::max()};
  churn.window = {.since_evaluation = 3, .evaluated_once = false, .window_end = std::nullopt, .refill_offset = -1};
  churn.calibration = driftd::Calibration{};
  churn.alerts = {{.feature = "plan", .test = "psi", .drifted_in_a_row = 1, .last_fired_at = std::int64_t{0}}};
  driftd::LabelSnapshot labels;
  labels.counts = {1, 2, 3, 4, 5, 6, 7, 8, std::numeric_limits<std::uint64_t>::max()};
  labels.window_errors = {0.0, 1.0, -0.0, std::numeric_limits<double>::quiet_NaN()};
  labels.window_flags = {0, 1, 2, 3};
  labels.window_ts = {-1, 0, 1, std::numeric_limits<std::int64_t>::max()};
  labels.window_end = std::numeric_limits<std::int64_t>::min();
  labels.waiting = {{.event_id = "e1", .ts_ms = 5, .kind = 1, .number = 0.25, .text = "", .labelled = false},
                    {.event_id = "", .ts_ms = -5, .kind = 2, .number = 0.0, .text = "fraud", .labelled = true}};
  labels.latest_ts = 7;
  labels.detectors = {{.state = {1.5, 2.0}, .drifted = true, .statistic_at_drift = 3.25}, {}};
  churn.labels = labels;

  ModelSnapshot empty;
  empty.model_id = "";
  empty.stream_reference = ReferenceData{};

  snapshot.models = {fraud, churn, empty};
  return snapshot;
}

std::uint64_t bits(double value) { return std::bit_cast<std::uint64_t>(value); }
bool same_bits(double a, double b) { return bits(a) == bits(b); }

void check_same(const ReferenceData& a, const ReferenceData& b) {
  CHECK(a.rows == b.rows);
  REQUIRE(a.numbers.size() == b.numbers.size());
  for (std::size_t c = 0; c < a.numbers.size(); ++c) {
    REQUIRE(a.numbers[c].size() == b.numbers[c].size());
    for (std::size_t i = 0; i < a.numbers[c].size(); ++i) CHECK(bits(a.numbers[c][i]) == bits(b.numbers[c][i]));
  }
  CHECK(a.texts == b.texts);
}

void check_same(const WindowSnapshot& a, const WindowSnapshot& b) {
  CHECK(a.since_evaluation == b.since_evaluation);
  CHECK(a.evaluated_once == b.evaluated_once);
  CHECK(a.window_end == b.window_end);
  CHECK(a.last_sequence == b.last_sequence);
  CHECK(a.overflowed == b.overflowed);
  CHECK(a.refill_offset == b.refill_offset);
  CHECK(a.refill_sequence == b.refill_sequence);
}

void check_same(const AlertStateSnapshot& a, const AlertStateSnapshot& b) {
  CHECK(a.feature == b.feature);
  CHECK(a.test == b.test);
  CHECK(a.firing == b.firing);
  CHECK(a.drifted_in_a_row == b.drifted_in_a_row);
  CHECK(a.clean_in_a_row == b.clean_in_a_row);
  CHECK(a.last_fired_at == b.last_fired_at);
  CHECK(a.firing_alert_id == b.firing_alert_id);
}

void check_same(const ModelSnapshot& a, const ModelSnapshot& b) {
  CHECK(a.model_id == b.model_id);
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.sequence == b.sequence);
  REQUIRE(a.stream_reference.has_value() == b.stream_reference.has_value());
  if (a.stream_reference) check_same(*a.stream_reference, *b.stream_reference);
  CHECK(a.dictionaries == b.dictionaries);
  CHECK(a.dictionary_overflowed == b.dictionary_overflowed);
  check_same(a.window, b.window);
  CHECK(a.first_event_ts == b.first_event_ts);
  REQUIRE(a.calibration.has_value() == b.calibration.has_value());
  if (a.calibration) {
    const driftd::Calibration& x = *a.calibration;
    const driftd::Calibration& y = *b.calibration;
    CHECK(x.false_alarm_every == y.false_alarm_every);
    CHECK(x.by_time == y.by_time);
    CHECK(same_bits(x.evaluations_per_alarm, y.evaluations_per_alarm));
    CHECK(same_bits(x.level, y.level));
    CHECK(x.window_events == y.window_events);
    CHECK(x.step_events == y.step_events);
    CHECK(x.reference_rows == y.reference_rows);
    CHECK(x.simulated_evaluations == y.simulated_evaluations);
    CHECK(same_bits(x.expected_episode_rate, y.expected_episode_rate));
    const auto same_threshold = [](const driftd::TestThreshold& t, const driftd::TestThreshold& u) {
      return t.feature == u.feature && t.test == u.test && same_bits(t.threshold, u.threshold) &&
             same_bits(t.alpha, u.alpha);
    };
    REQUIRE(x.features.size() == y.features.size());
    for (std::size_t f = 0; f < x.features.size(); ++f) {
      REQUIRE(x.features[f].size() == y.features[f].size());
      for (std::size_t t = 0; t < x.features[f].size(); ++t) CHECK(same_threshold(x.features[f][t], y.features[f][t]));
    }
    REQUIRE(x.multivariate.size() == y.multivariate.size());
    for (std::size_t t = 0; t < x.multivariate.size(); ++t) CHECK(same_threshold(x.multivariate[t], y.multivariate[t]));
    REQUIRE(x.groups.size() == y.groups.size());
    for (std::size_t g = 0; g < x.groups.size(); ++g) {
      CHECK(x.groups[g].features == y.groups[g].features);
      CHECK(x.groups[g].tests == y.groups[g].tests);
      CHECK(x.groups[g].copies == y.groups[g].copies);
      CHECK(x.groups[g].evaluations == y.groups[g].evaluations);
      CHECK(same_bits(x.groups[g].measured_rate, y.groups[g].measured_rate));
      CHECK(same_bits(x.groups[g].expected_rate, y.groups[g].expected_rate));
    }
    CHECK(same_bits(x.seconds, y.seconds));
  }
  REQUIRE(a.alerts.size() == b.alerts.size());
  for (std::size_t i = 0; i < a.alerts.size(); ++i) check_same(a.alerts[i], b.alerts[i]);
  CHECK(a.last_retrain_at == b.last_retrain_at);
  REQUIRE(a.labels.has_value() == b.labels.has_value());
  if (a.labels) {
    const driftd::LabelSnapshot& x = *a.labels;
    const driftd::LabelSnapshot& y = *b.labels;
    CHECK(x.counts == y.counts);
    REQUIRE(x.window_errors.size() == y.window_errors.size());
    for (std::size_t i = 0; i < x.window_errors.size(); ++i) CHECK(same_bits(x.window_errors[i], y.window_errors[i]));
    CHECK(x.window_flags == y.window_flags);
    CHECK(x.window_ts == y.window_ts);
    CHECK(x.window_end == y.window_end);
    REQUIRE(x.waiting.size() == y.waiting.size());
    for (std::size_t i = 0; i < x.waiting.size(); ++i) {
      CHECK(x.waiting[i].event_id == y.waiting[i].event_id);
      CHECK(x.waiting[i].ts_ms == y.waiting[i].ts_ms);
      CHECK(x.waiting[i].kind == y.waiting[i].kind);
      CHECK(same_bits(x.waiting[i].number, y.waiting[i].number));
      CHECK(x.waiting[i].text == y.waiting[i].text);
      CHECK(x.waiting[i].labelled == y.waiting[i].labelled);
    }
    CHECK(x.latest_ts == y.latest_ts);
    CHECK(x.last_lag_ms == y.last_lag_ms);
    REQUIRE(x.detectors.size() == y.detectors.size());
    for (std::size_t d = 0; d < x.detectors.size(); ++d) {
      CHECK(x.detectors[d].state == y.detectors[d].state);
      CHECK(x.detectors[d].drifted == y.detectors[d].drifted);
      CHECK(same_bits(x.detectors[d].statistic_at_drift, y.detectors[d].statistic_at_drift));
    }
  }
}

void check_same(const PartitionSnapshot& a, const PartitionSnapshot& b) {
  CHECK(a.topic == b.topic);
  CHECK(a.partition == b.partition);
  CHECK(a.next_offset == b.next_offset);
  CHECK(a.replay_from == b.replay_from);
  REQUIRE(a.models.size() == b.models.size());
  for (std::size_t m = 0; m < a.models.size(); ++m) check_same(a.models[m], b.models[m]);
}

void put_u32(std::string& bytes, std::size_t at, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>(value >> (8 * i));
}

void append_u64(std::string& bytes, std::uint64_t value) {
  for (std::size_t i = 0; i < 8; ++i) bytes.push_back(static_cast<char>(value >> (8 * i)));
}

// A header with a right checksum and length around `body`, for bodies no
// writer makes: a well-checksummed snapshot is still read with suspicion.
std::string with_header(const std::string& body) {
  boost::crc_32_type crc;
  crc.process_bytes(body.data(), body.size());
  std::string bytes = "DRIFTDSS";
  bytes.append(8, '\0');
  put_u32(bytes, 8, PartitionSnapshot::kFormatVersion);
  put_u32(bytes, 12, crc.checksum());
  append_u64(bytes, body.size());
  return bytes + body;
}

std::string error_of(std::string_view bytes) {
  try {
    decode_snapshot(bytes);
  } catch (const SnapshotError& error) {
    return error.what();
  }
  return "(decoded)";
}

}  // namespace

TEST_CASE("snapshot_codec: a snapshot with every field set comes back field by field", "[snapshot_codec]") {
  const PartitionSnapshot snapshot = full_snapshot();
  const std::string bytes = encode_snapshot(snapshot);
  const PartitionSnapshot decoded = decode_snapshot(bytes);
  check_same(decoded, snapshot);
  // The NaN's payload is the point of comparing bits.
  REQUIRE(decoded.models[0].stream_reference.has_value());
  CHECK(bits(decoded.models[0].stream_reference->numbers[0][1]) == 0x7ff8'0000'dead'beefULL);
  CHECK(bits(decoded.models[0].stream_reference->numbers[0][2]) == bits(-0.0));
  CHECK(decoded.models[0].stream_reference->texts[1][1] == std::nullopt);
  CHECK(decoded.models[0].dictionaries[1][3].size() == 8);
  CHECK_FALSE(decoded.models[1].stream_reference.has_value());
  CHECK_FALSE(decoded.models[1].first_event_ts.has_value());
  // One encoding per snapshot.
  CHECK(encode_snapshot(decoded) == bytes);
}

TEST_CASE("snapshot_codec: an empty snapshot comes back", "[snapshot_codec]") {
  const PartitionSnapshot empty;
  const std::string bytes = encode_snapshot(empty);
  // Topic length, partition, next_offset, replay_from, model count.
  CHECK(bytes.size() == kHeaderBytes + 8 + 4 + 8 + 8 + 8);
  check_same(decode_snapshot(bytes), empty);
}

TEST_CASE("snapshot_codec: the header is magic, version, checksum and body length, little endian", "[snapshot_codec]") {
  const std::string bytes = encode_snapshot(full_snapshot());
  CHECK(bytes.substr(0, 8) == "DRIFTDSS");
  CHECK(bytes.substr(8, 4) == std::string("\x02\x00\x00\x00", 4));
  CHECK(with_header(bytes.substr(kHeaderBytes)) == bytes);
}

TEST_CASE("snapshot_codec: another magic is not a snapshot", "[snapshot_codec]") {
  std::string bytes = encode_snapshot(full_snapshot());
  bytes[3] = 'X';
  CHECK(error_of(bytes) == "not a driftd state snapshot");
  CHECK(error_of("{\"topic\": \"payments\"}") == "not a driftd state snapshot");
  CHECK(error_of("DRX") == "not a driftd state snapshot");
}

TEST_CASE("snapshot_codec: another format version is named", "[snapshot_codec]") {
  std::string bytes = encode_snapshot(full_snapshot());
  put_u32(bytes, 8, 3);
  CHECK(error_of(bytes) == "format version 3, this driftd reads 2");
  // The format before labels: a restart reads such a partition from its start.
  put_u32(bytes, 8, 1);
  CHECK(error_of(bytes) == "format version 1, this driftd reads 2");
}

TEST_CASE("snapshot_codec: any flipped byte of the body or checksum is a checksum mismatch", "[snapshot_codec]") {
  const std::string bytes = encode_snapshot(full_snapshot());
  for (std::size_t at = 12; at < bytes.size(); ++at) {
    if (at >= 16 && at < kHeaderBytes) continue;  // the body length: a truncation or trailing bytes
    std::string corrupt = bytes;
    corrupt[at] = static_cast<char>(corrupt[at] ^ 0x10);
    INFO("byte " << at);
    CHECK(error_of(corrupt) == "checksum mismatch (corrupt)");
  }
}

TEST_CASE("snapshot_codec: every truncation is refused", "[snapshot_codec]") {
  const std::string bytes = encode_snapshot(full_snapshot());
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    INFO("length " << length);
    const std::string error = error_of(std::string_view(bytes).substr(0, length));
    CHECK(error.rfind("truncated at ", 0) == 0);
  }
  CHECK(error_of("") == "truncated at magic");
  CHECK(error_of("DRIFTD") == "truncated at magic");
  CHECK(error_of(bytes.substr(0, 10)) == "truncated at format version");
  CHECK(error_of(bytes.substr(0, 14)) == "truncated at checksum");
  CHECK(error_of(bytes.substr(0, 20)) == "truncated at body length");
  const std::string body_length = std::to_string(bytes.size() - kHeaderBytes);
  CHECK(error_of(bytes.substr(0, kHeaderBytes)) == std::string("truncated at body (0 of ") + body_length + " bytes)");
}

TEST_CASE("snapshot_codec: bytes after the snapshot are refused", "[snapshot_codec]") {
  const std::string bytes = encode_snapshot(full_snapshot());
  CHECK(error_of(bytes + '\0') == "trailing bytes (1 after the body)");
  // Inside a well-checksummed body too.
  const std::string body = encode_snapshot(PartitionSnapshot{}).substr(kHeaderBytes);
  CHECK(error_of(with_header(body + "xy")) == "trailing bytes (2 after the snapshot in the body)");
}

TEST_CASE("snapshot_codec: a count larger than the bytes left is refused before allocating", "[snapshot_codec]") {
  // Empty topic, partition, next_offset, replay_from, then the model count.
  std::string prefix;
  append_u64(prefix, 0);
  prefix.append(4 + 8 + 8, '\0');
  std::string models = prefix;
  append_u64(models, std::uint64_t{1} << 60);
  CHECK(error_of(with_header(models)) == "count 1152921504606846976 of models larger than the 0 bytes left");

  std::string topic;
  append_u64(topic, std::numeric_limits<std::uint64_t>::max());
  topic += "abc";
  CHECK(error_of(with_header(topic)) == "count 18446744073709551615 of topic larger than the 3 bytes left");

  // One model whose reference claims 2^60 columns.
  std::string reference = prefix;
  append_u64(reference, 1);
  append_u64(reference, 0);             // model_id
  reference.append(8 + 8, '\0');        // fingerprint, sequence
  reference.push_back('\x01');          // stream_reference present
  append_u64(reference, std::uint64_t{1} << 60);
  reference.append(64, '\0');
  CHECK(error_of(with_header(reference)) ==
        "count 1152921504606846976 of reference numbers larger than the 64 bytes left");
}

TEST_CASE("snapshot_codec: a flag byte other than 0 or 1 is refused", "[snapshot_codec]") {
  std::string body;
  append_u64(body, 0);
  body.append(4 + 8 + 8, '\0');
  append_u64(body, 1);
  append_u64(body, 0);
  body.append(8 + 8, '\0');
  body.push_back('\x02');  // stream_reference
  CHECK(error_of(with_header(body)) == "flag byte 2 at stream_reference (0 or 1 expected)");
}

TEST_CASE("snapshot_codec: a body cut short under a right checksum is refused", "[snapshot_codec]") {
  const std::string body = encode_snapshot(full_snapshot()).substr(kHeaderBytes);
  CHECK(error_of(with_header(body.substr(0, 3))) == "truncated at topic");
  CHECK(error_of(with_header(body.substr(0, 10))) == "count 15 of topic larger than the 2 bytes left");
  // A cut inside a string or vector is a count too large for what is left.
  for (std::size_t length = 0; length < body.size(); ++length) {
    INFO("length " << length);
    const std::string error = error_of(with_header(body.substr(0, length)));
    CHECK((error.rfind("truncated at ", 0) == 0 || error.rfind("count ", 0) == 0));
  }
}

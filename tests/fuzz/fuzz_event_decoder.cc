// libFuzzer target for EventDecoder. Build (not part of the CMake build):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc \
//     tests/fuzz/fuzz_event_decoder.cc src/decode/event_decoder.cc src/decode/event_schema.cc -lsimdjson \
//     -o fuzz_event_decoder
//   mkdir -p /tmp/event_corpus  # new inputs go to the first directory, not the seeds
//   ./fuzz_event_decoder -max_total_time=60 /tmp/event_corpus tests/fuzz/corpus/event_decoder
// Every message gets an InvalidReason; a crash, an exception, a sanitizer
// report or an answer that differs from the reference below is a finding.
// The reference decodes the same rules from simdjson's DOM, an independent
// parse that validates the whole document.
#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

#include "decode/event_decoder.h"
#include "driftd/event.h"

namespace {

using driftd::ColumnSchema;
using driftd::DecodedEvent;
using driftd::FeatureType;
using driftd::InvalidReason;
using driftd::ModelSchema;

constexpr std::size_t max_bytes = 2048;

// "x" is numeric in one model and categorical in the other.
std::vector<ModelSchema> schemas() {
  return {
      {"a",
       {{"x", FeatureType::numeric, false},
        {"c", FeatureType::categorical, false},
        {"prediction", FeatureType::numeric, true}}},
      {"b",
       {{"x", FeatureType::categorical, false},
        {"y", FeatureType::numeric, false},
        {"prediction", FeatureType::categorical, true}}},
  };
}

driftd::InputConfig input() {
  driftd::InputConfig config;
  config.max_bytes = max_bytes;
  return config;
}

void require(bool condition) {
  if (!condition) std::abort();
}

// What the decoder should answer, from the DOM of a valid object.
struct Expected {
  InvalidReason reason = InvalidReason::none;
  std::size_t model = 0;
  std::int64_t ts_ms = 0;
  std::vector<driftd::ColumnValue> values;
  std::vector<bool> from_number;  // categorical text from a number token: the DOM keeps no token

  void note(InvalidReason problem) {
    if (reason == InvalidReason::none || problem < reason) reason = problem;
  }
};

void expect_value(simdjson::dom::element value, const ColumnSchema& column, std::size_t c, Expected& expected) {
  driftd::ColumnValue& out = expected.values[c];
  const bool numeric = column.type == FeatureType::numeric;
  switch (value.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      return;
    case simdjson::dom::element_type::ARRAY:
    case simdjson::dom::element_type::OBJECT:
      expected.note(InvalidReason::wrong_type);
      return;
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE:
      out.missing = false;
      if (numeric) {
        out.number = double(value);
      } else {
        expected.from_number[c] = true;
      }
      return;
    case simdjson::dom::element_type::STRING:
    case simdjson::dom::element_type::BOOL:
      if (numeric) {
        expected.note(InvalidReason::wrong_type);
        return;
      }
      out.missing = false;
      out.text = value.is_string() ? std::string_view(value) : (bool(value) ? "true" : "false");
      return;
  }
}

void expect_ts(simdjson::dom::element value, Expected& expected) {
  std::optional<std::int64_t> ms;
  switch (value.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      return;
    case simdjson::dom::element_type::INT64:
      ms = std::int64_t(value);
      break;
    case simdjson::dom::element_type::DOUBLE: {
      const double number = double(value);
      if (number >= 0.0 && number <= double(driftd::kMaxEventTimeMs)) ms = std::int64_t(number);
      break;
    }
    case simdjson::dom::element_type::STRING:
      ms = driftd::parse_rfc3339_ms(std::string_view(value));
      break;
    default:
      break;
  }
  if (!ms || *ms < 0 || *ms > driftd::kMaxEventTimeMs) {
    expected.note(InvalidReason::bad_timestamp);
  } else {
    expected.ts_ms = *ms;
  }
}

Expected expect(simdjson::dom::object event, const std::vector<ModelSchema>& models, std::int64_t fallback) {
  Expected expected;
  expected.ts_ms = fallback;
  std::optional<simdjson::dom::element> model_id, ts, features, prediction;
  for (const auto field : event) {
    if (field.key == "model_id" && !model_id) model_id = field.value;
    if (field.key == "ts" && !ts) ts = field.value;
    if (field.key == "features" && !features) features = field.value;
    if (field.key == "prediction" && !prediction) prediction = field.value;
  }
  std::optional<std::size_t> model;
  if (!model_id) {
    expected.note(InvalidReason::unknown_model);
  } else if (!model_id->is_string()) {
    expected.note(InvalidReason::wrong_type);
  } else {
    for (std::size_t m = 0; m < models.size(); ++m) {
      if (models[m].id == std::string_view(*model_id)) model = m;
    }
    if (!model) expected.note(InvalidReason::unknown_model);
  }
  if (ts) expect_ts(*ts, expected);
  if (expected.ts_ms < 0 || expected.ts_ms > driftd::kMaxEventTimeMs) expected.note(InvalidReason::bad_timestamp);
  if (features && !features->is_object()) expected.note(InvalidReason::wrong_type);
  if (!model) return expected;
  expected.model = *model;
  const std::vector<ColumnSchema>& columns = models[*model].columns;
  expected.values.assign(columns.size(), {});
  expected.from_number.assign(columns.size(), false);
  std::vector<bool> seen(columns.size(), false);
  if (features && features->is_object()) {
    for (const auto field : simdjson::dom::object(*features)) {
      for (std::size_t c = 0; c < columns.size(); ++c) {
        if (!columns[c].is_prediction && columns[c].name == field.key && !seen[c]) {
          seen[c] = true;
          expect_value(field.value, columns[c], c, expected);
        }
      }
    }
  }
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].is_prediction && prediction) expect_value(*prediction, columns[c], c, expected);
  }
  return expected;
}

std::size_t nesting(simdjson::dom::element value) {
  std::size_t deepest = 0;
  if (value.is_array()) {
    for (const auto element : simdjson::dom::array(value)) deepest = std::max(deepest, nesting(element));
    return deepest + 1;
  }
  if (value.is_object()) {
    for (const auto field : simdjson::dom::object(value)) deepest = std::max(deepest, nesting(field.value));
    return deepest + 1;
  }
  return 0;
}

// Reads every byte of every text, so that a dangling view is reported.
volatile unsigned checksum;

void check_event(const DecodedEvent& event, const std::vector<ModelSchema>& models) {
  require(event.model < models.size());
  require(event.ts_ms >= 0);
  const std::vector<ColumnSchema>& columns = models[event.model].columns;
  require(event.values.size() == columns.size());
  unsigned sum = 0;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const driftd::ColumnValue& value = event.values[c];
    if (value.missing || columns[c].type == FeatureType::numeric) require(value.text.empty());
    if (!value.missing && columns[c].type == FeatureType::numeric) require(std::isfinite(value.number));
    for (char ch : value.text) sum += static_cast<unsigned char>(ch);
  }
  checksum = sum;
}

bool same_value(const driftd::ColumnValue& a, const driftd::ColumnValue& b) {
  return a.missing == b.missing && a.number == b.number && a.text == b.text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<ModelSchema> models = schemas();
  // One decoder for every input, as in the daemon: nothing may leak from one
  // message into the next; a fresh one must give the same answer.
  static driftd::EventDecoder reused(input(), models);
  static simdjson::dom::parser dom;
  const std::string_view message(reinterpret_cast<const char*>(data), size);
  const std::int64_t fallback = std::int64_t(size);

  DecodedEvent event;
  const InvalidReason reason = reused.decode(message, fallback, event);
  if (reason == InvalidReason::none) check_event(event, models);

  driftd::EventDecoder fresh(input(), models);
  DecodedEvent fresh_event;
  require(fresh.decode(message, fallback, fresh_event) == reason);
  if (reason == InvalidReason::none) {
    require(fresh_event.model == event.model && fresh_event.ts_ms == event.ts_ms);
    require(fresh_event.values.size() == event.values.size());
    for (std::size_t c = 0; c < event.values.size(); ++c) require(same_value(fresh_event.values[c], event.values[c]));
  }

  if (size > max_bytes) {
    require(reason == InvalidReason::too_large);
    return 0;
  }
  simdjson::dom::element root;
  const simdjson::error_code error = dom.parse(message.data(), message.size()).get(root);
  // The DOM refuses numbers out of a double's range, which are valid JSON,
  // and nests at most 1024 deep: no reference for those.
  if (error == simdjson::NUMBER_ERROR || error == simdjson::DEPTH_ERROR) return 0;
  if (error) {
    require(reason == InvalidReason::not_json);
    return 0;
  }
  if (nesting(root) > 64) return 0;
  if (!root.is_object()) {
    require(reason == InvalidReason::not_object);
    return 0;
  }
  const Expected expected = expect(simdjson::dom::object(root), models, fallback);
  require(reason == expected.reason);
  if (reason != InvalidReason::none) return 0;
  require(event.model == expected.model && event.ts_ms == expected.ts_ms);
  for (std::size_t c = 0; c < event.values.size(); ++c) {
    if (expected.from_number[c]) {
      require(!event.values[c].missing && !event.values[c].text.empty());
    } else {
      require(same_value(event.values[c], expected.values[c]));
    }
  }
  return 0;
}

// One input event (include/driftd/README.md, "Events") after decoding: which model it belongs to, its
// event time, and the value of each column that model monitors.
//
// Decoding is on the per-event hot path: it never throws and never
// allocates once warm; a message that is not a valid event yields an
// InvalidReason, counted by reason and dead-lettered by the caller.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "driftd/config.h"

namespace driftd {

// What a model monitors, in the order its windows and detectors use:
// the configured features, then the prediction (when configured).
struct ColumnSchema {
  std::string name;
  FeatureType type = FeatureType::numeric;
  bool is_prediction = false;  // read from the event's prediction field, not from features
};

struct ModelSchema {
  std::string id;
  std::vector<ColumnSchema> columns;
  // Ground truth (models with `labels`): the decoder reads the label, the
  // event_id and the prediction, and checks their types.
  bool labelled = false;
  bool numeric_label = false;       // regression
  bool numeric_prediction = false;  // regression, or a classifier's score against a threshold
};

// The schemas of every configured model, in configuration order.
std::vector<ModelSchema> model_schemas(const Config& config);

enum class InvalidReason : std::uint8_t {
  none,
  too_large,       // longer than input.max_bytes
  not_json,        // not parseable JSON (includes an empty message)
  not_object,      // JSON, but not an object
  unknown_model,   // model_id missing (with several models configured) or not configured
  wrong_type,      // a field of the wrong JSON type (e.g. a string for a numeric feature)
  non_finite,      // a number that is NaN, infinite or out of double range
  bad_timestamp,   // ts neither epoch milliseconds nor an RFC 3339 string
};
// The number of InvalidReason values, `none` among them: the size of an
// array indexed by reason. A new reason goes last, before this line.
inline constexpr std::size_t kInvalidReasons = std::size_t(InvalidReason::bad_timestamp) + 1;

// The label value of driftd_events_invalid_total{reason}: "too_large", ...
std::string_view reason_name(InvalidReason reason);

// The latest event time accepted: 9999-12-31T23:59:59.999Z, the last instant
// RFC 3339 can name. Event times run from the epoch to here; anything else is
// bad_timestamp. The bound keeps window arithmetic (a time plus durations of
// at most 100 years, which the configuration enforces) far from overflow.
constexpr std::int64_t kMaxEventTimeMs = 253'402'300'799'999;

struct ColumnValue {
  bool missing = true;     // null, or absent from the event
  double number = 0.0;     // numeric columns
  std::string_view text;   // categorical columns; valid until the next decode()
};

// A label or a prediction as the event wrote it, for models with `labels`:
// a number, or a class as text (a JSON string, or "true"/"false").
struct LabelValue {
  enum class Kind : std::uint8_t { none, number, text };
  Kind kind = Kind::none;  // none: absent or null
  double number = 0.0;
  std::string_view text;   // valid until the next decode()
};

struct DecodedEvent {
  std::size_t model = 0;            // index into the schemas
  std::int64_t ts_ms = 0;           // event time, epoch milliseconds
  std::vector<ColumnValue> values;  // one per column of the model
  std::int64_t offset = 0;          // where its message was: the Kafka offset, or a file line
  // Models with `labels` only (left empty otherwise).
  bool feedback = false;            // a feedback event: event_id and label, no features or prediction
  std::string_view event_id;        // empty when absent; valid until the next decode()
  LabelValue label;
  LabelValue prediction;            // the prediction field, whether or not it is monitored as a column
};

}  // namespace driftd

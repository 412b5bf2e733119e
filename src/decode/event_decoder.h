// The streaming event decoder (include/driftd/README.md, "Events"): one Kafka message in, one
// DecodedEvent or an InvalidReason out. It runs once per event, so it parses
// with simdjson On Demand from a reused padded buffer and allocates nothing
// once warm.
//
// Rules beyond the event format (include/driftd/README.md, "Events"):
// - a message must be one complete JSON value: trailing bytes, truncated
//   JSON, NaN/Infinity tokens or nesting deeper than 64 levels are not_json,
//   even inside fields that are otherwise ignored;
// - a repeated key: the first one wins, later ones are only checked as JSON
//   (a value, once decoded, is never replaced);
// - features before the model_id (with several models configured) cost a
//   second pass over the message, with simdjson's rewind();
// - null counts as absent for ts and for values, not for model_id or
//   features (wrong_type);
// - ts must be non-negative and fit in int64 milliseconds, numbers and
//   RFC 3339 strings alike; fractional milliseconds are truncated;
// - values of keys the model does not monitor, including objects and arrays,
//   are ignored; so are unknown top-level fields, the prediction field of a
//   model that neither monitors it nor has `labels`, and the label and
//   event_id fields of a model without `labels` (all still checked as JSON);
// - a number in a categorical column is its token as written: 1 and 1.0 are
//   two categories;
// - when a message has several problems, the reason reported is the first
//   in the order of InvalidReason (not_json before not_object before
//   unknown_model ...), whatever the order of the fields.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "driftd/config.h"
#include "driftd/event.h"

namespace driftd {

class EventDecoder {
 public:
  EventDecoder(const InputConfig& input, std::vector<ModelSchema> models);
  ~EventDecoder();
  EventDecoder(EventDecoder&&) noexcept;
  EventDecoder& operator=(EventDecoder&&) noexcept;

  // Decodes one message. Never throws. On success returns InvalidReason::none
  // and fills `event` (event.values resized to the model's columns; text
  // views valid until the next call); on failure `event` is unspecified.
  // `fallback_ts_ms` is used when the event has no ts (the Kafka message
  // timestamp, or a line number in replay).
  InvalidReason decode(std::string_view message, std::int64_t fallback_ts_ms, DecodedEvent& event);

  const std::vector<ModelSchema>& models() const;

 private:
  // Keeps simdjson.h, large and specific to the target CPU, out of includers.
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses "2025-11-22T08:26:40.123Z", "+09:00"/"-05:30" offsets and fractional
// seconds of any length (truncated to ms) into epoch milliseconds; nullopt
// when it is not RFC 3339. Also accepted, as RFC 3339 §5.6 allows: lower-case
// 't'/'z', a space between date and time, and second 60 (a leap second,
// counted as the next second).
std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text);

}  // namespace driftd

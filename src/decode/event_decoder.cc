#include "decode/event_decoder.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <functional>
#include <string>
#include <system_error>
#include <unordered_map>
#include <utility>

#include <simdjson.h>

namespace driftd {
namespace {

namespace ondemand = simdjson::ondemand;

constexpr std::size_t npos = static_cast<std::size_t>(-1);

// On Demand leaves depth limits to its caller, and validate() recurses.
constexpr int max_depth = 64;

// Feature positions remembered per model, for guess_column().
constexpr std::size_t max_guessed_positions = 1024;

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};

using NameIndex = std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>>;

std::string_view trim_right(std::string_view text) {
  std::size_t size = text.size();
  while (size > 0 &&
         (text[size - 1] == ' ' || text[size - 1] == '\t' || text[size - 1] == '\r' || text[size - 1] == '\n')) {
    --size;
  }
  return text.substr(0, size);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Keys and names are short: a loop beats a call to memcmp.
bool same_text(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// Whether JSON can hold `name` as it is, without escapes.
bool plain_key(std::string_view name) {
  for (char c : name) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

enum class NumberSyntax { invalid, integer, decimal };

// The JSON number grammar. simdjson's get_double() refuses both malformed
// tokens and values out of a double's range; this tells them apart.
NumberSyntax number_syntax(std::string_view token) {
  const char* p = token.data();
  const char* end = p + token.size();
  if (p != end && *p == '-') ++p;
  if (p == end || !is_digit(*p)) return NumberSyntax::invalid;
  if (*p == '0') {
    ++p;
  } else {
    while (p != end && is_digit(*p)) ++p;
  }
  NumberSyntax syntax = NumberSyntax::integer;
  if (p != end && *p == '.') {
    syntax = NumberSyntax::decimal;
    const char* fraction = ++p;
    while (p != end && is_digit(*p)) ++p;
    if (p == fraction) return NumberSyntax::invalid;
  }
  if (p != end && (*p == 'e' || *p == 'E')) {
    syntax = NumberSyntax::decimal;
    ++p;
    if (p != end && (*p == '+' || *p == '-')) ++p;
    const char* exponent = p;
    while (p != end && is_digit(*p)) ++p;
    if (p == exponent) return NumberSyntax::invalid;
  }
  return p == end ? syntax : NumberSyntax::invalid;
}

// simdjson 3.0.1's On Demand get_double() misreads "0." followed by 19
// digits or more (simdjson issue #2093, fixed in 3.6.3): 0.95000000000000000000
// gives 0.0277. Such tokens are read with from_chars, correctly rounded too.
bool misread_by_simdjson(std::string_view token) {
  const std::size_t sign = !token.empty() && token[0] == '-' ? 1 : 0;
  return token.size() >= sign + 21 && token[sign] == '0' && token[sign + 1] == '.';
}

// For a valid token that from_chars reports out of range (when it overflows
// and when it underflows): whether it underflows, which simdjson rounds to zero.
bool underflows(std::string_view token) {
  const std::string_view mantissa = token.substr(0, token.find_first_of("eE"));
  const std::size_t first = mantissa.find_first_of("123456789");
  if (first == std::string_view::npos) return true;
  // The decimal exponent of the first significant digit, plus one: 3 for "123.4", -2 for "0.001".
  const std::size_t point = std::min(mantissa.find('.'), mantissa.size());
  std::int64_t magnitude = first < point ? std::int64_t(point - first) : -std::int64_t(first - point - 1);
  if (mantissa.size() < token.size()) {
    std::int64_t exponent = 0;  // capped far beyond what any message's digits can make up for
    for (std::size_t i = mantissa.size() + 1; i < token.size(); ++i) {
      if (is_digit(token[i])) exponent = std::min<std::int64_t>(exponent * 10 + (token[i] - '0'), 1'000'000'000'000);
    }
    magnitude += token[mantissa.size() + 1] == '-' ? -exponent : exponent;
  }
  return magnitude <= 0;
}

// get_double(): false for anything but a number in a double's range.
bool read_double(ondemand::value& value, double& out) {
  const std::string_view token = value.raw_json_token();
  if (!misread_by_simdjson(token) && !value.get_double().get(out)) return true;
  // from_chars for the tokens simdjson misreads, and for those it refuses:
  // out of range, and in simdjson 3.0.1 On Demand (not the DOM) any exponent
  // of 20 digits or more, "1e-40000000000000000000" (zero) included.
  const std::string_view trimmed = trim_right(token);
  if (number_syntax(trimmed) == NumberSyntax::invalid) return false;
  const auto [end, error] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), out);
  if (error == std::errc::result_out_of_range && underflows(trimmed)) {
    out = trimmed[0] == '-' ? -0.0 : 0.0;
    return true;
  }
  return error == std::errc() && end == trimmed.data() + trimmed.size();
}

// A name as a key without escapes is written, with its closing quote, in
// 8-byte words: matching a key as written then takes a load per 8 bytes.
class RawKey {
 public:
  static_assert(std::endian::native == std::endian::little, "the masks below take the first bytes of a word");

  explicit RawKey(std::string_view name) {
    if (!plain_key(name)) return;  // matches nothing: such keys are unescaped and hashed
    size_ = name.size() + 1;
    words_.assign((size_ + 7) / 8, 0);
    std::memcpy(words_.data(), name.data(), name.size());
    reinterpret_cast<char*>(words_.data())[name.size()] = '"';
  }

  // Whether the key that starts at `raw` (after its opening quote) is this
  // name. Reads up to 7 bytes past `end`, in simdjson's padding.
  bool matches(const char* raw, const char* end) const {
    if (size_ == 0 || size_ > static_cast<std::size_t>(end - raw)) return false;
    std::size_t w = 0;
    for (; 8 * (w + 1) <= size_; ++w) {
      if (load(raw + 8 * w) != words_[w]) return false;
    }
    const std::size_t rest = size_ - 8 * w;
    return rest == 0 || ((load(raw + 8 * w) ^ words_[w]) & ((std::uint64_t(1) << (8 * rest)) - 1)) == 0;
  }

 private:
  static std::uint64_t load(const char* p) {
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    return word;
  }

  std::size_t size_ = 0;  // with the quote; 0 for a name that needs escapes
  std::vector<std::uint64_t> words_;
};

// A value read off the fast path: before its column is known, or to check it.
struct Scalar {
  enum class Kind : std::uint8_t { null, number, string, boolean, composite };
  Kind kind = Kind::null;
  bool in_range = true;  // number: representable as a double
  double number = 0.0;
  std::string_view text;  // string: unescaped; number: its token; boolean: "true"/"false"
};

struct ModelLookup {
  NameIndex features;              // feature name -> column
  std::size_t prediction = npos;   // column of the prediction, if any
  std::vector<std::size_t> order;  // column of each feature position in the last event (npos: ignored)
  std::vector<RawKey> raw_keys;    // per column
};

bool read_digits(std::string_view text, std::size_t at, std::size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (!is_digit(text[i])) return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's
// days_from_civil).
std::int64_t days_from_civil(int year, int month, int day) {
  year -= month <= 2;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const int year_of_era = year - era * 400;
  const int day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return std::int64_t(era) * 146097 + day_of_era - 719468;
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, 0, 4, year) || text.size() < 20 || text[4] != '-' || !read_digits(text, 5, 2, month) ||
      text[7] != '-' || !read_digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      !read_digits(text, 11, 2, hour) || text[13] != ':' || !read_digits(text, 14, 2, minute) || text[16] != ':' ||
      !read_digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  static constexpr int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  if (day > month_days[month - 1] + (month == 2 && is_leap(year))) return std::nullopt;

  std::size_t at = 19;
  int millis = 0;
  if (text[at] == '.') {
    const std::size_t digits = ++at;
    for (; at < text.size() && is_digit(text[at]); ++at) {
      if (at - digits < 3) millis = millis * 10 + (text[at] - '0');
    }
    if (at == digits) return std::nullopt;
    for (std::size_t d = at - digits; d < 3; ++d) millis *= 10;
  }
  int offset_minutes = 0;
  if (at + 1 == text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    ++at;
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-')) {
    int offset_hours = 0, offset_rest = 0;
    if (!read_digits(text, at + 1, 2, offset_hours) || text[at + 3] != ':' ||
        !read_digits(text, at + 4, 2, offset_rest) || offset_hours > 23 || offset_rest > 59) {
      return std::nullopt;
    }
    offset_minutes = (text[at] == '+' ? 1 : -1) * (offset_hours * 60 + offset_rest);
  } else {
    return std::nullopt;
  }
  const std::int64_t seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
                               std::int64_t(offset_minutes) * 60;
  return seconds * 1000 + millis;
}

class EventDecoder::Impl {
 public:
  Impl(const InputConfig& input, std::vector<ModelSchema> models) : input_(input), models_(std::move(models)) {
    std::size_t widest = 0;
    for (std::size_t m = 0; m < models_.size(); ++m) {
      const ModelSchema& model = models_[m];
      model_index_.emplace(model.id, m);
      ModelLookup& lookup = lookups_.emplace_back();
      for (std::size_t c = 0; c < model.columns.size(); ++c) {
        const std::string& name = model.columns[c].name;
        lookup.raw_keys.emplace_back(name);
        if (model.columns[c].is_prediction) {
          lookup.prediction = c;
        } else {
          lookup.features.emplace(name, c);
        }
      }
      widest = std::max(widest, model.columns.size());
    }
    stamps_.resize(widest, 0);
  }

  const std::vector<ModelSchema>& models() const { return models_; }

  InvalidReason decode(std::string_view message, std::int64_t fallback_ts_ms, DecodedEvent& event) {
    if (message.size() > input_.max_bytes) return InvalidReason::too_large;
    // simdjson reads up to SIMDJSON_PADDING bytes past the end; zeroed as in
    // its own padded_string, so that nothing a longer message left there is seen.
    const std::size_t size = message.size();
    if (buffer_.size() < size + simdjson::SIMDJSON_PADDING) buffer_.resize(size + simdjson::SIMDJSON_PADDING);
    if (size > 0) std::memcpy(buffer_.data(), message.data(), size);
    std::memset(buffer_.data() + size, 0, simdjson::SIMDJSON_PADDING);

    end_ = buffer_.data() + size;
    ondemand::document document;
    if (parser_.iterate(buffer_.data(), size, buffer_.size()).get(document)) return InvalidReason::not_json;
    ondemand::json_type type = ondemand::json_type::null;
    if (document.type().get(type)) return InvalidReason::not_json;
    if (type != ondemand::json_type::object) {
      return valid_root(document, type) ? InvalidReason::not_object : InvalidReason::not_json;
    }
    ondemand::object object;
    model_ = models_.size() == 1 ? 0 : npos;
    if (document.get_object().get(object) || !read_event(object, fallback_ts_ms, event, true)) {
      return InvalidReason::not_json;
    }
    // Anything after the object (a second value, stray text) is not JSON.
    if (!document.current_location().error()) return InvalidReason::not_json;
    if (features_skipped_) {
      // The features came before the model_id: read the event again, now
      // that its model is known (or to check them as JSON, when it is not).
      document.rewind();
      if (document.get_object().get(object) || !read_event(object, fallback_ts_ms, event, false)) {
        return InvalidReason::not_json;
      }
    }
    return finish(event);
  }

 private:
  // One pass over the top-level fields, in document order. False when the
  // message is not JSON; other problems go to note(). With `may_skip`, the
  // features are left unread while the model is not known yet.
  bool read_event(ondemand::object& object, std::int64_t fallback_ts_ms, DecodedEvent& event, bool may_skip) {
    reason_ = InvalidReason::none;
    features_skipped_ = false;
    model_seen_ = false;
    values_ready_ = false;
    ts_ms_ = fallback_ts_ms;
    prediction_ = Scalar{};
    label_ = Scalar{};
    event_id_ = Scalar{};
    features_seen_ = false;
    bool ts_seen = false, prediction_seen = false, label_seen = false, event_id_seen = false;
    for (auto result : object) {
      if (result.error()) return false;
      ondemand::field& field = result.value_unsafe();
      std::string_view key;
      if (!read_key(field, key)) return false;
      ondemand::value& value = field.value();
      bool valid;
      if (!model_seen_ && same_text(key, input_.model_id_field)) {
        model_seen_ = true;
        valid = read_model(value);
      } else if (!ts_seen && same_text(key, input_.ts_field)) {
        ts_seen = true;
        valid = read_ts(value);
      } else if (!features_seen_ && same_text(key, input_.features_field)) {
        features_seen_ = true;
        features_skipped_ = may_skip && model_ == npos;
        // Left unread, On Demand skips it; the second pass checks it.
        valid = features_skipped_ || read_features(value, event);
      } else if (!prediction_seen && same_text(key, input_.prediction_field)) {
        prediction_seen = true;
        valid = read_scalar(value, prediction_, true, true, 2);
      } else if (!label_seen && same_text(key, input_.label_field)) {
        label_seen = true;
        valid = read_scalar(value, label_, true, true, 2);
      } else if (!event_id_seen && same_text(key, input_.event_id_field)) {
        event_id_seen = true;
        valid = read_scalar(value, event_id_, false, true, 2);
      } else {
        valid = validate(value, 2);
      }
      if (!valid) return false;
    }
    // The broker's timestamp stands in for a missing ts: a producer may have set it to anything.
    if (ts_ms_ < 0 || ts_ms_ > kMaxEventTimeMs) note(InvalidReason::bad_timestamp);
    return true;
  }

  InvalidReason finish(DecodedEvent& event) {
    if (model_ == npos) {
      if (!model_seen_) note(InvalidReason::unknown_model);
      return reason_;
    }
    if (!values_ready_) begin_values(event);
    ModelLookup& lookup = lookups_[model_];
    if (lookup.prediction != npos) assign(lookup.prediction, prediction_, event);
    event.model = model_;
    event.ts_ms = ts_ms_;
    read_ground_truth(models_[model_], event);
    return reason_;
  }

  // The label, event_id and prediction of a model with `labels`; left
  // empty for any other model, which ignores them.
  void read_ground_truth(const ModelSchema& model, DecodedEvent& event) {
    event.feedback = false;
    event.event_id = {};
    event.label = {};
    event.prediction = {};
    if (!model.labelled) return;
    event.label = label_value(label_, model.numeric_label);
    event.prediction = label_value(prediction_, model.numeric_prediction);
    switch (event_id_.kind) {
      case Scalar::Kind::null:
        break;
      case Scalar::Kind::string:
      case Scalar::Kind::number:
        event.event_id = event_id_.text;
        break;
      case Scalar::Kind::boolean:
      case Scalar::Kind::composite:
        note(InvalidReason::wrong_type);
        break;
    }
    // {"model_id", "event_id", "label", "ts"}: the label of a prediction made earlier.
    event.feedback = !features_seen_ && prediction_.kind == Scalar::Kind::null && !event.event_id.empty() &&
                     event.label.kind != LabelValue::Kind::none;
  }

  LabelValue label_value(const Scalar& scalar, bool numeric) {
    LabelValue out;
    switch (scalar.kind) {
      case Scalar::Kind::null:
        return out;
      case Scalar::Kind::composite:
        note(InvalidReason::wrong_type);
        return out;
      case Scalar::Kind::number:
        if (!scalar.in_range) {
          note(InvalidReason::non_finite);
          return out;
        }
        out.kind = LabelValue::Kind::number;
        out.number = scalar.number;
        return out;
      case Scalar::Kind::string:
      case Scalar::Kind::boolean:
        if (numeric) {
          note(InvalidReason::wrong_type);
          return out;
        }
        out.kind = LabelValue::Kind::text;
        out.text = scalar.text;
        return out;
    }
    return out;
  }

  void note(InvalidReason reason) {
    if (reason_ == InvalidReason::none || reason < reason_) reason_ = reason;
  }

  bool read_model(ondemand::value& value) {
    Scalar id;
    if (!read_scalar(value, id, false, false, 2)) return false;
    if (id.kind != Scalar::Kind::string) {
      note(InvalidReason::wrong_type);
      return true;
    }
    // With several models, no feature has been decoded for another one
    // yet: features before the model_id are read in a second pass.
    // Events of one model tend to come in runs: try the last one first.
    if (last_model_ < models_.size() && same_text(id.text, models_[last_model_].id)) {
      model_ = last_model_;
      return true;
    }
    const auto found = model_index_.find(id.text);
    if (found == model_index_.end()) {
      note(InvalidReason::unknown_model);
    } else {
      model_ = last_model_ = found->second;
    }
    return true;
  }

  bool read_ts(ondemand::value& value) {
    // The usual case: integer milliseconds, exactly (beyond 2^53 too).
    std::int64_t ms = 0;
    if (!value.get_int64().get(ms)) {
      if (ms < 0 || ms > kMaxEventTimeMs) {
        note(InvalidReason::bad_timestamp);
      } else {
        ts_ms_ = ms;
      }
      return true;
    }
    ondemand::json_type type = ondemand::json_type::null;
    if (value.type().get(type)) return false;
    if (type == ondemand::json_type::number) {
      const NumberSyntax syntax = number_syntax(trim_right(value.raw_json_token()));
      if (syntax == NumberSyntax::invalid) return false;
      // An integer that get_int64() refused does not fit.
      double number = 0.0;
      if (syntax == NumberSyntax::integer || !read_double(value, number) ||
          !(number >= 0.0 && number <= double(kMaxEventTimeMs))) {
        note(InvalidReason::bad_timestamp);
      } else {
        ts_ms_ = static_cast<std::int64_t>(number);
      }
      return true;
    }
    Scalar ts;
    if (!read_scalar(value, ts, false, false, 2)) return false;
    if (ts.kind == Scalar::Kind::null) return true;
    const std::optional<std::int64_t> parsed =
        ts.kind == Scalar::Kind::string ? parse_rfc3339_ms(ts.text) : std::nullopt;
    if (!parsed || *parsed < 0 || *parsed > kMaxEventTimeMs) {
      note(InvalidReason::bad_timestamp);
    } else {
      ts_ms_ = *parsed;
    }
    return true;
  }

  bool read_features(ondemand::value& value, DecodedEvent& event) {
    ondemand::json_type type = ondemand::json_type::null;
    if (value.type().get(type)) return false;
    if (type != ondemand::json_type::object) {
      note(InvalidReason::wrong_type);
      Scalar ignored;
      return read_scalar(value, ignored, false, false, 2);
    }
    if (model_ == npos) return validate(value, 2);
    ondemand::object features;
    if (value.get_object().get(features)) return false;
    begin_values(event);
    ModelLookup& lookup = lookups_[model_];
    std::size_t position = 0;
    for (auto result : features) {
      if (result.error()) return false;
      ondemand::field& field = result.value_unsafe();
      std::size_t column = guess_column(lookup, field.key().raw(), position);
      if (column == npos) {
        std::string_view key;
        if (!read_key(field, key)) return false;
        column = find_column(lookup, key, position);
      }
      ++position;
      ondemand::value& feature = field.value();
      if (!(column == npos ? validate(feature, 3) : read_column(feature, column, event))) return false;
    }
    return true;
  }

  // Resets the values of model_'s columns before the first is read.
  void begin_values(DecodedEvent& event) {
    event.values.assign(models_[model_].columns.size(), ColumnValue{});
    ++generation_;
    values_ready_ = true;
  }

  // Events of a topic usually list their features in the same order: try
  // the column that had this position in the last event, comparing the key
  // as written (no unescaping) up to its closing quote.
  std::size_t guess_column(const ModelLookup& lookup, const char* raw, std::size_t position) const {
    if (position >= lookup.order.size()) return npos;
    const std::size_t column = lookup.order[position];
    return column != npos && lookup.raw_keys[column].matches(raw, end_) ? column : npos;
  }

  // The column of a feature key, remembered for guess_column().
  std::size_t find_column(ModelLookup& lookup, std::string_view key, std::size_t position) {
    const auto found = lookup.features.find(key);
    const std::size_t column = found == lookup.features.end() ? npos : found->second;
    if (position < lookup.order.size()) {
      lookup.order[position] = column;
    } else if (position < max_guessed_positions) {
      lookup.order.push_back(column);
    }
    return column;
  }

  bool read_column(ondemand::value& value, std::size_t column, DecodedEvent& event) {
    if (stamps_[column] == generation_) return validate(value, 3);  // a repeated key: the first one wins
    const bool numeric = models_[model_].columns[column].type == FeatureType::numeric;
    if (numeric) {
      // The usual case, straight from the token; anything else goes the long way.
      double number = 0.0;
      if (read_double(value, number)) {
        stamps_[column] = generation_;
        event.values[column] = {false, number, {}};
        return true;
      }
    }
    Scalar scalar;
    if (!read_scalar(value, scalar, numeric, !numeric, 3)) return false;
    assign(column, scalar, event);
    return true;
  }

  void assign(std::size_t column, const Scalar& scalar, DecodedEvent& event) {
    if (stamps_[column] == generation_) return;
    stamps_[column] = generation_;
    ColumnValue& out = event.values[column];
    const bool numeric = models_[model_].columns[column].type == FeatureType::numeric;
    switch (scalar.kind) {
      case Scalar::Kind::null:
        return;
      case Scalar::Kind::composite:
        note(InvalidReason::wrong_type);
        return;
      case Scalar::Kind::number:
        if (!numeric) break;
        if (!scalar.in_range) {
          note(InvalidReason::non_finite);
          return;
        }
        out.missing = false;
        out.number = scalar.number;
        return;
      case Scalar::Kind::string:
      case Scalar::Kind::boolean:
        if (numeric) {
          note(InvalidReason::wrong_type);
          return;
        }
        break;
    }
    out.missing = false;
    out.text = scalar.text;
  }

  // Reads any value into `out`, checking it is valid JSON (false if not).
  // Strings and booleans always get their text; numbers get theirs and
  // their value only when asked. An object or array is checked and left as
  // `composite`.
  bool read_scalar(ondemand::value& value, Scalar& out, bool want_number, bool want_text, int depth) {
    ondemand::json_type type = ondemand::json_type::null;
    if (value.type().get(type)) return false;
    const std::string_view token = trim_right(value.raw_json_token());
    switch (type) {
      case ondemand::json_type::number:
        out.kind = Scalar::Kind::number;
        if (want_text) out.text = token;
        if (want_number) {
          if (read_double(value, out.number)) return true;
          out.in_range = false;
        }
        return number_syntax(token) != NumberSyntax::invalid;
      case ondemand::json_type::string:
        out.kind = Scalar::Kind::string;
        return read_string(value, token, out.text);
      case ondemand::json_type::boolean:
        out.kind = Scalar::Kind::boolean;
        out.text = token == "true" ? std::string_view("true") : std::string_view("false");
        return token == "true" || token == "false";
      case ondemand::json_type::null:
        out.kind = Scalar::Kind::null;
        return token == "null";
      case ondemand::json_type::array:
      case ondemand::json_type::object:
        out.kind = Scalar::Kind::composite;
        return validate(value, depth);
    }
    return false;
  }

  // The text as written when it holds no escape (the usual case), else
  // unescaped into the parser's buffer; either way valid until the next
  // iterate(). Stage 1 has checked UTF-8, control characters and that the
  // string is closed; escapes are checked by unescaping.
  static bool read_string(ondemand::value& value, std::string_view token, std::string_view& text) {
    const char* p = token.data() + 1;
    while (*p != '"' && *p != '\\') ++p;
    if (*p == '"') {
      text = {token.data() + 1, static_cast<std::size_t>(p - token.data() - 1)};
      // Consumed all the same: On Demand skips an unread string followed by
      // ':' as if it were a key, which would let {"a":"b":1} through.
      ondemand::raw_json_string raw;
      return !value.get_raw_json_string().get(raw);
    }
    return !value.get_string().get(text);
  }

  static bool read_key(ondemand::field& field, std::string_view& key) {
    const char* raw = field.key().raw();
    const char* p = raw;
    while (*p != '"' && *p != '\\') ++p;
    if (*p == '"') {
      key = {raw, static_cast<std::size_t>(p - raw)};
      return true;
    }
    return !field.unescaped_key().get(key);
  }

  // Walks a value that is not kept, so that bad JSON inside it is still
  // found: On Demand only checks what is read.
  bool validate(ondemand::value& value, int depth) {
    ondemand::json_type type = ondemand::json_type::null;
    if (value.type().get(type)) return false;
    if (type == ondemand::json_type::array) {
      ondemand::array array;
      if (depth > max_depth || value.get_array().get(array)) return false;
      return validate_elements(array, depth);
    }
    if (type == ondemand::json_type::object) {
      ondemand::object object;
      if (depth > max_depth || value.get_object().get(object)) return false;
      for (auto result : object) {
        if (result.error()) return false;
        ondemand::field& field = result.value_unsafe();
        std::string_view key;
        if (!read_key(field, key)) return false;
        ondemand::value& member = field.value();
        if (!validate(member, depth + 1)) return false;
      }
      return true;
    }
    Scalar ignored;
    return read_scalar(value, ignored, false, false, depth);
  }

  bool validate_elements(ondemand::array& array, int depth) {
    for (auto result : array) {
      ondemand::value element;
      if (result.get(element) || !validate(element, depth + 1)) return false;
    }
    return true;
  }

  // Whether a document that is not an object is still valid JSON (then
  // not_object, else not_json). Scalar documents are no ondemand::value.
  bool valid_root(ondemand::document& document, ondemand::json_type type) {
    if (type == ondemand::json_type::array) {
      ondemand::array array;
      if (document.get_array().get(array) || !validate_elements(array, 1)) return false;
      return document.current_location().error() != simdjson::SUCCESS;
    }
    std::string_view token;
    if (document.raw_json_token().get(token)) return false;
    // A scalar document is one token: its text runs to the end.
    if (token.data() + token.size() != end_) return false;
    token = trim_right(token);
    switch (type) {
      case ondemand::json_type::number:
        return number_syntax(token) != NumberSyntax::invalid;
      case ondemand::json_type::string: {
        std::string_view text;
        return !document.get_string().get(text);
      }
      case ondemand::json_type::boolean:
        return token == "true" || token == "false";
      case ondemand::json_type::null:
        return token == "null";
      case ondemand::json_type::array:
      case ondemand::json_type::object:
        break;
    }
    return false;
  }

  InputConfig input_;
  std::vector<ModelSchema> models_;
  std::vector<ModelLookup> lookups_;
  NameIndex model_index_;
  ondemand::parser parser_;
  std::vector<char> buffer_;           // the message, padded for simdjson
  std::vector<std::uint64_t> stamps_;  // per column: the generation_ that gave it a value
  std::uint64_t generation_ = 0;       // one per event, so stamps_ needs no reset
  std::size_t last_model_ = npos;      // of the last event that named one

  // State of the message being decoded.
  const char* end_ = nullptr;                   // of the message in buffer_
  InvalidReason reason_ = InvalidReason::none;  // the first problem, in enum order
  std::size_t model_ = npos;
  bool model_seen_ = false;
  bool features_skipped_ = false;  // before the model_id: read in a second pass
  bool values_ready_ = false;      // event.values reset for model_
  std::int64_t ts_ms_ = 0;
  bool features_seen_ = false;
  Scalar prediction_;
  Scalar label_;
  Scalar event_id_;
};

EventDecoder::EventDecoder(const InputConfig& input, std::vector<ModelSchema> models)
    : impl_(std::make_unique<Impl>(input, std::move(models))) {}

EventDecoder::~EventDecoder() = default;
EventDecoder::EventDecoder(EventDecoder&&) noexcept = default;
EventDecoder& EventDecoder::operator=(EventDecoder&&) noexcept = default;

InvalidReason EventDecoder::decode(std::string_view message, std::int64_t fallback_ts_ms, DecodedEvent& event) {
  return impl_->decode(message, fallback_ts_ms, event);
}

const std::vector<ModelSchema>& EventDecoder::models() const { return impl_->models(); }

}  // namespace driftd

// JSON Lines reader, with simdjson's On Demand API: it gives the raw text of
// each number token (the DOM API keeps only the parsed value), and it builds
// no tree, so the only work per line is stage 1 and one walk over the fields.
//
// Each line is copied into a padded scratch buffer before parsing (simdjson
// reads up to SIMDJSON_PADDING bytes past the end); cells that need no
// unescaping are then mapped back to the same bytes in Table::buffer.
//
// Rules beyond the header (documented in include/driftd/README.md, "Input files"):
// - a UTF-8 byte order mark at the start is skipped, blank lines are skipped;
// - a line is an event when it has a "features" object; then only the
//   features and "prediction" become columns, "model_id" must be a string,
//   and every other key ("ts", "label", anything else) is checked as JSON
//   but otherwise ignored;
// - an event without "model_id" is kept whatever the model filter is, and
//   does not count as a model of its own;
// - a column that only events of other models have is dropped.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <simdjson.h>
#include <sys/stat.h>

#include "driftd/error.h"
#include "driftd/table.h"
#include "decode/input_limits.h"
#include "decode/read_file.h"

namespace driftd {
namespace {

namespace ondemand = simdjson::ondemand;

// On Demand leaves depth limits to its caller, and validate() recurses.
constexpr int max_depth = 64;

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

std::string_view trim_right(std::string_view text) {
  const std::size_t last = text.find_last_not_of(" \t\r\n");
  return text.substr(0, last == std::string_view::npos ? 0 : last + 1);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// True when `token` follows the JSON number grammar and its decimal exponent
// is so far from a double's limits that the value is surely finite. This
// spares a full conversion per number; simdjson decides the other tokens.
bool plain_number(std::string_view token) {
  const char* p = token.data();
  const char* end = p + token.size();
  if (p != end && *p == '-') ++p;
  const char* integer = p;
  if (p != end && *p == '0') {
    ++p;
  } else {
    while (p != end && is_digit(*p)) ++p;
  }
  const std::ptrdiff_t integer_digits = p - integer;
  if (integer_digits == 0) return false;
  if (p != end && *p == '.') {
    const char* fraction = ++p;
    while (p != end && is_digit(*p)) ++p;
    if (p == fraction) return false;
  }
  if (p != end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool negative = false;
    if (p != end && (*p == '+' || *p == '-')) negative = *p++ == '-';
    const char* digits = p;
    int exponent = 0;
    while (p != end && is_digit(*p) && p - digits < 4) exponent = exponent * 10 + (*p++ - '0');
    if (p == digits || p != end) return false;
    // A tiny value rounds to zero, which is fine; only overflow is refused.
    return negative || integer_digits + exponent < 300;
  }
  return p == end && integer_digits < 300;
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};

// One scalar of the line being read, held until the line is known to be kept.
struct Entry {
  std::string_view key;   // unescaped; valid until the next line is parsed
  std::string_view text;  // in the scratch copy of the line, or in the parser
  CellKind kind;
  bool in_parser;  // unescaped into the parser's buffer: copy it to keep it
  bool feature;    // from an event's "features" object
};

class JsonlReader {
 public:
  JsonlReader(Table& table, std::string_view model_id) : table_(table), model_id_(model_id) {}

  void parse() {
    const char* p = table_.buffer.data();
    const char* end = p + table_.buffer.size();
    if (end - p >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    for (const char* q = p; (q = static_cast<const char*>(std::memchr(q, '\n', end - q))); ++q) ++lines_;
    for (; p < end; ++line_) {
      const char* newline = static_cast<const char*>(std::memchr(p, '\n', end - p));
      const char* line_end = newline ? newline : end;
      const std::string_view line(p, line_end - p);
      if (!is_blank(line)) parse_line(line);
      p = newline ? newline + 1 : end;
    }
    finish();
  }

 private:
  void parse_line(std::string_view line) {
    if (first_line_ == 0) {
      // Lines of a file are alike in length; the bound keeps a short file
      // with one wide first line from reserving much.
      first_line_ = line_;
      rows_hint_ = std::min(lines_ + 1, 2 * table_.buffer.size() / line.size() + 1);
      table_.row_line.reserve(rows_hint_);
    }
    line_start_ = line.data();
    if (scratch_.size() < line.size() + simdjson::SIMDJSON_PADDING) {
      scratch_.resize(line.size() + simdjson::SIMDJSON_PADDING);
    }
    std::memcpy(scratch_.data(), line.data(), line.size());
    top_.clear();
    features_.clear();
    top_keys_.clear();
    nested_keys_.clear();
    has_features_ = false;

    ondemand::document document;
    check(parser_.iterate(scratch_.data(), line.size(), scratch_.size()).get(document), "");
    ondemand::object object;
    if (const auto error = document.get_object().get(object)) {
      if (error == simdjson::INCORRECT_TYPE) fail("", "expected a JSON object on each line");
      check(error, "");
    }
    for (auto result : object) {
      check(result.error(), "");
      ondemand::field& field = result.value_unsafe();
      const std::string_view key = read_key(field, "");
      top_keys_.push_back(key);
      ondemand::value& value = field.value();
      if (key == "features" && is_object(value, key)) {
        has_features_ = true;
        read_features(value);
      } else if (!read_scalar(value, key, false, top_)) {
        nested_keys_.push_back(key);
        validate(value, key, 1);
      }
    }
    // Anything after the object (a second object, stray text) is an error.
    if (!document.current_location().error()) check(simdjson::TRAILING_CONTENT, "");
    finish_line();
  }

  void read_features(ondemand::value& value) {
    ondemand::object features;
    check(value.get_object().get(features), "features");
    for (auto result : features) {
      check(result.error(), "features");
      ondemand::field& field = result.value_unsafe();
      const std::string_view key = read_key(field, "features");
      if (!read_scalar(field.value(), key, true, features_)) {
        fail(label(key, true), "expected a number, string, boolean or null, found an object or array");
      }
    }
  }

  // The key as written when it holds no escape (the usual case), else
  // unescaped into the parser's buffer; either way valid for this line.
  std::string_view read_key(ondemand::field& field, std::string_view context) {
    const char* raw = field.key().raw();
    const char* p = raw;
    while (*p != '"' && *p != '\\') ++p;  // stage 1 checked that the string is closed
    if (*p == '"') return {raw, static_cast<std::size_t>(p - raw)};
    std::string_view key;
    check(field.unescaped_key().get(key), context);
    return key;
  }

  // Appends a number, string, boolean or null to `out`; false for an object
  // or array, which it leaves unread.
  bool read_scalar(ondemand::value& value, std::string_view key, bool feature, std::vector<Entry>& out) {
    ondemand::json_type type;
    check(value.type().get(type), key, feature);
    const std::string_view raw = trim_right(value.raw_json_token());
    switch (type) {
      case ondemand::json_type::number: {
        double number;
        if (!plain_number(raw) && value.get_double().get(number)) number_error(raw, label(key, feature));
        out.push_back({key, raw, CellKind::number, false, feature});
        return true;
      }
      case ondemand::json_type::string: {
        const std::string_view inside = raw.size() >= 2 ? raw.substr(1, raw.size() - 2) : std::string_view();
        if (raw.size() >= 2 && raw.back() == '"' && inside.find('\\') == std::string_view::npos) {
          out.push_back({key, inside, CellKind::text, false, feature});
        } else {
          std::string_view text;
          check(value.get_string().get(text), key, feature);
          out.push_back({key, text, CellKind::text, true, feature});
        }
        return true;
      }
      case ondemand::json_type::boolean: {
        bool flag;
        if (value.get_bool().get(flag)) atom_error(raw, label(key, feature));
        out.push_back({key, raw, CellKind::boolean, false, feature});
        return true;
      }
      case ondemand::json_type::null: {
        bool null = false;
        if (value.is_null().get(null) || !null) atom_error(raw, label(key, feature));
        out.push_back({key, {}, CellKind::missing, false, feature});
        return true;
      }
      case ondemand::json_type::array:
      case ondemand::json_type::object:
        return false;
    }
    return false;
  }

  bool is_object(ondemand::value& value, std::string_view key) {
    ondemand::json_type type;
    check(value.type().get(type), key);
    return type == ondemand::json_type::object;
  }

  // Walks a nested value that is not kept, so that bad JSON inside it is
  // still reported: On Demand only checks what is read.
  void validate(ondemand::value& value, std::string_view key, int depth) {
    if (depth > max_depth) {
      fail(std::string(key), "invalid JSON: nested more than " + std::to_string(max_depth) + " levels deep");
    }
    if (read_scalar(value, key, false, ignored_)) {
      ignored_.clear();
      return;
    }
    if (!is_object(value, key)) {
      ondemand::array array;
      check(value.get_array().get(array), key);
      for (auto result : array) {
        ondemand::value element;
        check(result.get(element), key);
        validate(element, key, depth + 1);
      }
    } else {
      ondemand::object object;
      check(value.get_object().get(object), key);
      for (auto result : object) {
        check(result.error(), key);
        ondemand::field& field = result.value_unsafe();
        read_key(field, key);
        validate(field.value(), key, depth + 1);
      }
    }
  }

  void finish_line() {
    const Shape shape = has_features_ ? Shape::events : Shape::flat;
    if (shape_ == Shape::unknown) {
      shape_ = shape;
      shape_line_ = line_;
    } else if (shape != shape_) {
      fail("", shape == Shape::events
                   ? "an event (an object with a \"features\" object) among flat objects (line " +
                         std::to_string(shape_line_) + " is flat)"
                   : "expected an event with a \"features\" object, as on line " + std::to_string(shape_line_));
    }
    if (shape == Shape::flat) {
      if (!nested_keys_.empty()) {
        fail(std::string(nested_keys_.front()), "expected a number, string, boolean or null, found an object or array");
      }
      resolve(top_);
      commit(top_);
      return;
    }
    std::sort(top_keys_.begin(), top_keys_.end());
    const auto repeated = std::adjacent_find(top_keys_.begin(), top_keys_.end());
    if (repeated != top_keys_.end()) fail(std::string(*repeated), "key repeated in the object");
    for (std::string_view key : nested_keys_) {
      if (key == "model_id") fail("model_id", "expected a string, found an object or array");
      if (key == "prediction") {
        fail("prediction", "expected a number, string, boolean or null, found an object or array");
      }
    }
    const Entry* model = nullptr;
    for (const Entry& entry : top_) {
      if (entry.key == "prediction") features_.push_back(entry);
      if (entry.key == "model_id") model = &entry;
    }
    if (model != nullptr && model->kind != CellKind::text) fail("model_id", "expected a string");
    resolve(features_);
    if (model != nullptr && !keep_model(model->text)) return;
    commit(features_);
  }

  // False for an event of another model than the one asked for.
  bool keep_model(std::string_view model) {
    if (!model_id_.empty()) return model == model_id_;
    if (first_model_line_ == 0) {
      first_model_ = model;
      first_model_line_ = line_;
    } else if (model != first_model_) {
      fail("model_id", "events of more than one model (\"" + first_model_ + "\" from line " +
                           std::to_string(first_model_line_) + ", \"" + std::string(model) +
                           "\" here): pass --config to choose one");
    }
    return true;
  }

  // Finds or adds the column of each entry, and refuses a key seen twice.
  void resolve(const std::vector<Entry>& entries) {
    resolved_.resize(entries.size());
    for (std::size_t k = 0; k < entries.size(); ++k) {
      const Entry& entry = entries[k];
      // Lines usually list the same keys in the same order: try the column
      // that had this position on the previous line before hashing.
      std::size_t column;
      if (k < order_.size() && table_.columns[order_[k]].name == entry.key) {
        column = order_[k];
      } else {
        const auto found = index_.find(entry.key);
        column = found != index_.end() ? found->second : add_column(entry.key);
        if (k < order_.size()) {
          order_[k] = column;
        } else {
          order_.push_back(column);
        }
      }
      if (mark_[column] == line_) fail(label(entry.key, entry.feature), "key repeated in the object");
      mark_[column] = line_;
      resolved_[k] = column;
    }
  }

  std::size_t add_column(std::string_view name) {
    Column& column = table_.columns.emplace_back();
    column.name = std::string(name);
    // Reserved only while the first line's columns stay within the cell
    // bound: a wide first line must not reserve for rows that never come.
    if (line_ == first_line_ && rows_hint_ * table_.columns.size() <= kMaxCells) {
      column.cells.reserve(rows_hint_);
      column.kinds.reserve(rows_hint_);
    }
    index_.emplace(column.name, table_.columns.size() - 1);
    mark_.push_back(0);
    return table_.columns.size() - 1;
  }

  void commit(const std::vector<Entry>& entries) {
    const std::size_t row = table_.rows();
    check_table_size(entries);
    for (std::size_t k = 0; k < entries.size(); ++k) {
      const Entry& entry = entries[k];
      Column& column = table_.columns[resolved_[k]];
      if (column.cells.size() < row) {
        column.cells.resize(row);
        column.kinds.resize(row, CellKind::missing);
      }
      column.cells.push_back(keep(entry));
      column.kinds.push_back(entry.kind);
    }
    values_ += entries.size();
    table_.row_line.push_back(line_);
  }

  // Before a line is added: the table it would make (every key a column,
  // every row a cell in each) must stay within the bounds of input_limits.h.
  // Checked before the new columns are filled with missing cells for the
  // rows before, which is the memory the bounds are about.
  void check_table_size(const std::vector<Entry>& entries) {
    for (std::size_t k = 0; k < entries.size(); ++k) {
      if (table_.columns[resolved_[k]].cells.empty()) ++keys_with_values_;
    }
    if (keys_with_values_ > kMaxColumns) {
      fail("", "more than " + std::to_string(kMaxColumns) + " distinct keys, the most a file may have");
    }
    const std::uint64_t rows = table_.rows() + 1;
    const std::uint64_t cells = rows * keys_with_values_;
    const std::uint64_t values = values_ + entries.size();
    if (cells > kMaxCells) {
      fail("", std::to_string(rows) + " rows x " + std::to_string(keys_with_values_) + " keys make more than " +
                   std::to_string(kMaxCells) + " cells, the most a file may hold");
    }
    if (cells > kSparseCellsPerValue * values + kSparseCellsAllowed) {
      fail("", std::to_string(rows) + " rows x " + std::to_string(keys_with_values_) + " distinct keys make " +
                   std::to_string(cells) + " cells (an absent key is a missing cell) for " + std::to_string(values) +
                   " values: lines must mostly share their keys (at most " + std::to_string(kSparseCellsPerValue) +
                   " cells per value, plus " + std::to_string(kSparseCellsAllowed) +
                   "), so that the table's memory follows what the file holds");
    }
  }

  // The entry's text as a view that lives as long as the Table.
  std::string_view keep(const Entry& entry) {
    if (entry.kind == CellKind::missing) return {};
    if (entry.in_parser) return table_.rewritten.emplace_back(entry.text);
    return {line_start_ + (entry.text.data() - scratch_.data()), entry.text.size()};
  }

  void finish() {
    if (first_line_ == 0) fail(0, "", "empty file: expected one JSON object per line");
    if (table_.rows() == 0) fail(0, "model_id", "no events of model \"" + std::string(model_id_) + "\"");
    // A column without cells is one that only skipped events had: it is not
    // part of this model's data.
    std::erase_if(table_.columns, [](const Column& column) { return column.cells.empty(); });
    for (Column& column : table_.columns) {
      column.cells.resize(table_.rows());
      column.kinds.resize(table_.rows(), CellKind::missing);
    }
    table_.index_columns();
  }

  void check(simdjson::error_code error, std::string_view key, bool feature = false) {
    if (error) fail(label(key, feature), std::string("invalid JSON: ") + simdjson::error_message(error));
  }

  [[noreturn]] void number_error(std::string_view raw, std::string key) {
    double number;
    const auto [end, status] = std::from_chars(raw.data(), raw.data() + raw.size(), number);
    if (status == std::errc::result_out_of_range && end == raw.data() + raw.size()) {
      fail(std::move(key), "number " + std::string(raw) + " is out of the range of a double");
    }
    fail(std::move(key), "invalid JSON: bad number '" + std::string(raw) + "'");
  }

  [[noreturn]] void atom_error(std::string_view raw, std::string key) {
    fail(std::move(key), "invalid JSON: unexpected '" + std::string(raw) + "'");
  }

  [[noreturn]] void fail(std::string key, const std::string& problem) { fail(line_, std::move(key), problem); }

  [[noreturn]] void fail(std::uint64_t line, std::string key, const std::string& problem) {
    throw InputError(table_.path, line, std::move(key), problem);
  }

  static std::string label(std::string_view key, bool feature) {
    return feature ? "features." + std::string(key) : std::string(key);
  }

  enum class Shape { unknown, flat, events };

  Table& table_;
  std::string_view model_id_;
  ondemand::parser parser_;
  std::vector<char> scratch_;

  // Whole-file state.
  std::uint64_t line_ = 1;
  std::size_t lines_ = 0;
  std::size_t rows_hint_ = 0;
  std::uint64_t first_line_ = 0;  // of the first object; 0 before it
  Shape shape_ = Shape::unknown;
  std::uint64_t shape_line_ = 0;
  std::string first_model_;
  std::uint64_t first_model_line_ = 0;
  std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> index_;
  std::vector<std::uint64_t> mark_;  // per column: last line that gave it a value
  std::uint64_t keys_with_values_ = 0;  // columns with a cell: the others are other models' keys
  std::uint64_t values_ = 0;            // cells the lines kept gave, nulls included
  std::vector<std::size_t> order_;   // column of each position on the last line

  // State of the line being read, reused from line to line.
  const char* line_start_ = nullptr;
  bool has_features_ = false;
  std::vector<Entry> top_;
  std::vector<Entry> features_;
  std::vector<Entry> ignored_;
  std::vector<std::string_view> top_keys_;
  std::vector<std::string_view> nested_keys_;
  std::vector<std::size_t> resolved_;
};

}  // namespace

Table read_jsonl(const std::string& path, std::string_view model_id) {
  Table table;
  table.path = path;
  table.buffer = read_file(path);
  JsonlReader(table, model_id).parse();
  return table;
}

}  // namespace driftd

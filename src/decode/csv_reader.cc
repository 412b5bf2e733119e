// CSV reader: one pass over the file's bytes, cells as views into them.
//
// Rules beyond RFC 4180 (documented in include/driftd/README.md, "Input files"):
// - a UTF-8 byte order mark at the start is skipped;
// - records end with LF, CRLF, or a CR at the very end of the file; a CR
//   anywhere else in an unquoted field is data;
// - blank lines (no characters at all) are skipped wherever they are, before
//   the header, between rows and at the end;
// - an empty cell is missing, quoted ("") or not: Python's csv module and
//   pandas write "" for a missing value in a one-column file, and pandas
//   reads it back as missing;
// - nothing is trimmed, and a quote inside an unquoted field is data.
#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <sys/stat.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "driftd/error.h"
#include "driftd/table.h"
#include "decode/input_limits.h"
#include "decode/read_file.h"
#include "util/huge_pages.h"

namespace driftd {
namespace {

// Finds the ',' and '\n' bytes 64 at a time, as a bit mask, so that the end
// of an unquoted field costs no branch per byte. A quoted field is skipped
// with memchr instead; the mask stays right after it, as it only describes
// bytes, and only bits at or after the position asked for are used.
class StopFinder {
 public:
  StopFinder(const char* begin, const char* end) : begin_(begin), size_(end - begin) {}

  // The first ',' or '\n' at or after p, or the end.
  const char* next(const char* p) {
    const std::size_t at = p - begin_;
    if (at < base_ || at - base_ >= 64) {
      base_ = at;
      mask_ = scan(at);
    }
    std::uint64_t mask = mask_ & (~std::uint64_t{0} << (at - base_));
    while (mask == 0) {
      base_ += 64;
      if (base_ >= size_) return begin_ + size_;
      mask = mask_ = scan(base_);
    }
    return begin_ + base_ + std::countr_zero(mask);
  }

 private:
  std::uint64_t scan(std::size_t at) const {
    const char* p = begin_ + at;
    // The last block is copied so that no byte past the end is read; its
    // zero filling holds no stop.
    alignas(16) char tail[64] = {};
    if (size_ - at < 64) {
      if (size_ > at) std::memcpy(tail, p, size_ - at);
      p = tail;
    }
    std::uint64_t mask = 0;
#if defined(__SSE2__)
    for (int i = 0; i < 4; ++i) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
      const __m128i stops =
          _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(',')), _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\n')));
      mask |= std::uint64_t(static_cast<std::uint16_t>(_mm_movemask_epi8(stops))) << (16 * i);
    }
#else
    for (int i = 0; i < 64; ++i) mask |= std::uint64_t(p[i] == ',' || p[i] == '\n') << i;
#endif
    return mask;
  }

  const char* begin_;
  std::size_t size_;
  std::size_t base_ = SIZE_MAX;  // offset of the block in mask_; none yet
  std::uint64_t mask_ = 0;       // bit i: begin_[base_ + i] is a stop
};

class CsvParser {
 public:
  // `line_ends`: the file's '\n' bytes, which bound its rows.
  CsvParser(Table& table, std::uint64_t line_ends)
      : line_ends_(line_ends),
        table_(table),
        p_(table.buffer.data()),
        end_(p_ + table.buffer.size()),
        stops_(p_, end_) {}

  void parse() {
    if (end_ - p_ >= 3 && std::memcmp(p_, "\xEF\xBB\xBF", 3) == 0) p_ += 3;
    skip_blank_lines();
    if (p_ == end_) throw InputError(table_.path, 0, "", "empty file: expected a header row");
    const std::uint64_t header_line = line_;
    const char* header_start = p_;
    parse_header(header_line);
    check_record_length(header_start, header_line);
    max_rows_ = std::size_t(kMaxCells / table_.columns.size());
    reserve_rows();
    while (skip_blank_lines(), p_ != end_) parse_row();
    if (table_.rows() == 0) throw InputError(table_.path, header_line, "", "no data rows after the header");
  }

 private:
  struct Field {
    std::string_view text;
    CellKind kind;
    bool last;  // ended its record
  };

  void skip_blank_lines() {
    for (;;) {
      if (p_ != end_ && *p_ == '\n') {
        ++p_;
        ++line_;
      } else if (p_ != end_ && *p_ == '\r' && (p_ + 1 == end_ || p_[1] == '\n')) {
        p_ += p_ + 1 == end_ ? 1 : 2;
        ++line_;
      } else {
        return;
      }
    }
  }

  void parse_header(std::uint64_t header_line) {
    std::unordered_map<std::string_view, std::size_t> seen;
    for (;;) {
      const std::size_t index = table_.columns.size();
      if (index == kMaxColumns) {
        throw InputError(table_.path, header_line, "",
                         "more than " + std::to_string(kMaxColumns) + " columns in the header, the most a file may have");
      }
      const Field field = read_field(index);
      if (field.text.empty()) {
        throw InputError(table_.path, header_line, column_label(index), "empty column name in the header");
      }
      Column& column = table_.columns.emplace_back();
      column.name = std::string(field.text);
      if (auto [it, added] = seen.emplace(field.text, index); !added) {
        throw InputError(table_.path, header_line, column.name,
                         "column name repeated in the header (columns " + std::to_string(it->second + 1) + " and " +
                             std::to_string(index + 1) + ")");
      }
      if (field.last) break;
    }
  }

  // Every record of K fields holds at least K bytes (K-1 commas and a line
  // end), which bounds the row count even for a file of many blank lines.
  void reserve_rows() {
    const std::size_t rows =
        std::min({static_cast<std::size_t>(line_ends_) + 1, static_cast<std::size_t>(end_ - p_) / table_.columns.size() + 1, max_rows_});
    reserve_in_huge_pages(table_.row_line, rows);
    for (Column& column : table_.columns) {
      reserve_in_huge_pages(column.cells, rows);
      reserve_in_huge_pages(column.kinds, rows);
    }
  }

  void parse_row() {
    const std::uint64_t start_line = line_;
    const char* start = p_;
    const std::size_t expected = table_.columns.size();
    if (table_.rows() == max_rows_) {
      throw InputError(table_.path, start_line, "",
                       "more than " + std::to_string(kMaxCells) + " cells (rows x columns), the most a file may hold: " +
                           std::to_string(expected) + " columns allow " + std::to_string(max_rows_) + " rows");
    }
    std::size_t count = 0;
    for (;;) {
      const Field field = read_field(count);
      if (count < expected) {
        Column& column = table_.columns[count];
        column.cells.push_back(field.text);
        column.kinds.push_back(field.kind);
      }
      ++count;
      if (field.last) break;
    }
    check_record_length(start, start_line);
    if (count != expected) {
      throw InputError(table_.path, start_line, "",
                       "expected " + std::to_string(expected) + " fields, found " + std::to_string(count));
    }
    table_.row_line.push_back(start_line);
  }

  // read_file bounds each physical line; a record whose quoted fields hold
  // line ends is bounded the same, from its first byte to its line end.
  void check_record_length(const char* start, std::uint64_t start_line) const {
    const char* end = p_;
    if (end != start && end[-1] == '\n') --end;
    if (end != start && end[-1] == '\r') --end;
    if (std::size_t(end - start) > kMaxLineBytes) {
      throw InputError(table_.path, start_line, "",
                       "record longer than " + describe_bytes(kMaxLineBytes) + ", the most one record may hold");
    }
  }

  // Reads the field that starts at p_ and its terminator.
  Field read_field(std::size_t index) {
    if (p_ != end_ && *p_ == '"') return read_quoted(index);
    const char* start = p_;
    p_ = stops_.next(p_);
    // A CR is part of the line end before LF or at the end of the file, and
    // data anywhere else.
    const char* stop = p_;
    if (stop != start && stop[-1] == '\r' && (stop == end_ || *stop == '\n')) --stop;
    const std::string_view text(start, stop - start);
    return {text, text.empty() ? CellKind::missing : CellKind::text, end_field()};
  }

  Field read_quoted(std::size_t index) {
    const std::uint64_t start_line = line_;
    const char* start = ++p_;
    bool doubled = false;
    for (;;) {
      p_ = static_cast<const char*>(std::memchr(p_, '"', end_ - p_));
      if (p_ == nullptr) throw InputError(table_.path, start_line, column_label(index), "unterminated quoted field");
      if (p_ + 1 != end_ && p_[1] == '"') {
        doubled = true;
        p_ += 2;
        continue;
      }
      break;
    }
    std::string_view text(start, p_ - start);
    ++p_;
    line_ += static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
    if (doubled) text = table_.rewritten.emplace_back(unescape(text));
    if (p_ != end_ && *p_ == '\r' && (p_ + 1 == end_ || p_[1] == '\n')) ++p_;
    if (p_ != end_ && *p_ != ',' && *p_ != '\n') {
      throw InputError(table_.path, line_, column_label(index), "characters after a closing quote");
    }
    return {text, text.empty() ? CellKind::missing : CellKind::text, end_field()};
  }

  // Steps over the ',' or line end at p_ (a CR before it is already
  // passed); true when the record ended.
  bool end_field() {
    if (p_ == end_) return true;
    if (*p_++ == ',') return false;
    ++line_;
    return true;
  }

  static std::string unescape(std::string_view quoted) {
    std::string text;
    text.reserve(quoted.size());
    for (std::size_t i = 0; i < quoted.size(); ++i) {
      text += quoted[i];
      if (quoted[i] == '"') ++i;  // the second of a doubled quote
    }
    return text;
  }

  std::string column_label(std::size_t index) const {
    if (index < table_.columns.size()) return table_.columns[index].name;
    return "column " + std::to_string(index + 1);
  }

  std::uint64_t line_ends_;
  Table& table_;
  const char* p_;
  const char* end_;
  StopFinder stops_;
  std::uint64_t line_ = 1;
  std::size_t max_rows_ = 0;  // kMaxCells over the columns
};

}  // namespace

Table read_csv(const std::string& path) {
  Table table;
  table.path = path;
  std::uint64_t line_ends = 0;
  table.buffer = read_file(path, {}, &line_ends);
  CsvParser(table, line_ends).parse();
  table.index_columns();
  return table;
}

}  // namespace driftd

// A data file read into memory as columns of cells, before any type is
// decided. The readers (CSV, JSONL) produce it; type inference and sample
// preparation consume it.
//
// Cells are views into memory the Table owns, so a Table is move-only and
// its views stay valid as long as the Table lives (moves included).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace driftd {

enum class CellKind : std::uint8_t {
  missing,  // empty CSV cell, JSON null or absent key
  text,     // a CSV cell (may hold a number) or a JSON string
  number,   // a JSON number token, as written
  boolean,  // a JSON true/false ("true"/"false")
};

struct Column {
  std::string name;
  std::vector<std::string_view> cells;  // one per row; empty for missing
  std::vector<CellKind> kinds;          // one per row
};

class Table {
 public:
  Table() = default;
  Table(Table&&) = default;
  Table& operator=(Table&&) = default;
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  std::string path;                     // as given by the user, for messages
  std::vector<Column> columns;          // in the order first seen in the file
  std::vector<std::uint64_t> row_line;  // 1-based line where each row starts

  std::size_t rows() const { return row_line.size(); }
  // The column of that name, or null. A hash lookup once index_columns()
  // has seen the final columns (the readers call it), so that matching the
  // columns of two wide files is not quadratic; a linear search otherwise.
  // Columns must not be renamed once indexed.
  const Column* find(std::string_view name) const;
  void index_columns();

  // Storage behind the cell views. The file's bytes live in `buffer`;
  // cells that had to be rewritten (unescaped quotes, JSON escapes) live in
  // `rewritten`, whose elements never move once added.
  std::vector<char> buffer;
  std::deque<std::string> rewritten;

 private:
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const noexcept { return std::hash<std::string_view>{}(name); }
  };
  std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>> index_;
  std::size_t indexed_columns_ = 0;  // columns.size() when index_ was built
};

// Reads a CSV file (header row, RFC 4180 quoting, empty cell = missing).
// Throws InputError naming file and line for an unreadable or empty file, a
// file with a header but no rows, a ragged row, an unterminated quote or a
// repeated column name.
Table read_csv(const std::string& path);

// Reads JSON Lines: each non-blank line one flat object whose values are
// numbers, strings, booleans or null; or one event (include/driftd/README.md, "Events") whose
// `features` object and `prediction` become columns. When `model_id` is not
// empty, events of other models are skipped; when it is empty, a file with
// events of more than one model is an error. Throws InputError naming file,
// line and key for anything else (bad JSON, nested values, non-finite or
// out-of-range numbers, an empty file).
Table read_jsonl(const std::string& path, std::string_view model_id = {});

// read_csv or read_jsonl, chosen by the file name's ending (.jsonl, .ndjson,
// .json → JSONL; anything else → CSV).
Table read_table(const std::string& path, std::string_view model_id = {});

}  // namespace driftd

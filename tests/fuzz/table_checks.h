// What the reader fuzz targets share: writing the input where the reader
// can open it, and the invariants every Table must keep, checked by reading
// every byte of every cell so that a dangling view is reported.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>

#include "driftd/table.h"

namespace driftd::fuzzing {

// A file of this process's own, named with `ending`, holding the input.
inline std::string write_input(const std::string& ending, const std::uint8_t* data, std::size_t size) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("driftd_fuzz_" + std::to_string(::getpid()) + ending)).string();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr || std::fwrite(data, 1, size, file) != size || std::fclose(file) != 0) std::abort();
  return path;
}

// Written so that the reads of the cells are not optimised away.
inline volatile unsigned checksum;

// Aborts unless the table has rows, unique column names, a cell and a kind
// per row in every column, empty missing cells, each cell accepted by
// `cell_ok(kind, cell)`, and rows starting on increasing lines.
template <typename CellOk>
void check_table(const Table& table, CellOk cell_ok) {
  if (table.rows() == 0) std::abort();
  std::unordered_set<std::string> names;
  unsigned sum = 0;
  for (const Column& column : table.columns) {
    if (!names.insert(column.name).second) std::abort();
    if (column.cells.size() != table.rows() || column.kinds.size() != table.rows()) std::abort();
    for (std::size_t i = 0; i < column.cells.size(); ++i) {
      const std::string_view cell = column.cells[i];
      if (column.kinds[i] == CellKind::missing && !cell.empty()) std::abort();
      if (!cell_ok(column.kinds[i], cell)) std::abort();
      for (char c : cell) sum += static_cast<unsigned char>(c);
    }
  }
  for (std::size_t i = 1; i < table.rows(); ++i) {
    if (table.row_line[i] <= table.row_line[i - 1]) std::abort();
  }
  checksum = sum;
}

}  // namespace driftd::fuzzing

// libFuzzer target for read_csv. Build (not part of the CMake build):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc \
//     tests/fuzz/fuzz_csv_reader.cc src/decode/*.cc -lsimdjson -o fuzz_csv_reader
//   mkdir -p /tmp/csv_corpus  # new inputs go to the first directory, not the seeds
//   ./fuzz_csv_reader -max_total_time=60 /tmp/csv_corpus tests/fuzz/corpus/csv_reader
// An InputError is the expected answer to bad input; anything else (a crash,
// another exception, a sanitizer report, a broken invariant) is a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unordered_set>
#include <utility>

#include "driftd/error.h"
#include "driftd/table.h"

namespace {

const std::string& input_path() {
  static const std::string path =
      (std::filesystem::temp_directory_path() / ("driftd_fuzz_csv_" + std::to_string(::getpid()) + ".csv")).string();
  return path;
}

void write_input(const std::uint8_t* data, std::size_t size) {
  std::FILE* file = std::fopen(input_path().c_str(), "wb");
  if (file == nullptr || std::fwrite(data, 1, size, file) != size || std::fclose(file) != 0) std::abort();
}

// Written so that the reads of the cells below are not optimised away.
volatile unsigned checksum;

// Reads every byte of every cell, so that a dangling view is reported.
void check(const driftd::Table& table) {
  if (table.rows() == 0 || table.columns.empty()) std::abort();
  std::unordered_set<std::string> names;
  unsigned sum = 0;
  for (const driftd::Column& column : table.columns) {
    if (column.name.empty() || !names.insert(column.name).second) std::abort();
    if (column.cells.size() != table.rows() || column.kinds.size() != table.rows()) std::abort();
    for (std::size_t i = 0; i < column.cells.size(); ++i) {
      if (column.kinds[i] == driftd::CellKind::missing && !column.cells[i].empty()) std::abort();
      if (column.kinds[i] != driftd::CellKind::missing && column.kinds[i] != driftd::CellKind::text) std::abort();
      for (char c : column.cells[i]) sum += static_cast<unsigned char>(c);
    }
  }
  for (std::size_t i = 1; i < table.rows(); ++i) {
    if (table.row_line[i] <= table.row_line[i - 1]) std::abort();
  }
  checksum = sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  write_input(data, size);
  try {
    driftd::Table table = driftd::read_csv(input_path());
    check(table);
    const driftd::Table moved = std::move(table);
    check(moved);
  } catch (const driftd::InputError&) {
  }
  std::remove(input_path().c_str());
  return 0;
}

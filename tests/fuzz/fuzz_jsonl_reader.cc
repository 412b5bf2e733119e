// libFuzzer target for read_jsonl. Build (not part of the CMake build):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc \
//     tests/fuzz/fuzz_jsonl_reader.cc src/decode/*.cc -lsimdjson -o fuzz_jsonl_reader
//   mkdir -p /tmp/jsonl_corpus  # new inputs go to the first directory, not the seeds
//   ./fuzz_jsonl_reader -max_total_time=60 /tmp/jsonl_corpus tests/fuzz/corpus/jsonl_reader
// An InputError is the expected answer to bad input; anything else (a crash,
// another exception, a sanitizer report, a broken invariant) is a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "driftd/error.h"
#include "driftd/table.h"

namespace {

const std::string& input_path() {
  static const std::string path =
      (std::filesystem::temp_directory_path() / ("driftd_fuzz_jsonl_" + std::to_string(::getpid()) + ".jsonl"))
          .string();
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
  if (table.rows() == 0) std::abort();
  std::unordered_set<std::string> names;
  unsigned sum = 0;
  for (const driftd::Column& column : table.columns) {
    if (!names.insert(column.name).second) std::abort();
    if (column.cells.size() != table.rows() || column.kinds.size() != table.rows()) std::abort();
    for (std::size_t i = 0; i < column.cells.size(); ++i) {
      const std::string_view cell = column.cells[i];
      switch (column.kinds[i]) {
        case driftd::CellKind::missing:
          if (!cell.empty()) std::abort();
          break;
        case driftd::CellKind::number:
          if (cell.empty() || cell.find_first_of(" \t\r\n,}]") != std::string_view::npos) std::abort();
          break;
        case driftd::CellKind::boolean:
          if (cell != "true" && cell != "false") std::abort();
          break;
        case driftd::CellKind::text:
          break;
      }
      for (char c : cell) sum += static_cast<unsigned char>(c);
    }
  }
  for (std::size_t i = 1; i < table.rows(); ++i) {
    if (table.row_line[i] <= table.row_line[i - 1]) std::abort();
  }
  checksum = sum;
}

void read(std::string_view model_id) {
  try {
    driftd::Table table = driftd::read_jsonl(input_path(), model_id);
    check(table);
    const driftd::Table moved = std::move(table);
    check(moved);
  } catch (const driftd::InputError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  write_input(data, size);
  // Both modes: every model's events, and one model's.
  read("");
  read("a");
  std::remove(input_path().c_str());
  return 0;
}

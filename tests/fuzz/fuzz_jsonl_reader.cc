// libFuzzer target for read_jsonl. Build and run with scripts/fuzz.sh (make fuzz), or by hand:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc \
//     tests/fuzz/fuzz_jsonl_reader.cc src/decode/*.cc src/util/*.cc -lsimdjson -o fuzz_jsonl_reader
//   mkdir -p /tmp/jsonl_corpus  # new inputs go to the first directory, not the seeds
//   ./fuzz_jsonl_reader -max_total_time=60 /tmp/jsonl_corpus tests/fuzz/corpus/jsonl_reader
// An InputError is the expected answer to bad input; anything else (a crash,
// another exception, a sanitizer report, a broken invariant) is a finding.
#include <cstdio>
#include <utility>

#include "driftd/error.h"
#include "table_checks.h"

namespace {

// A number is one token as written; a boolean reads true or false.
bool cell_ok(driftd::CellKind kind, std::string_view cell) {
  switch (kind) {
    case driftd::CellKind::number:
      return !cell.empty() && cell.find_first_of(" \t\r\n,}]") == std::string_view::npos;
    case driftd::CellKind::boolean:
      return cell == "true" || cell == "false";
    case driftd::CellKind::missing:
    case driftd::CellKind::text:
      return true;
  }
  return false;
}

void read(const std::string& path, std::string_view model_id) {
  try {
    driftd::Table table = driftd::read_jsonl(path, model_id);
    driftd::fuzzing::check_table(table, cell_ok);
    const driftd::Table moved = std::move(table);
    driftd::fuzzing::check_table(moved, cell_ok);
  } catch (const driftd::InputError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = driftd::fuzzing::write_input(".jsonl", data, size);
  // Both modes: every model's events, and one model's.
  read(path, "");
  read(path, "a");
  std::remove(path.c_str());
  return 0;
}

// libFuzzer target for read_csv. Build and run with scripts/fuzz.sh (make fuzz), or by hand:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc \
//     tests/fuzz/fuzz_csv_reader.cc src/decode/*.cc src/util/*.cc -lsimdjson -o fuzz_csv_reader
//   mkdir -p /tmp/csv_corpus  # new inputs go to the first directory, not the seeds
//   ./fuzz_csv_reader -max_total_time=60 /tmp/csv_corpus tests/fuzz/corpus/csv_reader
// An InputError is the expected answer to bad input; anything else (a crash,
// another exception, a sanitizer report, a broken invariant) is a finding.
#include <cstdio>
#include <utility>

#include "driftd/error.h"
#include "table_checks.h"

namespace {

// CSV has a header, so at least one named column; every cell is text or missing.
void check(const driftd::Table& table) {
  if (table.columns.empty()) std::abort();
  for (const driftd::Column& column : table.columns) {
    if (column.name.empty()) std::abort();
  }
  driftd::fuzzing::check_table(table, [](driftd::CellKind kind, std::string_view) {
    return kind == driftd::CellKind::missing || kind == driftd::CellKind::text;
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = driftd::fuzzing::write_input(".csv", data, size);
  try {
    driftd::Table table = driftd::read_csv(path);
    check(table);
    const driftd::Table moved = std::move(table);
    check(moved);
  } catch (const driftd::InputError&) {
  }
  std::remove(path.c_str());
  return 0;
}

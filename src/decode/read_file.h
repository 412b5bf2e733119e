// Reads a whole input file into memory for the CSV and JSONL readers (and
// the configuration loader), within bounds checked while reading, so that an
// endless or oversized input stops with a message instead of taking all
// memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "decode/input_limits.h"

namespace driftd {

struct ReadBounds {
  std::uint64_t max_file_bytes = kMaxDataFileBytes;
  std::size_t max_line_bytes = kMaxLineBytes;  // bytes between two '\n'
  const char* what = "a data file";            // for messages: "a data file may hold at most ..."
};

// The file's bytes. Throws InputError when it cannot be opened or read (line
// 0), when it is larger than bounds.max_file_bytes (line 0), or when a line
// is longer than bounds.max_line_bytes (that line). With `line_ends`, also
// the number of '\n' bytes, which the bound's check counts anyway.
std::vector<char> read_file(const std::string& path, const ReadBounds& bounds = {},
                            std::uint64_t* line_ends = nullptr);

// "16 MiB", "4 GiB", "1500 bytes": a bound as a person reads it.
std::string describe_bytes(std::uint64_t bytes);

}  // namespace driftd

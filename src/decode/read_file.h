// Reads a whole input file into memory for the CSV and JSONL readers.
#pragma once

#include <string>
#include <vector>

namespace driftd {

// The file's bytes. Throws InputError (line 0) when it cannot be opened or read.
std::vector<char> read_file(const std::string& path);

}  // namespace driftd

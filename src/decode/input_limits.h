// The bounds on what a data file (a reference, `score`'s inputs) may hold.
// `score` and the references are read whole, and every cell costs memory
// (a view and a kind, 17 bytes, besides its bytes), so without bounds a file
// of garbage or an endless device (/dev/zero) would take the machine's
// memory before any error. Each bound is reported with the file, the line
// and the bound itself; include/driftd/README.md lists them under "Limits".
#pragma once

#include <cstddef>
#include <cstdint>

namespace driftd {

// A physical line, a CSV record (quoted line ends included) or a JSONL line.
inline constexpr std::size_t kMaxLineBytes = std::size_t(16) << 20;  // 16 MiB

// A whole data file: it is held in memory with the cells that view it.
inline constexpr std::uint64_t kMaxDataFileBytes = std::uint64_t(4) << 30;  // 4 GiB

// Columns of a CSV header, or distinct keys with values in a JSONL file.
inline constexpr std::size_t kMaxColumns = 100'000;

// Rows x columns of the table read (absent JSONL keys included, as they
// take a missing cell each): 250 million cells are ~4.3 GB of views.
inline constexpr std::uint64_t kMaxCells = 250'000'000;

// A JSONL file whose lines share few keys costs a missing cell for every
// absent key of every row. Its rows x keys may be at most this many times
// the values it holds, plus kSparseCellsAllowed, so that the table costs
// memory in proportion to what the file holds, not to its rows times its keys.
inline constexpr std::uint64_t kSparseCellsPerValue = 16;
inline constexpr std::uint64_t kSparseCellsAllowed = 1'000'000;

}  // namespace driftd

// Reads a file line by line, holding at most `max_line` bytes of any line:
// a longer line is given as its first max_line + 1 bytes, marked cut, and
// the rest of it is read past without being kept. So a huge line costs
// bounded memory, and the caller decides what a line that is too long means
// (`replay`: a too_large event). A line longer than kMaxLineBytes, the most
// any data file's line may hold, is an InputError: an endless one
// (/dev/zero) would otherwise be read for ever.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "decode/input_file.h"

namespace driftd {

struct TextLine {
  std::string_view text;    // without its '\n'; valid until the next call to next()
  bool cut = false;         // the line was longer than max_line: text holds its first max_line + 1 bytes
  std::uint64_t number = 0; // 1-based
};

class LineReader {
 public:
  // Opens `path` (InputFile's errors).
  LineReader(const std::string& path, std::size_t max_line);

  // The next line; false at the end of the file. A last line without a
  // line end is a line; an empty file has none.
  bool next(TextLine& line);

 private:
  // Reads more bytes after those kept; false at the end of the file.
  bool fill();

  InputFile file_;
  std::size_t max_line_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // first byte not yet given out
  std::size_t end_ = 0;    // end of the bytes read
  bool at_end_ = false;
  bool skipping_ = false;  // inside a line that was cut, until its '\n'
  std::uint64_t skipped_ = 0;  // bytes of it read past so far
  std::uint64_t number_ = 0;
};

}  // namespace driftd

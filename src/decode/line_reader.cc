#include "decode/line_reader.h"

#include <algorithm>
#include <cstring>

#include "decode/input_limits.h"
#include "decode/read_file.h"
#include "driftd/error.h"

namespace driftd {
namespace {

constexpr std::size_t kChunkBytes = std::size_t(64) << 10;

}  // namespace

LineReader::LineReader(const std::string& path, std::size_t max_line)
    : file_(path), max_line_(max_line), buffer_(kChunkBytes) {}

bool LineReader::fill() {
  if (at_end_) return false;
  // Keep only what has not been given out, at the front.
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  // Room for a whole line at the bound and one more chunk: never more.
  if (buffer_.size() - end_ < kChunkBytes) {
    buffer_.resize(std::max(buffer_.size() * 2, end_ + kChunkBytes));
  }
  const std::size_t got = file_.read(buffer_.data() + end_, buffer_.size() - end_);
  if (got == 0) at_end_ = true;
  end_ += got;
  return got > 0;
}

bool LineReader::next(TextLine& line) {
  // The rest of a line that was cut: read past it without keeping it.
  while (skipping_) {
    const void* newline = std::memchr(buffer_.data() + begin_, '\n', end_ - begin_);
    if (newline != nullptr) {
      begin_ = std::size_t(static_cast<const char*>(newline) - buffer_.data()) + 1;
      skipping_ = false;
    } else {
      skipped_ += end_ - begin_;
      if (skipped_ > kMaxLineBytes) {
        throw InputError(file_.path(), number_, "",
                         "line longer than " + describe_bytes(kMaxLineBytes) + ", the most one line may hold");
      }
      begin_ = end_;
      if (!fill()) return false;
    }
  }
  std::size_t searched = begin_;
  for (;;) {
    const char* data = buffer_.data();
    const void* newline = std::memchr(data + searched, '\n', end_ - searched);
    const std::size_t line_end = newline != nullptr ? std::size_t(static_cast<const char*>(newline) - data) : end_;
    const std::size_t length = line_end - begin_;
    if (length > max_line_) {
      line = {std::string_view(data + begin_, max_line_ + 1), true, ++number_};
      begin_ = newline != nullptr ? line_end + 1 : line_end;
      skipping_ = newline == nullptr;
      skipped_ = length;
      return true;
    }
    if (newline != nullptr) {
      line = {std::string_view(data + begin_, length), false, ++number_};
      begin_ = line_end + 1;
      return true;
    }
    searched = end_ - begin_;  // offsets move to the front in fill()
    if (!fill()) {
      if (begin_ == end_) return false;
      line = {std::string_view(buffer_.data() + begin_, end_ - begin_), false, ++number_};
      begin_ = end_;
      return true;
    }
  }
}

}  // namespace driftd

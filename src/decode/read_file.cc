#include "decode/read_file.h"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "decode/input_file.h"
#include "driftd/error.h"
#include "util/huge_pages.h"

namespace driftd {
namespace {

// Read a chunk at a time and look for line ends in it while it is in cache.
constexpr std::size_t kChunkBytes = std::size_t(1) << 20;

// Follows the line ends of the bytes read so far, so that a line over the
// bound is reported as soon as it has been read past it.
class LineBound {
 public:
  LineBound(const std::string& path, std::size_t max_line) : path_(path), max_line_(max_line) {}

  std::uint64_t line_ends() const { return line_ - 1; }

  // 16 bytes at a time: on a file of short lines (one number per row) a
  // memchr call per line costs more than the comparisons.
  void scan(const char* bytes, std::size_t end) {
    std::size_t at = scanned_;
#if defined(__SSE2__)
    for (; end - at >= 16; at += 16) {
      const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + at));
      for (unsigned ends = unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(block, _mm_set1_epi8('\n')))); ends != 0;
           ends &= ends - 1) {
        line_end(at + std::size_t(std::countr_zero(ends)));
      }
    }
#endif
    for (; at < end; ++at) {
      if (bytes[at] == '\n') line_end(at);
    }
    scanned_ = end;
    check(end);
  }

 private:
  void line_end(std::size_t at) {
    check(at);
    line_start_ = at + 1;
    ++line_;
  }

  void check(std::size_t line_end) const {
    if (line_end - line_start_ > max_line_) {
      throw InputError(path_, line_, "",
                       "line longer than " + describe_bytes(max_line_) + ", the most one line may hold");
    }
  }

  const std::string& path_;
  std::size_t max_line_;
  std::size_t scanned_ = 0;
  std::size_t line_start_ = 0;
  std::uint64_t line_ = 1;
};

}  // namespace

std::vector<char> read_file(const std::string& path, const ReadBounds& bounds, std::uint64_t* line_ends) {
  InputFile file(path);
  const auto too_large = [&] {
    return InputError(path, 0, "",
                      "larger than " + describe_bytes(bounds.max_file_bytes) + ", the most " + bounds.what +
                          " may hold (it is read whole into memory)");
  };
  if (file.regular() && file.size() > bounds.max_file_bytes) throw too_large();
  // A regular file's size is known: one byte more, so that the read which
  // finds the end does not have to grow the buffer. Pipes and devices grow
  // it by doubling, up to the bound.
  std::vector<char> bytes;
  reserve_in_huge_pages(bytes, file.regular() ? std::size_t(file.size()) + 1 : kChunkBytes);
  bytes.resize(bytes.capacity());
  LineBound lines(path, bounds.max_line_bytes);
  std::size_t used = 0;
  for (;;) {
    if (used == bytes.size()) {
      if (used > bounds.max_file_bytes) throw too_large();
      bytes.resize(std::size_t(std::min<std::uint64_t>(2 * bytes.size(), bounds.max_file_bytes + 1)));
    }
    const std::size_t got = file.read(bytes.data() + used, std::min(kChunkBytes, bytes.size() - used));
    if (got == 0) break;
    used += got;
    if (used > bounds.max_file_bytes) throw too_large();
    lines.scan(bytes.data(), used);
  }
  bytes.resize(used);
  if (line_ends != nullptr) *line_ends = lines.line_ends();
  return bytes;
}

std::string describe_bytes(std::uint64_t bytes) {
  const std::string exact = std::to_string(bytes) + " bytes";
  for (const auto& [unit, name] : {std::pair<std::uint64_t, const char*>{std::uint64_t(1) << 30, " GiB"},
                                   {std::uint64_t(1) << 20, " MiB"},
                                   {std::uint64_t(1) << 10, " KiB"}}) {
    if (bytes >= unit && bytes % unit == 0) return std::to_string(bytes / unit) + name + " (" + exact + ")";
  }
  return exact;
}

}  // namespace driftd

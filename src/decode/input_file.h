// A file the user named, opened for reading. A directory is refused at
// once, and a named pipe that no one writes to reads as empty instead of
// blocking for ever; pipes and devices are otherwise read like files (so
// that `--reference <(zcat ref.csv.gz)` works), which is why every reader
// bounds what it buffers.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace driftd {

class InputFile {
 public:
  // Throws InputError (line 0): "cannot open: <reason>", or "cannot read:
  // Is a directory".
  explicit InputFile(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  const std::string& path() const { return path_; }
  // Whether it is a regular file, whose size() is then known in advance.
  bool regular() const { return regular_; }
  std::uint64_t size() const { return size_; }

  // Reads up to `capacity` bytes; 0 only at the end. Throws InputError
  // "cannot read: <reason>".
  std::size_t read(char* buffer, std::size_t capacity);

 private:
  std::string path_;
  int fd_ = -1;
  bool regular_ = false;
  std::uint64_t size_ = 0;
};

// What a file of this mode is, for messages: "a directory", "a named pipe
// (FIFO)", "a character device", ...
std::string file_kind(mode_t mode);

}  // namespace driftd

#include "decode/read_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "driftd/error.h"

namespace driftd {

std::vector<char> read_file(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) throw InputError(path, 0, "", std::string("cannot open: ") + std::strerror(errno));
  struct stat info {};
  std::size_t capacity = 1 << 16;
  // One byte more than the size, so that the read which finds the end of the
  // file does not have to grow the buffer.
  if (::fstat(::fileno(file.get()), &info) == 0 && S_ISREG(info.st_mode)) {
    capacity = static_cast<std::size_t>(info.st_size) + 1;
  }
  std::vector<char> bytes(capacity);
  std::size_t used = 0;
  for (;;) {
    if (used == bytes.size()) bytes.resize(bytes.size() * 2);
    used += std::fread(bytes.data() + used, 1, bytes.size() - used, file.get());
    if (std::ferror(file.get())) {
      throw InputError(path, 0, "", std::string("cannot read: ") + std::strerror(errno));
    }
    if (std::feof(file.get())) break;
  }
  bytes.resize(used);
  return bytes;
}

}  // namespace driftd

#include "decode/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "driftd/error.h"

namespace driftd {

InputFile::InputFile(const std::string& path) : path_(path) {
  // O_NONBLOCK only for the open: a FIFO's open would otherwise wait for a
  // writer. Once open, reads block as usual, and a FIFO without a writer
  // reads as the end of the file.
  fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) throw InputError(path, 0, "", std::string("cannot open: ") + std::strerror(errno));
  struct stat info {};
  if (::fstat(fd_, &info) != 0) {
    const int error = errno;
    ::close(fd_);
    throw InputError(path, 0, "", std::string("cannot open: ") + std::strerror(error));
  }
  if (S_ISDIR(info.st_mode)) {
    ::close(fd_);
    throw InputError(path, 0, "", std::string("cannot read: ") + std::strerror(EISDIR));
  }
  const int flags = ::fcntl(fd_, F_GETFL);
  if (flags >= 0) ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK);
  regular_ = S_ISREG(info.st_mode);
  size_ = regular_ ? std::uint64_t(info.st_size) : 0;
}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t InputFile::read(char* buffer, std::size_t capacity) {
  for (;;) {
    const ssize_t got = ::read(fd_, buffer, capacity);
    if (got >= 0) return std::size_t(got);
    if (errno == EINTR) continue;
    throw InputError(path_, 0, "", std::string("cannot read: ") + std::strerror(errno));
  }
}

std::string file_kind(mode_t mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a named pipe (FIFO)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace driftd

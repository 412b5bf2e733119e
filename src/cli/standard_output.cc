#include "cli/standard_output.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <string>

namespace driftd {

void finish_standard_output() {
  // std::cout shares stdout's buffer (sync_with_stdio): a failed write sets
  // its badbit or stdout's error flag, and what is still buffered fails at
  // the flush.
  errno = 0;
  std::cout.flush();
  int error = errno;  // std::cout's flush is stdout's: the first failure's reason
  const bool flushed = std::fflush(stdout) == 0;
  if (error == 0) error = errno;
  if (flushed && !std::ferror(stdout) && std::cout.good()) return;
  throw std::runtime_error("cannot write to standard output: " +
                           std::string(error != 0 ? std::strerror(error) : "a write failed"));
}

}  // namespace driftd

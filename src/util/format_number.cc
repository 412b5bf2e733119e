#include "util/format_number.h"

#include <cstdio>

namespace driftd {

std::string format_number(const char* pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

}  // namespace driftd

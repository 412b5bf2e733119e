#include "util/show_duration.h"

namespace driftd {

std::string show_duration(Millis value) {
  const auto ms = value.count();
  if (value == config_limits::kMaxDuration) return "100 years (36525d)";
  if (ms % 86'400'000 == 0) return std::to_string(ms / 86'400'000) + "d";
  if (ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace driftd

// The current window an evaluation looked at: carried by alerts, triggers
// and the engine's reports.
#pragma once

#include <cstdint>

namespace driftd {

struct WindowInfo {
  std::uint64_t count = 0;       // events in the window
  std::int64_t start_ts = 0;     // event time of the oldest, epoch ms
  std::int64_t end_ts = 0;       // event time of the newest, epoch ms
  std::uint64_t end_sequence = 0;  // the model's event count at the window's end: identifies the window
};

}  // namespace driftd

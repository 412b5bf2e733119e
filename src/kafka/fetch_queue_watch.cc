#include "kafka/fetch_queue_watch.h"

#include <algorithm>

namespace driftd {
namespace {

// librdkafka stops at its limit; the estimate of bytes is an average, so
// "full" is taken a little below it. Waking at half leaves the fetchers a
// half queue of time to refill before the consumer runs dry.
constexpr double kFull = 0.9;
constexpr double kWakeBelow = 0.5;
// Weight of the newest batch in the running average payload size.
constexpr double kNewWeight = 0.25;

}  // namespace

FetchQueueWatch::FetchQueueWatch(std::size_t max_messages, std::size_t max_bytes)
    : max_messages_(std::max<std::size_t>(max_messages, 1)), max_bytes_(std::max<std::size_t>(max_bytes, 1)) {}

double FetchQueueWatch::full_fraction(std::size_t queued_messages) const {
  const double by_count = double(queued_messages) / double(max_messages_);
  const double by_bytes = double(queued_messages) * bytes_per_message_ / double(max_bytes_);
  return std::max(by_count, by_bytes);
}

bool FetchQueueWatch::should_wake(std::size_t queued_messages, std::size_t batch_messages, std::size_t batch_bytes) {
  if (batch_messages > 0) {
    const double batch_average = double(batch_bytes) / double(batch_messages);
    bytes_per_message_ = bytes_per_message_ == 0.0 ? batch_average
                                                   : (1 - kNewWeight) * bytes_per_message_ + kNewWeight * batch_average;
  }
  const double fraction = full_fraction(queued_messages);
  if (fraction >= kFull) {
    full_ = true;
  } else if (full_ && fraction < kWakeBelow) {
    full_ = false;
    return true;
  }
  return false;
}

}  // namespace driftd

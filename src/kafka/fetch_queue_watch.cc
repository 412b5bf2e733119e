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

double FetchQueueWatch::full_fraction(std::size_t messages, double bytes) const {
  return std::max(double(messages) / double(max_messages_), bytes / double(max_bytes_));
}

bool FetchQueueWatch::should_wake(std::size_t queued_messages, std::size_t batch_messages, std::size_t batch_bytes) {
  if (batch_messages > 0) {
    const double batch_average = double(batch_bytes) / double(batch_messages);
    bytes_per_message_ = bytes_per_message_ == 0.0 ? batch_average
                                                   : (1 - kNewWeight) * bytes_per_message_ + kNewWeight * batch_average;
  }
  const double queued_bytes = double(queued_messages) * bytes_per_message_;
  // The queue may have reached its limit, and the fetchers stopped, at any
  // moment while the batch was being taken: what it held then is at most
  // what it holds now plus the batch. Judged on the queue alone, a batch
  // of over a tenth of the queue could hide the stop until the fetchers
  // woke by themselves, up to 1 s later: with batches of 10,000 from an
  // 8 MiB queue, 3 of 8 benchmark rounds stalled so (none since).
  if (full_fraction(queued_messages + batch_messages, queued_bytes + double(batch_bytes)) >= kFull) {
    full_ = true;
  }
  if (full_ && full_fraction(queued_messages, queued_bytes) < kWakeBelow) {
    full_ = false;
    return true;
  }
  return false;
}

}  // namespace driftd

// When to wake librdkafka's fetchers.
//
// librdkafka 2.0.2 stops fetching while the consumer's local queue is over
// queued.max.messages.kbytes (or queued.min.messages), and looks at the
// queue again only when its broker thread next wakes: up to 1 s later, with
// nothing else to do (2.2 adds fetch.queue.backoff.ms for this). A consumer
// slower than its fetchers, catching up a backlog, fills the queue, drains
// it, then idles: driftd lost ~40 % of the wall clock that way. Any request
// sent to a broker wakes its thread, which then resumes fetching; this watch
// tells when: after the queue was full (or may have been, while a batch
// was being taken), once it has drained to half.
#pragma once

#include <cstddef>

namespace driftd {

class FetchQueueWatch {
 public:
  // librdkafka's two limits on the local queue: messages, payload bytes.
  FetchQueueWatch(std::size_t max_messages, std::size_t max_bytes);

  // At each look at the queue: what it holds, and what was taken from it
  // since the last look (the queue's bytes are estimated at the recent
  // average payload). True when the fetchers should be woken now.
  bool should_wake(std::size_t queued_messages, std::size_t batch_messages, std::size_t batch_bytes);

 private:
  // How full `messages` of `bytes` make the queue, by the tighter limit.
  double full_fraction(std::size_t messages, double bytes) const;

  std::size_t max_messages_;
  std::size_t max_bytes_;
  double bytes_per_message_ = 0.0;
  bool full_ = false;  // at its limit since the last wake, or may have been: the fetchers may be stopped
};

}  // namespace driftd

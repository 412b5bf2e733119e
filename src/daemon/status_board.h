// What the Kafka thread tells the HTTP thread: the /v1/status document and
// readiness. The Kafka thread publishes a fresh copy about once a second;
// HTTP handlers only read.
//
// Readiness expires: a Kafka thread that has not published for kStaleAfter
// is blocked somewhere (a broker call, a wait for room in a queue), and what
// it said last is no longer known to be true.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

namespace driftd {

class StatusBoard {
 public:
  using Clock = std::chrono::steady_clock;
  // Five missed refreshes of one a second: long enough for a slow checkpoint.
  static constexpr std::chrono::seconds kStaleAfter{5};

  void publish(std::string status_json, bool ready) {
    std::lock_guard lock(mutex_);
    status_ = std::move(status_json);
    ready_ = ready;
    published_at_ = Clock::now();
  }
  std::string status() const {
    std::lock_guard lock(mutex_);
    return status_;
  }
  bool ready(Clock::time_point now = Clock::now()) const {
    std::lock_guard lock(mutex_);
    return ready_ && now - published_at_ < kStaleAfter;
  }

 private:
  mutable std::mutex mutex_;
  // Until the Kafka thread's first status: the daemon is still starting
  // (calibrating its models takes seconds).
  std::string status_ = R"({"state":"starting"})";
  bool ready_ = false;
  Clock::time_point published_at_;
};

}  // namespace driftd

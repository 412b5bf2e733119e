// What the Kafka thread tells the HTTP thread: the /v1/status document and
// readiness. The Kafka thread publishes a fresh copy about once a second;
// HTTP handlers only read.
#pragma once

#include <atomic>
#include <mutex>
#include <string>

namespace driftd {

class StatusBoard {
 public:
  void publish(std::string status_json, bool ready) {
    std::lock_guard lock(mutex_);
    status_ = std::move(status_json);
    ready_ = ready;
  }
  std::string status() const {
    std::lock_guard lock(mutex_);
    return status_;
  }
  bool ready() const { return ready_; }

 private:
  mutable std::mutex mutex_;
  std::string status_ = "{}";
  std::atomic<bool> ready_{false};
};

}  // namespace driftd

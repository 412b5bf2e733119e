// Alerts and retrain triggers as JSON Lines on a stdio stream, in the order
// they are made: `driftd replay`'s standard output. Dead letters are not
// written (replay counts them in its summary on stderr).
#pragma once

#include <cstdio>
#include <string>

#include "delivery/output_sink.h"

namespace driftd {

class JsonLinesSink final : public OutputSink {
 public:
  explicit JsonLinesSink(std::FILE* out) : out_(out) {}

  void alert(const Alert& alert) override;
  void retrain_trigger(const RetrainTrigger& trigger) override;
  void dead_letter(const MessageSource&, InvalidReason) override {}
  // Writes what is held. A write that fails (a full disk, a closed pipe)
  // throws std::runtime_error, so a replay stops at once rather than after
  // the whole input; the timeout is not used (a write is not waited out).
  Flush flush(std::chrono::milliseconds timeout) override;

 private:
  void held_line();  // ends the line just appended; writes when enough is held

  std::FILE* out_;
  std::string held_;
};

}  // namespace driftd

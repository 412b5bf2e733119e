// Where the engine's outputs go: drift alerts, retrain triggers and dead
// letters. Each destination (stdout for `driftd replay`, Kafka topics for
// `driftd run`) is one OutputSink; OutputFanOut gives every output to each
// of several, so a new destination is one class and one line where the
// sinks are put together (see include/driftd/README.md).
//
// Outputs arrive in the order the engine makes them. A sink may hold them
// until flush(), which is what a checkpoint waits for before it commits the
// input that caused them.
#pragma once

#include <chrono>
#include <memory>
#include <utility>
#include <vector>

#include "driftd/event.h"
#include "driftd/alert.h"
#include "driftd/message_source.h"

namespace driftd {

class OutputSink {
 public:
  virtual ~OutputSink() = default;

  virtual void alert(const Alert& alert) = 0;
  virtual void retrain_trigger(const RetrainTrigger& trigger) = 0;
  // A message that is not a valid event, and why.
  virtual void dead_letter(const MessageSource& source, InvalidReason reason) = 0;

  enum class Flush {
    delivered,  // everything given so far is where it goes
    pending,    // not yet (a destination is slow or away): flush again later
    failed,     // something was refused for good
  };
  // Waits up to `timeout` for everything given so far to be delivered.
  virtual Flush flush(std::chrono::milliseconds timeout) = 0;
};

// Gives the alerts and the retrain trigger of one evaluation to `sink`.
void publish(const AlertOutput& output, OutputSink& sink);

// Every output to each sink, in the order they were added.
class OutputFanOut final : public OutputSink {
 public:
  // Takes `sink`; gives it back for its owner's own questions (counters).
  template <typename Sink>
  Sink& add(std::unique_ptr<Sink> sink) {
    Sink& added = *sink;
    sinks_.push_back(std::move(sink));
    return added;
  }

  void alert(const Alert& alert) override;
  void retrain_trigger(const RetrainTrigger& trigger) override;
  void dead_letter(const MessageSource& source, InvalidReason reason) override;
  // Flushes every sink within `timeout` each; the worst result of them.
  Flush flush(std::chrono::milliseconds timeout) override;

 private:
  std::vector<std::unique_ptr<OutputSink>> sinks_;
};

}  // namespace driftd

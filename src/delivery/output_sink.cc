#include "delivery/output_sink.h"

#include <algorithm>

namespace driftd {

void publish(const AlertOutput& output, OutputSink& sink) {
  for (const Alert& alert : output.alerts) sink.alert(alert);
  if (output.retrain) sink.retrain_trigger(*output.retrain);
}

void OutputFanOut::alert(const Alert& alert) {
  for (const auto& sink : sinks_) sink->alert(alert);
}

void OutputFanOut::retrain_trigger(const RetrainTrigger& trigger) {
  for (const auto& sink : sinks_) sink->retrain_trigger(trigger);
}

void OutputFanOut::dead_letter(const MessageSource& source, InvalidReason reason) {
  for (const auto& sink : sinks_) sink->dead_letter(source, reason);
}

// The enum's order is the order of badness.
OutputSink::Flush OutputFanOut::flush(std::chrono::milliseconds timeout) {
  Flush worst = Flush::delivered;
  for (const auto& sink : sinks_) worst = std::max(worst, sink->flush(timeout));
  return worst;
}

}  // namespace driftd

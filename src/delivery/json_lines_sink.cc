#include "delivery/json_lines_sink.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace driftd {
namespace {

// Written in blocks of about this size: one write per line would cost more
// than making the line.
constexpr std::size_t kWriteBlock = 1 << 16;

}  // namespace

void JsonLinesSink::alert(const Alert& alert) {
  held_.append(alert_json(alert));
  held_line();
}

void JsonLinesSink::retrain_trigger(const RetrainTrigger& trigger) {
  held_.append(retrain_json(trigger));
  held_line();
}

void JsonLinesSink::held_line() {
  held_.push_back('\n');
  if (held_.size() > kWriteBlock) flush(std::chrono::milliseconds::zero());
}

OutputSink::Flush JsonLinesSink::flush(std::chrono::milliseconds /*timeout*/) {
  if (std::fwrite(held_.data(), 1, held_.size(), out_) != held_.size()) {
    throw std::runtime_error(std::string("cannot write to standard output: ") + std::strerror(errno));
  }
  held_.clear();
  return Flush::delivered;
}

}  // namespace driftd

// The start-up log's account of each model's decisions (`run` and `replay`,
// on stderr): one block per model at start, and one more for each
// calibration that the stream brings later (a from_stream reference
// complete, a time window's first evaluation, a model rebuilt), each with
// the warning when the reference is smaller than 20 windows.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "driftd/config.h"
#include "engine/pipeline.h"

namespace driftd {

class CalibrationLog {
 public:
  // Writes the start-up blocks. `prefix` starts each block's first line ("driftd: ").
  CalibrationLog(const Config& config, const Pipeline& pipeline, std::ostream& out, std::string prefix);

  // After an event of model `model` was processed: tells a calibration it
  // brought. Cheap enough for every event (one look at the monitor).
  void after_event(std::size_t model) {
    if (shown_[model] != pipeline_.monitor(model).calibration().has_value()) changed(model);
  }

 private:
  void changed(std::size_t model);
  void show(std::size_t model);

  const Config& config_;
  const Pipeline& pipeline_;
  std::ostream& out_;
  std::string prefix_;
  std::vector<bool> shown_;  // per model: its current calibration was told
};

}  // namespace driftd

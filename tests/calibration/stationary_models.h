// The models whose false alarms are measured: every shape of data the
// calibration treats differently, each streamed from its reference's own
// distribution, with windows 1,000 / step 250 (by count, or by event time
// at one event a millisecond), references 50 x the window, and
// min_consecutive 2 on one of them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario.h"

namespace driftd::calibration {

struct StationaryModel {
  Scenario scenario;     // alerting holds the budget given to stationary_models
  std::uint64_t budget;  // false_alarm_every, in events or in ms of event time
  double monitored;      // events (or ms) over which evaluations can start an episode
  const char* unit = "events";
};

// `budget` events (count windows) or ms (the time-window model); `events` a model.
std::vector<StationaryModel> stationary_models(std::uint64_t budget, std::uint64_t events);

}  // namespace driftd::calibration

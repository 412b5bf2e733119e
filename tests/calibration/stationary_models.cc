#include "stationary_models.h"

namespace driftd::calibration {

std::vector<StationaryModel> stationary_models(std::uint64_t budget, std::uint64_t events) {
  const std::string every = std::to_string(budget);
  // 1 ms per event: a budget in ms is the same number of events.
  const auto model = [&](std::string id, Kind kind, std::uint64_t seed) {
    Scenario s;
    s.id = std::move(id);
    s.reference.kind = s.drifted.kind = kind;
    s.events = events;
    s.seed = seed;
    s.alerting = "{false_alarm_every: " + every + ", cooldown: 1ms}";
    // The first evaluation ends the first full window: no episode can start before.
    return StationaryModel{s, budget, double(events - 1000)};
  };
  std::vector<StationaryModel> models;
  models.push_back(model("continuous", Kind::normal, 101));
  models.push_back(model("tied", Kind::poisson, 102));
  models.back().scenario.alerting = "{false_alarm_every: " + every + ", cooldown: 1ms, min_consecutive: 2}";
  models.push_back(model("categorical", Kind::categorical, 103));
  models.push_back(model("correlated_mmd", Kind::correlated, 104));
  models.back().scenario.mmd_points = 300;  // fewer than the default 1,000: its replay stays quick
  models.push_back(model("time_window", Kind::normal, 105));
  models.back().scenario.window = "{duration: 1s, step: 250ms}";
  models.back().scenario.alerting = "{false_alarm_every: " + every + "ms, cooldown: 1ms}";
  models.back().unit = "ms";
  return models;
}

}  // namespace driftd::calibration

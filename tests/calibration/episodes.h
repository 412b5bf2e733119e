// Alarm episodes (config/README.md, `alerting`) read back from replay's output: an episode starts
// at an evaluation after which the model has a firing alert and before which
// it had none. Alerts of one evaluation share evaluated_at and are taken
// together, so one test resolving while another fires in the same evaluation
// does not count as a new episode whatever order they are printed in.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace driftd::calibration {

struct AlertHistory {
  std::vector<std::int64_t> episode_starts;  // evaluated_at of each episode's first evaluation
  struct Firing {
    std::int64_t at;  // evaluated_at
    std::string feature, test;
  };
  std::vector<Firing> firings;  // every firing alert, in order
  std::size_t alerts = 0;
};

// One model's alerts (driftd.alert.v1 lines; other lines are skipped).
AlertHistory read_alerts(const std::string& replay_output);

}  // namespace driftd::calibration

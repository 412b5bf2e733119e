// (b) With a budget far beyond the stream's length (10^9 events or ms
// against 3 x 10^5), the same stationary models raise no alarm at all.
#include <cstdio>
#include <string>

#include "calibration_tests.h"
#include "episodes.h"
#include "stationary_models.h"

namespace driftd::calibration {

int no_alarm(const std::string&) {
  constexpr std::uint64_t kBudget = 1'000'000'000, kEvents = 300'000;
  TempDir dir;
  bool ok = true;
  for (const auto& model : stationary_models(kBudget, kEvents)) {
    const Replay replay = run_replay(model.scenario, dir.path());
    const AlertHistory alerts = read_alerts(replay.out);
    std::printf("%-16s %zu episodes, %zu alerts in %llu events (%.1f s)\n", model.scenario.id.c_str(),
                alerts.episode_starts.size(), alerts.alerts, (unsigned long long)kEvents, replay.seconds);
    if (!replay.ok) std::fprintf(stderr, "%s: replay failed:\n%s\n", model.scenario.id.c_str(), replay.err.c_str());
    if (!replay.ok || alerts.alerts > 0) ok = false;
  }
  if (!ok) std::printf("FAIL: an alert (or a failed replay) with false_alarm_every %llu\n", (unsigned long long)kBudget);
  return ok ? 0 : 1;
}

}  // namespace driftd::calibration

// (a) On streams from the reference's own distribution, the mean events (or
// event time) between alarm episodes is false_alarm_every: pooled over the
// models within a factor of 1.5, from at least 100 expected episodes. Each
// model must also stay within a factor of 3 on its own: the pooled figure
// alone would let one model that never fires hide another that fires too
// often. (Per model, 40 expected episodes and the reference's own sampling
// error spread the ratio by some tens of percent, not by 3.)
#include <cstdio>
#include <fstream>
#include <string>

#include "calibration_tests.h"
#include "episodes.h"
#include "stationary_models.h"

namespace driftd::calibration {

int false_alarm_rate(const std::string& results_dir) {
  // 100 steps a false alarm: 40 expected episodes a model in a million events.
  constexpr std::uint64_t kBudget = 25'000, kEvents = 1'000'000;
  constexpr double kFactor = 1.5, kModelFactor = 3, kMinExpected = 100;
  TempDir dir;
  std::string report = "model            budget         episodes  expected  observed/expected  mean between  replay s\n";
  double observed = 0, expected = 0;
  bool ok = true;
  std::fputs(report.c_str(), stdout);
  for (const auto& model : stationary_models(kBudget, kEvents)) {
    const Replay replay = run_replay(model.scenario, dir.path());
    if (!replay.ok) {
      std::fprintf(stderr, "%s: replay failed:\n%s\n", model.scenario.id.c_str(), replay.err.c_str());
      ok = false;
      continue;
    }
    const auto episodes = double(read_alerts(replay.out).episode_starts.size());
    const double model_expected = model.monitored / double(model.budget);
    observed += episodes;
    expected += model_expected;
    char line[256];
    std::snprintf(line, sizeof line, "%-16s %6llu %-6s %10.0f %9.1f %18.2f %13.0f %9.1f\n", model.scenario.id.c_str(),
                  (unsigned long long)model.budget, model.unit, episodes, model_expected, episodes / model_expected,
                  episodes > 0 ? model.monitored / episodes : 0.0, replay.seconds);
    report += line;
    std::fputs(line, stdout);
    std::fflush(stdout);
    const double ratio = episodes / model_expected;
    if (!(ratio >= 1 / kModelFactor && ratio <= kModelFactor)) {
      std::printf("FAIL: %s: episodes / expected = %.2f, outside a factor of %.0f\n", model.scenario.id.c_str(), ratio,
                  kModelFactor);
      ok = false;
    }
  }
  const double ratio = observed / expected;
  char pooled[256];
  std::snprintf(pooled, sizeof pooled, "%-16s %13s %10.0f %9.1f %18.2f   (must be within %.2f..%.2f)\n", "pooled", "",
                observed, expected, ratio, 1 / kFactor, kFactor);
  report += pooled;
  std::fputs(pooled, stdout);
  std::ofstream(results_dir + "/false_alarms.txt") << report;
  if (expected < kMinExpected) {
    std::printf("FAIL: only %.0f episodes expected, fewer than %.0f: not a measurement\n", expected, kMinExpected);
    ok = false;
  }
  if (!(ratio >= 1 / kFactor && ratio <= kFactor)) {
    std::printf("FAIL: pooled episodes / expected = %.2f, outside a factor of %.1f\n", ratio, kFactor);
    ok = false;
  }
  return ok ? 0 : 1;
}

}  // namespace driftd::calibration

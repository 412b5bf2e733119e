// A model's calibrated thresholds (config/README.md, `alerting`; how they are
// found: src/calibrate/calibrator.h): for each test, the value of its
// statistic at or above which it drifts, chosen so that on a stream from the
// reference's own distribution the model's alarm episodes are
// false_alarm_every apart on average.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace driftd {

struct TestThreshold {
  std::string feature;     // a multivariate test's features joined by '+'
  std::string test;
  double threshold = 0.0;  // drift when the statistic >= this
  // The probability that one evaluation on the reference's distribution
  // reaches the threshold: the share of simulated evaluations that did,
  // or, past what simulation resolves, that share at the last level it
  // resolved, extrapolated along the test's tail.
  double alpha = 0.0;
};

// One group of tests simulated together (src/calibrate/calibrator.h): what
// the simulation could measure and what it expects at the thresholds.
struct CalibrationGroup {
  std::string features;  // its columns joined by '+', or the multivariate test's features
  std::string tests;     // joined by '+', e.g. "ks+psi"
  std::size_t copies = 1;  // columns it stands for (continuous ones share a group)
  std::uint64_t evaluations = 0;  // simulated
  // The lowest alarm rate per evaluation measured directly; below it the
  // rate is extrapolated along the tests' tails.
  double measured_rate = 0.0;
  double expected_rate = 0.0;  // alarm episodes per evaluation at the thresholds, per copy
};

struct Calibration {
  std::uint64_t false_alarm_every = 0;  // events (count window) or event-time ms (time window)
  bool by_time = false;
  double evaluations_per_alarm = 0.0;   // false_alarm_every / step
  // The surprise level L (calibrator.h) all thresholds stand at: each is
  // the statistic that the test's null reaches with probability e^-L by
  // its tail model.
  double level = 0.0;
  // What it was calibrated for: the window's events and the events of a
  // step (a time window's as counted at its first evaluation).
  std::size_t window_events = 0;
  std::size_t step_events = 0;
  std::uint64_t reference_rows = 0;
  std::uint64_t simulated_evaluations = 0;  // evaluations of null streams, all groups
  // Alarm episodes per evaluation the whole model is expected to have at
  // the thresholds, by the simulation (1 / evaluations_per_alarm when met).
  double expected_episode_rate = 0.0;
  // Thresholds in evaluation order: [feature][test], then multivariate tests.
  std::vector<std::vector<TestThreshold>> features;
  std::vector<TestThreshold> multivariate;
  std::vector<CalibrationGroup> groups;
  double seconds = 0.0;  // wall time it took; the only part that varies between runs
};

}  // namespace driftd

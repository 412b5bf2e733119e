// Thresholds calibrated for a rate of false alarms in time (config/README.md,
// `alerting`; detectors/README.md, "Calibrated decisions").
//
// The method, in four steps:
//  1. Groups. A model's tests are simulated in groups: the tests of one
//     column together (they see the same values, so their alarms overlap),
//     and each multivariate test alone. Continuous columns without ties or
//     missing values share one group per list of tests: KS and PSI do not
//     depend on their distribution, so uniform values stand for all of them.
//  2. Null streams. Each group runs the engine's own window and detectors on
//     streams drawn from the reference (null_stream.h), giving the statistic
//     of each test at thousands of evaluations of overlapping windows.
//  3. Alarm rates. Each statistic is put on a scale of surprise L (tail_scale.h),
//     and for a grid of levels the group's alarm episodes are counted with
//     the model's min_consecutive, as the alert policy would raise them
//     (overlapping windows make exceedances come in clusters: counting
//     episodes, not exceedances, takes that into account). Where a level
//     has too few episodes to measure, the rate is extrapolated from the
//     last measured level along the tail of the surprise scale (e^-L),
//     from an upper bound: the exceedances there (min_consecutive 1: each
//     episode begins with one) or the episodes (more: runs thin out faster).
//  4. The model's rate at level L is the sum over groups (each copy of a
//     shared group counting once): a union bound, exact when groups are
//     independent and conservative when they are not. The level where it
//     meets one episode per evaluations_per_alarm gives each test's
//     threshold: the statistic whose surprise is that level.
//
// Everything is seeded from the configuration, so the same reference and
// configuration give bit-identical thresholds.
#pragma once

#include <cstdint>

#include "driftd/calibration.h"
#include "driftd/config.h"
#include "driftd/event.h"
#include "window/reference_profile.h"

namespace driftd {

// Calibrates `model` on `reference` (its raw values; `profile` is the same
// reference prepared) for windows of `window_events` evaluated every
// `step_events`.
Calibration calibrate(const ModelSchema& schema, const ModelConfig& model, const Defaults& defaults,
                      const ReferenceData& reference, const ReferenceProfile& profile, std::size_t window_events,
                      std::size_t step_events);

}  // namespace driftd

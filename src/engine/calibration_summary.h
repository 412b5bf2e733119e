// How a model decides, in words for the people who run driftd: `validate`
// and the start-up logs of `run` and `replay` print the same block, so what
// a user checks before deploying is what the daemon says it does.
#pragma once

#include <optional>
#include <string>

#include "driftd/calibration.h"
#include "driftd/config.h"

namespace driftd {

// Below this many windows of reference, the reference's own sampling error
// dominates the false-alarm rate and no calibration can keep
// false_alarm_every (config/README.md, `alerting`).
inline constexpr std::uint64_t kMinReferenceWindows = 20;

// The model's decision rule, as lines indented by `indent`, each ending in
// '\n'. In calibrated mode, `calibration` lists each test's threshold and
// per-evaluation probability; while there is none yet, when it will come.
std::string decision_summary(const ModelConfig& model, const Defaults& defaults,
                             const std::optional<Calibration>& calibration, const std::string& indent);

// In calibrated mode, a warning (one line, no prefix, no newline) when the
// model's reference holds fewer than kMinReferenceWindows windows; "" when
// it does, or while that cannot be known yet (a time window's events are
// counted at its first evaluation).
std::string reference_size_warning(const ModelConfig& model, const std::optional<Calibration>& calibration);

}  // namespace driftd

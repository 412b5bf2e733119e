// A model's `calibration` object in /v1/status (include/driftd/README.md,
// "Status"): how it decides and, in calibrated mode, each test's
// threshold, so an operator can see what an alert is measured against.
#pragma once

#include <optional>
#include <string>

#include "driftd/calibration.h"
#include "driftd/config.h"

namespace driftd {

// Appends {"mode":"per_window"} in per-window mode; in calibrated mode
// null until the model is calibrated (a from_stream reference still
// gathering, a time window before its first evaluation), then the whole
// calibration.
void append_calibration_json(std::string& out, AlertMode mode, const std::optional<Calibration>& calibration);

}  // namespace driftd

// The concept-drift detectors by configuration name (`labels.detectors`):
// the names the configuration loader accepts, and how to make one with
// Frouros's default parameters.
#pragma once

#include <array>
#include <memory>
#include <string_view>

#include "driftd/error_stream_detector.h"

namespace driftd {

inline constexpr std::array<std::string_view, 6> kErrorStreamDetectors = {"ddm",          "eddm",   "adwin",
                                                                         "page_hinkley", "hddm_a", "hddm_w"};

// A new detector of that name with its default parameters, or nullptr for
// a name not in kErrorStreamDetectors.
std::unique_ptr<ErrorStreamDetector> make_error_stream_detector(std::string_view name);

}  // namespace driftd

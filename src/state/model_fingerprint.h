// A model's fingerprint: what its state snapshot is only valid for. Covers
// the model's configuration as written (with the defaults and input
// settings) and its reference file's values, so that a changed threshold,
// window, test or reference starts the model afresh instead of mixing old
// state into a new configuration. driftd's own version is left out: an
// upgrade keeps the state, as long as the snapshot format is one it reads.
#pragma once

#include <cstdint>
#include <optional>

#include "driftd/config.h"
#include "window/reference_profile.h"

namespace driftd {

std::uint64_t model_fingerprint(const ModelConfig& model, const std::optional<ReferenceData>& reference);

}  // namespace driftd

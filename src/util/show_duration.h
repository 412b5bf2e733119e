// A duration as the configuration writes it ("30d", "10m", "1500ms"), for
// messages and for what `validate` and the start-up logs print.
#pragma once

#include <string>

#include "driftd/config.h"

namespace driftd {

std::string show_duration(Millis value);

}  // namespace driftd

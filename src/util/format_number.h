// A number as text in a printf format, for reports people read.
#pragma once

#include <string>

namespace driftd {

// `pattern` takes one double, e.g. "%.4g"; the text is cut at 63 characters.
std::string format_number(const char* pattern, double value);

}  // namespace driftd

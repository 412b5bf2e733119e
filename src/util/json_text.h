// The two pieces of JSON output every writer needs: strings escaped per
// RFC 8259 and numbers in their shortest round-trip form.
#pragma once

#include <string>
#include <string_view>

namespace driftd {

// Appends `text` as a quoted JSON string. Bytes that are not valid UTF-8
// (a CSV header is taken as it is) become U+FFFD, so the output is always
// valid JSON.
void append_json_string(std::string& out, std::string_view text);

// Appends the shortest decimal that reads back as `value`. JSON has no NaN
// or infinity: callers must not pass them (they become null, so the output
// stays valid JSON even if one slips through).
void append_json_number(std::string& out, double value);

}  // namespace driftd

// Text from a user's files made safe to place in HTML or SVG: a column name
// or category may hold markup (`<script>`), quotes that would end an
// attribute, bytes that are not UTF-8 or control characters.
#pragma once

#include <string>
#include <string_view>

namespace driftd {

// Appends `text` escaped for HTML text and for a double- or single-quoted
// attribute value (& < > " ' become character references). Bytes that are
// not valid UTF-8 and control characters other than tab and newline, which
// HTML forbids, become U+FFFD.
void append_html_text(std::string& out, std::string_view text);

// append_html_text into a new string.
std::string html_text(std::string_view text);

}  // namespace driftd

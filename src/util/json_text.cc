#include "util/json_text.h"

#include <charconv>
#include <cmath>

#include "util/utf8.h"

namespace driftd {

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (static_cast<unsigned char>(ch) >= 0x80) {
      // JSON is UTF-8 (RFC 8259 §8.1): a byte that does not belong to a
      // valid sequence is written as U+FFFD, as a decoder would show it.
      const Utf8Step step = utf8_step(text.substr(i));
      if (step.valid) {
        out.append(text.substr(i, step.length));
      } else {
        out.append(kReplacementCharacter);
      }
      i += step.length - 1;
      continue;
    }
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) {
          out += "\\u00";
          out += kHex[(ch >> 4) & 0xf];
          out += kHex[ch & 0xf];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void append_json_number(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

}  // namespace driftd

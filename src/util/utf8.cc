#include "util/utf8.h"

namespace driftd {

Utf8Step utf8_step(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return {1, true};
  // Continuation bytes needed, and the range of the first one (table 3-7).
  std::size_t needed = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    needed = 1;
  } else if (lead == 0xE0) {
    needed = 2, low = 0xA0;  // no overlong three-byte forms
  } else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
    needed = 2;
  } else if (lead == 0xED) {
    needed = 2, high = 0x9F;  // no surrogates
  } else if (lead == 0xF0) {
    needed = 3, low = 0x90;  // no overlong four-byte forms
  } else if (lead >= 0xF1 && lead <= 0xF3) {
    needed = 3;
  } else if (lead == 0xF4) {
    needed = 3, high = 0x8F;  // nothing past U+10FFFF
  } else {
    return {1, false};  // a continuation byte, C0, C1 or F5..FF
  }
  for (std::size_t i = 1; i <= needed; ++i) {
    if (i >= text.size() || byte(i) < low || byte(i) > high) return {i, false};
    low = 0x80, high = 0xBF;
  }
  return {needed + 1, true};
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const Utf8Step step = utf8_step(text);
    if (step.valid) {
      out.append(text.substr(0, step.length));
    } else {
      out.append(kReplacementCharacter);
    }
    text.remove_prefix(step.length);
  }
  return out;
}

}  // namespace driftd

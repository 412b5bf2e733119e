// UTF-8 as RFC 3629 and Unicode §3.9 (table 3-7) define it: no overlong
// forms, no surrogates, nothing past U+10FFFF. The writers use it so that
// bytes from a user's file (a CSV header is taken as it is) never make
// output that is not UTF-8, which JSON must be.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace driftd {

struct Utf8Step {
  std::size_t length;  // bytes: the sequence's, or its maximal ill-formed subpart's (at least 1)
  bool valid;
};

// The sequence at the start of `text` (not empty). An ill-formed one is as
// long as its "maximal subpart" (Unicode §3.9): the bytes a decoder
// replaces with one U+FFFD.
Utf8Step utf8_step(std::string_view text);

// U+FFFD REPLACEMENT CHARACTER, encoded.
inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// `text` with each maximal ill-formed subpart replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

}  // namespace driftd

#include "labels/class_text.h"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace driftd {

std::string class_text_of_number(double number) {
  char text[32];
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (number == std::floor(number) && std::fabs(number) <= kExactIntegers) {
    // -0.0 is the class 0 too.
    const auto end = std::to_chars(text, text + sizeof text, std::int64_t(number)).ptr;
    return std::string(text, end);
  }
  const auto end = std::to_chars(text, text + sizeof text, number).ptr;
  return std::string(text, end);
}

std::string class_text_of_token(std::string_view token) {
  double number = 0.0;
  const char* begin = token.data();
  const char* end = begin + token.size();
  // JSON's grammar: from_chars also takes "inf", "nan" and hex, which are class names, not numbers.
  const bool json_like = !token.empty() && (token[0] == '-' || (token[0] >= '0' && token[0] <= '9')) &&
                         token.find_first_of("xXnNiI") == std::string_view::npos;
  if (json_like) {
    const auto [at, error] = std::from_chars(begin, end, number);
    if (error == std::errc() && at == end && std::isfinite(number)) return class_text_of_number(number);
  }
  return std::string(token);
}

}  // namespace driftd

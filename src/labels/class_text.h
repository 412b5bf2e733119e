// A class of a classification model as text, so that a label and a
// prediction can be compared whatever JSON type each arrived as: 1, 1.0
// and "1" are the same class, true and "true" too. Strings stay as they
// are; numbers take one canonical spelling.
#pragma once

#include <string>
#include <string_view>

namespace driftd {

// An integer-valued number within ±2^53 as a plain integer ("1", "-3");
// any other finite number as the shortest text that reads back to it.
std::string class_text_of_number(double number);

// A configured or written token: a JSON number becomes its canonical
// text, anything else stays as it is ("fraud", "true").
std::string class_text_of_token(std::string_view token);

}  // namespace driftd

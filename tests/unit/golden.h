// Loads the golden fixtures that tests/golden/gen_*.py computed with
// SciPy/NumPy and committed, so the tests themselves need no Python.
#pragma once

#include <simdjson.h>

#include <string>
#include <vector>

namespace driftd::testing {

// The parsed fixture file tests/golden/<name>. The parser owns the document:
// keep it alive while using the element.
inline simdjson::dom::element load_golden(simdjson::dom::parser& parser, const std::string& name) {
  return parser.load(std::string(DRIFTD_GOLDEN_DIR) + "/" + name).value();
}

inline std::vector<double> doubles(simdjson::dom::array array) {
  std::vector<double> out;
  for (auto value : array) out.push_back(double(value));
  return out;
}

}  // namespace driftd::testing

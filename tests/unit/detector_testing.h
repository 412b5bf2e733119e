// For tests that ask one question of each reference: tells the detector the
// reference, then tests one current sample against it.
#pragma once

#include "driftd/detector.h"

namespace driftd::testing {

inline TestResult test_against(Detector& detector, const Sample& reference, const Sample& current) {
  detector.set_reference(reference);
  return detector.test(current);
}

// The same for a detector made for this one question.
inline TestResult test_against(Detector&& detector, const Sample& reference, const Sample& current) {
  return test_against(detector, reference, current);
}

}  // namespace driftd::testing

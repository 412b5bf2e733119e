// driftd_calibration_tests TEST RESULTS_DIR: runs one of the calibration
// tests against the real driftd binary (DRIFTD_BINARY).
#include <cstdio>
#include <exception>
#include <string>

#include "calibration_tests.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s false_alarm_rate|no_alarm|detection RESULTS_DIR\n", argv[0]);
    return 2;
  }
  const std::string test = argv[1], results = argv[2];
  try {
    if (test == "false_alarm_rate") return driftd::calibration::false_alarm_rate(results);
    if (test == "no_alarm") return driftd::calibration::no_alarm(results);
    if (test == "detection") return driftd::calibration::detection(results);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", test.c_str(), e.what());
    return 1;
  }
  std::fprintf(stderr, "unknown test %s\n", test.c_str());
  return 2;
}

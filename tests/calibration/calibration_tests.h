// The calibration tests (config/README.md, `alerting`; issue 15), one per CTest entry; each
// returns the exit status of its test and writes its figures under
// results_dir.
#pragma once

#include <string>

namespace driftd::calibration {

int false_alarm_rate(const std::string& results_dir);
int no_alarm(const std::string& results_dir);
int detection(const std::string& results_dir);

}  // namespace driftd::calibration

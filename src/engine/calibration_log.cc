#include "engine/calibration_log.h"

#include "engine/calibration_summary.h"

namespace driftd {

CalibrationLog::CalibrationLog(const Config& config, const Pipeline& pipeline, std::ostream& out, std::string prefix)
    : config_(config), pipeline_(pipeline), out_(out), prefix_(std::move(prefix)), shown_(config.models.size(), false) {
  for (std::size_t m = 0; m < config.models.size(); ++m) {
    show(m);
    // A from_stream count window's size warning needs no calibration: say it now.
    if (!shown_[m]) {
      const std::string warning = reference_size_warning(config.models[m], std::nullopt);
      if (!warning.empty()) out_ << prefix_ << "warning: " << warning << "\n";
    }
  }
  out_.flush();
}

void CalibrationLog::changed(std::size_t model) {
  // A monitor made anew (reset) has no calibration until its reference is
  // gathered again: the next one is told as it comes.
  if (!pipeline_.monitor(model).calibration()) {
    shown_[model] = false;
    return;
  }
  show(model);
  out_.flush();
}

void CalibrationLog::show(std::size_t model) {
  const ModelConfig& config = config_.models[model];
  const std::optional<Calibration>& calibration = pipeline_.monitor(model).calibration();
  out_ << prefix_ << "model " << config.id << (calibration ? " calibrated" : "") << "\n"
       << decision_summary(config, config_.defaults, calibration, "  ");
  if (calibration) {
    const std::string warning = reference_size_warning(config, calibration);
    if (!warning.empty()) out_ << prefix_ << "warning: " << warning << "\n";
  }
  shown_[model] = calibration.has_value();
}

}  // namespace driftd

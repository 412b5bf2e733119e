#include "engine/calibration_summary.h"

#include "util/format_number.h"
#include "util/show_duration.h"

namespace driftd {
namespace {

// A budget as configured: events for a count window, event time for a time window.
std::string budget(std::uint64_t every, bool by_time) {
  return by_time ? show_duration(Millis(every)) + " of event time" : std::to_string(every) + " events";
}

void append_threshold(std::string& out, const TestThreshold& t, const std::string& indent) {
  out += indent + "  " + t.feature + " " + t.test + ": statistic >= " + format_number("%.6g", t.threshold) +
         " (per evaluation " + format_number("%.3g", t.alpha) + ")\n";
}

}  // namespace

std::string decision_summary(const ModelConfig& model, const Defaults& defaults,
                             const std::optional<Calibration>& calibration, const std::string& indent) {
  if (model.alerting.mode != AlertMode::calibrated) {
    const char* corrections[] = {"none", "bonferroni", "fdr"};
    return indent + "decisions: per window (alerting.mode: per_window): p-values below " +
           format_number("%g", defaults.p_value) + " (" + corrections[int(defaults.correction)] + "), psi at or above " +
           format_number("%g", defaults.psi_threshold) + "\n";
  }
  const bool by_time = model.window.by_time();
  std::string out = indent + "decisions: calibrated for one false alarm every " +
                    budget(false_alarm_every(model), by_time) + " (" +
                    format_number("%.0f", evaluations_per_false_alarm(model)) + " evaluations), shared by all tests\n";
  if (!calibration) {
    // Both need the stream: a stream reference, and a time window's events per window.
    out += indent + "calibration: ";
    if (model.reference.from_stream > 0) {
      out += "when the first " + std::to_string(model.reference.from_stream) + " events of the stream are in" +
             (by_time ? ", at the window's first evaluation after them\n" : "\n");
    } else {
      out += "at the window's first evaluation, for as many events as its window holds\n";
    }
    return out;
  }
  const Calibration& c = *calibration;
  out += indent + "calibration: took " + format_number("%.2f", c.seconds) + " s, on " + std::to_string(c.reference_rows) +
         " reference rows, for " + std::to_string(c.window_events) + " events a window evaluated every " +
         std::to_string(c.step_events) + " events; surprise level " + format_number("%.2f", c.level) + "\n";
  for (const auto& feature : c.features) {
    for (const auto& test : feature) append_threshold(out, test, indent);
  }
  for (const auto& test : c.multivariate) append_threshold(out, test, indent);
  return out;
}

std::string reference_size_warning(const ModelConfig& model, const std::optional<Calibration>& calibration) {
  if (model.alerting.mode != AlertMode::calibrated) return "";
  std::uint64_t rows = 0;
  std::uint64_t window = 0;
  if (calibration) {
    rows = calibration->reference_rows;
    window = calibration->window_events;
  } else if (model.reference.from_stream > 0 && !model.window.by_time()) {
    rows = model.reference.from_stream;
    window = model.window.size;
  }
  if (window == 0 || rows >= kMinReferenceWindows * window) return "";
  return "model " + model.id + ": the reference (" + std::to_string(rows) + " rows) is smaller than " +
         std::to_string(kMinReferenceWindows) + "x the window (" + std::to_string(window) +
         " events): its own sampling error dominates, and false alarms may come more often than every " +
         budget(false_alarm_every(model), model.window.by_time());
}

}  // namespace driftd

#include "daemon/calibration_json.h"

#include "util/json_text.h"

namespace driftd {
namespace {

void append_threshold(std::string& out, const TestThreshold& t) {
  out += "{\"feature\":";
  append_json_string(out, t.feature);
  out += ",\"test\":";
  append_json_string(out, t.test);
  out += ",\"threshold\":";
  append_json_number(out, t.threshold);
  out += ",\"alpha\":";
  append_json_number(out, t.alpha);
  out += '}';
}

}  // namespace

void append_calibration_json(std::string& out, AlertMode mode, const std::optional<Calibration>& calibration) {
  if (mode == AlertMode::per_window) {
    out += "{\"mode\":\"per_window\"}";
    return;
  }
  if (!calibration) {
    out += "null";
    return;
  }
  const Calibration& c = *calibration;
  out += "{\"mode\":\"calibrated\",\"false_alarm_every\":" + std::to_string(c.false_alarm_every) +
         ",\"unit\":" + (c.by_time ? "\"ms\"" : "\"events\"") + ",\"level\":";
  append_json_number(out, c.level);
  out += ",\"seconds\":";
  append_json_number(out, c.seconds);
  out += ",\"window_events\":" + std::to_string(c.window_events) + ",\"step_events\":" + std::to_string(c.step_events) +
         ",\"reference_rows\":" + std::to_string(c.reference_rows) + ",\"tests\":[";
  bool first = true;
  const auto add = [&](const TestThreshold& t) {
    if (!first) out += ',';
    first = false;
    append_threshold(out, t);
  };
  for (const auto& feature : c.features) {
    for (const auto& test : feature) add(test);
  }
  for (const auto& test : c.multivariate) add(test);
  out += "]}";
}

}  // namespace driftd

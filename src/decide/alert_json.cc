#include "driftd/alert.h"
#include "util/json_text.h"

namespace driftd {

namespace {

// Counts and epoch milliseconds are written from their integer types: through
// a double they would lose digits past 2^53 or turn into exponent notation.
void append_window(std::string& out, const WindowInfo& window) {
  out += ",\"window\":{\"count\":" + std::to_string(window.count) + ",\"start_ts\":" + std::to_string(window.start_ts) +
         ",\"end_ts\":" + std::to_string(window.end_ts) + '}';
}

void append_string_array(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, items[i]);
  }
  out += ']';
}

}  // namespace

std::string alert_json(const Alert& alert) {
  std::string out = "{\"schema\":\"driftd.alert.v1\",\"alert_id\":";
  append_json_string(out, alert.alert_id);
  out += ",\"model_id\":";
  append_json_string(out, alert.model_id);
  out += ",\"state\":";
  append_json_string(out, alert.state);
  out += ",\"severity\":";
  append_json_string(out, alert.severity);
  out += ",\"feature\":";
  append_json_string(out, alert.feature);
  out += ",\"test\":";
  append_json_string(out, alert.test);
  out += ",\"statistic\":";
  append_json_number(out, alert.statistic);
  if (alert.p_value) {  // distance tests (psi) have none: the key is left out, not null
    out += ",\"p_value\":";
    append_json_number(out, *alert.p_value);
  }
  out += ",\"threshold\":";
  append_json_number(out, alert.threshold);
  append_window(out, alert.window);
  out += ",\"reference\":{\"rows\":" + std::to_string(alert.reference_rows) + '}';
  if (alert.calibration) {
    out += ",\"calibration\":{\"false_alarm_every\":" + std::to_string(alert.calibration->false_alarm_every) +
           ",\"unit\":" + (alert.calibration->by_time ? "\"ms\"" : "\"events\"") + ",\"alpha\":";
    append_json_number(out, alert.calibration->alpha);
    out += '}';
  }
  out += ",\"evaluated_at\":" + std::to_string(alert.evaluated_at) + '}';
  return out;
}

std::string retrain_json(const RetrainTrigger& trigger) {
  std::string out = "{\"schema\":\"driftd.retrain.v1\",\"trigger_id\":";
  append_json_string(out, trigger.trigger_id);
  out += ",\"model_id\":";
  append_json_string(out, trigger.model_id);
  out += ",\"drifted_features\":";
  append_string_array(out, trigger.drifted_features);
  out += ",\"alert_ids\":";
  append_string_array(out, trigger.alert_ids);
  out += ",\"drifted_share\":";
  append_json_number(out, trigger.drifted_share);
  append_window(out, trigger.window);
  out += ",\"evaluated_at\":" + std::to_string(trigger.evaluated_at) + '}';
  return out;
}

}  // namespace driftd

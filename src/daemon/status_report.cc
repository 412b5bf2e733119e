#include "daemon/status_report.h"

#include <algorithm>

#include "daemon/calibration_json.h"
#include "util/json_text.h"

namespace driftd {

std::string status_json(const StatusFacts& facts) {
  const PipelineCounters& counters = facts.pipeline.counters();
  std::string out = "{\"version\":";
  append_json_string(out, DRIFTD_VERSION);
  out += ",\"ready\":";
  out += facts.ready ? "true" : "false";
  out += ",\"broker_reachable\":";
  out += facts.broker_reachable ? "true" : "false";
  out += ",\"messages\":" + std::to_string(counters.messages);
  out += ",\"replayed\":" + std::to_string(counters.replayed);
  out += ",\"transactions\":" + std::to_string(facts.transactions);
  out += ",\"fetch_wakes\":" + std::to_string(facts.fetch_wakes);
  std::uint64_t invalid = 0;
  for (const auto n : counters.invalid) invalid += n;
  out += ",\"invalid\":" + std::to_string(invalid);
  out += ",\"evaluations\":" + std::to_string(counters.evaluations);
  out += ",\"alerts\":" + std::to_string(counters.alerts);
  out += ",\"retrain_triggers\":" + std::to_string(counters.retrain_triggers);
  out += ",\"models\":[";
  for (std::size_t m = 0; m < facts.pipeline.schemas().size(); ++m) {
    const ModelMonitor& monitor = facts.pipeline.monitor(m);
    if (m > 0) out += ',';
    out += "{\"id\":";
    append_json_string(out, facts.pipeline.schemas()[m].id);
    out += ",\"events\":" + std::to_string(counters.consumed[m]);
    out += ",\"late\":" + std::to_string(counters.late[m]);
    out += ",\"window_events\":" + std::to_string(monitor.window_events());
    out += ",\"overflowed\":" + std::to_string(monitor.overflowed());
    out += ",\"reference_ready\":";
    out += monitor.reference_ready() ? "true" : "false";
    out += ",\"calibration\":";
    append_calibration_json(out, facts.models[m].alerting.mode, monitor.calibration());
    out += ",\"last_evaluation\":";
    if (const auto& last = facts.last_evaluations[m]) {
      out += "{\"window_count\":" + std::to_string(last->window.count);
      out += ",\"start_ts\":" + std::to_string(last->window.start_ts);
      out += ",\"end_ts\":" + std::to_string(last->window.end_ts);
      out += ",\"drift\":";
      out += last->drift ? "true" : "false";
      out += ",\"drifted_share\":";
      append_json_number(out, last->drifted_share);
      out += '}';
    } else {
      out += "null";
    }
    out += '}';
  }
  // Every partition we own, with its lag once librdkafka knows the high watermark.
  out += "],\"partitions\":[";
  bool first = true;
  for (const auto& [id, position] : facts.partitions) {
    if (!first) out += ',';
    first = false;
    out += "{\"topic\":";
    append_json_string(out, id.topic);
    out += ",\"partition\":" + std::to_string(id.partition);
    out += ",\"position\":" + std::to_string(position.next);
    out += ",\"committed\":" + std::to_string(position.committed);
    out += ",\"replaying\":";
    out += position.replaying() ? "true" : "false";
    // How its state came back, and how far the re-reading has come: from
    // read_from (null: the partition's start) through the snapshot's offset
    // (refilling windows) to the committed one (replaying).
    out += ",\"restore\":{\"source\":";
    append_json_string(out, position.restored.empty() ? std::string("none") : position.restored);
    out += ",\"read_from\":" + (position.read_from < 0 ? std::string("null") : std::to_string(position.read_from));
    out += ",\"snapshot_offset\":" +
           (position.refill_until < 0 ? std::string("null") : std::to_string(position.refill_until));
    out += ",\"last_snapshot\":" + (position.snapshot_at < 0 ? std::string("null") : std::to_string(position.snapshot_at));
    out += '}';
    const auto lag = std::find_if(facts.lags.begin(), facts.lags.end(), [&](const PartitionLag& l) { return l.id == id; });
    out += ",\"lag\":" + (lag == facts.lags.end() ? std::string("null") : std::to_string(lag->lag)) + '}';
  }
  out += "]}";
  return out;
}

}  // namespace driftd

#include "daemon/status_report.h"

#include <algorithm>

#include "daemon/calibration_json.h"
#include "labels/label_monitor.h"
#include "labels/performance.h"
#include "util/json_text.h"

namespace driftd {
namespace {

void append_window(std::string& out, const std::optional<LastEvaluation>& last, bool with_share) {
  if (!last) {
    out += "null";
    return;
  }
  out += "{\"window_count\":" + std::to_string(last->window.count);
  out += ",\"start_ts\":" + std::to_string(last->window.start_ts);
  out += ",\"end_ts\":" + std::to_string(last->window.end_ts);
  out += ",\"drift\":";
  out += last->drift ? "true" : "false";
  // A labelled window is one pseudo-feature: its share is its drift again.
  if (with_share) {
    out += ",\"drifted_share\":";
    append_json_number(out, last->drifted_share);
  }
  out += '}';
}

// What a model's ground truth came to (include/driftd/README.md, "HTTP").
void append_labels(std::string& out, const LabelMonitor& labels, std::uint64_t predictions,
                   const std::optional<LastEvaluation>& last) {
  const LabelCounts c = labels.counts();
  out += "{\"task\":";
  append_json_string(out, labels.task() == LabelTask::regression ? "regression" : "classification");
  out += ",\"counts\":{";
  const std::pair<const char*, std::uint64_t> counts[] = {
      {"in_event", c.in_event},    {"joined", c.join.joined},         {"unmatched", c.join.unmatched},
      {"late", c.join.late},       {"duplicate", c.join.duplicate},   {"expired", c.join.expired},
      {"dropped", c.join.dropped}, {"no_prediction", c.no_prediction}};
  bool first = true;
  for (const auto& [outcome, count] : counts) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, outcome);
    out += ':' + std::to_string(count);
  }
  out += "},\"labelled\":" + std::to_string(c.outcomes);
  out += ",\"pending\":" + std::to_string(labels.pending());
  // Labelled predictions over the model's predictions (its events but
  // feedback ones), both restored together from a snapshot.
  out += ",\"coverage\":";
  if (predictions > 0) {
    append_json_number(out, double(c.outcomes) / double(predictions));
  } else {
    out += "null";
  }
  out += ",\"last_lag_ms\":";
  if (const auto lag = labels.last_lag_ms()) {
    out += std::to_string(*lag);
  } else {
    out += "null";
  }
  out += ",\"last_window\":";
  append_window(out, last, false);
  out += ",\"performance\":";
  if (labels.last_metrics().empty()) {
    out += "null";
  } else {
    out += '{';
    for (std::size_t i = 0; i < labels.last_metrics().size(); ++i) {
      const PerformanceMetric& metric = labels.last_metrics()[i];
      if (i > 0) out += ',';
      append_json_string(out, metric.name);
      out += ':';
      append_json_number(out, metric.value);
    }
    out += '}';
  }
  out += ",\"reference_performance\":";
  if (const auto reference = labels.reference_performance()) {
    out += '{';
    append_json_string(out, headline_metric(labels.task()));
    out += ':';
    append_json_number(out, *reference);
    out += '}';
  } else {
    out += "null";
  }
  out += '}';
}

}  // namespace

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
    append_window(out, facts.last_evaluations[m], true);
    if (const LabelMonitor* labels = monitor.labels()) {
      out += ",\"labels\":";
      append_labels(out, *labels, monitor.events(), facts.last_label_evaluations[m]);
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
    out +=
        ",\"last_snapshot\":" + (position.snapshot_at < 0 ? std::string("null") : std::to_string(position.snapshot_at));
    out += '}';
    const auto lag =
        std::find_if(facts.lags.begin(), facts.lags.end(), [&](const PartitionLag& l) { return l.id == id; });
    out += ",\"lag\":" + (lag == facts.lags.end() ? std::string("null") : std::to_string(lag->lag)) + '}';
  }
  out += "]}";
  return out;
}

}  // namespace driftd

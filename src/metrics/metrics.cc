#include "metrics/metrics.h"

#include <algorithm>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "detector_registry.h"
#include "driftd/calibration.h"
#include "engine/model_monitor.h"

namespace driftd {
namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

// From a cheap categorical test (~10 µs) to an MMD over thousands of points (seconds).
const Histogram::BucketBoundaries kEvaluationBuckets = {
    1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
};

bool has_p_value(const std::string& test) {
  const DetectorInfo* info = find_detector(test);
  return info != nullptr && info->kind == TestKind::p_value;
}

// Every configured test name, for the histogram's series.
std::vector<std::string> test_names(const Config& config) {
  std::vector<std::string> names;
  const auto add = [&](const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  for (const auto& model : config.models) {
    for (const auto& feature : model.features) std::for_each(feature.tests.begin(), feature.tests.end(), add);
    if (model.prediction) std::for_each(model.prediction->tests.begin(), model.prediction->tests.end(), add);
    for (const auto& mv : model.multivariate) add(mv.test);
  }
  return names;
}

}  // namespace

struct Metrics::Families {
  Family<Counter>& consumed;
  Family<Counter>& late;
  Family<Counter>& overflowed;
  Family<Counter>& evaluations;
  Family<Counter>& alerts;
  Family<Counter>& retrain_triggers;
  Family<Gauge>& drifted_share;
  Family<Gauge>& drift;
  Family<Gauge>& last_evaluation;
  Family<Gauge>& window_events;
  Family<Gauge>& detected;
  Family<Counter>& labels;
  Family<Gauge>& labels_pending;
  Family<Gauge>& label_lag;
};

Metrics::Metrics(const std::vector<ModelSchema>& schemas, const Config& config)
    : registry_(std::make_shared<prometheus::Registry>()) {
  prometheus::Registry& r = *registry_;

  const auto counter = [&](const char* name, const char* help) -> Family<Counter>& {
    return prometheus::BuildCounter().Name(name).Help(help).Register(r);
  };
  const auto gauge = [&](const char* name, const char* help) -> Family<Gauge>& {
    return prometheus::BuildGauge().Name(name).Help(help).Register(r);
  };

  auto& invalid = counter("driftd_events_invalid_total",
                          "Messages that were not valid events, by reason; they are skipped (and dead-lettered when "
                          "configured).");
  invalid_.assign(kInvalidReasons, nullptr);
  for (std::size_t r = 1; r < kInvalidReasons; ++r) {  // every reason but none
    invalid_[r] = &invalid.Add({{"reason", std::string(reason_name(InvalidReason(r)))}});
  }
  dead_lettered_ = &counter("driftd_dead_lettered_total", "Invalid messages copied to the dead-letter topic.").Add({});
  dead_letters_truncated_ = &counter("driftd_dead_letters_truncated_total",
                                     "Dead letters cut to the producer's message.max.bytes (header driftd-truncated "
                                     "holds the original length).")
                                 .Add({});
  dead_letters_failed_ = &counter("driftd_dead_letters_failed_total",
                                  "Invalid messages whose dead letter could not be written; they stay on their "
                                  "input topic, and consuming goes on.")
                              .Add({});
  replayed_ = &counter("driftd_events_replayed_total",
                       "Messages re-read from before the committed offset to rebuild windows, from a state "
                       "snapshot's replay-from offset or from the partition's start (not counted as consumed).")
                   .Add({});
  duplicates_suppressed_ =
      &counter("driftd_outputs_suppressed_total",
               "Alerts, retrain triggers and dead letters not sent again: already on their topics.")
           .Add({});
  delivery_errors_ = &counter("driftd_kafka_delivery_errors_total",
                              "Messages (alerts, retrain triggers, dead letters) Kafka failed to deliver.")
                          .Add({});
  snapshots_written_ = &counter("driftd_state_snapshots_written_total",
                                "State snapshots written to the state topic (one per input partition that moved on, "
                                "at each checkpoint).")
                            .Add({});
  snapshot_bytes_ = &counter("driftd_state_snapshot_bytes_total", "Bytes of the state snapshots written.").Add({});
  last_snapshot_bytes_ = &gauge("driftd_state_last_checkpoint_bytes",
                                "Bytes of the state snapshots written at the last checkpoint that wrote any.")
                              .Add({});
  snapshots_failed_ = &counter("driftd_state_snapshots_failed_total",
                               "State snapshots that could not be written (too large, refused); a restart then "
                               "reads more of the log, exactly.")
                           .Add({});
  models_started_fresh_ = &counter("driftd_state_models_started_fresh_total",
                                   "Models whose snapshot belonged to another configuration or reference: started "
                                   "afresh.")
                               .Add({});
  state_restores_family_ = &counter("driftd_state_restores_total",
                                    "Input partitions moved in, by how their state came back: result=\"snapshot\" "
                                    "(\"snapshot_truncated\" when retention had deleted part of its windows), or the "
                                    "reason they were read from their start (no_snapshot, unreadable, corrupt, "
                                    "other_format, foreign).");
  ready_ = &gauge("driftd_ready", "1 when driftd is consuming and caught up (what /readyz reports), else 0.").Add({});
  gauge("driftd_build_info", "Always 1; the version label tells which driftd is running.")
      .Add({{"version", DRIFTD_VERSION}})
      .Set(1);
  consumer_lag_family_ =
      &gauge("driftd_consumer_lag", "Messages between our position and the end of each assigned input partition.");
  statistic_family_ = &gauge("driftd_drift_statistic", "The statistic of a drift test at its last successful evaluation.");
  p_value_family_ = &gauge("driftd_drift_p_value",
                           "The p-value of a drift test at its last successful evaluation (p-value tests only).");
  threshold_family_ = &gauge("driftd_test_threshold",
                             "The calibrated threshold of a drift test, on its statistic: it drifts when "
                             "driftd_drift_statistic reaches it (alerting.mode calibrated only).");
  calibration_seconds_family_ = &gauge("driftd_calibration_seconds",
                                       "Wall time the model's last calibration of its thresholds took.");
  evaluation_seconds_family_ = &prometheus::BuildHistogram()
                                    .Name("driftd_evaluation_seconds")
                                    .Help("Time one drift test took in one evaluation, by test.")
                                    .Register(r);
  for (const auto& test : test_names(config)) evaluation_histogram(test);

  const Families families{
      .consumed = counter("driftd_events_consumed_total", "Valid events routed to a model."),
      .late = counter("driftd_events_late_total",
                      "Events dropped because they arrived after their time window was evaluated."),
      .overflowed = counter("driftd_values_overflowed_total",
                            "Values past a bound, counted but not stored apart: categories past the 1,000th of a "
                            "column (they share one category), events a time window let go early at max_events."),
      .evaluations = counter("driftd_evaluations_total", "Evaluations of a model's current window."),
      .alerts = counter("driftd_alerts_total",
                        "Drift alerts that fired, by severity (critical when the whole model drifted)."),
      .retrain_triggers = counter("driftd_retrain_triggers_total", "Retraining triggers sent."),
      .drifted_share =
          gauge("driftd_model_drifted_share", "Share of the model's features that drifted at the last evaluation."),
      .drift = gauge("driftd_model_drift", "1 when the model drifted as a whole at the last evaluation, else 0."),
      .last_evaluation =
          gauge("driftd_last_evaluation_timestamp_seconds",
                "Event time of the end of the last evaluated window, in Unix seconds (0: never evaluated)."),
      .window_events = gauge("driftd_window_events", "Events in the model's current window."),
      .detected = gauge("driftd_drift_detected",
                        "1 when a drift test detected drift at its last successful evaluation, else 0."),
      .labels = counter("driftd_labels_total",
                        "Ground truth of models with labels, by outcome: in_event counts every label that came in "
                        "its event, no_prediction those of them without a prediction; joined feedback labels found "
                        "their prediction, unmatched, late and duplicate ones did not; expired and dropped "
                        "predictions were let go unlabelled."),
      .labels_pending = gauge("driftd_labels_pending", "Predictions waiting for their feedback label."),
      .label_lag = gauge("driftd_label_lag_seconds",
                         "Event time between the last joined feedback label and its prediction."),
  };
  performance_family_ = &gauge("driftd_model_performance",
                               "The model's performance over its last window of labelled events, by metric "
                               "(accuracy, error_rate, precision, recall, f1; mae, rmse).");
  reference_performance_family_ = &gauge("driftd_reference_performance",
                                         "The performance of the reference's own labels, on the metric the "
                                         "performance test compares (accuracy, or mae).");
  for (std::size_t m = 0; m < schemas.size() && m < config.models.size(); ++m) {
    add_model(families, schemas[m], config.models[m]);
  }
}

Metrics::~Metrics() = default;

void Metrics::add_model(const Families& f, const ModelSchema& schema, const ModelConfig& model) {
  const prometheus::Labels labels{{"model", schema.id}};
  ModelSeries& s = models_.emplace_back();
  s.id = schema.id;
  s.consumed = &f.consumed.Add(labels);
  s.late = &f.late.Add(labels);
  s.overflowed = &f.overflowed.Add(labels);
  s.evaluations = &f.evaluations.Add(labels);
  s.alerts_warning = &f.alerts.Add({{"model", schema.id}, {"severity", "warning"}});
  s.alerts_critical = &f.alerts.Add({{"model", schema.id}, {"severity", "critical"}});
  s.retrain_triggers = &f.retrain_triggers.Add(labels);
  s.drifted_share = &f.drifted_share.Add(labels);
  s.drift = &f.drift.Add(labels);
  s.last_evaluation = &f.last_evaluation.Add(labels);
  s.window_events = &f.window_events.Add(labels);

  for (std::size_t c = 0; c < schema.columns.size(); ++c) {
    const ColumnSchema& column = schema.columns[c];
    const FeatureConfig* feature = nullptr;
    if (column.is_prediction) {
      feature = model.prediction ? &*model.prediction : nullptr;
    } else if (c < model.features.size()) {
      feature = &model.features[c];
    }
    auto& tests = s.columns.emplace_back();
    if (feature == nullptr) continue;
    for (const auto& test : feature->tests) tests.push_back(make_test_series(f, schema.id, column.name, test));
  }
  for (const auto& mv : model.multivariate) {
    s.multivariate.push_back(make_test_series(f, schema.id, joined_features(mv.features), mv.test));
  }
  if (model.labels) {
    if (model.labels->max_drop) s.label_tests.push_back(make_test_series(f, schema.id, "label", "performance"));
    for (const auto& name : model.labels->detectors) s.label_tests.push_back(make_test_series(f, schema.id, "label", name));
    for (const char* outcome :
         {"in_event", "joined", "unmatched", "late", "duplicate", "expired", "dropped", "no_prediction"}) {
      s.labels.emplace(outcome, &f.labels.Add({{"model", schema.id}, {"outcome", outcome}}));
    }
    s.labels_pending = &f.labels_pending.Add(labels);
    s.label_lag = &f.label_lag.Add(labels);
  }
}

void Metrics::add_labels(std::size_t model, std::string_view outcome, std::uint64_t n) {
  if (model >= models_.size()) return;
  const auto found = models_[model].labels.find(outcome);
  if (found != models_[model].labels.end()) found->second->Increment(static_cast<double>(n));
}

void Metrics::set_labels_pending(std::size_t model, std::uint64_t n) {
  if (model < models_.size() && models_[model].labels_pending) models_[model].labels_pending->Set(double(n));
}

void Metrics::set_label_lag(std::size_t model, double seconds) {
  if (model < models_.size() && models_[model].label_lag) models_[model].label_lag->Set(seconds);
}

void Metrics::set_reference_performance(std::size_t model, std::string_view metric, double value) {
  if (model >= models_.size()) return;
  reference_performance_family_->Add({{"model", models_[model].id}, {"metric", std::string(metric)}}).Set(value);
}

void Metrics::record_labelled(ModelSeries& s, const EvaluationReport& report) {
  const Evaluation& evaluation = report.evaluation;
  if (!evaluation.features.empty()) {
    const auto& results = evaluation.features[0].tests;
    for (std::size_t t = 0; t < results.size() && t < s.label_tests.size(); ++t) {
      const bool drift = !report.decision.tests.empty() && t < report.decision.tests[0].size() &&
                         report.decision.tests[0][t].drift;
      record_test(s.id, s.label_tests[t], results[t], drift);
    }
  }
  for (const PerformanceMetric& metric : report.performance) {
    auto found = s.performance.find(metric.name);
    if (found == s.performance.end()) {
      prometheus::Gauge* gauge = &performance_family_->Add({{"model", s.id}, {"metric", std::string(metric.name)}});
      found = s.performance.emplace(std::string(metric.name), gauge).first;
    }
    found->second->Set(metric.value);
  }
}

Metrics::TestSeries Metrics::make_test_series(const Families& f, const std::string& model, std::string feature,
                                              const std::string& test) {
  TestSeries series{.feature = std::move(feature), .test = test, .has_p_value = has_p_value(test)};
  series.detected = &f.detected.Add({{"model", model}, {"feature", series.feature}, {"test", test}});
  return series;
}

Histogram* Metrics::evaluation_histogram(std::string_view test) {
  const auto it = evaluation_seconds_.find(test);
  if (it != evaluation_seconds_.end()) return it->second;
  Histogram* histogram = &evaluation_seconds_family_->Add({{"test", std::string(test)}}, kEvaluationBuckets);
  evaluation_seconds_.emplace(std::string(test), histogram);
  return histogram;
}

void Metrics::add_consumed(std::size_t model, std::uint64_t n) {
  if (model < models_.size()) models_[model].consumed->Increment(static_cast<double>(n));
}

void Metrics::add_invalid(InvalidReason reason, std::uint64_t n) {
  const auto index = static_cast<std::size_t>(reason);
  if (index < invalid_.size() && invalid_[index] != nullptr) invalid_[index]->Increment(static_cast<double>(n));
}

void Metrics::add_overflowed(std::size_t model, std::uint64_t n) {
  if (model < models_.size()) models_[model].overflowed->Increment(static_cast<double>(n));
}

void Metrics::add_late(std::size_t model, std::uint64_t n) {
  if (model < models_.size()) models_[model].late->Increment(static_cast<double>(n));
}

void Metrics::add_dead_lettered(std::uint64_t n) { dead_lettered_->Increment(static_cast<double>(n)); }
void Metrics::add_dead_letters_truncated(std::uint64_t n) { dead_letters_truncated_->Increment(static_cast<double>(n)); }
void Metrics::add_dead_letters_failed(std::uint64_t n) { dead_letters_failed_->Increment(static_cast<double>(n)); }
void Metrics::add_replayed(std::uint64_t n) { replayed_->Increment(static_cast<double>(n)); }
void Metrics::add_duplicates_suppressed(std::uint64_t n) { duplicates_suppressed_->Increment(static_cast<double>(n)); }

void Metrics::record_test(const std::string& model, TestSeries& series, const TestResult& result, bool drift) {
  if (!result.ok() || result.test != series.test) return;
  const prometheus::Labels labels{{"model", model}, {"feature", series.feature}, {"test", series.test}};
  if (series.statistic == nullptr) series.statistic = &statistic_family_->Add(labels);
  series.statistic->Set(result.statistic);
  if (series.has_p_value && result.p_value) {
    if (series.p_value == nullptr) series.p_value = &p_value_family_->Add(labels);
    series.p_value->Set(*result.p_value);
  }
  series.detected->Set(drift ? 1.0 : 0.0);
}

void Metrics::record(const EvaluationReport& report) {
  if (report.schema == nullptr) return;
  const auto it =
      std::find_if(models_.begin(), models_.end(), [&](const ModelSeries& s) { return s.id == report.schema->id; });
  if (it == models_.end()) return;
  ModelSeries& s = *it;
  if (report.labelled_window) {
    // Its own series: the feature gauges (drifted share, model drift,
    // window events) are the feature windows'.
    record_labelled(s, report);
  } else {
    record_features(s, report);
  }
  for (const Alert& alert : report.output.alerts) {
    if (alert.state != "firing") continue;
    (alert.severity == "critical" ? s.alerts_critical : s.alerts_warning)->Increment();
  }
  if (report.output.retrain) s.retrain_triggers->Increment();
}

void Metrics::record_features(ModelSeries& s, const EvaluationReport& report) {
  const Evaluation& evaluation = report.evaluation;
  const Decision& decision = report.decision;
  for (std::size_t c = 0; c < evaluation.features.size() && c < s.columns.size(); ++c) {
    const auto& results = evaluation.features[c].tests;
    for (std::size_t t = 0; t < results.size() && t < s.columns[c].size(); ++t) {
      const bool drift = c < decision.tests.size() && t < decision.tests[c].size() && decision.tests[c][t].drift;
      record_test(s.id, s.columns[c][t], results[t], drift);
    }
  }
  for (std::size_t i = 0; i < evaluation.multivariate.size() && i < s.multivariate.size(); ++i) {
    const bool drift = i < decision.multivariate.size() && decision.multivariate[i].drift;
    record_test(s.id, s.multivariate[i], evaluation.multivariate[i].test, drift);
  }

  s.drifted_share->Set(decision.drifted_share);
  s.drift->Set(decision.drift ? 1.0 : 0.0);
  s.evaluations->Increment();
  s.last_evaluation->Set(static_cast<double>(report.window.end_ts) / 1000.0);
  s.window_events->Set(static_cast<double>(report.window.count));
  for (const TestTiming& timing : report.timings) evaluation_histogram(timing.test)->Observe(timing.seconds);
}

void Metrics::set_window_events(std::size_t model, std::uint64_t n) {
  if (model < models_.size()) models_[model].window_events->Set(static_cast<double>(n));
}

void Metrics::set_threshold(const std::string& model, TestSeries& series, double threshold) {
  if (series.threshold == nullptr) {
    series.threshold = &threshold_family_->Add({{"model", model}, {"feature", series.feature}, {"test", series.test}});
  }
  series.threshold->Set(threshold);
}

void Metrics::set_calibration(std::size_t model, const Calibration& calibration) {
  if (model >= models_.size()) return;
  ModelSeries& s = models_[model];
  // The calibration lists its tests in evaluation order, as the series are.
  for (std::size_t c = 0; c < calibration.features.size() && c < s.columns.size(); ++c) {
    for (std::size_t t = 0; t < calibration.features[c].size() && t < s.columns[c].size(); ++t) {
      set_threshold(s.id, s.columns[c][t], calibration.features[c][t].threshold);
    }
  }
  for (std::size_t i = 0; i < calibration.multivariate.size() && i < s.multivariate.size(); ++i) {
    set_threshold(s.id, s.multivariate[i], calibration.multivariate[i].threshold);
  }
  if (s.calibration_seconds == nullptr) s.calibration_seconds = &calibration_seconds_family_->Add({{"model", s.id}});
  s.calibration_seconds->Set(calibration.seconds);
}

void Metrics::set_consumer_lag(const std::string& topic, std::int32_t partition, std::int64_t lag) {
  auto [it, inserted] = consumer_lag_.try_emplace({topic, partition}, nullptr);
  if (inserted) it->second = &consumer_lag_family_->Add({{"topic", topic}, {"partition", std::to_string(partition)}});
  it->second->Set(static_cast<double>(lag));
}

void Metrics::remove_consumer_lag(const std::string& topic, std::int32_t partition) {
  const auto it = consumer_lag_.find({topic, partition});
  if (it == consumer_lag_.end()) return;
  consumer_lag_family_->Remove(it->second);
  consumer_lag_.erase(it);
}

void Metrics::add_delivery_errors(std::uint64_t n) { delivery_errors_->Increment(static_cast<double>(n)); }

void Metrics::add_snapshots_written(std::uint64_t n, std::uint64_t bytes) {
  snapshots_written_->Increment(static_cast<double>(n));
  snapshot_bytes_->Increment(static_cast<double>(bytes));
  if (n > 0) last_snapshot_bytes_->Set(static_cast<double>(bytes));
}

void Metrics::add_snapshots_failed(std::uint64_t n) { snapshots_failed_->Increment(static_cast<double>(n)); }

void Metrics::add_state_restore(const std::string& result) {
  state_restores_family_->Add({{"result", result}}).Increment();
}

void Metrics::add_models_started_fresh(std::uint64_t n) { models_started_fresh_->Increment(static_cast<double>(n)); }

void Metrics::set_ready(bool ready) { ready_->Set(ready ? 1.0 : 0.0); }

std::string Metrics::text() const { return prometheus::TextSerializer().Serialize(registry_->Collect()); }

}  // namespace driftd

// driftd's Prometheus metrics (include/driftd/README.md, "Metrics"): the only place that knows
// prometheus-cpp. Names and labels are a contract with dashboards and alert
// rules in deploy/; change them only together.
//
// Label sets are bounded by the configuration: every model, feature and test
// series is created up front, except driftd_drift_statistic and
// driftd_drift_p_value, which appear at a test's first successful
// evaluation. Before that there is no true value to show: 0 would read as a
// p-value of certain drift, and NaN breaks comparisons in alert rules.
// Likewise driftd_test_threshold and driftd_calibration_seconds appear when a
// model in calibrated mode is calibrated.
// driftd_consumer_lag follows the partitions assigned to us.
//
// Threads: the update methods are meant to be called from one thread (the
// event loop); text() and registry() may be used from any thread, since
// prometheus-cpp synchronises collection.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "driftd/config.h"
#include "driftd/event.h"

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace driftd {

struct Calibration;
struct EvaluationReport;
struct TestResult;

class Metrics {
 public:
  // The Content-Type of text().
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

  // `schemas` are model_schemas(config): model indexes below refer to them.
  // Names are copied; neither argument needs to outlive the Metrics.
  Metrics(const std::vector<ModelSchema>& schemas, const Config& config);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Per-event counters; `model` indexes the schemas. Out-of-range indexes are ignored.
  void add_consumed(std::size_t model, std::uint64_t n);
  void add_invalid(InvalidReason reason, std::uint64_t n = 1);
  void add_late(std::size_t model, std::uint64_t n);
  // Values past a memory bound (categories, time-window max_events): counted, not stored apart.
  void add_overflowed(std::size_t model, std::uint64_t n);
  void add_dead_lettered(std::uint64_t n);
  // Dead letters cut to fit the producer's message.max.bytes, and those that could not be written at all.
  void add_dead_letters_truncated(std::uint64_t n);
  void add_dead_letters_failed(std::uint64_t n);
  // Messages re-read to rebuild windows after a restart or a partition move.
  void add_replayed(std::uint64_t n);
  // Outputs not sent because the output topics already held them.
  void add_duplicates_suppressed(std::uint64_t n);

  // One evaluation: drift gauges, alerts, retrain triggers, detector timings.
  // A test that could not run leaves its gauges as they were; a report of a
  // model that is not configured is ignored.
  void record(const EvaluationReport& report);

  void set_window_events(std::size_t model, std::uint64_t n);

  // Ground truth of a model with `labels`: labels by outcome (in_event,
  // joined, unmatched, late, duplicate, expired, dropped, no_prediction),
  // predictions waiting, the lag of the last joined label, the reference's
  // headline performance.
  void add_labels(std::size_t model, std::string_view outcome, std::uint64_t n);
  void set_labels_pending(std::size_t model, std::uint64_t n);
  void set_label_lag(std::size_t model, double seconds);
  void set_reference_performance(std::size_t model, std::string_view metric, double value);

  // A model's calibration: each test's statistic threshold
  // (driftd_test_threshold, beside driftd_drift_statistic) and the time it
  // took (driftd_calibration_seconds).
  void set_calibration(std::size_t model, const Calibration& calibration);

  // Kafka: lag per assigned partition (removed on revocation), delivery errors.
  void set_consumer_lag(const std::string& topic, std::int32_t partition, std::int64_t lag);
  void remove_consumer_lag(const std::string& topic, std::int32_t partition);
  void add_delivery_errors(std::uint64_t n);

  void set_ready(bool ready);

  // State snapshots (include/driftd/README.md, "State snapshots"): written
  // (with their bytes), failed; and per partition moved in, how its state
  // came back: "snapshot", or the reason it was read from its start.
  void add_snapshots_written(std::uint64_t n, std::uint64_t bytes);
  void add_snapshots_failed(std::uint64_t n);
  void add_state_restore(const std::string& result);
  // A model whose snapshot belonged to another configuration, started afresh.
  void add_models_started_fresh(std::uint64_t n);

  // The Prometheus text exposition of every metric.
  std::string text() const;

  const std::shared_ptr<prometheus::Registry>& registry() const { return registry_; }

 private:
  // The series of one (feature, test) of a model.
  struct TestSeries {
    std::string feature;  // a multivariate test's features joined by '+'
    std::string test;
    bool has_p_value = false;
    prometheus::Gauge* detected = nullptr;
    prometheus::Gauge* statistic = nullptr;  // created at the first successful run
    prometheus::Gauge* p_value = nullptr;    // likewise, p-value tests only
    prometheus::Gauge* threshold = nullptr;  // created at the model's first calibration
  };

  struct ModelSeries {
    std::string id;
    prometheus::Counter* consumed = nullptr;
    prometheus::Counter* late = nullptr;
    prometheus::Counter* overflowed = nullptr;
    prometheus::Counter* evaluations = nullptr;
    prometheus::Counter* alerts_warning = nullptr;
    prometheus::Counter* alerts_critical = nullptr;
    prometheus::Counter* retrain_triggers = nullptr;
    prometheus::Gauge* drifted_share = nullptr;
    prometheus::Gauge* drift = nullptr;
    prometheus::Gauge* last_evaluation = nullptr;
    prometheus::Gauge* window_events = nullptr;
    prometheus::Gauge* calibration_seconds = nullptr;  // created at the model's first calibration
    std::vector<std::vector<TestSeries>> columns;  // [column][test], as in the schema
    std::vector<TestSeries> multivariate;
    // Models with `labels`: the labelled window's tests (performance, then the detectors).
    std::vector<TestSeries> label_tests;
    std::map<std::string, prometheus::Counter*, std::less<>> labels;  // by outcome
    std::map<std::string, prometheus::Gauge*, std::less<>> performance;  // by metric, at the first evaluation
    prometheus::Gauge* labels_pending = nullptr;
    prometheus::Gauge* label_lag = nullptr;
  };

  struct Families;  // the per-model families, registered once
  void add_model(const Families& families, const ModelSchema& schema, const ModelConfig& model);
  static TestSeries make_test_series(const Families& families, const std::string& model, std::string feature,
                                     const std::string& test);
  void record_test(const std::string& model, TestSeries& series, const TestResult& result, bool drift);
  void record_labelled(ModelSeries& series, const EvaluationReport& report);
  void record_features(ModelSeries& series, const EvaluationReport& report);
  void set_threshold(const std::string& model, TestSeries& series, double threshold);
  prometheus::Histogram* evaluation_histogram(std::string_view test);

  std::shared_ptr<prometheus::Registry> registry_;

  prometheus::Family<prometheus::Gauge>* statistic_family_ = nullptr;
  prometheus::Family<prometheus::Gauge>* p_value_family_ = nullptr;
  prometheus::Family<prometheus::Gauge>* threshold_family_ = nullptr;
  prometheus::Family<prometheus::Gauge>* calibration_seconds_family_ = nullptr;
  prometheus::Family<prometheus::Gauge>* consumer_lag_family_ = nullptr;
  prometheus::Family<prometheus::Histogram>* evaluation_seconds_family_ = nullptr;

  std::vector<ModelSeries> models_;
  prometheus::Family<prometheus::Gauge>* performance_family_ = nullptr;
  prometheus::Family<prometheus::Gauge>* reference_performance_family_ = nullptr;
  std::vector<prometheus::Counter*> invalid_;  // by InvalidReason
  prometheus::Counter* dead_lettered_ = nullptr;
  prometheus::Counter* dead_letters_truncated_ = nullptr;
  prometheus::Counter* dead_letters_failed_ = nullptr;
  prometheus::Counter* replayed_ = nullptr;
  prometheus::Counter* duplicates_suppressed_ = nullptr;
  prometheus::Counter* delivery_errors_ = nullptr;
  prometheus::Gauge* ready_ = nullptr;
  prometheus::Counter* snapshots_written_ = nullptr;
  prometheus::Counter* snapshot_bytes_ = nullptr;
  prometheus::Gauge* last_snapshot_bytes_ = nullptr;
  prometheus::Counter* snapshots_failed_ = nullptr;
  prometheus::Counter* models_started_fresh_ = nullptr;
  prometheus::Family<prometheus::Counter>* state_restores_family_ = nullptr;
  std::map<std::string, prometheus::Histogram*, std::less<>> evaluation_seconds_;  // by test
  std::map<std::pair<std::string, std::int32_t>, prometheus::Gauge*> consumer_lag_;
};

}  // namespace driftd

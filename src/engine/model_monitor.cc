#include "engine/model_monitor.h"

#include <chrono>
#include <cmath>
#include <limits>

#include "calibrate/calibrator.h"
#include "config/test_params.h"
#include "detector_registry.h"

namespace driftd {
namespace {

TestResult timed(Detector& detector, const Sample& current, EvaluationReport& report) {
  const auto start = std::chrono::steady_clock::now();
  TestResult result = detector.test(current);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  report.timings.push_back({detector.name(), took.count()});
  return result;
}

}  // namespace

ModelMonitor::ModelMonitor(const ModelSchema& schema, const ModelConfig& model, const Defaults& defaults,
                           std::optional<ReferenceData> reference, std::optional<Calibration> calibrated)
    : schema_(schema),
      model_(model),
      defaults_(defaults),
      policy_(defaults.policy()),
      calibration_(std::move(calibrated)),
      alerts_(model.id, model.alerting, model.retrain, reference ? reference->rows : 0) {
  TestParams params = test_params(defaults, seeds::kEngine);
  params.p_value = model.alerting.mode != AlertMode::statistics_only;
  categorical_told_.resize(schema.columns.size());
  for (std::size_t c = 0; c < schema.columns.size(); ++c) {
    auto& tests = detectors_.emplace_back();
    for (const auto& name : model.column_config(c).tests) tests.push_back(make_detector(name, params));
  }
  for (const auto& config : model.multivariate) {
    TestParams multivariate = test_params(defaults, config, seeds::kEngine);
    // A calibrated threshold is on the statistic: no permutations to pay for.
    if (model.alerting.mode != AlertMode::per_window) multivariate.p_value = false;
    multivariate_.push_back(make_detector(config.test, multivariate));
  }
  if (reference) {
    start_windows(*reference);
  } else {
    gathering_.emplace();
    gathering_->numbers.resize(schema.columns.size());
    gathering_->texts.resize(schema.columns.size());
  }
}

void ModelMonitor::start_windows(const ReferenceData& reference) {
  profile_.emplace(prepare_reference(reference, schema_, model_, defaults_, kMaxCategories, seeds::kEngine));
  window_.emplace(schema_, *profile_, model_.window);
  alerts_.set_reference_rows(reference.rows);
  // The detectors view the profile, which stays put from here on. A
  // categorical reference grows with the window's dictionary: evaluate()
  // tells it again then.
  for (std::size_t c = 0; c < schema_.columns.size(); ++c) {
    Sample sample;
    if (profile_->numeric[c]) {
      sample = profile_->numeric[c]->sample();
    } else {
      categorical_told_[c] = profile_->categorical[c]->counts;
      sample = CategoricalSample{categorical_told_[c]};
    }
    for (const auto& detector : detectors_[c]) detector->set_reference(sample);
  }
  for (std::size_t i = 0; i < multivariate_.size(); ++i) {
    const MultivariateReference& ref = profile_->multivariate[i];
    multivariate_[i]->set_reference(PointSample{ref.points, ref.columns.size()});
  }
  if (model_.alerting.mode != AlertMode::calibrated || calibration_) {
    // (statistics_only: the calibration's null streams, which decide nothing.)
    if (calibration_) alerts_.set_calibration(*calibration_);
    return;
  }
  if (model_.window.by_time()) {
    calibration_source_ = reference;
  } else {
    calibrate_for(reference, model_.window.size, model_.window.step);
  }
}

void ModelMonitor::calibrate_for(const ReferenceData& reference, std::size_t window_events, std::size_t step_events) {
  calibration_ = calibrate(schema_, model_, defaults_, reference, *profile_, window_events, step_events);
  alerts_.set_calibration(*calibration_);
}

void ModelMonitor::gather_reference(const DecodedEvent& event) {
  for (std::size_t c = 0; c < schema_.columns.size(); ++c) {
    const ColumnValue& value = event.values[c];
    if (schema_.columns[c].type == FeatureType::numeric) {
      gathering_->numbers[c].push_back(value.missing ? std::numeric_limits<double>::quiet_NaN() : value.number);
    } else if (value.missing) {
      gathering_->texts[c].emplace_back(std::nullopt);
    } else {
      gathering_->texts[c].emplace_back(std::string(value.text));
    }
  }
  if (++gathering_->rows == model_.reference.from_stream) {
    start_windows(*gathering_);
    gathering_.reset();
  }
}

bool ModelMonitor::on_event(const DecodedEvent& event, std::vector<EvaluationReport>& reports) {
  ++sequence_;
  if (gathering_) {
    gather_reference(event);
    return true;
  }
  for (const std::int64_t boundary : window_->boundaries_closed_by(event.ts_ms)) {
    window_->close_boundary(boundary);
    if (window_->size() > 0) reports.push_back(evaluate());
  }
  if (!window_->add(event, sequence_)) return false;
  // Only a time window waits for a full window before it calibrates.
  if (model_.window.by_time() && (!first_event_ts_ || event.ts_ms < *first_event_ts_)) first_event_ts_ = event.ts_ms;
  if (window_->due()) {
    reports.push_back(evaluate());
    window_->mark_evaluated();
  }
  return true;
}

std::uint64_t ModelMonitor::overflowed() const {
  if (!profile_) return 0;
  std::uint64_t total = window_->overflowed();
  for (const auto& column : profile_->categorical) {
    if (column) total += column->dictionary.overflowed();
  }
  return total;
}

EvaluationReport ModelMonitor::evaluate() {
  EvaluationReport report;
  report.schema = &schema_;
  report.window = window_->info();
  for (std::size_t c = 0; c < schema_.columns.size(); ++c) {
    const ColumnSchema& column = schema_.columns[c];
    FeatureEvaluation feature{.name = column.name,
                              .categorical = column.type == FeatureType::categorical,
                              .missing = window_->missing(c)};
    if (column.type == FeatureType::numeric) {
      const GridSample current = window_->numeric_sample(c);
      for (const auto& detector : detectors_[c]) feature.tests.push_back(timed(*detector, current, report));
    } else {
      const auto [reference, current] = window_->categorical_samples(c);
      std::span<const std::uint64_t>& told = categorical_told_[c];
      if (reference.counts.data() != told.data() || reference.counts.size() != told.size()) {
        for (const auto& detector : detectors_[c]) detector->set_reference(reference);
        told = reference.counts;
      }
      for (const auto& detector : detectors_[c]) feature.tests.push_back(timed(*detector, current, report));
    }
    report.evaluation.features.push_back(std::move(feature));
  }
  for (std::size_t i = 0; i < multivariate_.size(); ++i) {
    const MultivariateReference& ref = profile_->multivariate[i];
    const std::vector<double> current = window_->points(ref, seeds::kEngine ^ report.window.end_sequence);
    report.evaluation.multivariate.push_back(
        {.features = model_.multivariate[i].features,
         .test = timed(*multivariate_[i], PointSample{current, ref.columns.size()}, report)});
  }
  if (model_.alerting.mode == AlertMode::calibrated) {
    // A time window is calibrated for as many events as its first full
    // window holds (the event rate is assumed to stay about the same);
    // the partial windows before it decide nothing.
    const bool full = first_event_ts_ && *first_event_ts_ <= report.window.start_ts + 1;
    if (!calibration_ && full) {
      const std::size_t events = std::max<std::size_t>(window_->size(), 2);
      const double steps = double(model_.window.duration.count()) / double(model_.window.step_duration.count());
      calibrate_for(*calibration_source_, events, std::max<std::size_t>(1, std::size_t(std::llround(double(events) / steps))));
      calibration_source_.reset();
    }
    report.decision = calibration_ ? decide_calibrated(report.evaluation, *calibration_, policy_.dataset_drift_share)
                                   : decide_nothing(report.evaluation);
  } else if (model_.alerting.mode == AlertMode::per_window) {
    report.decision = decide(report.evaluation, policy_);
  } else {
    return report;  // statistics_only: the calibration reads the statistics alone
  }
  report.output = alerts_.on_evaluation(report.evaluation, report.decision, report.window);
  return report;
}

}  // namespace driftd

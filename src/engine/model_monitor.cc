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
                           std::optional<ReferenceData> reference, std::optional<Calibration> calibrated,
                           bool defer_calibration, std::optional<double> reference_performance)
    : schema_(schema),
      model_(model),
      defaults_(defaults),
      policy_(defaults.policy()),
      calibration_(std::move(calibrated)),
      defer_calibration_(defer_calibration),
      alerts_(model.id, model.alerting, model.retrain, reference ? reference->rows : 0) {
  if (model.labels) labels_ = std::make_unique<LabelMonitor>(*model.labels, reference_performance);
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
  if (model_.window.by_time() || defer_calibration_) {
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
    stream_reference_ = std::move(gathering_);
    gathering_.reset();
    start_windows(*stream_reference_);
  }
}

ModelMonitor::~ModelMonitor() = default;

bool ModelMonitor::on_event(const DecodedEvent& event, std::vector<EvaluationReport>& reports) {
  if (event.feedback) {
    // Only a label: nothing for the feature windows.
    on_labels(event, reports);
    return true;
  }
  ++sequence_;
  on_labels(event, reports);
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

void ModelMonitor::on_labels(const DecodedEvent& event, std::vector<EvaluationReport>& reports) {
  if (!labels_) return;
  std::optional<LabelEvaluation> labelled = labels_->on_event(event);
  if (!labelled) return;
  EvaluationReport& report = reports.emplace_back();
  report.schema = &schema_;
  report.labelled_window = true;
  report.window = labelled->window;
  report.evaluation = std::move(labelled->evaluation);
  report.decision = std::move(labelled->decision);
  report.performance = std::move(labelled->metrics);
  report.output = alerts_.on_label_evaluation(report.evaluation, report.decision, report.window);
}

namespace {

// Whether `data` has the shape of a reference of `schema` with `rows` rows.
bool fits(const ReferenceData& data, const ModelSchema& schema) {
  if (data.numbers.size() != schema.columns.size() || data.texts.size() != schema.columns.size()) return false;
  for (std::size_t c = 0; c < schema.columns.size(); ++c) {
    const bool numeric = schema.columns[c].type == FeatureType::numeric;
    if ((numeric ? data.numbers[c].size() : data.texts[c].size()) != data.rows) return false;
    if ((numeric ? data.texts[c].size() : data.numbers[c].size()) != 0) return false;
  }
  return true;
}

}  // namespace

// Whether `calibration` has a threshold for each of this model's tests, in order.
bool ModelMonitor::calibration_fits(const Calibration& calibration) const {
  if (calibration.features.size() != schema_.columns.size() || calibration.multivariate.size() != multivariate_.size()) {
    return false;
  }
  for (std::size_t c = 0; c < schema_.columns.size(); ++c) {
    const std::vector<TestThreshold>& tests = calibration.features[c];
    if (tests.size() != detectors_[c].size()) return false;
    for (std::size_t t = 0; t < tests.size(); ++t) {
      if (tests[t].feature != schema_.columns[c].name || tests[t].test != detectors_[c][t]->name()) return false;
    }
  }
  return true;
}

ModelSnapshot ModelMonitor::snapshot() const {
  ModelSnapshot out{.model_id = model_.id, .sequence = sequence_, .first_event_ts = first_event_ts_};
  if (gathering_) out.stream_reference = *gathering_;
  if (stream_reference_) out.stream_reference = *stream_reference_;
  if (profile_) {
    for (const auto& column : profile_->categorical) {
      out.dictionaries.push_back(column ? column->dictionary.names() : std::vector<std::string>{});
      out.dictionary_overflowed.push_back(column ? column->dictionary.overflowed() : 0);
    }
    out.window = window_->snapshot();
  }
  out.calibration = calibration_;
  out.alerts = alerts_.snapshot();
  out.last_retrain_at = alerts_.last_retrain_at();
  if (labels_) out.labels = labels_->snapshot();
  return out;
}

bool ModelMonitor::restore(const ModelSnapshot& snapshot) {
  if (snapshot.model_id != model_.id) return false;
  if (snapshot.calibration) {
    if (model_.alerting.mode != AlertMode::calibrated || !calibration_fits(*snapshot.calibration)) return false;
    if (!calibration_) calibration_ = snapshot.calibration;  // (a file reference's was made at start: the same)
    alerts_.set_calibration(*calibration_);
    calibration_source_.reset();
  }
  const bool from_stream = model_.reference.path.empty();
  if (from_stream != snapshot.stream_reference.has_value()) return false;
  if (from_stream) {
    const ReferenceData& data = *snapshot.stream_reference;
    if (!fits(data, schema_) || data.rows > model_.reference.from_stream) return false;
    if (data.rows < model_.reference.from_stream) {
      gathering_ = data;
    } else {
      stream_reference_ = data;
      gathering_.reset();
      start_windows(*stream_reference_);
    }
  }
  if (profile_) {
    if (snapshot.dictionaries.size() != schema_.columns.size() ||
        snapshot.dictionary_overflowed.size() != schema_.columns.size()) {
      return false;
    }
    for (std::size_t c = 0; c < schema_.columns.size(); ++c) {
      auto& column = profile_->categorical[c];
      if (!column) {
        if (!snapshot.dictionaries[c].empty()) return false;
      } else if (!column->dictionary.restore(snapshot.dictionaries[c], snapshot.dictionary_overflowed[c])) {
        return false;
      }
    }
    // Event times run from the epoch to kMaxEventTimeMs; a boundary is at
    // most a step past the last (the window arithmetic stays far from overflow).
    if (const auto& end = snapshot.window.window_end;
        end && (!model_.window.by_time() || *end < 0 || *end > kMaxEventTimeMs + model_.window.step_duration.count())) {
      return false;
    }
    // Built again so that its counts span the restored dictionaries.
    window_.emplace(schema_, *profile_, model_.window);
    window_->restore(snapshot.window);
    refill_offset_ = snapshot.window.refill_offset;
    refill_sequence_ = snapshot.window.refill_sequence;
  }
  if (labels_.get() == nullptr) {
    if (snapshot.labels) return false;
  } else if (!snapshot.labels || !labels_->restore(*snapshot.labels)) {
    return false;
  }
  first_event_ts_ = snapshot.first_event_ts;
  alerts_.restore(snapshot.alerts, snapshot.last_retrain_at);
  sequence_ = snapshot.sequence;
  return true;
}

void ModelMonitor::refill(const DecodedEvent& event) {
  // A feedback event never entered the window; its label is in the snapshot's labels.
  if (event.feedback || !window_ || refill_offset_ < 0 || event.offset < refill_offset_) return;
  window_->refill(event, refill_sequence_++);
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
    if (!calibration_ && calibration_source_ && !model_.window.by_time()) {
      calibrate_for(*calibration_source_, model_.window.size, model_.window.step);
      calibration_source_.reset();
    }
    const bool full = first_event_ts_ && *first_event_ts_ <= report.window.start_ts + 1;
    if (!calibration_ && full && model_.window.by_time()) {
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

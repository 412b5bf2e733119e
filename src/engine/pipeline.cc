#include "engine/pipeline.h"

#include "state/model_fingerprint.h"

namespace driftd {

Pipeline::Pipeline(const Config& config, Calibrate calibrate)
    : config_(config), calibrate_(calibrate), schemas_(model_schemas(config)), decoder_(config.input, schemas_) {
  for (std::size_t m = 0; m < config.models.size(); ++m) {
    const ModelConfig& model = config.models[m];
    std::optional<ReferenceData> reference;
    std::optional<double> performance;
    if (!model.reference.path.empty()) {
      const Table table = read_table(model.reference.path, model.id);
      reference = reference_from_table(table, schemas_[m]);
      if (model.labels && model.labels->max_drop) performance = reference_performance(table, *model.labels);
    }
    fingerprints_.push_back(model_fingerprint(model, reference));
    references_.push_back(std::move(reference));
    reference_performances_.push_back(performance);
    monitors_.push_back(std::make_unique<ModelMonitor>(schemas_[m], model, config.defaults, references_[m],
                                                       std::nullopt, calibrate_ == Calibrate::when_needed,
                                                       performance));
  }
  counters_.consumed.assign(config.models.size(), 0);
  counters_.late.assign(config.models.size(), 0);
}

std::size_t Pipeline::process(const MessageSource& message, std::int64_t fallback_ts_ms, PipelineSink& sink,
                              Mode mode) {
  const bool live = mode == Mode::live;
  ++(live ? counters_.messages : counters_.replayed);
  const InvalidReason reason = decoder_.decode(message.payload, fallback_ts_ms, event_);
  if (reason != InvalidReason::none) {
    if (live) {
      ++counters_.invalid[std::size_t(reason)];
      sink.on_invalid(message, reason);
    }
    return kNoModel;
  }
  event_.offset = message.offset;
  if (mode == Mode::refill) {
    monitors_[event_.model]->refill(event_);
    return event_.model;
  }
  reports_.clear();
  const bool kept = monitors_[event_.model]->on_event(event_, reports_);
  if (!live) return event_.model;
  ++counters_.consumed[event_.model];
  if (!kept) ++counters_.late[event_.model];
  for (EvaluationReport& report : reports_) {
    report.model = event_.model;
    ++counters_.evaluations;
    counters_.alerts += report.output.alerts.size();
    counters_.retrain_triggers += report.output.retrain ? 1 : 0;
    sink.on_evaluation(report);
  }
  return event_.model;
}

void Pipeline::reset_model(std::size_t model) {
  // The same file reference calibrates to the same thresholds: keep them
  // rather than spend the calibration's time again. A stream reference is
  // gathered anew, and calibrated anew when it is complete.
  std::optional<Calibration> calibrated;
  if (references_[model]) calibrated = monitors_[model]->calibration();
  monitors_[model] = std::make_unique<ModelMonitor>(schemas_[model], config_.models[model], config_.defaults,
                                                    references_[model], std::move(calibrated),
                                                    calibrate_ == Calibrate::when_needed,
                                                    reference_performances_[model]);
}

ModelSnapshot Pipeline::snapshot(std::size_t model) const {
  ModelSnapshot out = monitors_[model]->snapshot();
  out.fingerprint = fingerprints_[model];
  return out;
}

bool Pipeline::restore(std::size_t model, const ModelSnapshot& snapshot, std::string& why) {
  reset_model(model);
  if (snapshot.fingerprint != fingerprints_[model]) {
    why = "its configuration or reference changed";
    return false;
  }
  if (!monitors_[model]->restore(snapshot)) {
    reset_model(model);
    why = "its snapshot does not fit its configuration";
    return false;
  }
  return true;
}

std::size_t Pipeline::model_index(std::string_view id) const {
  for (std::size_t m = 0; m < config_.models.size(); ++m) {
    if (config_.models[m].id == id) return m;
  }
  return kNoModel;
}

}  // namespace driftd

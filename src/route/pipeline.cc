#include "route/pipeline.h"

namespace driftd {

Pipeline::Pipeline(const Config& config)
    : schemas_(model_schemas(config)), decoder_(config.input, schemas_) {
  for (std::size_t m = 0; m < config.models.size(); ++m) {
    const ModelConfig& model = config.models[m];
    std::optional<ReferenceData> reference;
    if (!model.reference.path.empty()) {
      reference = reference_from_table(read_table(model.reference.path, model.id), schemas_[m]);
    }
    monitors_.push_back(std::make_unique<ModelMonitor>(schemas_[m], model, config.defaults, std::move(reference)));
  }
  counters_.consumed.assign(config.models.size(), 0);
  counters_.late.assign(config.models.size(), 0);
}

void Pipeline::process(std::string_view message, std::int64_t fallback_ts_ms, PipelineSink& sink) {
  ++counters_.messages;
  const InvalidReason reason = decoder_.decode(message, fallback_ts_ms, event_);
  if (reason != InvalidReason::none) {
    ++counters_.invalid[std::size_t(reason)];
    sink.on_invalid(message, reason);
    return;
  }
  ++counters_.consumed[event_.model];
  reports_.clear();
  if (!monitors_[event_.model]->on_event(event_, reports_)) ++counters_.late[event_.model];
  for (const EvaluationReport& report : reports_) {
    ++counters_.evaluations;
    counters_.alerts += report.output.alerts.size();
    counters_.retrain_triggers += report.output.retrain ? 1 : 0;
    sink.on_evaluation(report);
  }
}

}  // namespace driftd

#include "driftd/event.h"

namespace driftd {

std::vector<ModelSchema> model_schemas(const Config& config) {
  std::vector<ModelSchema> schemas;
  schemas.reserve(config.models.size());
  for (const ModelConfig& model : config.models) {
    ModelSchema& schema = schemas.emplace_back();
    schema.id = model.id;
    schema.columns.reserve(model.features.size() + (model.prediction ? 1 : 0));
    for (const FeatureConfig& feature : model.features) {
      schema.columns.push_back({feature.name, feature.type, false});
    }
    if (model.prediction) schema.columns.push_back({"prediction", model.prediction->type, true});
    if (model.labels) {
      schema.labelled = true;
      schema.numeric_label = model.labels->task == LabelTask::regression;
      schema.numeric_prediction = schema.numeric_label || model.labels->threshold.has_value();
    }
  }
  return schemas;
}

std::string_view reason_name(InvalidReason reason) {
  switch (reason) {
    case InvalidReason::none:
      return "none";
    case InvalidReason::too_large:
      return "too_large";
    case InvalidReason::not_json:
      return "not_json";
    case InvalidReason::not_object:
      return "not_object";
    case InvalidReason::unknown_model:
      return "unknown_model";
    case InvalidReason::wrong_type:
      return "wrong_type";
    case InvalidReason::non_finite:
      return "non_finite";
    case InvalidReason::bad_timestamp:
      return "bad_timestamp";
  }
  return "unknown";
}

}  // namespace driftd

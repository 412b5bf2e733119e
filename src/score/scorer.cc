#include "scorer.h"

#include <algorithm>

#include "config/test_params.h"
#include "detector_registry.h"
#include "driftd/error.h"
#include "samples/samples.h"
#include "util/run_tasks.h"

namespace driftd {
namespace {

FeatureEvaluation evaluate_feature(TableNumbers& reference, TableNumbers& current, const FeatureConfig& feature,
                                   const TestParams& params) {
  const Column& r = require_column(reference.table(), feature.name);
  const Column& c = require_column(current.table(), feature.name);
  FeatureEvaluation out{.name = feature.name, .categorical = feature.type == FeatureType::categorical};
  // One detector per test, each tested once: the samples outlive it.
  const auto run_tests = [&](const Sample& ref_sample, const Sample& cur_sample) {
    for (const auto& test : feature.tests) {
      const auto detector = make_detector(test, params);
      detector->set_reference(ref_sample);
      out.tests.push_back(detector->test(cur_sample));
    }
  };
  if (out.categorical) {
    const CategoryCounts counts = category_counts(r, c);
    out.missing = counts.missing;
    run_tests(CategoricalSample{counts.reference}, CategoricalSample{counts.current});
  } else {
    const NumericValues ref_values = numeric_values(reference, r);
    const NumericValues cur_values = numeric_values(current, c);
    out.missing = ref_values.missing + cur_values.missing;
    run_tests(NumericSample{ref_values.sorted}, NumericSample{cur_values.sorted});
  }
  return out;
}

MultivariateEvaluation evaluate_multivariate(TableNumbers& reference, TableNumbers& current,
                                             const MultivariateConfig& config, const Defaults& defaults) {
  std::vector<const Column*> ref_columns;
  std::vector<const Column*> cur_columns;
  for (const auto& name : config.features) {
    ref_columns.push_back(&require_column(reference.table(), name));
    cur_columns.push_back(&require_column(current.table(), name));
  }
  const PointValues points =
      point_values(reference, ref_columns, current, cur_columns, config.max_points, seeds::kScore);
  const auto detector = make_detector(config.test, test_params(defaults, config, seeds::kScore));
  detector->set_reference(PointSample{points.reference, points.dims});
  return {.features = config.features, .test = detector->test(PointSample{points.current, points.dims})};
}

}  // namespace

const Column& require_column(const Table& table, const std::string& name) {
  const Column* column = table.find(name);
  if (column == nullptr) throw InputError(table.path, 1, name, "no such column in the file");
  return *column;
}

std::vector<const FeatureConfig*> tested_features(const ModelConfig& model) {
  std::vector<const FeatureConfig*> features;
  for (const auto& feature : model.features) features.push_back(&feature);
  if (model.prediction) features.push_back(&*model.prediction);
  return features;
}

ModelConfig default_plan(TableNumbers& reference_numbers, TableNumbers& current_numbers) {
  const Table& reference = reference_numbers.table();
  const Table& current = current_numbers.table();
  ModelConfig model;
  model.id = "score";
  MultivariateConfig mmd;
  for (const Column& r : reference.columns) {
    const Column* c = current.find(r.name);
    if (c == nullptr) continue;
    const bool numeric = reference_numbers.all_numbers(r) && current_numbers.all_numbers(*c);
    model.features.push_back({.name = r.name,
                              .type = numeric ? FeatureType::numeric : FeatureType::categorical,
                              .tests = default_tests(numeric ? FeatureType::numeric : FeatureType::categorical)});
    if (numeric) mmd.features.push_back(r.name);
  }
  if (model.features.empty()) throw InputError(current.path, 1, "", "no column in common with " + reference.path);
  if (!mmd.features.empty()) model.multivariate.push_back(std::move(mmd));
  return model;
}

std::vector<std::string> columns_used(const ModelConfig& model) {
  std::vector<std::string> names;
  const auto add = [&](const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  for (const FeatureConfig* feature : tested_features(model)) add(feature->name);
  for (const auto& multivariate : model.multivariate) {
    for (const auto& name : multivariate.features) add(name);
  }
  return names;
}

Score score_tables(TableNumbers& reference, TableNumbers& current, const ModelConfig& model,
                   const Defaults& defaults) {
  const TestParams params = test_params(defaults, seeds::kScore);
  Score score{.reference_rows = reference.table().rows(), .current_rows = current.table().rows()};
  const std::vector<const FeatureConfig*> features = tested_features(model);
  score.evaluation.features.resize(features.size());
  score.evaluation.multivariate.resize(model.multivariate.size());
  // The multivariate tests first: they are the longest, and start at once.
  const std::size_t multivariate = model.multivariate.size();
  run_tasks(multivariate + features.size(), [&](std::size_t task) {
    if (task < multivariate) {
      score.evaluation.multivariate[task] = evaluate_multivariate(reference, current, model.multivariate[task], defaults);
    } else {
      const std::size_t f = task - multivariate;
      score.evaluation.features[f] = evaluate_feature(reference, current, *features[f], params);
    }
  });
  score.decision = decide(score.evaluation, defaults.policy());
  return score;
}

}  // namespace driftd

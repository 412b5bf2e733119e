#include "driftd/decision.h"

#include <algorithm>

namespace driftd {

double corrected_threshold(const std::vector<double>& p_values, double level, Correction correction) {
  const double family = double(std::max<std::size_t>(p_values.size(), 1));
  switch (correction) {
    case Correction::none:
      return level;
    case Correction::bonferroni:
      return level / family;
    case Correction::fdr: {
      std::vector<double> sorted = p_values;
      std::sort(sorted.begin(), sorted.end());
      double cutoff = level / family;
      for (std::size_t rank = 1; rank <= sorted.size(); ++rank) {
        const double line = double(rank) / family * level;
        if (sorted[rank - 1] < line) cutoff = line;
      }
      return cutoff;
    }
  }
  return level;
}

std::string joined_features(const std::vector<std::string>& features) {
  std::string joined;
  for (const auto& feature : features) {
    if (!joined.empty()) joined += '+';
    joined += feature;
  }
  return joined;
}

namespace {

TestDecision decide_test(const TestResult& result, double p_threshold) {
  if (result.kind == TestKind::distance) {
    return {.threshold = result.threshold, .drift = result.ok() && result.statistic >= result.threshold};
  }
  return {.threshold = p_threshold, .drift = result.ok() && result.p_value && *result.p_value < p_threshold};
}

// Feature drift, the drifted share and model drift from the test decisions.
void conclude(const Evaluation& evaluation, Decision& decision, double dataset_drift_share) {
  std::size_t drifted = 0;
  for (const auto& tests : decision.tests) {
    const bool feature_drift = std::any_of(tests.begin(), tests.end(), [](const TestDecision& t) { return t.drift; });
    decision.feature_drift.push_back(feature_drift);
    drifted += feature_drift ? 1 : 0;
  }
  const bool multivariate_drift = std::any_of(decision.multivariate.begin(), decision.multivariate.end(),
                                              [](const TestDecision& t) { return t.drift; });
  if (!evaluation.features.empty()) {
    decision.drifted_share = double(drifted) / double(evaluation.features.size());
  }
  decision.drift = multivariate_drift ||
                   (!evaluation.features.empty() && decision.drifted_share >= dataset_drift_share);
}

TestDecision at_threshold(const TestResult& result, const TestThreshold& calibrated) {
  return {.threshold = calibrated.threshold,
          .alpha = calibrated.alpha,
          .drift = result.ok() && result.statistic >= calibrated.threshold};
}

}  // namespace

Decision decide(const Evaluation& evaluation, const DecisionPolicy& policy) {
  std::vector<double> family;
  for (const auto& feature : evaluation.features) {
    for (const auto& test : feature.tests) {
      if (test.ok() && test.kind == TestKind::p_value && test.p_value) family.push_back(*test.p_value);
    }
  }
  const double p_threshold = corrected_threshold(family, policy.p_value, policy.correction);

  Decision decision;
  for (const auto& feature : evaluation.features) {
    auto& tests = decision.tests.emplace_back();
    for (const auto& test : feature.tests) tests.push_back(decide_test(test, p_threshold));
  }
  for (const auto& multivariate : evaluation.multivariate) {
    decision.multivariate.push_back(decide_test(multivariate.test, policy.p_value));
  }
  conclude(evaluation, decision, policy.dataset_drift_share);
  return decision;
}

Decision decide_nothing(const Evaluation& evaluation) {
  Decision decision;
  for (const auto& feature : evaluation.features) {
    decision.tests.emplace_back(feature.tests.size(), TestDecision{.threshold = 0.0, .drift = false});
  }
  decision.multivariate.resize(evaluation.multivariate.size());
  conclude(evaluation, decision, 1.0);
  return decision;
}

Decision decide_calibrated(const Evaluation& evaluation, const Calibration& calibration, double dataset_drift_share) {
  Decision decision;
  for (std::size_t f = 0; f < evaluation.features.size(); ++f) {
    auto& tests = decision.tests.emplace_back();
    const FeatureEvaluation& feature = evaluation.features[f];
    for (std::size_t t = 0; t < feature.tests.size(); ++t) {
      tests.push_back(at_threshold(feature.tests[t], calibration.features.at(f).at(t)));
    }
  }
  for (std::size_t i = 0; i < evaluation.multivariate.size(); ++i) {
    decision.multivariate.push_back(at_threshold(evaluation.multivariate[i].test, calibration.multivariate.at(i)));
  }
  conclude(evaluation, decision, dataset_drift_share);
  return decision;
}

}  // namespace driftd

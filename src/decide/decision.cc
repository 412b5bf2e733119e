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
  std::size_t drifted = 0;
  for (const auto& feature : evaluation.features) {
    auto& tests = decision.tests.emplace_back();
    bool feature_drift = false;
    for (const auto& test : feature.tests) {
      tests.push_back(decide_test(test, p_threshold));
      feature_drift = feature_drift || tests.back().drift;
    }
    decision.feature_drift.push_back(feature_drift);
    drifted += feature_drift ? 1 : 0;
  }
  bool multivariate_drift = false;
  for (const auto& multivariate : evaluation.multivariate) {
    decision.multivariate.push_back(decide_test(multivariate.test, policy.p_value));
    multivariate_drift = multivariate_drift || decision.multivariate.back().drift;
  }
  if (!evaluation.features.empty()) {
    decision.drifted_share = double(drifted) / double(evaluation.features.size());
  }
  decision.drift = multivariate_drift ||
                   (!evaluation.features.empty() && decision.drifted_share >= policy.dataset_drift_share);
  return decision;
}

}  // namespace driftd

// From test results to drift decisions (detectors/README.md, "The decision"): the
// multiple-testing correction across a model's univariate p-value tests, then
// feature drift, the drifted share and model drift. Pure functions.
#pragma once

#include <string>
#include <vector>

#include "driftd/calibration.h"
#include "driftd/detector.h"

namespace driftd {

enum class Correction { none, bonferroni, fdr };

struct DecisionPolicy {
  double p_value = 0.05;              // family-wise significance level, (0, 1)
  Correction correction = Correction::bonferroni;
  double dataset_drift_share = 0.5;   // model drifts when this share of features drift, (0, 1]
};

// The results of one evaluation of a model, in configuration order.
struct FeatureEvaluation {
  std::string name;
  bool categorical = false;
  std::uint64_t missing = 0;          // values left out of the tests
  std::vector<TestResult> tests;
};

struct MultivariateEvaluation {
  std::vector<std::string> features;
  TestResult test;
};

// The name a multivariate test's features go by in alerts, metrics and
// reports: joined by '+', e.g. "amount+age".
std::string joined_features(const std::vector<std::string>& features);

struct Evaluation {
  std::vector<FeatureEvaluation> features;
  std::vector<MultivariateEvaluation> multivariate;
};

struct TestDecision {
  double threshold = 0.0;  // effective: after correction for p-value tests
  double alpha = 0.0;      // calibrated: the threshold's per-evaluation false alarm probability
  bool drift = false;      // false for a test that could not run
  // Fires at its first drift, without alerting.min_consecutive: a
  // concept-drift detector's drift is a change point its own rule has
  // already confirmed, reported once (the detector starts over after it).
  bool change_point = false;
};

struct Decision {
  std::vector<std::vector<TestDecision>> tests;  // [feature][test], as in Evaluation
  std::vector<bool> feature_drift;               // [feature]
  std::vector<TestDecision> multivariate;        // as in Evaluation
  double drifted_share = 0.0;                    // drifted features / features (0 with none)
  bool drift = false;
};

// The effective significance level of each p-value in `p_values` under the
// correction: `none` gives level, `bonferroni` level/K, `fdr` the
// Benjamini–Hochberg cutoff k*/K·level, where k* is the largest rank whose
// p-value is below its line (level/K when there is none). A p-value drifts
// when it is strictly below the returned threshold. Same for every p-value.
double corrected_threshold(const std::vector<double>& p_values, double level, Correction correction);

// Applies the policy to an evaluation. Univariate p-value tests that ran form
// the family K of the correction; multivariate tests are compared with the
// uncorrected level, and distance tests with their own thresholds.
Decision decide(const Evaluation& evaluation, const DecisionPolicy& policy);

// Applies calibrated thresholds (driftd/calibration.h): a test that ran
// drifts when its statistic is at least its threshold; feature and model
// drift follow as in decide().
Decision decide_calibrated(const Evaluation& evaluation, const Calibration& calibration, double dataset_drift_share);

// No test drifted: the decision while a time window's calibration waits for
// its first full window.
Decision decide_nothing(const Evaluation& evaluation);

}  // namespace driftd

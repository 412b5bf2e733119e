#include "driftd/decision.h"

#include <catch2/catch.hpp>

using namespace driftd;

namespace {

TestResult p_test(const char* name, double p) {
  return {.test = name, .kind = TestKind::p_value, .statistic = 0.1, .p_value = p};
}
TestResult distance_test(double statistic, double threshold) {
  return {.test = "psi", .kind = TestKind::distance, .statistic = statistic, .threshold = threshold};
}

}  // namespace

TEST_CASE("decision: corrections give the documented thresholds", "[decision]") {
  const std::vector<double> p = {0.001, 0.012, 0.03, 0.04};
  CHECK(corrected_threshold(p, 0.05, Correction::none) == 0.05);
  CHECK(corrected_threshold(p, 0.05, Correction::bonferroni) == Approx(0.0125));
  // BH lines k/4*0.05 = 0.0125, 0.025, 0.0375, 0.05: ranks 1, 2 and 4 are below
  // their lines, so the cutoff is the 4th line and all four drift.
  CHECK(corrected_threshold(p, 0.05, Correction::fdr) == Approx(0.05));
  const std::vector<double> q = {0.001, 0.03, 0.045, 0.9};
  // Lines 0.0125, 0.025, 0.0375, 0.05: only rank 1 is below its line.
  CHECK(corrected_threshold(q, 0.05, Correction::fdr) == Approx(0.0125));
  const std::vector<double> none_below = {0.5, 0.6};
  CHECK(corrected_threshold(none_below, 0.05, Correction::fdr) == Approx(0.025));
}

TEST_CASE("decision: feature, share and model drift", "[decision]") {
  Evaluation evaluation;
  evaluation.features.push_back({.name = "a", .tests = {p_test("ks", 0.001), distance_test(0.1, 0.2)}});
  evaluation.features.push_back({.name = "b", .tests = {p_test("ks", 0.02), distance_test(0.25, 0.2)}});
  evaluation.features.push_back({.name = "c", .tests = {p_test("ks", 0.5), distance_test(0.01, 0.2)}});
  evaluation.features.push_back({.name = "d", .tests = {p_test("ks", 0.3)}});

  SECTION("bonferroni over the four p-value tests") {
    const Decision decision = decide(evaluation, {.p_value = 0.05, .correction = Correction::bonferroni});
    CHECK(decision.tests[0][0].threshold == Approx(0.0125));
    CHECK(decision.tests[0][0].drift);
    CHECK_FALSE(decision.tests[1][0].drift);  // 0.02 >= 0.0125
    CHECK(decision.tests[1][1].drift);        // psi 0.25 >= 0.2
    CHECK(decision.tests[1][1].threshold == 0.2);
    CHECK(decision.feature_drift == std::vector<bool>{true, true, false, false});
    CHECK(decision.drifted_share == 0.5);
    CHECK(decision.drift);  // 0.5 >= dataset_drift_share 0.5
  }
  SECTION("a higher dataset share keeps the model clean") {
    const Decision decision = decide(evaluation, {.p_value = 0.05, .dataset_drift_share = 0.75});
    CHECK(decision.drifted_share == 0.5);
    CHECK_FALSE(decision.drift);
  }
  SECTION("a drifting multivariate test drifts the model on its own, uncorrected") {
    evaluation.multivariate.push_back({.features = {"a", "b"}, .test = p_test("mmd", 0.04)});
    const Decision decision = decide(evaluation, {.p_value = 0.05, .dataset_drift_share = 0.9});
    CHECK(decision.multivariate[0].threshold == 0.05);
    CHECK(decision.multivariate[0].drift);
    CHECK(decision.drift);
  }
}

TEST_CASE("decision: tests that could not run neither drift nor join the family", "[decision]") {
  Evaluation evaluation;
  TestResult failed = p_test("ks", 0.0);
  failed.error = "ks needs at least one value in each sample";
  evaluation.features.push_back({.name = "a", .tests = {failed}});
  evaluation.features.push_back({.name = "b", .tests = {p_test("ks", 0.03)}});
  const Decision decision = decide(evaluation, {.p_value = 0.05, .correction = Correction::bonferroni});
  CHECK_FALSE(decision.tests[0][0].drift);
  CHECK(decision.tests[1][0].threshold == 0.05);  // K = 1: only b's test ran
  CHECK(decision.tests[1][0].drift);
}

TEST_CASE("decision: calibrated thresholds are on the statistic, p-values aside", "[decision]") {
  Evaluation evaluation;
  // a's ks reaches its threshold exactly; b's ks has a tiny p-value but a
  // statistic under its threshold; c's test could not run.
  evaluation.features.push_back({.name = "a", .tests = {p_test("ks", 0.5), distance_test(0.01, 0.2)}});
  evaluation.features.push_back({.name = "b", .tests = {p_test("ks", 1e-9), distance_test(0.3, 0.2)}});
  evaluation.features.push_back({.name = "c", .tests = {p_test("ks", 0.5)}});
  evaluation.features[0].tests[0].statistic = 0.08;
  evaluation.features[1].tests[0].statistic = 0.05;
  evaluation.features[2].tests[0].error = "no values";
  evaluation.features[2].tests[0].statistic = 1.0;
  evaluation.multivariate.push_back({.features = {"a", "b"}, .test = {.test = "mmd", .statistic = 0.004}});

  Calibration calibration;
  calibration.features = {{{.feature = "a", .test = "ks", .threshold = 0.08, .alpha = 1e-5},
                           {.feature = "a", .test = "psi", .threshold = 0.05, .alpha = 1e-5}},
                          {{.feature = "b", .test = "ks", .threshold = 0.06, .alpha = 1e-5},
                           {.feature = "b", .test = "psi", .threshold = 0.4, .alpha = 1e-5}},
                          {{.feature = "c", .test = "ks", .threshold = 0.07, .alpha = 1e-5}}};
  calibration.multivariate = {{.feature = "a+b", .test = "mmd", .threshold = 0.005, .alpha = 1e-5}};

  SECTION("each test against its own threshold") {
    const Decision decision = decide_calibrated(evaluation, calibration, 0.5);
    CHECK(decision.tests[0][0].drift);           // 0.08 >= 0.08
    CHECK(decision.tests[0][0].threshold == 0.08);
    CHECK_FALSE(decision.tests[0][1].drift);     // psi 0.01 < 0.05
    CHECK_FALSE(decision.tests[1][0].drift);     // p 1e-9 does not matter: 0.05 < 0.06
    CHECK_FALSE(decision.tests[1][1].drift);     // 0.3 < 0.4, whatever the detector's own threshold
    CHECK_FALSE(decision.tests[2][0].drift);     // could not run
    CHECK_FALSE(decision.multivariate[0].drift);  // 0.004 < 0.005
    CHECK(decision.feature_drift == std::vector<bool>{true, false, false});
    CHECK(decision.drifted_share == Approx(1.0 / 3.0));
    CHECK_FALSE(decision.drift);
  }
  SECTION("a multivariate test at its threshold drifts the model") {
    evaluation.multivariate[0].test.statistic = 0.005;
    CHECK(decide_calibrated(evaluation, calibration, 0.5).drift);
  }
  SECTION("the drifted share against dataset_drift_share") {
    CHECK(decide_calibrated(evaluation, calibration, 0.3).drift);
  }
}

#include "metrics/metrics.h"

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

#include "driftd/calibration.h"
#include "engine/model_monitor.h"
#include "temp_file.h"

using namespace driftd;

namespace {

// config/example.yaml (fraud-v3: amount, age, country, is_new, prediction,
// mmd over amount+age) plus a second, smaller model, so that model indexes
// are exercised.
Config test_config() {
  Config config = load_config(DRIFTD_SOURCE_DIR "/config/example.yaml");
  ModelConfig churn;
  churn.id = "churn-v1";
  churn.reference.from_stream = 100;
  churn.window = {.size = 100, .step = 10};
  churn.features.push_back({.name = "tenure", .type = FeatureType::numeric, .tests = {"ks"}});
  config.models.push_back(churn);
  return config;
}

// The value of one series in the text exposition, e.g.
// value_of(text, R"(driftd_ready)") == "1"; nullopt when absent.
std::optional<std::string> value_of(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ') {
      return line.substr(series.size() + 1);
    }
  }
  return std::nullopt;
}

TestResult ks(double statistic, double p) {
  return {.test = "ks", .kind = TestKind::p_value, .statistic = statistic, .p_value = p};
}
TestResult chi2(double statistic, double p) {
  return {.test = "chi2", .kind = TestKind::p_value, .statistic = statistic, .p_value = p};
}
TestResult psi(double statistic) {
  return {.test = "psi", .kind = TestKind::distance, .statistic = statistic, .threshold = 0.2};
}
TestResult failed(const char* test) { return {.test = test, .error = "too few values"}; }

Alert alert(const char* feature, const char* test, const char* state, const char* severity) {
  return {.model_id = "fraud-v3", .state = state, .severity = severity, .feature = feature, .test = test};
}

// An evaluation of fraud-v3 in which amount drifted (ks and psi), age's psi
// could not run, and the mmd over amount+age drifted.
EvaluationReport fraud_report(const ModelSchema& schema) {
  EvaluationReport report;
  report.schema = &schema;
  report.window = {.count = 1000, .start_ts = 1'700'000'000'000, .end_ts = 1'700'000'060'500, .end_sequence = 5000};
  Evaluation& e = report.evaluation;
  e.features = {
      {.name = "amount", .tests = {ks(0.25, 0.0001), psi(0.41)}},
      {.name = "age", .tests = {ks(0.03, 0.5), failed("psi")}},
      {.name = "country", .categorical = true, .tests = {chi2(3.5, 0.3), psi(0.01)}},
      {.name = "is_new", .categorical = true, .tests = {chi2(0.5, 0.75)}},
      {.name = "prediction", .tests = {ks(0.02, 0.9), psi(0.05)}},
  };
  e.multivariate = {{.features = {"amount", "age"},
                     .test = {.test = "mmd", .kind = TestKind::p_value, .statistic = 0.05, .p_value = 0.004}}};
  Decision& d = report.decision;
  d.tests = {{{.drift = true}, {.drift = true}}, {{}, {}}, {{}, {}}, {{}}, {{}, {}}};
  d.feature_drift = {true, false, false, false, false};
  d.multivariate = {{.threshold = 0.05, .drift = true}};
  d.drifted_share = 0.2;
  d.drift = false;
  report.output.alerts = {alert("amount", "ks", "firing", "warning"), alert("amount", "psi", "firing", "warning"),
                          alert("amount+age", "mmd", "firing", "critical"),
                          alert("country", "chi2", "resolved", "warning")};
  report.output.retrain = RetrainTrigger{.model_id = "fraud-v3"};
  report.timings = {{"ks", 0.002},    {"psi", 0.00003},  {"ks", 0.004}, {"psi", 0.00002}, {"chi2", 0.00001},
                    {"psi", 0.00001}, {"chi2", 0.00001}, {"ks", 0.001}, {"psi", 0.00002}, {"mmd", 0.3}};
  return report;
}

// Runs `promtool check metrics` on the text; returns its exit status and output.
std::pair<int, std::string> promtool_check(const std::string& text) {
  testing::TempDir dir;
  const std::string input = dir.write("metrics.txt", text);
  const std::string output = dir.write("promtool.out", "");
  const std::string command = "promtool check metrics < '" + input + "' > '" + output + "' 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream in(output);
  std::string printed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, printed};
}

}  // namespace

TEST_CASE("metrics: every configured series exists from the start, at zero") {
  const Config config = test_config();
  const auto schemas = model_schemas(config);
  const Metrics metrics(schemas, config);
  const std::string text = metrics.text();

  for (const char* reason :
       {"too_large", "not_json", "not_object", "unknown_model", "wrong_type", "non_finite", "bad_timestamp"}) {
    CHECK(value_of(text, std::string("driftd_events_invalid_total{reason=\"") + reason + "\"}") == "0");
  }
  CHECK(text.find("reason=\"none\"") == std::string::npos);
  CHECK(value_of(text, "driftd_build_info{version=\"" DRIFTD_VERSION "\"}") == "1");
  CHECK(value_of(text, "driftd_ready") == "0");
  CHECK(value_of(text, "driftd_dead_lettered_total") == "0");
  CHECK(value_of(text, "driftd_kafka_delivery_errors_total") == "0");

  for (const char* model : {"fraud-v3", "churn-v1"}) {
    const std::string m = std::string("{model=\"") + model + "\"}";
    CHECK(value_of(text, "driftd_events_consumed_total" + m) == "0");
    CHECK(value_of(text, "driftd_events_late_total" + m) == "0");
    CHECK(value_of(text, "driftd_evaluations_total" + m) == "0");
    CHECK(value_of(text, "driftd_retrain_triggers_total" + m) == "0");
    CHECK(value_of(text, "driftd_model_drifted_share" + m) == "0");
    CHECK(value_of(text, "driftd_model_drift" + m) == "0");
    CHECK(value_of(text, "driftd_window_events" + m) == "0");
    CHECK(value_of(text, "driftd_last_evaluation_timestamp_seconds" + m) == "0");
    CHECK(value_of(text, std::string("driftd_alerts_total{model=\"") + model + "\",severity=\"warning\"}") == "0");
    CHECK(value_of(text, std::string("driftd_alerts_total{model=\"") + model + "\",severity=\"critical\"}") == "0");
  }

  CHECK(value_of(text, R"(driftd_drift_detected{feature="amount",model="fraud-v3",test="ks"})") == "0");
  CHECK(value_of(text, R"(driftd_drift_detected{feature="is_new",model="fraud-v3",test="chi2"})") == "0");
  CHECK(value_of(text, R"(driftd_drift_detected{feature="prediction",model="fraud-v3",test="psi"})") == "0");
  CHECK(value_of(text, R"(driftd_drift_detected{feature="amount+age",model="fraud-v3",test="mmd"})") == "0");
  CHECK(value_of(text, R"(driftd_drift_detected{feature="tenure",model="churn-v1",test="ks"})") == "0");
  CHECK_FALSE(value_of(text, R"(driftd_drift_detected{feature="is_new",model="fraud-v3",test="psi"})"));

  // No value is known before the first evaluation: no series rather than a misleading 0.
  CHECK(text.find("driftd_drift_statistic{") == std::string::npos);
  CHECK(text.find("driftd_drift_p_value{") == std::string::npos);

  for (const char* test : {"ks", "psi", "chi2", "mmd"}) {
    CHECK(value_of(text, std::string("driftd_evaluation_seconds_count{test=\"") + test + "\"}") == "0");
  }
  CHECK(value_of(text, R"(driftd_evaluation_seconds_bucket{test="ks",le="1e-05"})") == "0");
  CHECK(value_of(text, R"(driftd_evaluation_seconds_bucket{test="ks",le="10"})") == "0");
}

TEST_CASE("metrics: counters and gauges set by the daemon") {
  const Config config = test_config();
  const auto schemas = model_schemas(config);
  Metrics metrics(schemas, config);

  metrics.add_consumed(0, 5);
  metrics.add_consumed(1, 2);
  metrics.add_consumed(1, 3);
  metrics.add_consumed(7, 100);  // not a model: ignored
  metrics.add_invalid(InvalidReason::not_json);
  metrics.add_invalid(InvalidReason::wrong_type, 3);
  metrics.add_invalid(InvalidReason::none);  // not a reason: ignored
  metrics.add_late(1, 4);
  metrics.add_dead_lettered(2);
  metrics.add_delivery_errors(1);
  metrics.set_window_events(0, 250);
  metrics.set_ready(true);
  metrics.set_consumer_lag("ml.events", 0, 12);
  metrics.set_consumer_lag("ml.events", 3, 42);
  metrics.set_consumer_lag("ml.events", 3, 40);

  std::string text = metrics.text();
  CHECK(value_of(text, R"(driftd_events_consumed_total{model="fraud-v3"})") == "5");
  CHECK(value_of(text, R"(driftd_events_consumed_total{model="churn-v1"})") == "5");
  CHECK(value_of(text, R"(driftd_events_invalid_total{reason="not_json"})") == "1");
  CHECK(value_of(text, R"(driftd_events_invalid_total{reason="wrong_type"})") == "3");
  CHECK(value_of(text, R"(driftd_events_invalid_total{reason="too_large"})") == "0");
  CHECK(text.find("reason=\"none\"") == std::string::npos);
  CHECK(value_of(text, R"(driftd_events_late_total{model="churn-v1"})") == "4");
  CHECK(value_of(text, R"(driftd_events_late_total{model="fraud-v3"})") == "0");
  CHECK(value_of(text, "driftd_dead_lettered_total") == "2");
  CHECK(value_of(text, "driftd_kafka_delivery_errors_total") == "1");
  CHECK(value_of(text, R"(driftd_window_events{model="fraud-v3"})") == "250");
  CHECK(value_of(text, "driftd_ready") == "1");
  CHECK(value_of(text, R"(driftd_consumer_lag{partition="0",topic="ml.events"})") == "12");
  CHECK(value_of(text, R"(driftd_consumer_lag{partition="3",topic="ml.events"})") == "40");

  metrics.remove_consumer_lag("ml.events", 3);
  metrics.remove_consumer_lag("ml.events", 9);  // never assigned: nothing to do
  metrics.set_ready(false);
  text = metrics.text();
  CHECK_FALSE(value_of(text, R"(driftd_consumer_lag{partition="3",topic="ml.events"})"));
  CHECK(value_of(text, R"(driftd_consumer_lag{partition="0",topic="ml.events"})") == "12");
  CHECK(value_of(text, "driftd_ready") == "0");
}

TEST_CASE("metrics: an evaluation report sets the drift series") {
  const Config config = test_config();
  const auto schemas = model_schemas(config);
  Metrics metrics(schemas, config);
  metrics.record(fraud_report(schemas[0]));
  const std::string text = metrics.text();

  CHECK(value_of(text, R"(driftd_drift_statistic{feature="amount",model="fraud-v3",test="ks"})") == "0.25");
  CHECK(value_of(text, R"(driftd_drift_p_value{feature="amount",model="fraud-v3",test="ks"})") == "0.0001");
  CHECK(value_of(text, R"(driftd_drift_detected{feature="amount",model="fraud-v3",test="ks"})") == "1");
  CHECK(value_of(text, R"(driftd_drift_statistic{feature="amount",model="fraud-v3",test="psi"})") == "0.41");
  CHECK(value_of(text, R"(driftd_drift_detected{feature="amount",model="fraud-v3",test="psi"})") == "1");
  CHECK_FALSE(value_of(text, R"(driftd_drift_p_value{feature="amount",model="fraud-v3",test="psi"})"));
  CHECK(value_of(text, R"(driftd_drift_statistic{feature="age",model="fraud-v3",test="ks"})") == "0.03");
  CHECK(value_of(text, R"(driftd_drift_p_value{feature="age",model="fraud-v3",test="ks"})") == "0.5");
  CHECK(value_of(text, R"(driftd_drift_detected{feature="age",model="fraud-v3",test="ks"})") == "0");
  // age's psi could not run: nothing to show for it yet.
  CHECK_FALSE(value_of(text, R"(driftd_drift_statistic{feature="age",model="fraud-v3",test="psi"})"));
  CHECK(value_of(text, R"(driftd_drift_detected{feature="age",model="fraud-v3",test="psi"})") == "0");
  CHECK(value_of(text, R"(driftd_drift_statistic{feature="country",model="fraud-v3",test="chi2"})") == "3.5");
  CHECK(value_of(text, R"(driftd_drift_p_value{feature="country",model="fraud-v3",test="chi2"})") == "0.3");
  CHECK(value_of(text, R"(driftd_drift_p_value{feature="is_new",model="fraud-v3",test="chi2"})") == "0.75");
  CHECK(value_of(text, R"(driftd_drift_statistic{feature="prediction",model="fraud-v3",test="psi"})") == "0.05");
  CHECK(value_of(text, R"(driftd_drift_statistic{feature="amount+age",model="fraud-v3",test="mmd"})") == "0.05");
  CHECK(value_of(text, R"(driftd_drift_p_value{feature="amount+age",model="fraud-v3",test="mmd"})") == "0.004");
  CHECK(value_of(text, R"(driftd_drift_detected{feature="amount+age",model="fraud-v3",test="mmd"})") == "1");

  CHECK(value_of(text, R"(driftd_model_drifted_share{model="fraud-v3"})") == "0.2");
  CHECK(value_of(text, R"(driftd_model_drift{model="fraud-v3"})") == "0");
  CHECK(value_of(text, R"(driftd_evaluations_total{model="fraud-v3"})") == "1");
  CHECK(value_of(text, R"(driftd_last_evaluation_timestamp_seconds{model="fraud-v3"})") == "1700000060.5");
  CHECK(value_of(text, R"(driftd_window_events{model="fraud-v3"})") == "1000");
  // Only firing alerts count; the resolved one does not.
  CHECK(value_of(text, R"(driftd_alerts_total{model="fraud-v3",severity="warning"})") == "2");
  CHECK(value_of(text, R"(driftd_alerts_total{model="fraud-v3",severity="critical"})") == "1");
  CHECK(value_of(text, R"(driftd_retrain_triggers_total{model="fraud-v3"})") == "1");

  CHECK(value_of(text, R"(driftd_evaluation_seconds_count{test="ks"})") == "3");
  CHECK(value_of(text, R"(driftd_evaluation_seconds_count{test="psi"})") == "4");
  CHECK(value_of(text, R"(driftd_evaluation_seconds_count{test="chi2"})") == "2");
  CHECK(value_of(text, R"(driftd_evaluation_seconds_count{test="mmd"})") == "1");
  CHECK(value_of(text, R"(driftd_evaluation_seconds_sum{test="mmd"})") == "0.3");
  CHECK(value_of(text, R"(driftd_evaluation_seconds_bucket{test="chi2",le="1e-05"})") == "2");
  CHECK(value_of(text, R"(driftd_evaluation_seconds_bucket{test="ks",le="0.0025"})") == "2");
  CHECK(value_of(text, R"(driftd_evaluation_seconds_bucket{test="ks",le="+Inf"})") == "3");

  // The other model saw nothing.
  CHECK(value_of(text, R"(driftd_evaluations_total{model="churn-v1"})") == "0");
  CHECK(value_of(text, R"(driftd_alerts_total{model="churn-v1",severity="warning"})") == "0");
}

TEST_CASE("metrics: a calibration sets each test's threshold beside its statistic, and its time") {
  const Config config = test_config();
  const auto schemas = model_schemas(config);
  Metrics metrics(schemas, config);
  // None before a model is calibrated: a threshold of 0 would read as "drifts at anything".
  CHECK(metrics.text().find("driftd_test_threshold{") == std::string::npos);
  CHECK(metrics.text().find("driftd_calibration_seconds{") == std::string::npos);

  Calibration calibration;
  calibration.features = {{{.feature = "amount", .test = "ks", .threshold = 0.125},
                           {.feature = "amount", .test = "psi", .threshold = 0.05}}};
  calibration.multivariate = {{.feature = "amount+age", .test = "mmd", .threshold = 0.004}};
  calibration.seconds = 1.5;
  metrics.set_calibration(0, calibration);
  metrics.set_calibration(9, calibration);  // not a model: ignored
  const std::string text = metrics.text();
  CHECK(value_of(text, R"(driftd_test_threshold{feature="amount",model="fraud-v3",test="ks"})") == "0.125");
  CHECK(value_of(text, R"(driftd_test_threshold{feature="amount",model="fraud-v3",test="psi"})") == "0.05");
  CHECK(value_of(text, R"(driftd_test_threshold{feature="amount+age",model="fraud-v3",test="mmd"})") == "0.004");
  CHECK(value_of(text, R"(driftd_calibration_seconds{model="fraud-v3"})") == "1.5");
  CHECK(text.find(R"(driftd_calibration_seconds{model="churn-v1"})") == std::string::npos);

  // A model calibrated again (a from_stream reference gathered anew) moves its series.
  calibration.features[0][0].threshold = 0.25;
  metrics.set_calibration(0, calibration);
  CHECK(value_of(metrics.text(), R"(driftd_test_threshold{feature="amount",model="fraud-v3",test="ks"})") == "0.25");
}

TEST_CASE("metrics: a test that could not run leaves its series as they were") {
  const Config config = test_config();
  const auto schemas = model_schemas(config);
  Metrics metrics(schemas, config);
  metrics.record(fraud_report(schemas[0]));

  EvaluationReport later = fraud_report(schemas[0]);
  later.evaluation.features[0].tests = {failed("ks"), psi(0.1)};
  later.decision.tests[0] = {{.drift = false}, {.drift = false}};
  later.decision.drifted_share = 0.0;
  later.output = {};
  later.window.end_ts += 60'000;
  metrics.record(later);

  const std::string text = metrics.text();
  CHECK(value_of(text, R"(driftd_drift_statistic{feature="amount",model="fraud-v3",test="ks"})") == "0.25");
  CHECK(value_of(text, R"(driftd_drift_p_value{feature="amount",model="fraud-v3",test="ks"})") == "0.0001");
  CHECK(value_of(text, R"(driftd_drift_detected{feature="amount",model="fraud-v3",test="ks"})") == "1");
  CHECK(value_of(text, R"(driftd_drift_statistic{feature="amount",model="fraud-v3",test="psi"})") == "0.1");
  CHECK(value_of(text, R"(driftd_drift_detected{feature="amount",model="fraud-v3",test="psi"})") == "0");
  CHECK(value_of(text, R"(driftd_model_drifted_share{model="fraud-v3"})") == "0");
  CHECK(value_of(text, R"(driftd_evaluations_total{model="fraud-v3"})") == "2");
  CHECK(value_of(text, R"(driftd_last_evaluation_timestamp_seconds{model="fraud-v3"})") == "1700000120.5");
  CHECK(value_of(text, R"(driftd_alerts_total{model="fraud-v3",severity="warning"})") == "2");
  CHECK(value_of(text, R"(driftd_retrain_triggers_total{model="fraud-v3"})") == "1");
}

TEST_CASE("metrics: a report of an unconfigured model is ignored") {
  const Config config = test_config();
  const auto schemas = model_schemas(config);
  Metrics metrics(schemas, config);
  ModelSchema stranger = schemas[0];
  stranger.id = "stranger";
  const std::string before = metrics.text();
  metrics.record(fraud_report(stranger));
  EvaluationReport empty;
  metrics.record(empty);
  CHECK(metrics.text() == before);
}

TEST_CASE("metrics: promtool accepts the exposition") {
  REQUIRE(std::system("command -v promtool > /dev/null 2>&1") == 0);  // CI installs Debian's prometheus package

  const Config config = test_config();
  const auto schemas = model_schemas(config);
  Metrics metrics(schemas, config);
  const auto [fresh_status, fresh_output] = promtool_check(metrics.text());
  INFO(fresh_output);
  CHECK(fresh_status == 0);

  metrics.add_consumed(0, 10);
  metrics.add_invalid(InvalidReason::bad_timestamp);
  metrics.set_consumer_lag("ml.events", 1, 5);
  metrics.record(fraud_report(schemas[0]));
  const auto [status, output] = promtool_check(metrics.text());
  INFO(output);
  CHECK(status == 0);
}

TEST_CASE("metrics: a model with labels has its ground-truth series, and a labelled window sets them") {
  Config config = test_config();
  config.models[1].labels = LabelsConfig{.positive_class = "1", .max_drop = 0.1, .detectors = {"ddm"}};
  const auto schemas = model_schemas(config);
  Metrics metrics(schemas, config);
  std::string text = metrics.text();
  // Created with the model: every outcome, pending and lag, the label tests' drift flags.
  for (const char* outcome :
       {"in_event", "joined", "unmatched", "late", "duplicate", "expired", "dropped", "no_prediction"}) {
    CHECK(value_of(text, std::string(R"(driftd_labels_total{model="churn-v1",outcome=")") + outcome + "\"}") == "0");
  }
  CHECK(value_of(text, R"(driftd_labels_pending{model="churn-v1"})") == "0");
  CHECK(value_of(text, R"(driftd_label_lag_seconds{model="churn-v1"})") == "0");
  CHECK(value_of(text, R"(driftd_drift_detected{feature="label",model="churn-v1",test="performance"})") == "0");
  CHECK(value_of(text, R"(driftd_drift_detected{feature="label",model="churn-v1",test="ddm"})") == "0");
  // Models without labels have none; performance appears at the first labelled window.
  CHECK(text.find(R"(driftd_labels_total{model="fraud-v3")") == std::string::npos);
  CHECK(text.find("driftd_model_performance{") == std::string::npos);
  CHECK_FALSE(value_of(text, R"(driftd_drift_statistic{feature="label",model="churn-v1",test="performance"})"));

  metrics.add_labels(1, "joined", 7);
  metrics.add_labels(1, "unmatched", 2);
  metrics.add_labels(1, "no such outcome", 5);  // ignored
  metrics.set_labels_pending(1, 3);
  metrics.set_label_lag(1, 90.5);
  metrics.set_reference_performance(1, "accuracy", 0.95);

  EvaluationReport report;
  report.schema = &schemas[1];
  report.labelled_window = true;
  report.window = {.count = 500, .start_ts = 1'700'000'000'000, .end_ts = 1'700'000'100'000, .end_sequence = 500};
  report.evaluation.features = {
      {.name = "label",
       .categorical = true,
       .tests = {{.test = "performance", .kind = TestKind::distance, .statistic = 0.15, .threshold = 0.1},
                 {.test = "ddm", .kind = TestKind::distance, .statistic = 2.5}}}};
  report.decision.tests = {{{.threshold = 0.1, .drift = true}, {.drift = false, .change_point = true}}};
  report.decision.feature_drift = {true};
  report.decision.drifted_share = 1.0;
  report.decision.drift = true;
  report.performance = {{"accuracy", 0.8}, {"error_rate", 0.2}, {"precision", 0.75}, {"recall", 0.6}, {"f1", 0.5}};
  report.output.alerts = {
      {.model_id = "churn-v1", .state = "firing", .severity = "warning", .feature = "label", .test = "performance"}};
  metrics.record(report);
  text = metrics.text();

  CHECK(value_of(text, R"(driftd_labels_total{model="churn-v1",outcome="joined"})") == "7");
  CHECK(value_of(text, R"(driftd_labels_total{model="churn-v1",outcome="unmatched"})") == "2");
  CHECK(value_of(text, R"(driftd_labels_pending{model="churn-v1"})") == "3");
  CHECK(value_of(text, R"(driftd_label_lag_seconds{model="churn-v1"})") == "90.5");
  CHECK(value_of(text, R"(driftd_reference_performance{metric="accuracy",model="churn-v1"})") == "0.95");
  CHECK(value_of(text, R"(driftd_model_performance{metric="accuracy",model="churn-v1"})") == "0.8");
  CHECK(value_of(text, R"(driftd_model_performance{metric="error_rate",model="churn-v1"})") == "0.2");
  CHECK(value_of(text, R"(driftd_model_performance{metric="f1",model="churn-v1"})") == "0.5");
  CHECK(value_of(text, R"(driftd_drift_statistic{feature="label",model="churn-v1",test="performance"})") == "0.15");
  CHECK(value_of(text, R"(driftd_drift_detected{feature="label",model="churn-v1",test="performance"})") == "1");
  CHECK(value_of(text, R"(driftd_drift_statistic{feature="label",model="churn-v1",test="ddm"})") == "2.5");
  CHECK(value_of(text, R"(driftd_drift_detected{feature="label",model="churn-v1",test="ddm"})") == "0");
  CHECK(value_of(text, R"(driftd_alerts_total{model="churn-v1",severity="warning"})") == "1");
  // The feature window's series are the feature window's: a labelled window leaves them alone.
  CHECK(value_of(text, R"(driftd_evaluations_total{model="churn-v1"})") == "0");
  CHECK(value_of(text, R"(driftd_model_drift{model="churn-v1"})") == "0");
  CHECK(value_of(text, R"(driftd_window_events{model="churn-v1"})") == "0");

  REQUIRE(std::system("command -v promtool > /dev/null 2>&1") == 0);
  const auto [status, output] = promtool_check(text);
  INFO(output);
  CHECK(status == 0);
}

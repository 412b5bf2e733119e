#include "labels/performance.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "golden.h"
#include "labels/class_text.h"
#include "labels/labelled_outcome.h"

using namespace driftd;

namespace {

// A prediction or a label as an event would carry it.
LabelValue value_of(simdjson::dom::element json, std::string& text_storage) {
  LabelValue value;
  if (json.is_bool()) {
    value.kind = LabelValue::Kind::text;
    text_storage = bool(json) ? "true" : "false";
    value.text = text_storage;
  } else if (json.is_number()) {
    value.kind = LabelValue::Kind::number;
    value.number = double(json);
  } else {
    value.kind = LabelValue::Kind::text;
    text_storage = std::string(std::string_view(json));
    value.text = text_storage;
  }
  return value;
}

}  // namespace

TEST_CASE("performance: metrics equal scikit-learn's on every fixture", "[performance][golden]") {
  simdjson::dom::parser parser;
  const auto golden = driftd::testing::load_golden(parser, "performance.json");
  int cases = 0;
  for (auto c : golden["cases"].get_array()) {
    const std::string name{std::string_view(c["name"])};
    INFO(name);
    LabelsConfig labels;
    labels.task = std::string_view(c["task"]) == "regression" ? LabelTask::regression : LabelTask::classification;
    std::string_view positive;
    if (c["positive_class"].get(positive) == simdjson::SUCCESS) labels.positive_class = std::string(positive);
    double threshold = 0;
    if (c["threshold"].get(threshold) == simdjson::SUCCESS) labels.threshold = threshold;

    std::vector<LabelledOutcome> outcomes;
    auto predictions = c["predictions"].get_array();
    auto truth = c["labels"].get_array();
    REQUIRE(predictions.size() == truth.size());
    for (std::size_t i = 0; i < truth.size(); ++i) {
      std::string prediction_text, label_text;
      const LabelValue prediction = value_of(predictions.at(i), prediction_text);
      const LabelValue label = value_of(truth.at(i), label_text);
      OutcomeProblem problem;
      const auto outcome = labelled_outcome(labels, prediction, label, problem);
      REQUIRE(outcome);
      outcomes.push_back(*outcome);
    }
    std::map<std::string, double> expected;
    for (auto [key, value] : c["metrics"].get_object()) expected[std::string(key)] = double(value);
    const auto metrics = performance_metrics(labels, outcomes);
    REQUIRE(metrics.size() == expected.size());
    for (const PerformanceMetric& metric : metrics) {
      INFO(metric.name);
      REQUIRE(expected.contains(std::string(metric.name)));
      CHECK(metric.value == Approx(expected[std::string(metric.name)]).epsilon(1e-12).margin(1e-15));
    }
    ++cases;
  }
  CHECK(cases >= 15);
}

TEST_CASE("performance: a class is the same whatever JSON type carried it", "[performance]") {
  CHECK(class_text_of_number(1.0) == "1");
  CHECK(class_text_of_number(-0.0) == "0");
  CHECK(class_text_of_number(2.5) == "2.5");
  CHECK(class_text_of_token("1.0") == "1");
  CHECK(class_text_of_token("1e0") == "1");
  CHECK(class_text_of_token("fraud") == "fraud");
  CHECK(class_text_of_token("inf") == "inf");
  CHECK(class_text_of_token("0x10") == "0x10");
  CHECK(class_text_of_token("true") == "true");
}

TEST_CASE("performance: a regression outcome needs numbers and a prediction", "[performance]") {
  LabelsConfig labels;
  labels.task = LabelTask::regression;
  OutcomeProblem problem;
  const LabelValue none;
  const LabelValue three{LabelValue::Kind::number, 3.0, {}};
  const LabelValue five{LabelValue::Kind::number, 5.5, {}};
  const LabelValue text{LabelValue::Kind::text, 0.0, "x"};
  CHECK_FALSE(labelled_outcome(labels, none, three, problem));
  CHECK(problem == OutcomeProblem::no_prediction);
  CHECK_FALSE(labelled_outcome(labels, text, three, problem));
  CHECK(problem == OutcomeProblem::wrong_type);
  const auto outcome = labelled_outcome(labels, five, three, problem);
  REQUIRE(outcome);
  CHECK(outcome->error == 2.5);
  CHECK(performance_drop(LabelTask::regression, 1.0, 1.25) == 0.25);
  CHECK(performance_drop(LabelTask::classification, 0.9, 0.8) == Approx(0.1));
}

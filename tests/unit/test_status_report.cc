#include <simdjson.h>

#include <catch2/catch.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "daemon/status_report.h"
#include "engine/pipeline.h"
#include "temp_file.h"

using driftd::EvaluationReport;
using driftd::LastEvaluation;
using driftd::Pipeline;
using driftd::testing::TempDir;

namespace {

// A classifier with labels (labelled window 4 / 2, a performance test
// against a reference whose own predictions are all right) and a model
// without labels.
const char* kConfig = R"(models:
  - id: clf
    reference: {path: clf.csv}
    window: {size: 50, step: 10}
    features:
      - {name: x, type: numeric, tests: [ks]}
    labels:
      positive_class: 1
      window: {size: 4, step: 2}
      max_drop: 0.2
  - id: plain
    reference: {from_stream: 10}
    window: {size: 50, step: 10}
    features:
      - {name: x, type: numeric, tests: [ks]}
)";

std::string reference_csv() {
  std::string out = "x,prediction,label\n";
  for (int i = 0; i < 40; ++i)
    out += std::to_string(i % 5) + "," + std::to_string(i % 2) + "," + std::to_string(i % 2) + "\n";
  return out;
}

struct Recorder final : driftd::PipelineSink {
  void on_invalid(const driftd::MessageSource&, driftd::InvalidReason) override {}
  void on_evaluation(const EvaluationReport& report) override {
    auto& last = report.labelled_window ? labelled : features;
    last[report.model] = LastEvaluation{report.window, report.decision.drift, report.decision.drifted_share};
  }
  std::vector<std::optional<LastEvaluation>> features = std::vector<std::optional<LastEvaluation>>(2);
  std::vector<std::optional<LastEvaluation>> labelled = std::vector<std::optional<LastEvaluation>>(2);
};

struct Status {
  std::string json;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
};

void status_of(Pipeline& pipeline, const driftd::Config& config, const Recorder& recorder, Status& status) {
  const std::map<driftd::PartitionId, driftd::PartitionTracker::Position> partitions;
  const std::vector<driftd::PartitionLag> lags;
  status.json = driftd::status_json({.pipeline = pipeline,
                                     .models = config.models,
                                     .last_evaluations = recorder.features,
                                     .last_label_evaluations = recorder.labelled,
                                     .partitions = partitions,
                                     .lags = lags});
  status.root = status.parser.parse(status.json);
}

}  // namespace

TEST_CASE("status: a model with labels shows its labels by outcome, coverage, lag and performance", "[status]") {
  TempDir dir;
  dir.write("clf.csv", reference_csv());
  const driftd::Config config = driftd::load_config(dir.write("driftd.yaml", kConfig));
  Pipeline pipeline(config);
  Recorder recorder;

  Status before;
  status_of(pipeline, config, recorder, before);
  simdjson::dom::element labels = before.root["models"].at(0)["labels"];
  CHECK(labels["coverage"].is_null());
  CHECK(labels["last_lag_ms"].is_null());
  CHECK(labels["last_window"].is_null());
  CHECK(labels["performance"].is_null());
  CHECK(double(labels["reference_performance"]["accuracy"]) == 1.0);
  CHECK(before.root["models"].at(1)["labels"].error() == simdjson::NO_SUCH_FIELD);

  for (const char* event : {
           // Three labels in their events: right, right, wrong.
           R"({"model_id":"clf","ts":1000,"features":{"x":1},"prediction":1,"label":1})",
           R"({"model_id":"clf","ts":1001,"features":{"x":2},"prediction":0,"label":0})",
           R"({"model_id":"clf","ts":1002,"features":{"x":3},"prediction":1,"label":0})",
           // Two predictions waiting for feedback; e1's comes 497 ms later
           // and makes the fourth labelled event: a window.
           R"({"model_id":"clf","ts":1003,"features":{"x":4},"prediction":1,"event_id":"e1"})",
           R"({"model_id":"clf","ts":1004,"features":{"x":0},"prediction":0,"event_id":"e2"})",
           R"({"model_id":"clf","ts":1500,"event_id":"e1","label":1})",
           R"({"model_id":"clf","ts":1501,"event_id":"e1","label":0})",
           R"({"model_id":"clf","ts":1502,"event_id":"nobody","label":1})",
           // A label without a prediction to compare with.
           R"({"model_id":"clf","ts":1503,"features":{"x":1},"label":1})",
           R"({"model_id":"plain","ts":1503,"features":{"x":1}})",
       }) {
    REQUIRE(pipeline.process(event, 0, recorder) != Pipeline::kNoModel);
  }

  Status after;
  status_of(pipeline, config, recorder, after);
  INFO(after.json);
  simdjson::dom::element model = after.root["models"].at(0);
  CHECK(int64_t(model["events"]) == 9);  // feedback events included
  // The labelled window is not the feature window's evaluation.
  CHECK(model["last_evaluation"].is_null());
  labels = model["labels"];
  CHECK(std::string_view(labels["task"]) == "classification");
  const std::map<std::string, std::int64_t> expected{{"in_event", 3}, {"joined", 1},       {"unmatched", 1},
                                                     {"late", 0},     {"duplicate", 1},    {"expired", 0},
                                                     {"dropped", 0},  {"no_prediction", 1}};
  std::map<std::string, std::int64_t> counts;
  for (const auto field : simdjson::dom::object(labels["counts"]))
    counts[std::string(field.key)] = int64_t(field.value);
  CHECK(counts == expected);
  CHECK(int64_t(labels["labelled"]) == 4);
  CHECK(int64_t(labels["pending"]) == 1);  // e2
  // 4 labelled of the 6 predictions (feedback events are not predictions).
  CHECK(double(labels["coverage"]) == Approx(4.0 / 6.0));
  CHECK(int64_t(labels["last_lag_ms"]) == 497);
  CHECK(int64_t(labels["last_window"]["window_count"]) == 4);
  CHECK(int64_t(labels["last_window"]["start_ts"]) == 1000);
  CHECK(int64_t(labels["last_window"]["end_ts"]) == 1500);
  CHECK(bool(labels["last_window"]["drift"]) == true);  // accuracy 0.75: 0.25 below the reference's 1
  CHECK(double(labels["performance"]["accuracy"]) == 0.75);
  CHECK(double(labels["performance"]["error_rate"]) == 0.25);
  CHECK(double(labels["performance"]["precision"]) == Approx(2.0 / 3.0));
  CHECK(double(labels["performance"]["recall"]) == 1.0);
  CHECK(double(labels["reference_performance"]["accuracy"]) == 1.0);
  CHECK(after.root["models"].at(1)["labels"].error() == simdjson::NO_SUCH_FIELD);
}

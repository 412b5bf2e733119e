// `driftd replay` with ground truth: a classifier whose concept drifts
// part-way (the outcome comes to depend on the features differently) while
// the features keep their distribution. No feature test can see it; the
// performance test and the concept-drift detectors must, with a retrain
// trigger, and nothing may fire before the change.
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <deque>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "run_driftd.h"

using driftd::testing::Run;
using driftd::testing::run_driftd;
using Catch::Matchers::Contains;

namespace {

constexpr int kEvents = 12000;
constexpr int kOnset = 6000;  // from here the label follows x - y instead of x + y
constexpr std::int64_t kStart = 1763800000000;
constexpr int kFeedbackDelay = 40;  // feedback events arrive this many events after their prediction

std::int64_t ts_of(int i) { return kStart + std::int64_t(i) * 1000; }

// The model predicts sign(x + y); the truth agrees but for 5 % noise,
// until the onset, when it starts following x - y.
int truth(double x, double y, bool drifted, std::mt19937_64& random) {
  const bool positive = drifted ? x - y > 0 : x + y > 0;
  const bool flip = std::uniform_real_distribution<double>(0, 1)(random) < 0.05;
  return int(positive != flip);
}

std::string reference_csv(std::mt19937_64& random) {
  std::normal_distribution<double> normal;
  std::ostringstream out;
  out << "x,y,prediction,label\n";
  for (int i = 0; i < 20000; ++i) {
    const double x = normal(random), y = normal(random);
    out << x << "," << y << "," << int(x + y > 0) << "," << truth(x, y, false, random) << "\n";
  }
  return out.str();
}

// Odd events carry their label; even ones an event_id, labelled later by a
// feedback event. Also: a duplicate label, an orphan label, and a label
// of the wrong type (dead-lettered).
std::string events(std::mt19937_64& random) {
  std::normal_distribution<double> normal;
  std::ostringstream out;
  std::deque<std::pair<int, int>> feedback;  // (event, label) waiting to be sent
  for (int i = 0; i < kEvents; ++i) {
    const double x = normal(random), y = normal(random);
    const int label = truth(x, y, i >= kOnset, random);
    out << "{\"model_id\":\"clf\",\"ts\":" << ts_of(i) << ",\"features\":{\"x\":" << x << ",\"y\":" << y
        << "},\"prediction\":" << int(x + y > 0);
    if (i % 2 == 1) {
      out << ",\"label\":" << label << "}\n";
    } else {
      out << ",\"event_id\":\"e" << i << "\"}\n";
      feedback.emplace_back(i, label);
    }
    while (!feedback.empty() && feedback.front().first + kFeedbackDelay <= i) {
      const auto [event, value] = feedback.front();
      out << "{\"model_id\":\"clf\",\"ts\":" << ts_of(i) << ",\"event_id\":\"e" << event << "\",\"label\":" << value
          << "}\n";
      if (event == 100) out << "{\"model_id\":\"clf\",\"ts\":" << ts_of(i) << ",\"event_id\":\"e100\",\"label\":0}\n";
      feedback.pop_front();
    }
    if (i == 200) out << "{\"model_id\":\"clf\",\"ts\":" << ts_of(i) << ",\"event_id\":\"nobody\",\"label\":1}\n";
    if (i == 300) out << "{\"model_id\":\"clf\",\"ts\":" << ts_of(i) << ",\"event_id\":\"e1\",\"label\":[1]}\n";
  }
  return out.str();
}

const char* kConfig = R"(defaults: {p_value: 0.001}
models:
  - id: clf
    reference: {path: clf.csv}
    window: {size: 1000, step: 250}
    features:
      - {name: x, type: numeric, tests: [ks]}
      - {name: y, type: numeric, tests: [ks]}
    prediction: {type: categorical, tests: [chi2]}
    alerting: {mode: per_window, min_consecutive: 2, cooldown: 10m}
    retrain: {drifted_share: 0.5, cooldown: 6h}
    labels:
      task: classification
      positive_class: 1
      window: {size: 500, step: 250}
      max_drop: 0.1
      detectors: [adwin, page_hinkley, hddm_a]
)";

}  // namespace

TEST_CASE("labels cli: a concept drift without feature drift fires performance and detector alerts and a trigger",
          "[cli][labels]") {
  const auto dir = driftd::testing::make_temp_dir();
  std::mt19937_64 random(20261203);
  std::ofstream(dir / "clf.csv") << reference_csv(random);
  std::ofstream(dir / "driftd.yaml") << kConfig;
  std::ofstream(dir / "events.jsonl") << events(random);

  const std::string args = "replay --config " + (dir / "driftd.yaml").string() + " --input " + (dir / "events.jsonl").string();
  const Run run = run_driftd(args);
  INFO(run.err);
  REQUIRE(run.status == 0);
  // The list-valued label is a bad event; the duplicate and the orphan are counted.
  CHECK_THAT(run.err, Contains("wrong_type 1"));
  CHECK_THAT(run.err, Contains("1 unmatched") && Contains("1 duplicate"));
  CHECK_THAT(run.err, Contains("accuracy"));

  simdjson::dom::parser parser;
  std::set<std::string> fired;  // tests with a firing alert
  int triggers = 0;
  std::int64_t performance_at = 0;
  std::istringstream lines(run.out);
  std::string line;
  while (std::getline(lines, line)) {
    const simdjson::dom::element message = parser.parse(line);
    const std::int64_t at = std::int64_t(message["evaluated_at"]);
    CHECK(at >= ts_of(kOnset));  // nothing before the change
    if (std::string_view(message["schema"]) == "driftd.alert.v1") {
      // No feature (nor the prediction's distribution) moved.
      CHECK(std::string_view(message["feature"]) == "label");
      if (std::string_view(message["state"]) != "firing") continue;
      const std::string test{std::string_view(message["test"])};
      fired.insert(test);
      if (test == "performance" && performance_at == 0) performance_at = at;
    } else {
      ++triggers;
      auto drifted = message["drifted_features"].get_array();
      REQUIRE(drifted.size() == 1);
      CHECK(std::string_view(drifted.at(0)) == "label");
    }
  }
  CHECK(fired.contains("performance"));
  CHECK(fired.contains("page_hinkley"));
  CHECK(fired.contains("adwin"));
  CHECK(triggers == 1);  // cooldown 6h: the stream spans 3 h 20 min
  // Accuracy goes from 0.95 to 0.5: the labelled window of 500 has lost
  // 0.1 of it after ~110 drifted labels, so within a step and a half of
  // labels (one label per event, feedback 40 events late) plus min_consecutive.
  REQUIRE(performance_at > 0);
  CHECK(performance_at <= ts_of(kOnset + 110 + 250 + 250 + kFeedbackDelay));

  const Run again = run_driftd(args);
  CHECK(again.status == 0);
  CHECK(again.out == run.out);  // byte for byte
}

TEST_CASE("labels cli: validate shows what the labels do, and names a reference without labels", "[cli][labels]") {
  const auto dir = driftd::testing::make_temp_dir();
  std::mt19937_64 random(7);
  std::ofstream(dir / "clf.csv") << reference_csv(random);
  std::ofstream(dir / "driftd.yaml") << kConfig;
  const Run run = run_driftd("validate --config " + (dir / "driftd.yaml").string());
  INFO(run.err);
  REQUIRE(run.status == 0);
  CHECK_THAT(run.out, Contains("labels: classification, positive class 1; windows of 500 labelled events"));
  CHECK_THAT(run.out, Contains("performance: fires when accuracy falls more than 0.1 below the reference's (0.9"));
  CHECK_THAT(run.out, Contains("concept-drift detectors on the errors: adwin, page_hinkley, hddm_a"));

  std::ofstream(dir / "clf.csv") << "x,y,prediction\n1,2,1\n";
  for (const char* command : {"validate", "replay"}) {
    INFO(command);
    const std::string extra = std::string(command) == "replay" ? " --input " + (dir / "clf.csv").string() : "";
    const Run bad = run_driftd(std::string(command) + " --config " + (dir / "driftd.yaml").string() + extra);
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Contains("clf.csv") && Contains("label") && Contains("label and a prediction column"));
  }
}

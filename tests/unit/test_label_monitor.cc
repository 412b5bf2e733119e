#include "labels/label_monitor.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>

using namespace driftd;

namespace {

// A prediction event with its label: right when `right`.
DecodedEvent labelled(int prediction, bool right, std::int64_t ts) {
  DecodedEvent event;
  event.ts_ms = ts;
  event.prediction = LabelValue{LabelValue::Kind::number, double(prediction), {}};
  event.label = LabelValue{LabelValue::Kind::number, double(right ? prediction : 1 - prediction), {}};
  return event;
}

LabelsConfig classifier(std::size_t size, std::size_t step) {
  LabelsConfig labels{.positive_class = std::string(1, '1')};
  labels.window = WindowConfig{.size = size, .step = step};
  labels.max_drop = 0.1;
  return labels;
}

std::string id_of(int i) {
  std::string id = "e";
  id += std::to_string(i);
  return id;
}

}  // namespace

TEST_CASE("label monitor: the labelled window is evaluated once full, then every step", "[labels][monitor]") {
  const LabelsConfig labels = classifier(10, 4);
  LabelMonitor monitor(labels, 0.9);
  std::vector<std::uint64_t> evaluated_at;
  for (int i = 1; i <= 30; ++i) {
    if (const auto evaluation = monitor.on_event(labelled(i % 2, true, 1000 + i))) {
      evaluated_at.push_back(evaluation->window.end_sequence);
      CHECK(evaluation->window.count == 10);
      CHECK(evaluation->window.end_ts == 1000 + i);
      CHECK(evaluation->window.start_ts == 1000 + i - 9);
    }
  }
  CHECK(evaluated_at == std::vector<std::uint64_t>{10, 14, 18, 22, 26, 30});
}

TEST_CASE("label monitor: a time window is evaluated at the first label past each step, over its duration",
          "[labels][monitor]") {
  LabelsConfig labels = classifier(10, 10);
  labels.window = WindowConfig{.duration = Millis(1000), .step_duration = Millis(250), .max_events = 100};
  LabelMonitor monitor(labels, 0.9);
  // A label every 100 ms from t = 0, one 60 ms out of order at 1030, and a
  // silence from 2000 to 3100.
  std::vector<std::int64_t> times;
  for (std::int64_t t = 0; t < 2000; t += 100) times.push_back(t);
  times.insert(times.begin() + 11, 1030 - 60);
  times.push_back(3100);
  struct Seen {
    std::int64_t at;
    std::uint64_t count;
    std::int64_t first, last;
  };
  std::vector<Seen> seen;
  for (const std::int64_t t : times) {
    if (const auto evaluation = monitor.on_event(labelled(1, true, t))) {
      seen.push_back({t, evaluation->window.count, evaluation->window.start_ts, evaluation->window.end_ts});
    }
  }
  // Steps end at 250, 500, ...: the label at 300 closes [-750, 250) (3 labels),
  // the one at 600 closes [-500, 500), ... each window the last second before its end.
  REQUIRE(seen.size() >= 7);
  CHECK(seen[0].at == 300);
  CHECK(seen[0].count == 3);  // 0, 100, 200
  CHECK(seen[1].at == 500);
  CHECK(seen[1].count == 5);  // 0 .. 400 before 500
  // [250, 1250): 300 .. 1200 and the late 970: 11 labels.
  const auto at_1300 = std::find_if(seen.begin(), seen.end(), [](const Seen& s) { return s.at == 1300; });
  REQUIRE(at_1300 != seen.end());
  CHECK(at_1300->count == 11);
  CHECK(at_1300->first == 300);
  CHECK(at_1300->last == 1200);
  // After the silence, the label at 3100 closes [1000, 2000): 10 labels; no
  // evaluation for the empty steps between.
  CHECK(seen.back().at == 3100);
  CHECK(seen.back().count == 10);
}

TEST_CASE("label monitor: performance fires when accuracy falls more than max_drop below the reference's",
          "[labels][monitor]") {
  const LabelsConfig labels = classifier(10, 10);
  // Reference accuracy 0.9: a window with 8 of 10 right has dropped 0.1,
  // not more; 7 of 10 has dropped 0.2.
  for (const auto& [right, drift] : {std::pair{8, false}, std::pair{7, true}}) {
    LabelMonitor monitor(labels, 0.9);
    std::optional<LabelEvaluation> evaluation;
    for (int i = 0; i < 10; ++i) evaluation = monitor.on_event(labelled(1, i < right, i));
    REQUIRE(evaluation);
    const TestResult& test = evaluation->evaluation.features.at(0).tests.at(0);
    CHECK(test.test == "performance");
    CHECK(test.statistic == Approx(0.9 - right / 10.0));
    CHECK(evaluation->decision.tests[0][0].drift == drift);
    CHECK(evaluation->decision.drift == drift);
    CHECK(evaluation->evaluation.features[0].name == "label");
  }
}

TEST_CASE("label monitor: a label without a prediction is counted and gives no outcome", "[labels][monitor]") {
  LabelMonitor monitor(classifier(10, 10), 0.9);
  DecodedEvent event = labelled(1, true, 5);
  event.prediction = {};
  CHECK_FALSE(monitor.on_event(event));
  CHECK(monitor.counts().no_prediction == 1);
  CHECK(monitor.counts().in_event == 0);
  CHECK(monitor.counts().outcomes == 0);
}

TEST_CASE("label monitor: ADWIN alerts when the error rises, not when it falls", "[labels][monitor][adwin]") {
  LabelsConfig labels = classifier(200, 100);
  labels.max_drop.reset();
  labels.detectors = {"adwin"};
  for (const bool worse : {true, false}) {
    INFO((worse ? "rising error" : "falling error"));
    LabelMonitor monitor(labels, std::nullopt);
    std::mt19937_64 random(5);
    std::uniform_real_distribution<double> uniform;
    bool alerted = false;
    for (int i = 0; i < 4000; ++i) {
      const double error_rate = (i < 2000) == worse ? 0.1 : 0.5;
      if (const auto evaluation = monitor.on_event(labelled(1, uniform(random) >= error_rate, i))) {
        alerted = alerted || evaluation->decision.tests[0][0].drift;
      }
    }
    CHECK(alerted == worse);
  }
}

TEST_CASE("label monitor: a snapshot restored into a new monitor continues identically", "[labels][monitor]") {
  LabelsConfig labels = classifier(50, 10);
  labels.detectors = {"ddm", "adwin", "page_hinkley", "hddm_w"};
  labels.max_pending = 30;
  LabelMonitor whole(labels, 0.9);
  LabelMonitor restored(labels, 0.9);
  std::mt19937_64 random(9);
  std::uniform_real_distribution<double> uniform;
  std::vector<std::string> ids;
  for (int i = 0; i < 3000; ++i) {
    DecodedEvent event = labelled(int(uniform(random) < 0.5), uniform(random) < (i < 1500 ? 0.9 : 0.6), i * 10);
    ids.push_back(id_of(i % 97));
    if (i % 3 == 1) {  // awaiting feedback
      event.label = {};
      event.event_id = ids.back();
    } else if (i % 3 == 2 && i >= 4) {  // feedback for an earlier one
      event.feedback = true;
      event.event_id = ids[std::size_t(i - 4)];
    }
    if (i == 1234) REQUIRE(restored.restore(whole.snapshot()));
    const auto a = whole.on_event(event);
    if (i < 1234) continue;
    const auto b = restored.on_event(event);
    REQUIRE(a.has_value() == b.has_value());
    if (!a) continue;
    REQUIRE(a->evaluation.features[0].tests.size() == b->evaluation.features[0].tests.size());
    for (std::size_t t = 0; t < a->evaluation.features[0].tests.size(); ++t) {
      CHECK(a->evaluation.features[0].tests[t].statistic == b->evaluation.features[0].tests[t].statistic);
      CHECK(a->decision.tests[0][t].drift == b->decision.tests[0][t].drift);
    }
  }
  const LabelCounts x = whole.counts(), y = restored.counts();
  CHECK(x.outcomes == y.outcomes);
  CHECK(x.join.joined == y.join.joined);
  CHECK(x.join.dropped == y.join.dropped);
  CHECK(x.join.duplicate == y.join.duplicate);
  CHECK(whole.pending() == restored.pending());

  // A snapshot of another configuration does not fit.
  LabelsConfig other = labels;
  other.detectors = {"ddm"};
  LabelMonitor elsewhere(other, 0.9);
  CHECK_FALSE(elsewhere.restore(whole.snapshot()));
  CHECK(elsewhere.counts().outcomes == 0);
}

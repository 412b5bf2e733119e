// Restarting from a snapshot (state/partition_snapshot.h) at any message:
// the model's decision state put back, its windows refilled from the
// snapshot's replay-from offset, then the rest of the stream — gives the
// same evaluations and outputs, bit for bit, as the run that never stopped.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/pipeline.h"
#include "temp_file.h"

using driftd::EvaluationReport;
using driftd::Pipeline;
using driftd::testing::TempDir;

namespace {

// Four models in one partition:
//  - counted: count window, reference from the stream, per-window decisions,
//    a categorical column that passes the category bound (overflow code);
//  - timed: time window with out-of-order events, late ones and max_events;
//  - joint: calibrated count window with a file reference and MMD;
//  - gather: a from_stream reference longer than some restarts are in;
//  - graded: ground truth, inline and from feedback events, with a concept
//    drift half way, a time window of labels, the performance test and
//    three detectors.
const char* kConfig = R"(models:
  - id: counted
    reference: {from_stream: 300}
    window: {size: 200, step: 50}
    alerting: {mode: per_window, min_consecutive: 2, cooldown: 1s}
    retrain: {drifted_share: 0.5, cooldown: 2s}
    features:
      - {name: x, type: numeric, tests: [ks, psi]}
      - {name: c, type: categorical, tests: [chi2, psi]}
  - id: timed
    reference: {from_stream: 200}
    window: {duration: 2s, step: 500ms, max_events: 150}
    alerting: {mode: per_window, cooldown: 1s}
    features:
      - {name: x, type: numeric, tests: [ks]}
  - id: joint
    reference: {path: joint.csv}
    window: {size: 100, step: 25}
    alerting: {false_alarm_every: 2500}
    features:
      - {name: a, type: numeric, tests: [ks]}
      - {name: b, type: numeric, tests: [psi]}
    multivariate:
      - {test: mmd, features: [a, b], max_points: 100}
  - id: gather
    reference: {from_stream: 2500}
    window: {size: 100, step: 100}
    alerting: {mode: per_window}
    features:
      - {name: x, type: numeric, tests: [ks]}
  - id: graded
    reference: {path: graded.csv}
    window: {size: 100, step: 50}
    alerting: {mode: per_window, cooldown: 1s}
    features:
      - {name: x, type: numeric, tests: [ks]}
    labels:
      positive_class: 1
      join_within: 3s
      max_pending: 40
      window: {duration: 2s, step: 500ms}
      max_drop: 0.1
      detectors: [ddm, adwin, page_hinkley]
)";

struct Lcg {
  std::uint64_t state;
  double next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return double(state >> 11) / double(1ULL << 53);
  }
};

// x, and a prediction right 90 % of the time.
std::string graded_reference() {
  Lcg rng{11};
  std::string csv = "x,prediction,label\n";
  for (int i = 0; i < 400; ++i) {
    const int prediction = rng.next() < 0.5 ? 1 : 0;
    const int label = rng.next() < 0.9 ? prediction : 1 - prediction;
    char line[64];
    std::snprintf(line, sizeof line, "%.6f,%d,%d\n", rng.next(), prediction, label);
    csv += line;
  }
  return csv;
}

std::string joint_reference() {
  Lcg rng{7};
  std::string csv = "a,b\n";
  for (int i = 0; i < 400; ++i) {
    char line[64];
    std::snprintf(line, sizeof line, "%.6f,%.6f\n", rng.next(), rng.next());
    csv += line;
  }
  return csv;
}

// The stream: the four models interleaved, drifting half way, with an
// invalid message now and then.
std::vector<std::string> stream(int count) {
  Lcg rng{20261203};
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    const double shift = i > count / 2 ? 0.4 : 0.0;
    char message[256];
    if (i % 6 == 5) {
      // graded: by turns a prediction awaiting feedback, one with its
      // label, and the feedback for the prediction of 14 turns before (some
      // too late, past join_within). Right 90 % of the time, then 50 %.
      const int turn = i / 6;
      const int ts = 1000 + 10 * i;
      const int prediction = rng.next() < 0.5 ? 1 : 0;
      const double right = i > count / 2 ? 0.5 : 0.9;
      const int label = rng.next() < right ? prediction : 1 - prediction;
      if (turn % 3 == 0) {
        std::snprintf(message, sizeof message,
                      R"({"model_id":"graded","ts":%d,"event_id":"p%d","features":{"x":%.4f},"prediction":%d})", ts,
                      turn, rng.next(), prediction);
      } else if (turn % 3 == 1) {
        std::snprintf(message, sizeof message,
                      R"({"model_id":"graded","ts":%d,"features":{"x":%.4f},"prediction":%d,"label":%d})", ts,
                      rng.next(), prediction, label);
      } else {
        const int late = turn % 21 == 2 ? 4000 : 0;
        std::snprintf(message, sizeof message, R"({"model_id":"graded","ts":%d,"event_id":"p%d","label":%d})",
                      ts + late, turn - 14, label);
      }
      out.emplace_back(message);
      continue;
    }
    switch (i % 5) {
      case 0:
      case 1: {
        // Categories: a handful of common ones, and a trickle of new ones
        // that passes the bound of 1000 per column.
        const int category = rng.next() < 0.6 ? int(rng.next() * 5) : 10 + i;
        std::snprintf(message, sizeof message,
                      R"({"model_id":"counted","ts":%d,"features":{"x":%.4f,"c":"k%d"}})", 1000 + 10 * i,
                      rng.next() + shift, category);
        break;
      }
      case 2: {
        // Out of order by up to 1.5 s: some events are late.
        const int ts = 1000 + 10 * i - int(rng.next() * 1500);
        std::snprintf(message, sizeof message, R"({"model_id":"timed","ts":%d,"features":{"x":%.4f}})", ts,
                      rng.next() + shift);
        break;
      }
      case 3:
        std::snprintf(message, sizeof message, R"({"model_id":"joint","ts":%d,"features":{"a":%.4f,"b":%.4f}})",
                      1000 + 10 * i, rng.next() + shift, rng.next());
        break;
      default:
        if (i % 35 == 4) {
          std::snprintf(message, sizeof message, "not json %d", i);
        } else {
          std::snprintf(message, sizeof message, R"({"model_id":"gather","ts":%d,"features":{"x":%.4f}})",
                        1000 + 10 * i, rng.next());
        }
    }
    out.emplace_back(message);
  }
  return out;
}

// Everything an evaluation says, down to the bits of its statistics.
struct Transcript final : driftd::PipelineSink {
  void on_evaluation(const EvaluationReport& report) override {
    char head[128];
    std::snprintf(head, sizeof head, "%zu @%llu n%zu [%lld,%lld]", report.model,
                  static_cast<unsigned long long>(report.window.end_sequence), std::size_t(report.window.count),
                  static_cast<long long>(report.window.start_ts), static_cast<long long>(report.window.end_ts));
    std::string line = head;
    char number[40];
    for (const auto& feature : report.evaluation.features) {
      for (const auto& test : feature.tests) {
        std::snprintf(number, sizeof number, " %a", test.statistic);
        line += number;
      }
    }
    for (const auto& test : report.evaluation.multivariate) {
      std::snprintf(number, sizeof number, " %a", test.test.statistic);
      line += number;
    }
    for (const auto& alert : report.output.alerts) line.append(" ").append(driftd::alert_json(alert));
    if (report.output.retrain) line.append(" ").append(driftd::retrain_json(*report.output.retrain));
    lines.push_back(std::move(line));
  }
  std::vector<std::string> lines;
};

driftd::MessageSource at(const std::vector<std::string>& messages, std::size_t offset) {
  return {.payload = messages[offset], .topic = "ml.events", .partition = 0, .offset = std::int64_t(offset)};
}

}  // namespace

TEST_CASE("restore: a snapshot, the window refilled from replay_from, then the rest equals the run that never stopped",
          "[restore]") {
  TempDir dir;
  dir.write("joint.csv", joint_reference());
  dir.write("graded.csv", graded_reference());
  const driftd::Config config = driftd::load_config(dir.write("driftd.yaml", kConfig));
  const std::vector<std::string> messages = stream(6000);

  // The uninterrupted run: from which message on each evaluation came, and
  // the snapshots it would have written at each cut.
  const std::vector<std::size_t> cuts = {1, 777, 2400, 3001, 4444, 5999};
  Pipeline whole(config);
  Transcript all;
  std::vector<std::size_t> lines_before(messages.size() + 1, 0);
  std::vector<std::vector<driftd::ModelSnapshot>> snapshots;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (std::find(cuts.begin(), cuts.end(), i) != cuts.end()) {
      auto& taken = snapshots.emplace_back();
      for (std::size_t m = 0; m < config.models.size(); ++m) taken.push_back(whole.snapshot(m));
    }
    lines_before[i] = all.lines.size();
    whole.process(at(messages, i), 0, all);
  }
  lines_before[messages.size()] = all.lines.size();
  REQUIRE(all.lines.size() > 100);
  // The labelled model evaluated, and its performance fired.
  CHECK(std::count_if(all.lines.begin(), all.lines.end(), [](const std::string& l) {
          return l.find("\"test\":\"performance\"") != std::string::npos;
        }) >= 1);
  CHECK(std::count_if(all.lines.begin(), all.lines.end(),
                      [](const std::string& l) { return l.find("\"state\":\"firing\"") != std::string::npos; }) > 3);

  // One pipeline restored again and again: a file reference's calibration
  // is kept across restores, which keeps this test quick.
  Pipeline after(config);
  for (std::size_t k = 0; k < cuts.size(); ++k) {
    const std::size_t cut = cuts[k];
    INFO("cut at " << cut);
    std::int64_t replay_from = std::int64_t(cut);
    for (std::size_t m = 0; m < config.models.size(); ++m) {
      std::string why;
      REQUIRE(after.restore(m, snapshots[k][m], why));
      if (snapshots[k][m].window.refill_offset >= 0) {
        replay_from = std::min(replay_from, snapshots[k][m].window.refill_offset);
      }
    }
    Transcript resumed;
    for (std::size_t i = std::size_t(replay_from); i < cut; ++i) {
      after.process(at(messages, i), 0, resumed, Pipeline::Mode::refill);
    }
    CHECK(resumed.lines.empty());
    for (std::size_t i = cut; i < messages.size(); ++i) after.process(at(messages, i), 0, resumed);

    const std::vector<std::string> expected(all.lines.begin() + long(lines_before[cut]), all.lines.end());
    REQUIRE(resumed.lines.size() == expected.size());
    for (std::size_t j = 0; j < expected.size(); ++j) REQUIRE(resumed.lines[j] == expected[j]);
    // About a window re-read, not the stream: the graded model's window of
    // 100 predictions is the longest, its predictions a ninth of the
    // messages (feedback events are not in the window), so ~900 messages.
    // Its labelled window and waiting predictions come from the snapshot.
    if (cut > 3000) CHECK(std::int64_t(cut) - replay_from <= 950);
  }
}

TEST_CASE("restore: a snapshot of another configuration leaves the model fresh", "[restore]") {
  TempDir dir;
  dir.write("joint.csv", joint_reference());
  dir.write("graded.csv", graded_reference());
  const driftd::Config config = driftd::load_config(dir.write("driftd.yaml", kConfig));
  std::string changed_text = kConfig;
  changed_text.replace(changed_text.find("size: 200"), 9, "size: 210");
  const driftd::Config changed = driftd::load_config(dir.write("changed.yaml", changed_text));
  const std::vector<std::string> messages = stream(2000);

  Pipeline before(config);
  Transcript ignored;
  for (std::size_t i = 0; i < messages.size(); ++i) before.process(at(messages, i), 0, ignored);
  Pipeline after(changed);
  std::string why;
  CHECK_FALSE(after.restore(0, before.snapshot(0), why));
  CHECK(why == "its configuration or reference changed");
  CHECK(after.monitor(0).events() == 0);
  // The other models' configuration is the same: they restore.
  CHECK(after.restore(1, before.snapshot(1), why));
  CHECK(after.monitor(1).events() == before.monitor(1).events());

  // A changed reference file changes the fingerprint too.
  dir.write("joint.csv", joint_reference() + "0.5,0.5\n");
  Pipeline other_reference(config);
  CHECK_FALSE(other_reference.restore(2, before.snapshot(2), why));

  // A snapshot that does not fit (another model's) is refused, not applied.
  driftd::ModelSnapshot foreign = before.snapshot(1);
  foreign.fingerprint = before.snapshot(0).fingerprint;
  Pipeline third(config);
  CHECK_FALSE(third.restore(0, foreign, why));
  CHECK(why == "its snapshot does not fit its configuration");
  CHECK(third.monitor(0).events() == 0);
}

TEST_CASE("restore: a stream reference's calibration comes back from the snapshot, not calibrated again",
          "[restore]") {
  TempDir dir;
  const driftd::Config config = driftd::load_config(dir.write("driftd.yaml", R"(models:
  - id: streamed
    reference: {from_stream: 400}
    window: {size: 100, step: 25}
    alerting: {false_alarm_every: 2500}
    features:
      - {name: x, type: numeric, tests: [ks]}
)"));
  Pipeline before(config);
  Transcript ignored;
  Lcg rng{3};
  for (int i = 0; i < 600; ++i) {
    char message[128];
    std::snprintf(message, sizeof message, R"({"model_id":"streamed","ts":%d,"features":{"x":%.4f}})", 1000 + i,
                  rng.next());
    before.process(message, 0, ignored);
  }
  const driftd::ModelSnapshot snapshot = before.snapshot(0);
  REQUIRE(snapshot.calibration.has_value());
  Pipeline after(config);
  std::string why;
  REQUIRE(after.restore(0, snapshot, why));
  REQUIRE(after.monitor(0).calibration().has_value());
  // The wall time it took is the one part a second calibration would not repeat.
  CHECK(std::bit_cast<std::uint64_t>(after.monitor(0).calibration()->seconds) ==
        std::bit_cast<std::uint64_t>(snapshot.calibration->seconds));
  CHECK(after.monitor(0).calibration()->features[0][0].threshold == snapshot.calibration->features[0][0].threshold);

  // One that does not fit the model's tests is refused.
  driftd::ModelSnapshot misfit = snapshot;
  misfit.calibration->features[0][0].test = "psi";
  CHECK_FALSE(after.restore(0, misfit, why));
}

TEST_CASE("restore: run calibrates a model at its first evaluation, to the same thresholds as at start", "[restore]") {
  TempDir dir;
  dir.write("joint.csv", joint_reference());
  dir.write("graded.csv", graded_reference());
  const driftd::Config config = driftd::load_config(dir.write("driftd.yaml", kConfig));
  const std::size_t joint = 2;
  Pipeline at_start(config);
  Pipeline when_needed(config, Pipeline::Calibrate::when_needed);
  REQUIRE(at_start.monitor(joint).calibration().has_value());
  CHECK_FALSE(when_needed.monitor(joint).calibration().has_value());
  const std::vector<std::string> messages = stream(800);  // joint's window of 100 is full after ~500
  Transcript a, b;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    at_start.process(at(messages, i), 0, a);
    when_needed.process(at(messages, i), 0, b);
  }
  REQUIRE(when_needed.monitor(joint).calibration().has_value());
  CHECK(when_needed.monitor(joint).calibration()->multivariate[0].threshold ==
        at_start.monitor(joint).calibration()->multivariate[0].threshold);
  CHECK(a.lines == b.lines);
}

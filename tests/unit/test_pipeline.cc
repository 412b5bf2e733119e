#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "chi2.h"
#include "engine/pipeline.h"
#include "temp_file.h"

using driftd::EvaluationReport;
using driftd::InvalidReason;
using driftd::Pipeline;
using driftd::testing::TempDir;

namespace {

// One model whose reference is its first 10 events; window 50 / 10.
const char* kConfig = R"(models:
  - id: shop
    reference: {from_stream: 10}
    window: {size: 50, step: 10}
    features:
      - {name: x, type: numeric, tests: [ks]}
      - {name: c, type: categorical, tests: [chi2]}
)";

std::string event(int i, const std::string& category) {
  return R"({"model_id":"shop","ts":)" + std::to_string(1000 + i) + R"(,"features":{"x":)" +
         std::to_string(i % 7) + R"(,"c":")" + category + "\"}}";
}

// (Appending rather than `"r" + std::to_string(i)`, which trips GCC 12's false -Wrestrict.)
std::string numbered(const char* prefix, int i) {
  std::string name(prefix);
  name += std::to_string(i);
  return name;
}

struct Recorder final : driftd::PipelineSink {
  void on_invalid(const driftd::MessageSource&, InvalidReason) override { ++invalid; }
  void on_evaluation(const EvaluationReport&) override { ++evaluations; }
  int invalid = 0;
  int evaluations = 0;
};

}  // namespace

TEST_CASE("pipeline: replayed messages rebuild state but reach no sink and no count", "[pipeline]") {
  TempDir dir;
  const driftd::Config config = driftd::load_config(dir.write("driftd.yaml", kConfig));
  Pipeline live(config);
  Pipeline rebuilt(config);
  Recorder live_sink, rebuilt_sink;
  for (int i = 0; i < 200; ++i) {
    const std::string message = i % 50 == 7 ? "not json" : event(i, i < 100 ? "a" : "b");
    CHECK(live.process(message, 0, live_sink) == (i % 50 == 7 ? Pipeline::kNoModel : 0));
    rebuilt.process(message, 0, rebuilt_sink, i < 150 ? Pipeline::Mode::replay : Pipeline::Mode::live);
  }
  CHECK(live_sink.invalid == 4);
  CHECK(rebuilt_sink.invalid == 1);  // only the live one, at 157
  CHECK(rebuilt.counters().replayed == 150);
  CHECK(rebuilt.counters().messages == 50);
  CHECK(rebuilt.counters().consumed[0] == 49);
  // The same state: same window, same evaluations from then on.
  CHECK(rebuilt.monitor(0).events() == live.monitor(0).events());
  CHECK(rebuilt.monitor(0).window_events() == live.monitor(0).window_events());
  CHECK(rebuilt_sink.evaluations == 5);  // windows ending at events 160, 170, ..., 200 of the model
  CHECK(live_sink.evaluations > rebuilt_sink.evaluations);

  rebuilt.reset_model(0);
  CHECK(rebuilt.monitor(0).events() == 0);
  CHECK_FALSE(rebuilt.monitor(0).reference_ready());
}

TEST_CASE("pipeline: categories past the bound are counted as overflowed", "[pipeline]") {
  TempDir dir;
  const driftd::Config config = driftd::load_config(dir.write("driftd.yaml", kConfig));  // outlives the pipeline
  Pipeline pipeline(config);
  Recorder sink;
  for (int i = 0; i < 10; ++i) pipeline.process(event(i, numbered("r", i)), 0, sink);  // the reference
  for (int i = 0; i < 1200; ++i) pipeline.process(event(10 + i, numbered("new", i)), 0, sink);
  // 999 named codes (the 1,000th is the shared overflow category): 10 from
  // the reference, 989 new ones; the other 211 new categories overflow.
  CHECK(pipeline.monitor(0).overflowed() == 211);
}

// The categorical reference grows with every category first seen in the
// stream, so the engine tells its detectors the reference again: each
// evaluation gives what a detector made for it gives on the window's counts.
TEST_CASE("pipeline: a categorical test follows categories first seen in the stream", "[pipeline]") {
  TempDir dir;
  const driftd::Config config = driftd::load_config(dir.write("driftd.yaml", kConfig));
  Pipeline pipeline(config);
  struct Tests final : driftd::PipelineSink {
    void on_invalid(const driftd::MessageSource&, InvalidReason) override {}
    void on_evaluation(const EvaluationReport& report) override {
      windows.push_back(report.window);
      chi2.push_back(report.evaluation.features.at(1).tests.at(0));
    }
    std::vector<driftd::WindowInfo> windows;
    std::vector<driftd::TestResult> chi2;
  } sink;
  // Events 0-9 are the reference (a, b); from 60 on, a new category every 15 events.
  const auto category = [](int i) { return i < 60 ? std::string(i % 2 == 0 ? "a" : "b") : numbered("n", i / 15); };
  const int events = 400;
  for (int i = 0; i < events; ++i) pipeline.process(event(i, category(i)), 0, sink);
  REQUIRE(sink.chi2.size() == 35);  // every 10 events once the window holds 50

  // The dictionary's order: first seen, the reference's first.
  std::vector<std::string> names;
  for (int i = 0; i < events; ++i) {
    if (std::find(names.begin(), names.end(), category(i)) == names.end()) names.push_back(category(i));
  }
  const auto counts = [&](std::uint64_t from, std::uint64_t to) {  // of model events (from, to]
    std::vector<std::uint64_t> out(names.size(), 0);
    for (std::uint64_t s = from + 1; s <= to; ++s) {
      const auto at = std::find(names.begin(), names.end(), category(int(s) - 1));
      ++out[std::size_t(at - names.begin())];
    }
    return out;
  };
  const std::vector<std::uint64_t> reference = counts(0, 10);
  for (std::size_t e = 0; e < sink.chi2.size(); ++e) {
    const driftd::WindowInfo& window = sink.windows[e];
    INFO("window ending at event " << window.end_sequence);
    const std::vector<std::uint64_t> current = counts(window.end_sequence - window.count, window.end_sequence);
    driftd::Chi2Detector fresh;
    fresh.set_reference(driftd::CategoricalSample{reference});
    const driftd::TestResult want = fresh.test(driftd::CategoricalSample{current});
    const driftd::TestResult& got = sink.chi2[e];
    REQUIRE(got.ok() == want.ok());
    CHECK(got.statistic == Approx(want.statistic).epsilon(1e-12));
    CHECK(*got.p_value == Approx(*want.p_value).epsilon(1e-12));
  }
  CHECK(*sink.chi2.back().p_value < 1e-6);  // the new categories drifted
}

// Issue 13: two events near the largest 64-bit time sent the time window's
// boundary loop past overflow, forever. Times run to the end of year 9999
// now, and any jump within them costs at most duration / step evaluations.
TEST_CASE("pipeline: extreme event times cost bounded work in a time window", "[pipeline]") {
  TempDir dir;
  const driftd::Config config = driftd::load_config(dir.write("driftd.yaml", R"(models:
  - id: shop
    reference: {from_stream: 10}
    window: {duration: 1h, step: 5m}
    features:
      - {name: x, type: numeric, tests: [ks]}
)"));
  Pipeline pipeline(config);
  Recorder sink;
  const auto at = [](std::int64_t ts, int i) {
    return R"({"model_id":"shop","ts":)" + std::to_string(ts) + R"(,"features":{"x":)" + std::to_string(i % 7) + "}}";
  };
  for (int i = 0; i < 10; ++i) pipeline.process(at(1000 + i, i), 0, sink);  // the reference
  for (const std::int64_t ts : {std::int64_t{9223372036854775000}, std::int64_t{9223372036854775807}}) {
    CHECK(pipeline.process(at(ts, 1), 0, sink) == Pipeline::kNoModel);
  }
  CHECK(sink.invalid == 2);
  CHECK(pipeline.counters().invalid[std::size_t(InvalidReason::bad_timestamp)] == 2);
  // The widest jumps the range allows, back and forth: each closes at most
  // the 12 boundaries a 1h window with 5m steps can hold events for.
  const std::int64_t last = driftd::kMaxEventTimeMs;
  int i = 0;
  for (const std::int64_t ts : {std::int64_t{0}, last, last - 1, std::int64_t{5}, last, last}) {
    CHECK(pipeline.process(at(ts, ++i), 0, sink) == 0);
  }
  CHECK(pipeline.counters().evaluations >= 1);  // the window that held the event at 0
  CHECK(pipeline.counters().evaluations <= 2 * 12);
  CHECK(pipeline.counters().late[0] == 1);  // 5, after the window had moved to the end of year 9999
}

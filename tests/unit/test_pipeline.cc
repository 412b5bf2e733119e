#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "route/pipeline.h"
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
  void on_invalid(std::string_view, InvalidReason) override { ++invalid; }
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

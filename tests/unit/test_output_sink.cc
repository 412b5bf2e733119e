#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "delivery/json_lines_sink.h"
#include "delivery/output_sink.h"

using driftd::Alert;
using driftd::AlertOutput;
using driftd::InvalidReason;
using driftd::MessageSource;
using driftd::OutputFanOut;
using driftd::OutputSink;
using driftd::RetrainTrigger;

namespace {

// Writes down what it is given, and answers flush() with `flushed`.
struct Notebook final : OutputSink {
  std::vector<std::string>& seen;
  Flush flushed;
  Notebook(std::vector<std::string>& seen_, Flush flushed_) : seen(seen_), flushed(flushed_) {}
  void alert(const Alert& alert) override { seen.push_back("alert " + alert.alert_id); }
  void retrain_trigger(const RetrainTrigger& trigger) override { seen.push_back("trigger " + trigger.trigger_id); }
  void dead_letter(const MessageSource& source, InvalidReason reason) override {
    seen.push_back("dead letter " + std::string(source.topic) + "@" + std::to_string(source.offset) + " " +
                   std::string(driftd::reason_name(reason)));
  }
  Flush flush(std::chrono::milliseconds) override { return flushed; }
};

AlertOutput two_alerts_and_a_trigger() {
  AlertOutput output;
  output.alerts.push_back({.alert_id = "a1", .model_id = "m"});
  output.alerts.push_back({.alert_id = "a2", .model_id = "m"});
  output.retrain = RetrainTrigger{.trigger_id = "t1", .model_id = "m"};
  return output;
}

}  // namespace

TEST_CASE("output sinks: the fan-out gives every output to each sink, in order", "[sink]") {
  std::vector<std::string> first, second;
  OutputFanOut outputs;
  outputs.add(std::make_unique<Notebook>(first, OutputSink::Flush::delivered));
  outputs.add(std::make_unique<Notebook>(second, OutputSink::Flush::delivered));
  publish(two_alerts_and_a_trigger(), outputs);
  outputs.dead_letter({.payload = "{", .topic = "ml.events", .partition = 2, .offset = 17}, InvalidReason::not_json);
  const std::vector<std::string> expected = {"alert a1", "alert a2", "trigger t1", "dead letter ml.events@17 not_json"};
  CHECK(first == expected);
  CHECK(second == expected);
}

TEST_CASE("output sinks: the fan-out's flush is the worst of its sinks'", "[sink]") {
  using Flush = OutputSink::Flush;
  std::vector<std::string> seen;
  const auto fan_out = [&](std::vector<Flush> answers) {
    OutputFanOut outputs;
    for (const Flush answer : answers) outputs.add(std::make_unique<Notebook>(seen, answer));
    return outputs.flush(std::chrono::milliseconds(0));
  };
  CHECK(fan_out({}) == Flush::delivered);
  CHECK(fan_out({Flush::delivered, Flush::delivered}) == Flush::delivered);
  CHECK(fan_out({Flush::delivered, Flush::pending}) == Flush::pending);
  CHECK(fan_out({Flush::failed, Flush::pending}) == Flush::failed);
  CHECK(fan_out({Flush::pending, Flush::failed, Flush::delivered}) == Flush::failed);
}

TEST_CASE("output sinks: JsonLinesSink writes one JSON line per alert and trigger, none per dead letter", "[sink]") {
  std::FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  driftd::JsonLinesSink sink(out);
  const AlertOutput output = two_alerts_and_a_trigger();
  publish(output, sink);
  sink.dead_letter({.payload = "{"}, InvalidReason::not_json);
  CHECK(sink.flush(std::chrono::milliseconds(0)) == OutputSink::Flush::delivered);
  std::rewind(out);
  std::string written;
  for (int c; (c = std::fgetc(out)) != EOF;) written.push_back(char(c));
  std::fclose(out);
  CHECK(written == alert_json(output.alerts[0]) + "\n" + alert_json(output.alerts[1]) + "\n" +
                       retrain_json(*output.retrain) + "\n");
}

TEST_CASE("output sinks: JsonLinesSink says when it cannot write", "[sink]") {
  std::FILE* full = std::fopen("/dev/full", "w");
  REQUIRE(full != nullptr);
  std::setvbuf(full, nullptr, _IONBF, 0);  // so that the write itself fails, not a later fclose
  driftd::JsonLinesSink sink(full);
  publish(two_alerts_and_a_trigger(), sink);
  CHECK_THROWS_WITH(sink.flush(std::chrono::milliseconds(0)), Catch::Contains("cannot write to standard output"));
  std::fclose(full);
}

// `driftd score` as a CI/CD gate sees it: JSON on stdout, exit codes, and
// messages that name the file, line and column at fault.
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "run_driftd.h"

using driftd::testing::Run;
using driftd::testing::run_driftd;
using Catch::Matchers::Contains;

namespace {

const std::string kConfig = std::string(DRIFTD_SOURCE_DIR) + "/config/example.yaml";
const std::string kReference = std::string(DRIFTD_SOURCE_DIR) + "/config/example-reference.csv";
const std::string kCurrent = std::string(DRIFTD_SOURCE_DIR) + "/config/example-current.csv";

std::string write(const std::string& name, const std::string& content) {
  return driftd::testing::write_temp_file(name, content);
}

std::vector<std::string> keys(simdjson::dom::object object) {
  std::vector<std::string> out;
  for (auto field : object) out.emplace_back(field.key);
  return out;
}

}  // namespace

TEST_CASE("score cli: drifted example data gives exit 1 and the documented JSON shape", "[cli]") {
  const Run run = run_driftd("score --reference " + kReference + " --current " + kCurrent + " --config " + kConfig);
  INFO(run.err);
  REQUIRE(run.status == 1);
  simdjson::dom::parser parser;
  const simdjson::dom::object result = parser.parse(run.out).get_object();
  CHECK(keys(result) == std::vector<std::string>{"reference_rows", "current_rows", "drift", "drifted_share",
                                                 "features", "multivariate"});
  CHECK(std::uint64_t(result["reference_rows"]) == 2000);
  CHECK(std::uint64_t(result["current_rows"]) == 1000);
  CHECK(bool(result["drift"]));

  const auto features = result["features"].get_array();
  REQUIRE(features.size() == 5);  // four features and the prediction
  const simdjson::dom::object amount = features.at(0).get_object();
  CHECK(keys(amount) == std::vector<std::string>{"name", "type", "drift", "missing", "tests"});
  CHECK(std::string_view(amount["name"]) == "amount");
  CHECK(bool(amount["drift"]));
  const simdjson::dom::object ks = amount["tests"].at(0).get_object();
  CHECK(keys(ks) == std::vector<std::string>{"test", "statistic", "p_value", "threshold", "drift"});
  // Bonferroni over the 5 univariate p-value tests (4 ks/chi2 + prediction ks).
  CHECK(double(ks["threshold"]) == Approx(0.01));
  const simdjson::dom::object psi = amount["tests"].at(1).get_object();
  CHECK(keys(psi) == std::vector<std::string>{"test", "statistic", "threshold", "drift"});
  CHECK(double(psi["threshold"]) == 0.2);
  const simdjson::dom::object age = features.at(1).get_object();
  CHECK(std::uint64_t(age["missing"]) > 0);  // the example leaves every 97th age empty

  const simdjson::dom::object mmd = result["multivariate"].at(0).get_object();
  CHECK(keys(mmd) == std::vector<std::string>{"test", "features", "statistic", "p_value", "threshold", "sigma", "drift"});
  CHECK(double(mmd["threshold"]) == 0.05);
  CHECK(double(mmd["p_value"]) == Approx(1.0 / 201));
}

TEST_CASE("score cli: a file against itself has no drift and exits 0", "[cli]") {
  const Run run = run_driftd("score --reference " + kReference + " --current " + kReference);
  INFO(run.err);
  REQUIRE(run.status == 0);
  simdjson::dom::parser parser;
  const auto result = parser.parse(run.out).get_object();
  CHECK_FALSE(bool(result["drift"]));
  CHECK(double(result["drifted_share"]) == 0.0);
  // Without a configuration: every column, types inferred, one MMD over the numeric ones.
  const auto features = result["features"].get_array();
  REQUIRE(features.size() == 5);
  CHECK(std::string_view(features.at(2)["type"]) == "categorical");
  CHECK(std::string_view(features.at(2)["tests"].at(0)["test"]) == "chi2");
  CHECK(std::string_view(features.at(3)["type"]) == "categorical");  // true/false
  const auto mmd = result["multivariate"].at(0);
  CHECK(mmd["features"].get_array().size() == 3);  // amount, age, prediction
}

TEST_CASE("score cli: table format is aligned text", "[cli]") {
  const Run run = run_driftd("score --reference " + kReference + " --current " + kCurrent + " --format table");
  REQUIRE(run.status == 1);
  CHECK_THAT(run.out, Contains("feature"));
  CHECK_THAT(run.out, Contains("DRIFT DETECTED"));
  CHECK_THAT(run.out, Contains("amount"));
}

TEST_CASE("score cli: JSONL events are read like CSV", "[cli]") {
  std::string reference, current;
  for (int i = 0; i < 200; ++i) {
    reference += "{\"model_id\":\"m\",\"ts\":" + std::to_string(1000 + i) + ",\"features\":{\"x\":" +
                 std::to_string(i % 50) + ",\"c\":\"" + (i % 3 == 0 ? "a" : "b") + "\"},\"prediction\":0.5}\n";
    current += "{\"model_id\":\"m\",\"features\":{\"x\":" + std::to_string(i % 50 + 25) + ",\"c\":\"a\"},\"prediction\":0.5}\n";
  }
  const Run run = run_driftd("score --reference " + write("r.jsonl", reference) + " --current " + write("c.jsonl", current));
  INFO(run.err);
  REQUIRE(run.status == 1);
  simdjson::dom::parser parser;
  const auto features = parser.parse(run.out)["features"].get_array();
  REQUIRE(features.size() == 3);  // x, c, prediction
  CHECK(std::string_view(features.at(0)["name"]) == "x");
  CHECK(bool(features.at(0)["drift"]));
}

TEST_CASE("score cli: a test that cannot run reports an error, never NaN", "[cli]") {
  const auto reference = write("r.csv", "a,b\n1,\n2,\n3,\n");
  const auto current = write("c.csv", "a,b\n1,\n2,\n3,\n");
  const Run run = run_driftd("score --reference " + reference + " --current " + current);
  INFO(run.out << run.err);
  REQUIRE(run.status == 0);
  CHECK_THAT(run.out, !Contains("nan") && !Contains("NaN") && !Contains("null"));
  simdjson::dom::parser parser;
  const auto b = parser.parse(run.out)["features"].at(1);
  CHECK(std::uint64_t(b["missing"]) == 6);
  CHECK(std::string_view(b["tests"].at(0)["error"]).find("at least one value") != std::string_view::npos);
}

TEST_CASE("score cli: bad input exits 2 naming file, line and column", "[cli]") {
  SECTION("ragged row") {
    const auto bad = write("ragged.csv", "a,b\n1,2\n3\n");
    const Run run = run_driftd("score --reference " + kReference + " --current " + bad);
    CHECK(run.status == 2);
    CHECK_THAT(run.err, Contains(bad + ":3"));
  }
  SECTION("not a number in a declared numeric column") {
    const auto bad = write("bad.csv", "amount,age,country,is_new,prediction\n1.5,30,KR,true,0.1\nabc,31,KR,true,0.1\n");
    const Run run = run_driftd("score --reference " + kReference + " --current " + bad + " --config " + kConfig);
    CHECK(run.status == 2);
    CHECK_THAT(run.err, Contains(bad + ":3: amount:"));
    CHECK_THAT(run.err, Contains("'abc'"));
  }
  SECTION("infinity in a declared numeric column") {
    const auto bad = write("inf.csv", "amount,age,country,is_new,prediction\ninf,30,KR,true,0.1\n");
    const Run run = run_driftd("score --reference " + kReference + " --current " + bad + " --config " + kConfig);
    CHECK(run.status == 2);
    CHECK_THAT(run.err, Contains(bad + ":2: amount:"));
  }
  SECTION("empty file") {
    const auto empty = write("empty.csv", "");
    const Run run = run_driftd("score --reference " + empty + " --current " + kCurrent);
    CHECK(run.status == 2);
    CHECK_THAT(run.err, Contains(empty));
  }
  SECTION("missing file") {
    const Run run = run_driftd("score --reference /nonexistent/ref.csv --current " + kCurrent);
    CHECK(run.status == 2);
    CHECK_THAT(run.err, Contains("/nonexistent/ref.csv"));
  }
  SECTION("bad configuration key") {
    const auto config = write("bad.yaml", "models:\n  - id: m\n    reference: {from_stream: 10}\n"
                                          "    window: {size: 5, step: 1}\n    featurs: []\n");
    const Run run = run_driftd("score --reference " + kReference + " --current " + kCurrent + " --config " + config);
    CHECK(run.status == 2);
    CHECK_THAT(run.err, Contains(config + ":5: models[0].featurs: unknown key"));
  }
  SECTION("configured column absent from the file") {
    const auto other = write("other.csv", "x,y\n1,2\n");
    const Run run = run_driftd("score --reference " + other + " --current " + kCurrent + " --config " + kConfig);
    CHECK(run.status == 2);
    CHECK_THAT(run.err, Contains(other + ":1: amount: no such column"));
  }
  SECTION("usage errors") {
    CHECK(run_driftd("score --reference " + kReference).status == 2);
    CHECK(run_driftd("score --reference a --current b --format xml").status == 2);
    CHECK(run_driftd("score --bogus").status == 2);
    CHECK(run_driftd("frobnicate").status == 2);
  }
}

TEST_CASE("score cli: every command has --help", "[cli]") {
  for (const char* command : {"score", "validate"}) {
    const Run run = run_driftd(std::string(command) + " --help");
    CHECK(run.status == 0);
    CHECK_THAT(run.out, Contains("usage: driftd"));
  }
  CHECK(run_driftd("--help").status == 0);
}

TEST_CASE("validate cli: prints what it would monitor", "[cli]") {
  const Run run = run_driftd("validate --config " + kConfig);
  INFO(run.err);
  REQUIRE(run.status == 0);
  CHECK_THAT(run.out, Contains("model fraud-v3"));
  CHECK_THAT(run.out, Contains("feature country (categorical): chi2, psi"));
  CHECK_THAT(run.out, Contains("1000 events, evaluated every 250 events"));
  // Calibrated by default: each test's threshold and probability, and the calibration's time.
  CHECK_THAT(run.out, Contains("decisions: calibrated for one false alarm every 2500000 events"));
  CHECK_THAT(run.out, Contains("  calibration: took ") && Contains(" s, on 2000 reference rows"));
  CHECK_THAT(run.out, Contains("    amount ks: statistic >= ") && Contains("    amount+age mmd: statistic >= "));
  CHECK_THAT(run.out, Contains("(per evaluation "));
  // 2,000 rows against windows of 1,000.
  CHECK_THAT(run.out, Contains("warning: model fraud-v3: the reference (2000 rows) is smaller than 20x the window"));
}

TEST_CASE("validate cli: per_window, from_stream and time windows say how and when they decide", "[cli]") {
  const auto reference = write("ref.csv", "x\n1\n2\n3\n4\n5\n6\n7\n8\n");
  const auto dir = std::filesystem::path(reference).parent_path();
  std::ofstream(dir / "driftd.yaml")
      << "models:\n"
         "  - {id: old, reference: {path: ref.csv}, window: {size: 4, step: 2},\n"
         "     features: [{name: x, type: numeric}], alerting: {mode: per_window}}\n"
         "  - {id: streamed, reference: {from_stream: 4000}, window: {size: 2000, step: 500},\n"
         "     features: [{name: x, type: numeric}], alerting: {false_alarm_every: 1000000}}\n"
         "  - {id: timed, reference: {path: ref.csv}, window: {duration: 1h, step: 1m},\n"
         "     features: [{name: x, type: numeric}], alerting: {false_alarm_every: 30d}}\n";
  const Run run = run_driftd("validate --config " + (dir / "driftd.yaml").string());
  INFO(run.err);
  REQUIRE(run.status == 0);
  CHECK_THAT(run.out, Contains("decisions: per window (alerting.mode: per_window)"));
  CHECK_THAT(run.out, Contains("one false alarm every 1000000 events (2000 evaluations)"));
  CHECK_THAT(run.out, Contains("calibration: when the first 4000 events of the stream are in"));
  CHECK_THAT(run.out, Contains("warning: model streamed: the reference (4000 rows) is smaller than 20x the window (2000 events)"));
  CHECK_THAT(run.out, Contains("one false alarm every 30d of event time"));
  CHECK_THAT(run.out, Contains("calibration: at the window's first evaluation"));
  CHECK_THAT(run.out, Contains("reference size: checked against the window's events at its first evaluation"));
}

TEST_CASE("validate cli: a reference without a configured feature is an error naming it", "[cli]") {
  const auto reference = write("ref.csv", "x,y\n1,2\n3,4\n");
  const auto dir = std::filesystem::path(reference).parent_path();
  std::ofstream(dir / "driftd.yaml") << "models:\n  - id: m\n    reference: {path: ref.csv}\n"
                                        "    window: {size: 10, step: 5}\n"
                                        "    features: [{name: x, type: numeric}, {name: z, type: numeric}]\n";
  const Run run = run_driftd("validate --config " + (dir / "driftd.yaml").string());
  CHECK(run.status == 2);
  CHECK_THAT(run.err, Contains(reference + ":1: z: configured feature missing from the reference"));
}

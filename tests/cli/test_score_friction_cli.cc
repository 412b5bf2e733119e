// What a first-time `score` user runs into: a configuration written for
// `score` alone, and the `""` that Python's csv module and pandas write for
// a missing value.
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "run_driftd.h"

using driftd::testing::Run;
using driftd::testing::run_driftd;
using Catch::Matchers::Contains;

namespace {

std::string write(const std::string& name, const std::string& content) {
  return driftd::testing::write_temp_file(name, content);
}

// Rows of a one-column numeric file, every fifth written as pandas writes a
// missing value in a one-column file.
std::string one_column(double shift) {
  std::string text = "amount\n";
  char cell[32];
  for (int i = 0; i < 400; ++i) {
    if (i % 5 == 4) {
      text.append("\"\"\n");
      continue;
    }
    std::snprintf(cell, sizeof cell, "%.3f\n", shift + double((i * 37) % 101) / 10.0);
    text.append(cell);
  }
  return text;
}

}  // namespace

TEST_CASE("score cli: a configuration with only what score uses", "[cli]") {
  const auto reference = write("reference.csv", one_column(0.0));
  const auto current = write("current.csv", one_column(0.0));
  const auto config = write("score.yaml",
                            "models:\n  - id: gate\n    features:\n      - {name: amount, type: numeric, tests: [ks]}\n");
  const Run run = run_driftd("score --reference " + reference + " --current " + current + " --config " + config);
  INFO(run.err);
  REQUIRE(run.status == 0);
  simdjson::dom::parser parser;
  const auto result = parser.parse(run.out).get_object();
  const auto tests = result["features"].at(0)["tests"].get_array();
  REQUIRE(tests.size() == 1);
  CHECK(std::string_view(tests.at(0)["test"]) == "ks");
}

TEST_CASE("score cli: a reference path in the configuration is not opened", "[cli]") {
  // The daemon's configuration reused as it is: its reference lives on the
  // server, and score takes --reference instead.
  const auto reference = write("reference.csv", one_column(0.0));
  const auto config = write("daemon.yaml",
                            "models:\n  - id: gate\n    reference: {path: /srv/absent/reference.csv}\n"
                            "    window: {size: 100, step: 50}\n"
                            "    features:\n      - {name: amount, type: numeric, tests: [ks]}\n");
  const Run run = run_driftd("score --reference " + reference + " --current " + reference + " --config " + config);
  INFO(run.err);
  CHECK(run.status == 0);
  // The daemon itself still refuses it.
  const Run validate = run_driftd("validate --config " + config);
  CHECK(validate.status == 2);
  CHECK_THAT(validate.err, Contains("models[0].reference.path"));
}

TEST_CASE("score cli: a configuration for the daemon still needs its reference and window", "[cli]") {
  const auto config = write("daemon.yaml",
                            "models:\n  - id: gate\n    features:\n      - {name: amount, type: numeric, tests: [ks]}\n");
  const Run run = run_driftd("validate --config " + config);
  CHECK(run.status == 2);
  CHECK_THAT(run.err, Contains("missing required key 'reference'"));
}

TEST_CASE("score cli: a quoted empty cell is missing, in a numeric column and in a categorical one", "[cli]") {
  const auto reference = write("reference.csv", one_column(0.0));
  const auto current = write("current.csv", one_column(0.0));
  const Run run = run_driftd("score --reference " + reference + " --current " + current);
  INFO(run.err);
  REQUIRE(run.status == 0);
  simdjson::dom::parser parser;
  const auto amount = parser.parse(run.out)["features"].at(0).get_object();
  CHECK(std::string_view(amount["type"]) == "numeric");
  CHECK(std::uint64_t(amount["missing"]) == 160);  // 80 in each file

  // A category column: "" is not a category of its own.
  const auto ref_colours = write("colours-ref.csv", "colour\nred\n\"\"\nblue\nred\n");
  const auto cur_colours = write("colours-cur.csv", "colour\n\"\"\n\"\"\nblue\nred\n");
  const Run colours = run_driftd("score --reference " + ref_colours + " --current " + cur_colours);
  INFO(colours.err);
  REQUIRE((colours.status == 0 || colours.status == 1));
  const auto colour = parser.parse(colours.out)["features"].at(0).get_object();
  CHECK(std::string_view(colour["type"]) == "categorical");
  CHECK(std::uint64_t(colour["missing"]) == 3);
}

// `driftd score --format html`: the report goes to stdout whatever the
// verdict, and the exit code is the same gate as with JSON.
#include <catch2/catch.hpp>
#include <string>

#include "run_driftd.h"

using Catch::Matchers::Contains;
using driftd::testing::Run;
using driftd::testing::run_driftd;

namespace {

// The example configuration and its data: the current file drifts.
const std::string kExample = std::string(DRIFTD_SOURCE_DIR) + "/config/example";
const std::string kDrifted = "score --reference " + kExample + "-reference.csv --current " + kExample + "-current.csv";

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("score html cli: drift exits 1 and still writes the whole report", "[cli]") {
  const Run run = run_driftd(kDrifted + " --config " + kExample + ".yaml --format html");
  INFO(run.err);
  REQUIRE(run.status == 1);
  CHECK(run.err.empty());
  CHECK(run.out.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK_THAT(run.out, Contains("Drift detected"));
  CHECK_THAT(run.out, Contains("</html>"));
  CHECK(count(run.out, "<svg class=\"plot\"") == 5);  // four features and the prediction
  CHECK_THAT(run.out, !Contains("<script"));
}

TEST_CASE("score html cli: no drift exits 0 with the report", "[cli]") {
  const Run run = run_driftd("score --reference " + kExample + "-reference.csv --current " + kExample +
                             "-reference.csv --format html");
  INFO(run.err);
  REQUIRE(run.status == 0);
  CHECK_THAT(run.out, Contains("No drift detected"));
  CHECK_THAT(run.out, Contains("</html>"));
}

TEST_CASE("score html cli: the format is in the help and a bad one is a usage error", "[cli]") {
  const Run help = run_driftd("score --help");
  CHECK(help.status == 0);
  CHECK_THAT(help.out, Contains("json|table|html"));
  const Run bad = run_driftd(kDrifted + " --format htm");
  CHECK(bad.status == 2);
  CHECK_THAT(bad.err, Contains("json, table or html"));
  CHECK(bad.out.empty());
}

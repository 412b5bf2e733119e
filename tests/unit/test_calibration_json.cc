#include "daemon/calibration_json.h"

#include <simdjson.h>

#include <catch2/catch.hpp>

using namespace driftd;

TEST_CASE("calibration_json: per_window says so, calibrated is null until calibrated", "[status]") {
  std::string out;
  append_calibration_json(out, AlertMode::per_window, std::nullopt);
  CHECK(out == R"({"mode":"per_window"})");
  out.clear();
  append_calibration_json(out, AlertMode::calibrated, std::nullopt);
  CHECK(out == "null");
}

TEST_CASE("calibration_json: every test's threshold and probability, in evaluation order", "[status]") {
  Calibration calibration{.false_alarm_every = 2'500'000, .by_time = false, .level = 10.5,
                          .window_events = 1000, .step_events = 250, .reference_rows = 20'000};
  calibration.features = {{{.feature = "amount", .test = "ks", .threshold = 0.0875, .alpha = 2.5e-05}},
                          {{.feature = "country", .test = "chi2", .threshold = 24.5, .alpha = 2.5e-05}}};
  calibration.multivariate = {{.feature = "amount+age", .test = "mmd", .threshold = 0.004, .alpha = 2.5e-05}};
  calibration.seconds = 0.25;
  std::string out;
  append_calibration_json(out, AlertMode::calibrated, calibration);
  CHECK(out ==
        R"({"mode":"calibrated","false_alarm_every":2500000,"unit":"events","level":10.5,"seconds":0.25,)"
        R"("window_events":1000,"step_events":250,"reference_rows":20000,"tests":[)"
        R"({"feature":"amount","test":"ks","threshold":0.0875,"alpha":2.5e-05},)"
        R"({"feature":"country","test":"chi2","threshold":24.5,"alpha":2.5e-05},)"
        R"({"feature":"amount+age","test":"mmd","threshold":0.004,"alpha":2.5e-05}]})");
  calibration.by_time = true;
  out.clear();
  append_calibration_json(out, AlertMode::calibrated, calibration);
  simdjson::dom::parser parser;
  CHECK(std::string_view(parser.parse(out)["unit"]) == "ms");
}

#include "engine/calibration_summary.h"

#include <catch2/catch.hpp>

using namespace driftd;
using Catch::Matchers::Contains;

namespace {

ModelConfig count_model(std::size_t from_stream) {
  return {.id = "m", .reference = {.from_stream = from_stream}, .window = {.size = 1000, .step = 250}};
}

Calibration calibration_of(std::uint64_t reference_rows, std::size_t window_events) {
  Calibration c{.false_alarm_every = 2'500'000, .level = 10.5, .window_events = window_events,
                .step_events = 250, .reference_rows = reference_rows};
  c.features = {{{.feature = "amount", .test = "ks", .threshold = 0.0878678, .alpha = 2.5e-05}}};
  c.multivariate = {{.feature = "amount+age", .test = "mmd", .threshold = 0.00468743, .alpha = 2.5e-05}};
  c.seconds = 1.234;
  return c;
}

}  // namespace

TEST_CASE("calibration summary: each test's threshold, probability and the calibration's time", "[calibration_summary]") {
  const std::string text = decision_summary(count_model(0), Defaults{}, calibration_of(50'000, 1000), "  ");
  CHECK_THAT(text, Contains("  decisions: calibrated for one false alarm every 2500000 events (10000 evaluations)"));
  CHECK_THAT(text, Contains("took 1.23 s, on 50000 reference rows"));
  CHECK_THAT(text, Contains("    amount ks: statistic >= 0.0878678 (per evaluation 2.5e-05)\n"));
  CHECK_THAT(text, Contains("    amount+age mmd: statistic >= 0.00468743 (per evaluation 2.5e-05)\n"));
}

TEST_CASE("calibration summary: before calibration, says when it comes", "[calibration_summary]") {
  CHECK_THAT(decision_summary(count_model(4000), Defaults{}, std::nullopt, ""),
             Contains("calibration: when the first 4000 events of the stream are in\n"));
  ModelConfig timed = count_model(0);
  timed.window = {.duration = Millis(3'600'000), .step_duration = Millis(60'000)};
  const std::string text = decision_summary(timed, Defaults{}, std::nullopt, "");
  CHECK_THAT(text, Contains("every 10000m of event time"));
  CHECK_THAT(text, Contains("at the window's first evaluation"));
}

TEST_CASE("calibration summary: per_window mode says so", "[calibration_summary]") {
  ModelConfig model = count_model(0);
  model.alerting.mode = AlertMode::per_window;
  CHECK_THAT(decision_summary(model, Defaults{}, std::nullopt, ""), Contains("decisions: per window"));
  CHECK(reference_size_warning(model, std::nullopt).empty());
}

TEST_CASE("calibration summary: a reference under 20 windows is warned about", "[calibration_summary]") {
  CHECK_THAT(reference_size_warning(count_model(4000), std::nullopt),
             Contains("the reference (4000 rows) is smaller than 20x the window (1000 events)"));
  CHECK(reference_size_warning(count_model(20'000), std::nullopt).empty());
  // A file reference, once calibrated; a time window, by the events its first window held.
  CHECK_FALSE(reference_size_warning(count_model(0), calibration_of(19'999, 1000)).empty());
  CHECK(reference_size_warning(count_model(0), calibration_of(20'000, 1000)).empty());
  CHECK(reference_size_warning(count_model(0), std::nullopt).empty());
}

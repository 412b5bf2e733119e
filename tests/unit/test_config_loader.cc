#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <tuple>
#include <vector>

#include "driftd/config.h"
#include "driftd/error.h"
#include "temp_file.h"

using namespace driftd;
using Catch::Matchers::Contains;
using driftd::testing::temp_file;

namespace {

const std::string kModel =
    "models:\n"
    "  - id: m1\n"
    "    reference: {from_stream: 100}\n"
    "    window: {size: 50, step: 10}\n"
    "    features:\n"
    "      - {name: amount, type: numeric, tests: [ks, psi]}\n"
    "      - {name: country, type: categorical}\n";

// The InputError that loading `yaml` throws.
InputError load_error(const std::string& yaml) {
  const auto path = temp_file("driftd.yaml", yaml);
  try {
    load_config(path);
  } catch (const InputError& e) {
    CHECK(e.file() == path);
    return e;
  }
  FAIL("no error for:\n" << yaml);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("config: a minimal file loads with the documented defaults", "[config]") {
  const Config config = load_config(temp_file("driftd.yaml", kModel));
  REQUIRE(config.models.size() == 1);
  const ModelConfig& model = config.models[0];
  CHECK(model.id == "m1");
  CHECK(model.reference.from_stream == 100);
  CHECK(model.window.size == 50);
  CHECK(model.window.step == 10);
  CHECK(model.features[1].tests == std::vector<std::string>{"chi2", "psi"});
  CHECK(config.defaults.p_value == 0.05);
  CHECK(config.defaults.correction == Correction::bonferroni);
  CHECK(config.http.listen == "127.0.0.1:9108");
  CHECK(model.alerting.cooldown == Millis(600'000));
}

TEST_CASE("config: every shipped configuration loads", "[config]") {
  int loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(DRIFTD_SOURCE_DIR) + "/config")) {
    if (entry.path().extension() != ".yaml") continue;
    INFO(entry.path());
    CHECK_NOTHROW(load_config(entry.path().string()));
    ++loaded;
  }
  CHECK(loaded >= 1);
}

TEST_CASE("config: errors name the line and the key", "[config]") {
  SECTION("unknown top-level key") {
    const auto e = load_error("kafak: {}\n" + kModel);
    CHECK(e.line() == 1);
    CHECK(e.field() == "kafak");
    CHECK_THAT(e.what(), Contains("unknown key"));
  }
  SECTION("unknown key deep inside") {
    const auto e = load_error(kModel + "    alerting: {min_consecutive: 2, colldown: 5m}\n");
    CHECK(e.line() == 8);
    CHECK(e.field() == "models[0].alerting.colldown");
  }
  SECTION("wrong type") {
    const auto e = load_error("defaults: {p_value: often}\n" + kModel);
    CHECK(e.line() == 1);
    CHECK(e.field() == "defaults.p_value");
    CHECK_THAT(e.what(), Contains("expected a number"));
  }
  SECTION("out of range") {
    const auto e = load_error("defaults:\n  psi_bins: 1\n" + kModel);
    CHECK(e.line() == 2);
    CHECK(e.field() == "defaults.psi_bins");
  }
  SECTION("unknown correction") {
    const auto e = load_error("defaults: {correction: holm}\n" + kModel);
    CHECK(e.field() == "defaults.correction");
    CHECK_THAT(e.what(), Contains("bonferroni"));
  }
  SECTION("unknown test") {
    const auto e = load_error(kModel + "      - {name: age, type: numeric, tests: [ks, t_test]}\n");
    CHECK(e.line() == 8);
    CHECK(e.field() == "models[0].features[2].tests[1]");
    CHECK_THAT(e.what(), Contains("unknown test 't_test'"));
  }
  SECTION("test that does not fit the type") {
    const auto e = load_error(kModel + "      - {name: age, type: numeric, tests: [chi2]}\n");
    CHECK(e.field() == "models[0].features[2].tests[0]");
    CHECK_THAT(e.what(), Contains("does not apply to a numeric feature"));
  }
  SECTION("feature named twice") {
    const auto e = load_error(kModel + "      - {name: amount, type: numeric}\n");
    CHECK(e.line() == 8);
    CHECK(e.field() == "models[0].features[2].name");
    CHECK_THAT(e.what(), Contains("named twice"));
  }
  SECTION("multivariate over a categorical feature") {
    const auto e = load_error(kModel + "    multivariate:\n      - {test: mmd, features: [amount, country]}\n");
    CHECK(e.line() == 9);
    CHECK(e.field() == "models[0].multivariate[0].features[1]");
    CHECK_THAT(e.what(), Contains("not numeric"));
  }
  SECTION("window with both size and duration") {
    const auto e = load_error(
        "models:\n  - id: m\n    reference: {from_stream: 10}\n    window: {size: 5, duration: 1h, step: 1}\n"
        "    features: [{name: a, type: numeric}]\n");
    CHECK(e.line() == 4);
    CHECK(e.field() == "models[0].window.size");
  }
  SECTION("bad duration") {
    const auto e = load_error("state: {checkpoint_interval: soon}\n" + kModel);
    CHECK(e.field() == "state.checkpoint_interval");
    CHECK_THAT(e.what(), Contains("duration"));
  }
  SECTION("missing required key") {
    const auto e = load_error("models:\n  - id: m\n    window: {size: 5, step: 1}\n    features: [{name: a, type: numeric}]\n");
    CHECK(e.line() == 2);
    CHECK(e.field() == "models[0]");
    CHECK_THAT(e.what(), Contains("'reference'"));
  }
  SECTION("reference file that does not exist") {
    const auto e = load_error(
        "models:\n  - id: m\n    reference: {path: nowhere.csv}\n    window: {size: 5, step: 1}\n"
        "    features: [{name: a, type: numeric}]\n");
    CHECK(e.line() == 3);
    CHECK(e.field() == "models[0].reference.path");
    CHECK_THAT(e.what(), Contains("nowhere.csv"));
  }
  SECTION("invalid YAML") {
    const auto e = load_error("models: [\n  - id: m\n");
    CHECK(e.line() >= 1);
    CHECK_THAT(e.what(), Contains("invalid YAML"));
  }
  SECTION("no models") {
    const auto e = load_error("defaults: {}\n");
    CHECK_THAT(e.what(), Contains("'models'"));
  }
  SECTION("a list as a key (found by fuzzing: it used to escape as a yaml-cpp exception)") {
    const auto e = load_error("defaults:\n  [a, b]: 1\n" + kModel);
    CHECK(e.line() == 2);
    CHECK_THAT(e.what(), Contains("expected a text key"));
  }
  SECTION("a reference path too long for the file system (found by fuzzing)") {
    const auto e = load_error("models:\n  - id: m\n    reference: {path: " + std::string(300, 'a') +
                              ".csv}\n    window: {size: 5, step: 1}\n    features: [{name: a, type: numeric}]\n");
    CHECK(e.line() == 3);
    CHECK(e.field() == "models[0].reference.path");
  }
}

TEST_CASE("config: parse_duration never gives a negative duration (found by fuzzing)", "[config]") {
  CHECK_FALSE(driftd::parse_duration("1e308").has_value());
  CHECK_FALSE(driftd::parse_duration("9223372036854776s").has_value());
  CHECK(driftd::parse_duration("2d") == driftd::Millis(172'800'000));
}

TEST_CASE("config: a file that cannot be opened is an input error", "[config]") {
  CHECK_THROWS_AS(load_config("/nonexistent/driftd.yaml"), InputError);
}

TEST_CASE("config: durations", "[config]") {
  CHECK(parse_duration("500ms") == Millis(500));
  CHECK(parse_duration("10s") == Millis(10'000));
  CHECK(parse_duration("5m") == Millis(300'000));
  CHECK(parse_duration("1.5h") == Millis(5'400'000));
  CHECK(parse_duration("2") == Millis(2'000));
  CHECK_FALSE(parse_duration("10 parsecs").has_value());
  CHECK_FALSE(parse_duration("-1s").has_value());
}

// Issue 13: what a configuration may ask for is bounded, and each bound's
// error names the line, the key, the value and the bound.

namespace {

// kModel with its window and the lines after the features replaced.
std::string model_with(const std::string& window, const std::string& more = "") {
  return "models:\n"
         "  - id: m1\n"
         "    reference: {from_stream: 100}\n"
         "    window: " + window + "\n"
         "    features:\n"
         "      - {name: amount, type: numeric, tests: [ks, psi]}\n"
         "      - {name: age, type: numeric}\n" +
         more;
}

}  // namespace

TEST_CASE("config: every duration is positive and at most 100 years", "[config][limits]") {
  // 100 years of 365.25 days: event time up to the year 9999 plus any of
  // them stays far within 64-bit milliseconds.
  CHECK_NOTHROW(load_config(temp_file("driftd.yaml", "state: {checkpoint_interval: 36525d}\n" + kModel)));
  for (const auto& [yaml, line, key] : std::vector<std::tuple<std::string, int, std::string>>{
           {"state: {checkpoint_interval: 36526d}\n" + kModel, 1, "state.checkpoint_interval"},
           {model_with("{duration: 36526d, step: 1d}"), 4, "models[0].window.duration"},
           {model_with("{duration: 1d, step: 0ms}"), 4, "models[0].window.step"},
           {model_with("{size: 50, step: 10}", "    alerting: {cooldown: 1e9h}\n"), 8, "models[0].alerting.cooldown"},
           {model_with("{size: 50, step: 10}", "    retrain: {cooldown: 3155760000001ms}\n"), 8,
            "models[0].retrain.cooldown"}}) {
    INFO(yaml);
    const auto e = load_error(yaml);
    CHECK(e.line() == std::uint64_t(line));
    CHECK(e.field() == key);
    CHECK_THAT(e.what(), Contains("duration"));
  }
  const auto e = load_error(model_with("{duration: 36526d, step: 1d}"));
  CHECK_THAT(e.what(), Contains("at most 100 years (36525d)") && Contains("found '36526d'"));
}

TEST_CASE("config: kafka.connect_timeout fits librdkafka's int milliseconds", "[config][limits]") {
  CHECK_NOTHROW(load_config(temp_file("driftd.yaml", "kafka: {connect_timeout: 2147483647ms}\n" + kModel)));
  const auto e = load_error("kafka: {connect_timeout: 25d}\n" + kModel);
  CHECK(e.field() == "kafka.connect_timeout");
  CHECK_THAT(e.what(), Contains("at most 2147483647ms") && Contains("librdkafka"));
}

TEST_CASE("config: a time window has at most 100,000 steps, the windows one event can close", "[config][limits]") {
  const Config config = load_config(temp_file("driftd.yaml", model_with("{duration: 100s, step: 1ms}")));
  CHECK(config.models[0].window.duration == Millis(100'000));
  const auto e = load_error(model_with("{duration: 1h, step: 10ms}"));
  CHECK(e.line() == 4);
  CHECK(e.field() == "models[0].window.step");
  CHECK_THAT(e.what(), Contains("360000 steps, more than 100000"));
  const auto over = load_error(model_with("{duration: 100001ms, step: 1ms}"));
  CHECK(over.field() == "models[0].window.step");
}

TEST_CASE("config: windows hold at most 10,000,000 events", "[config][limits]") {
  CHECK_NOTHROW(load_config(temp_file("driftd.yaml", model_with("{size: 10000000, step: 10000000}"))));
  CHECK(load_error(model_with("{size: 10000001, step: 10}")).field() == "models[0].window.size");
  CHECK(load_error(model_with("{duration: 1h, step: 1m, max_events: 10000001}")).field() ==
        "models[0].window.max_events");
  CHECK(load_error(model_with("{size: 10, step: 11}")).field() == "models[0].window.step");
}

TEST_CASE("config: max_points is bounded by the pairs MMD compares", "[config][limits]") {
  const std::string mmd = "    multivariate: [{test: mmd, features: [amount, age], max_points: ";
  CHECK(load_config(temp_file("driftd.yaml", model_with("{size: 50, step: 10}", mmd + "5000}]\n")))
            .models[0]
            .multivariate[0]
            .max_points == 5000);
  const auto e = load_error(model_with("{size: 50, step: 10}", mmd + "100000}]\n"));
  CHECK(e.line() == 8);
  CHECK(e.field() == "models[0].multivariate[0].max_points");
  CHECK_THAT(e.what(), Contains("(2 x 100000)^2 / 2 = 2e+10 pairs of points") && Contains("at most 5000 (5e+07 pairs"));
}

TEST_CASE("config: what the windows hold together is at most 16 GiB", "[config][limits]") {
  // 10,000,000 events of 500 columns: 2 KB a slot, 20 GB.
  std::string features;
  for (int f = 0; f < 500; ++f) features += "      - {name: f" + std::to_string(f) + ", type: numeric}\n";
  const std::string wide =
      "models:\n  - id: wide\n    reference: {from_stream: 100}\n    window: {size: 10000000, step: 1000000}\n"
      "    features:\n" + features;
  const auto e = load_error(wide);
  CHECK(e.line() == 4);
  CHECK(e.field() == "models[0].window");
  CHECK_THAT(e.what(), Contains("more than the 16 GiB (17179869184 bytes)"));

  // Each within bounds, too much together: 40 models of 10,000,000 events of 10 columns (0.5 GB each).
  std::string models = "models:\n";
  for (int m = 0; m < 40; ++m) {
    models += "  - {id: m" + std::to_string(m) + ", reference: {from_stream: 100}, window: {size: 10000000, step: 1000}, "
              "features: [";
    for (int f = 0; f < 10; ++f) models += std::string(f ? ", " : "") + "{name: f" + std::to_string(f) + ", type: numeric}";
    models += "]}\n";
  }
  const auto total = load_error(models);
  CHECK(total.field().starts_with("models["));
  CHECK(total.field().ends_with("].window"));
  CHECK_THAT(total.what(), Contains("the models up to it"));
}

TEST_CASE("config: at most 10,000 models, 10,000 features a model and 100,000 in all", "[config][limits]") {
  const auto models = [](int count, int features) {
    std::string yaml = "models:\n";
    for (int m = 0; m < count; ++m) {
      yaml += "  - {id: m" + std::to_string(m) + ", reference: {from_stream: 100}, window: {size: 50, step: 10}, features: [";
      for (int f = 0; f < features; ++f) yaml += std::string(f ? ", " : "") + "{name: f" + std::to_string(f) + ", type: numeric}";
      yaml += "]}\n";
    }
    return yaml;
  };
  CHECK(load_config(temp_file("driftd.yaml", models(10'000, 1))).models.size() == 10'000);
  const auto too_many = load_error(models(10'001, 1));
  CHECK(too_many.line() == 2);
  CHECK(too_many.field() == "models");
  CHECK_THAT(too_many.what(), Contains("10001 items, more than the 10000 allowed"));

  CHECK(load_config(temp_file("driftd.yaml", models(1, 10'000))).models[0].features.size() == 10'000);
  CHECK(load_error(models(1, 10'001)).field() == "models[0].features");

  const auto in_all = load_error(models(11, 10'000));
  CHECK(in_all.field() == "models[10].features");
  CHECK_THAT(in_all.what(), Contains("110000 features") && Contains("100000"));
}

TEST_CASE("config: a key given twice in a mapping is an error naming both places", "[config]") {
  const auto top = load_error("defaults: {p_value: 0.1}\ndefaults: {p_value: 0.2}\n" + kModel);
  CHECK(top.line() == 2);
  CHECK(top.field() == "defaults");
  CHECK_THAT(top.what(), Contains("given twice") && Contains("line 1 column 1") && Contains("line 2 column 1"));

  const auto inner = load_error(model_with("{size: 50, step: 10, size: 20}"));
  CHECK(inner.line() == 4);
  CHECK(inner.field() == "models[0].window.size");
  CHECK_THAT(inner.what(), Contains("line 4 column 14") && Contains("line 4 column 34"));

  const auto property = load_error("kafka:\n  properties:\n    client.id: a\n    client.id: b\n" + kModel);
  CHECK(property.line() == 4);
  CHECK(property.field() == "kafka.properties.client.id");
}

TEST_CASE("config: http.listen is checked with its line, host names resolved only by run", "[config]") {
  for (const char* good : {"127.0.0.1:9108", "0.0.0.0:0", "[::1]:9108", "[::]:65535", "localhost:9108",
                           "metrics-host.example.com:80", "driftd_metrics:9108"}) {
    INFO(good);
    CHECK(load_config(temp_file("driftd.yaml", "http: {listen: '" + std::string(good) + "'}\n" + kModel)).http.listen ==
          good);
  }
  for (const char* bad : {"300.1.1.1:99999", "300.1.1.1:80", "1.2.3:80", "127.0.0.1:65536", "127.0.0.1", ":9108",
                          "::1:9108", "[::1]9108", "[localhost]:9108", "-host:80", "a..b:80", "host name:80"}) {
    INFO(bad);
    const auto e = load_error("http:\n  listen: '" + std::string(bad) + "'\n" + kModel);
    CHECK(e.line() == 2);
    CHECK(e.field() == "http.listen");
    CHECK_THAT(e.what(), Contains("expected host:port") && Contains(bad));
  }
}

TEST_CASE("config: a reference that is not a readable, non-empty regular file says what it is", "[config]") {
  const testing::TempDir dir;
  const std::string data = dir.write("ref.csv", "a\n1\n");
  const std::string empty = dir.write("empty.csv", "");
  const std::string folder = std::filesystem::path(data).parent_path().string();
  const auto reference_error = [&](const std::string& path) {
    return load_error("models:\n  - id: m\n    reference: {path: '" + path +
                      "'}\n    window: {size: 5, step: 1}\n    features: [{name: a, type: numeric}]\n");
  };
  for (const auto& [path, what] : std::vector<std::pair<std::string, std::string>>{
           {folder, "is a directory"}, {"/dev/null", "is a character device, not a regular file"}, {empty, "is empty"}}) {
    INFO(path);
    const auto e = reference_error(path);
    CHECK(e.line() == 3);
    CHECK(e.field() == "models[0].reference.path");
    CHECK_THAT(e.what(), Contains(path + " " + what));
  }
}

TEST_CASE("config: an unreadable reference is an error at its reference.path line", "[config]") {
  // chmod 000 stops anyone but root; as root (CI containers), a sysctl that
  // is write-only stops root too.
  const testing::TempDir dir;
  std::string unreadable = dir.write("secret.csv", "a\n1\n");
  std::filesystem::permissions(unreadable, std::filesystem::perms::none);
  if (::access(unreadable.c_str(), R_OK) == 0) unreadable = "/proc/sys/vm/compact_memory";
  if (::access(unreadable.c_str(), F_OK) != 0 || ::access(unreadable.c_str(), R_OK) == 0) {
    WARN("no file this process cannot read: not tested");
    return;
  }
  const auto e = load_error("models:\n  - id: m\n    reference: {path: '" + unreadable +
                            "'}\n    window: {size: 5, step: 1}\n    features: [{name: a, type: numeric}]\n");
  CHECK(e.line() == 3);
  CHECK(e.field() == "models[0].reference.path");
  CHECK_THAT(e.what(), Contains("cannot open " + unreadable) && Contains("Permission denied"));
}

TEST_CASE("config: the file must be a regular file of at most 8 MiB", "[config][limits]") {
  const testing::TempDir dir;
  const std::string folder = std::filesystem::path(dir.write("x", "")).parent_path().string();
  REQUIRE_THROWS_AS(load_config(folder), InputError);
  try {
    load_config(folder);
  } catch (const InputError& e) {
    CHECK(e.file() == folder);
    CHECK_THAT(e.what(), Contains("Is a directory"));
  }
  // Valid YAML, but 9 MiB of it: refused before yaml-cpp holds it (~80 times its size).
  const std::string big = dir.write("big.yaml", kModel + std::string(9 << 20, '#') + "\n");
  try {
    load_config(big);
    FAIL("a 9 MiB configuration was accepted");
  } catch (const InputError& e) {
    CHECK(e.line() == 0);
    CHECK_THAT(e.what(), Contains("larger than 8 MiB (8388608 bytes), the most a configuration file may hold"));
  }
}

TEST_CASE("config: alerting.mode and false_alarm_every, with their defaults", "[config][alerting]") {
  const Config defaults = load_config(temp_file("driftd.yaml", kModel));
  CHECK(defaults.models[0].alerting.mode == AlertMode::calibrated);
  CHECK(defaults.models[0].alerting.false_alarm_every == 0);
  // The default: 10,000 steps of the window (step 10 here).
  CHECK(false_alarm_every(defaults.models[0]) == 100'000);
  CHECK(evaluations_per_false_alarm(defaults.models[0]) == 10'000.0);

  const Config calibrated =
      load_config(temp_file("driftd.yaml", kModel + "    alerting: {mode: calibrated, false_alarm_every: 5000000}\n"));
  CHECK(calibrated.models[0].alerting.false_alarm_every == 5'000'000);
  CHECK(false_alarm_every(calibrated.models[0]) == 5'000'000);

  const Config per_window = load_config(temp_file("driftd.yaml", kModel + "    alerting: {mode: per_window}\n"));
  CHECK(per_window.models[0].alerting.mode == AlertMode::per_window);

  // A time window's budget is event time.
  const Config timed = load_config(temp_file("driftd.yaml", model_with("{duration: 1h, step: 1m}") +
                                                                "    alerting: {false_alarm_every: 30d}\n"));
  CHECK(timed.models[0].alerting.false_alarm_every == 30ull * 86'400'000);
  CHECK(false_alarm_every(load_config(temp_file("driftd.yaml", model_with("{duration: 1h, step: 1m}"))).models[0]) ==
        10'000ull * 60'000);
}

TEST_CASE("config: a bad alerting.mode or false_alarm_every names its line and key", "[config][alerting]") {
  SECTION("unknown mode") {
    const auto e = load_error(kModel + "    alerting: {mode: sometimes}\n");
    CHECK(e.line() == 8);
    CHECK(e.field() == "models[0].alerting.mode");
    CHECK_THAT(e.what(), Contains("calibrated or per_window") && Contains("sometimes"));
  }
  SECTION("fewer than 10 steps, count window") {
    const auto e = load_error(kModel + "    alerting: {false_alarm_every: 99}\n");
    CHECK(e.line() == 8);
    CHECK(e.field() == "models[0].alerting.false_alarm_every");
    CHECK_THAT(e.what(), Contains("10 window steps"));
    CHECK_NOTHROW(load_config(temp_file("driftd.yaml", kModel + "    alerting: {false_alarm_every: 100}\n")));
  }
  SECTION("fewer than 10 steps, time window") {
    const auto e =
        load_error(model_with("{duration: 1h, step: 1m}") + "    alerting: {false_alarm_every: 9m}\n");
    CHECK(e.field() == "models[0].alerting.false_alarm_every");
    CHECK_THAT(e.what(), Contains("at least 10 steps"));
  }
  SECTION("more than 1e15 events") {
    const auto e = load_error(kModel + "    alerting: {false_alarm_every: 1000000000000001}\n");
    CHECK(e.field() == "models[0].alerting.false_alarm_every");
    CHECK_NOTHROW(
        load_config(temp_file("driftd.yaml", kModel + "    alerting: {false_alarm_every: 1000000000000000}\n")));
  }
  SECTION("false_alarm_every with per_window, in either order") {
    for (const char* alerting : {"{mode: per_window, false_alarm_every: 1000}", "{false_alarm_every: 1000, mode: per_window}"}) {
      const auto e = load_error(kModel + "    alerting: " + alerting + "\n");
      CHECK(e.line() == 8);
      CHECK(e.field() == "models[0].alerting.false_alarm_every");
      CHECK_THAT(e.what(), Contains("per_window"));
    }
  }
}

TEST_CASE("config: labels load with their defaults", "[config][labels]") {
  const Config config = load_config(temp_file("driftd.yaml", kModel +
                                                                 "    labels:\n"
                                                                 "      positive_class: 1.0\n"
                                                                 "      detectors: [ddm, adwin]\n"));
  const auto& labels = config.models[0].labels;
  REQUIRE(labels);
  CHECK(labels->task == LabelTask::classification);
  CHECK(labels->positive_class == "1");  // 1, 1.0 and "1" are one class
  CHECK_FALSE(labels->threshold);
  CHECK(labels->join_within == Millis(3'600'000));
  CHECK(labels->max_pending == 1'000'000);
  CHECK(labels->window.size == 2'000);
  CHECK(labels->window.step == 500);
  CHECK_FALSE(labels->window.by_time());
  CHECK_FALSE(labels->max_drop);
  CHECK(labels->detectors == std::vector<std::string>{"ddm", "adwin"});
  CHECK(config.input.event_id_field == "event_id");
}

TEST_CASE("config: a bad labels block names its line and key", "[config][labels]") {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"    labels: {detectors: [ddm, cusum]}\n", "models[0].labels.detectors[1]", "unknown concept-drift detector"},
      {"    labels: {detectors: [ddm, ddm]}\n", "models[0].labels.detectors[1]", "named twice"},
      {"    labels: {task: regression}\n", "models[0].labels", "test nothing"},
      {"    labels: {task: ranking, detectors: [ddm]}\n", "models[0].labels.task", "classification or regression"},
      {"    labels: {threshold: 0.5, detectors: [ddm]}\n", "models[0].labels.threshold", "positive_class"},
      {"    labels: {task: regression, positive_class: 1, detectors: [ddm]}\n", "models[0].labels.positive_class",
       "classification"},
      {"    labels: {window: {size: 10, step: 11}, detectors: [ddm]}\n", "models[0].labels.window.step", "at most"},
      {"    labels: {max_drop: 0.1}\n", "models[0].labels.max_drop", "from_stream"},
      {"    labels: {detectors: [ddm], colour: red}\n", "models[0].labels.colour", "unknown key"},
      {"    labels: {task: regression, detectors: [adwin, hddm_a]}\n", "models[0].labels.detectors[1]",
       "suit adwin or page_hinkley"},
  };
  for (const auto& [block, key, message] : cases) {
    INFO(block);
    const auto e = load_error(kModel + block);
    CHECK(e.field() == key);
    CHECK(e.line() == 8);
    CHECK_THAT(e.what(), Contains(message));
  }
}

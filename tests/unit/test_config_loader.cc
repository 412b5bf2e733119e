#include <catch2/catch.hpp>
#include <filesystem>

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

// `driftd replay` end to end: a generated stream of two models, one of which
// drifts in one feature part-way; alerts and triggers read back as JSON.
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "run_driftd.h"

using driftd::testing::Run;
using driftd::testing::run_driftd;
using Catch::Matchers::Contains;

namespace {

constexpr int kEvents = 16000;  // per model
constexpr int kOnset = 8000;    // drifty's x shifts by one sd from here
constexpr std::int64_t kStart = 1763800000000;

std::int64_t ts_of(int i) { return kStart + std::int64_t(i) * 10; }

std::string reference_csv(std::mt19937_64& random) {
  std::normal_distribution<double> normal;
  std::ostringstream out;
  out << "x,y,c\n";
  for (int i = 0; i < 3000; ++i) {
    out << normal(random) << "," << normal(random) * 2 + 5 << "," << "abc"[random() % 3] << "\n";
  }
  return out.str();
}

// The stream, interleaving the two models; a few invalid lines too.
std::string events(std::mt19937_64& random) {
  std::normal_distribution<double> normal;
  std::ostringstream out;
  for (int i = 0; i < kEvents; ++i) {
    for (const char* model : {"drifty", "steady"}) {
      const double shift = (std::string(model) == "drifty" && i >= kOnset) ? 1.0 : 0.0;
      out << "{\"model_id\":\"" << model << "\",\"ts\":" << ts_of(i) << ",\"features\":{\"x\":"
          << normal(random) + shift << ",\"y\":" << normal(random) * 2 + 5 << ",\"c\":\"" << "abc"[random() % 3]
          << "\"}}\n";
    }
    if (i % 5000 == 17) out << "{\"model_id\":\"nobody\",\"features\":{}}\nnot json\n";
  }
  return out.str();
}

const char* kConfig = R"(defaults: {p_value: 0.001, correction: bonferroni}
models:
  - id: drifty
    reference: {path: drifty.csv}
    window: {size: 1000, step: 250}
    features:
      - {name: x, type: numeric, tests: [ks, psi]}
      - {name: y, type: numeric, tests: [ks, psi]}
      - {name: c, type: categorical, tests: [chi2, psi]}
    alerting: {min_consecutive: 2, cooldown: 10m}
    retrain: {drifted_share: 0.3, cooldown: 6h}
  - id: steady
    reference: {path: steady.csv}
    window: {size: 1000, step: 250}
    features:
      - {name: x, type: numeric}
      - {name: y, type: numeric}
      - {name: c, type: categorical}
    alerting: {min_consecutive: 2, cooldown: 10m}
)";

}  // namespace

TEST_CASE("replay cli: drift fires on the drifting model only, after the onset, with a retrain trigger", "[cli][replay]") {
  const auto dir = driftd::testing::make_temp_dir();
  std::mt19937_64 random(2026);
  std::ofstream(dir / "drifty.csv") << reference_csv(random);
  std::ofstream(dir / "steady.csv") << reference_csv(random);
  std::ofstream(dir / "driftd.yaml") << kConfig;
  std::ofstream(dir / "events.jsonl") << events(random);

  const std::string args = "replay --config " + (dir / "driftd.yaml").string() + " --input " + (dir / "events.jsonl").string();
  const Run run = run_driftd(args);
  INFO(run.err);
  REQUIRE(run.status == 0);
  CHECK_THAT(run.err, Contains("unknown_model 4") && Contains("not_json 4"));

  simdjson::dom::parser parser;
  int firing = 0;
  int triggers = 0;
  std::int64_t first_alert_at = 0;
  std::istringstream lines(run.out);
  std::string line;
  while (std::getline(lines, line)) {
    const simdjson::dom::element message = parser.parse(line);
    const std::string_view schema = message["schema"];
    CHECK(std::string_view(message["model_id"]) == "drifty");
    const std::int64_t at = std::int64_t(message["evaluated_at"]);
    CHECK(at >= ts_of(kOnset));  // nothing before the onset
    if (schema == "driftd.alert.v1") {
      if (std::string_view(message["state"]) == "firing") {
        ++firing;
        if (first_alert_at == 0) first_alert_at = at;
        CHECK(std::string_view(message["feature"]) == "x");
      }
    } else {
      REQUIRE(schema == "driftd.retrain.v1");
      ++triggers;
      CHECK(message["alert_ids"].get_array().size() >= 1);
    }
  }
  CHECK(firing >= 1);
  CHECK(triggers == 1);  // cooldown 6h: the stream spans under 3 minutes
  // The window (1000) holds mostly drifted data 500 events after the onset;
  // min_consecutive 2 at step 250 allows two more steps.
  CHECK(first_alert_at > 0);
  CHECK(first_alert_at <= ts_of(kOnset + 500 + 2 * 250));

  const Run again = run_driftd(args);
  CHECK(again.status == 0);
  CHECK(again.out == run.out);  // byte for byte
}

TEST_CASE("replay cli: a bad configuration stops before any event is read", "[cli][replay]") {
  const auto dir = driftd::testing::make_temp_dir();
  std::ofstream(dir / "driftd.yaml") << "models:\n  - id: m\n    reference: {path: missing.csv}\n"
                                        "    window: {size: 10, step: 5}\n    features: [{name: x, type: numeric}]\n";
  std::ofstream(dir / "events.jsonl") << "{\"features\":{\"x\":1}}\n";
  const Run run = run_driftd("replay --config " + (dir / "driftd.yaml").string() + " --input " +
                             (dir / "events.jsonl").string());
  CHECK(run.status == 2);
  CHECK_THAT(run.err, Contains("missing.csv"));
  CHECK(run.out.empty());
}

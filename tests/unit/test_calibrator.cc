#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <vector>

#include "calibrate/calibrator.h"
#include "split_mix64.h"

using namespace driftd;

namespace {

struct Model {
  ModelSchema schema;
  ModelConfig config;
  ReferenceData reference;
  ReferenceProfile profile;
};

// Two continuous features (ks, psi), one with ties (ks), a categorical one
// (chi2, psi) and an MMD over the continuous ones; reference `rows`.
Model make_model(std::size_t rows, std::uint64_t false_alarm_every, std::size_t min_consecutive = 1) {
  Model m;
  // (Copied from a string: assigning the literal trips GCC 12's false -Wrestrict.)
  const std::string id("m");
  m.schema.id = id;
  m.config.id = id;
  m.config.window.size = 200;
  m.config.window.step = 50;
  m.config.alerting.min_consecutive = min_consecutive;
  m.config.alerting.false_alarm_every = false_alarm_every;
  const auto add = [&](const char* name, FeatureType type, std::vector<std::string> tests) {
    m.schema.columns.push_back({.name = name, .type = type});
    m.config.features.push_back({.name = name, .type = type, .tests = std::move(tests)});
  };
  add("a", FeatureType::numeric, {"ks", "psi"});
  add("b", FeatureType::numeric, {"ks", "psi"});
  add("tied", FeatureType::numeric, {"ks"});
  add("c", FeatureType::categorical, {"chi2", "psi"});
  m.config.multivariate.push_back({.test = "mmd", .features = {"a", "b"}, .max_points = 100});
  SplitMix64 random(42);
  m.reference.rows = rows;
  m.reference.numbers.resize(4);
  m.reference.texts.resize(4);
  for (std::size_t r = 0; r < rows; ++r) {
    m.reference.numbers[0].push_back(random.uniform());
    m.reference.numbers[1].push_back(random.uniform() + random.uniform());
    m.reference.numbers[2].push_back(double(random.below(6)));
    static const char* const kCategories[] = {"k0", "k1", "k2", "k3"};
    m.reference.texts[3].emplace_back(kCategories[random.below(4)]);
  }
  Defaults defaults;
  m.profile = prepare_reference(m.reference, m.schema, m.config, defaults, 1000, 1);
  return m;
}

Calibration run(const Model& m) {
  return calibrate(m.schema, m.config, Defaults{}, m.reference, m.profile, m.config.window.size,
                   m.config.window.step);
}

}  // namespace

TEST_CASE("calibrator: the same reference and configuration give bit-identical thresholds", "[calibrate]") {
  const Model m = make_model(4000, 50 * 1000);
  const Calibration first = run(m);
  const Calibration second = run(m);
  REQUIRE(first.features.size() == 4);
  for (std::size_t f = 0; f < first.features.size(); ++f) {
    REQUIRE(first.features[f].size() == m.config.features[f].tests.size());
    for (std::size_t t = 0; t < first.features[f].size(); ++t) {
      CHECK(std::memcmp(&first.features[f][t].threshold, &second.features[f][t].threshold, sizeof(double)) == 0);
      CHECK(first.features[f][t].test == m.config.features[f].tests[t]);
      CHECK(first.features[f][t].feature == m.config.features[f].name);
    }
  }
  REQUIRE(first.multivariate.size() == 1);
  CHECK(first.multivariate[0].feature == "a+b");
  CHECK(std::memcmp(&first.multivariate[0].threshold, &second.multivariate[0].threshold, sizeof(double)) == 0);
  CHECK(first.level == second.level);
  CHECK(first.features[0][0].alpha == second.features[0][0].alpha);
}

TEST_CASE("calibrator: the model's expected rate meets the budget, and a larger budget raises every threshold", "[calibrate]") {
  const Model often = make_model(4000, 50 * 200);
  const Model rarely = make_model(4000, 50 * 100000);
  const Calibration a = run(often);
  const Calibration b = run(rarely);
  CHECK(a.evaluations_per_alarm == 200.0);
  CHECK(a.expected_episode_rate == Approx(1.0 / 200).epsilon(1e-3));
  CHECK(b.expected_episode_rate == Approx(1.0 / 100000).epsilon(1e-3));
  CHECK(b.level > a.level);
  CHECK(b.features[0][0].alpha < a.features[0][0].alpha);
  for (std::size_t f = 0; f < a.features.size(); ++f) {
    for (std::size_t t = 0; t < a.features[f].size(); ++t) CHECK(b.features[f][t].threshold > a.features[f][t].threshold);
  }
  CHECK(b.multivariate[0].threshold > a.multivariate[0].threshold);
  CHECK(a.simulated_evaluations > 0);
  // Its groups: the two continuous columns together, the tied one, the
  // categorical one, the MMD; their rates add up to the model's.
  REQUIRE(a.groups.size() == 4);
  CHECK(a.groups[0].features == "a+b");
  CHECK(a.groups[0].tests == "ks+psi");
  CHECK(a.groups[0].copies == 2);
  CHECK(a.groups[1].features == "tied");
  CHECK(a.groups[2].tests == "chi2+psi");
  CHECK(a.groups[3].tests == "mmd");
  double total = 0.0;
  std::uint64_t evaluations = 0;
  for (const auto& group : a.groups) {
    total += double(group.copies) * group.expected_rate;
    evaluations += group.evaluations;
    CHECK(group.measured_rate > 0.0);
  }
  CHECK(total == Approx(a.expected_episode_rate));
  CHECK(evaluations == a.simulated_evaluations);
}

TEST_CASE("calibrator: continuous features share one null stream, ties and categories get their own", "[calibrate]") {
  const Calibration c = run(make_model(4000, 50 * 1000));
  // a and b are continuous with the same tests: their thresholds are equal
  // whatever their distributions.
  CHECK(c.features[0][0].threshold == c.features[1][0].threshold);
  CHECK(c.features[0][1].threshold == c.features[1][1].threshold);
  // Six values: KS between two such samples is coarser than between continuous ones.
  CHECK(c.features[2][0].threshold != c.features[0][0].threshold);
}

TEST_CASE("calibrator: requiring consecutive evaluations lowers the thresholds the budget allows", "[calibrate]") {
  const Calibration once = run(make_model(4000, 50 * 1000, 1));
  const Calibration thrice = run(make_model(4000, 50 * 1000, 3));
  CHECK(thrice.features[0][0].threshold < once.features[0][0].threshold);
  CHECK(thrice.level < once.level);
}

TEST_CASE("calibrator: a multivariate test takes its share of the budget", "[calibrate]") {
  Model with = make_model(4000, 50 * 1000);
  Model without = make_model(4000, 50 * 1000);
  without.config.multivariate.clear();
  without.profile.multivariate.clear();
  const Calibration a = run(with);
  const Calibration b = run(without);
  CHECK(a.features[0][0].threshold > b.features[0][0].threshold);
  CHECK(a.level > b.level);
}

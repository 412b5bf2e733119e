#include "decide/alert_policy.h"

#include <catch2/catch.hpp>
#include <set>

using namespace driftd;

namespace {

constexpr std::int64_t kT0 = 1'763'800'000'000;
constexpr std::int64_t kMinute = 60'000;

TestResult ks(double p) { return {.test = "ks", .kind = TestKind::p_value, .statistic = 0.3, .p_value = p}; }
TestResult psi(double statistic) {
  return {.test = "psi", .kind = TestKind::distance, .statistic = statistic, .threshold = 0.2};
}
TestResult mmd(double p) { return {.test = "mmd", .kind = TestKind::p_value, .statistic = 0.02, .p_value = p}; }
TestResult failed(const char* test) { return {.test = test, .error = "too few values"}; }

constexpr double kDrift = 0.001;  // p-values against the uncorrected 0.05
constexpr double kClean = 0.5;

// Evaluation k of a model: one per minute, 100 events apart.
WindowInfo window_at(int k) {
  return {.count = 500,
          .start_ts = kT0 + k * kMinute - 10 * kMinute,
          .end_ts = kT0 + k * kMinute,
          .end_sequence = std::uint64_t(1000 + 100 * k)};
}

Evaluation one_feature(TestResult test) {
  Evaluation evaluation;
  evaluation.features.push_back({.name = "amount", .tests = {std::move(test)}});
  return evaluation;
}

Evaluation two_features(double amount_p, double country_psi) {
  Evaluation evaluation;
  evaluation.features.push_back({.name = "amount", .tests = {ks(amount_p)}});
  evaluation.features.push_back({.name = "country", .categorical = true, .tests = {psi(country_psi)}});
  return evaluation;
}

// Feeds evaluations one per minute through a policy, deciding as the engine does.
struct Driver {
  AlertPolicy policy;
  double dataset_drift_share = 0.5;
  int k = 0;

  explicit Driver(AlertingConfig alerting = {.min_consecutive = 1, .cooldown = Millis{10 * kMinute}},
                  RetrainConfig retrain = {.drifted_share = 0.5, .cooldown = Millis{60 * kMinute}})
      : policy("fraud-v3", alerting, retrain, 10'000) {}

  AlertOutput step(const Evaluation& evaluation) {
    const Decision decision = decide(
        evaluation, {.p_value = 0.05, .correction = Correction::none, .dataset_drift_share = dataset_drift_share});
    return policy.on_evaluation(evaluation, decision, window_at(k++));
  }

  const AlertPolicy::TestState& state(const std::string& feature, const std::string& test) const {
    const AlertPolicy::TestState* found = policy.state(feature, test);
    REQUIRE(found != nullptr);
    return *found;
  }
};

}  // namespace

TEST_CASE("alert_policy: min_consecutive 1 fires at the first drift, resolves at the first clean", "[alert_policy]") {
  Driver driver;
  const auto fired = driver.step(one_feature(ks(kDrift)));
  REQUIRE(fired.alerts.size() == 1);
  const Alert& alert = fired.alerts[0];
  CHECK(alert.alert_id == "2326ba75-c16b-55b1-92b7-19b795c851d6");  // uuid5 of "8:fraud-v36:amount2:ks4:10006:firing"
  CHECK(alert.model_id == "fraud-v3");
  CHECK(alert.state == "firing");
  CHECK(alert.severity == "critical");  // the only feature drifted: the model drifted
  CHECK(alert.feature == "amount");
  CHECK(alert.test == "ks");
  CHECK(alert.statistic == 0.3);
  CHECK(alert.p_value == std::optional<double>(kDrift));
  CHECK(alert.threshold == 0.05);
  CHECK(alert.window.end_sequence == 1000);
  CHECK(alert.window.count == 500);
  CHECK(alert.window.start_ts == kT0 - 10 * kMinute);
  CHECK(alert.window.end_ts == kT0);
  CHECK(alert.reference_rows == 10'000);
  CHECK(alert.evaluated_at == kT0);
  CHECK(driver.state("amount", "ks").firing);
  CHECK(driver.state("amount", "ks").firing_alert_id == alert.alert_id);
  CHECK(driver.state("amount", "ks").last_fired_at == std::optional<std::int64_t>(kT0));

  CHECK(driver.step(one_feature(ks(kDrift))).alerts.empty());  // still firing: no second message

  const auto resolved = driver.step(one_feature(ks(kClean)));
  REQUIRE(resolved.alerts.size() == 1);
  CHECK(resolved.alerts[0].state == "resolved");
  CHECK(resolved.alerts[0].severity == "warning");  // the clean evaluation's model state
  CHECK(resolved.alerts[0].p_value == std::optional<double>(kClean));
  CHECK(resolved.alerts[0].evaluated_at == kT0 + 2 * kMinute);
  CHECK(resolved.alerts[0].window.end_sequence == 1200);
  CHECK(resolved.alerts[0].alert_id == deterministic_id({"fraud-v3", "amount", "ks", "1200", "resolved"}));
  CHECK_FALSE(driver.state("amount", "ks").firing);
  CHECK(driver.state("amount", "ks").firing_alert_id.empty());
  CHECK(driver.step(one_feature(ks(kClean))).alerts.empty());
}

TEST_CASE("alert_policy: min_consecutive 3 drifted to fire and 3 clean to resolve", "[alert_policy]") {
  Driver driver({.min_consecutive = 3, .cooldown = Millis{0}});
  CHECK(driver.step(one_feature(ks(kDrift))).alerts.empty());
  CHECK(driver.step(one_feature(ks(kDrift))).alerts.empty());
  CHECK(driver.state("amount", "ks").drifted_in_a_row == 2);
  CHECK(driver.step(one_feature(ks(kClean))).alerts.empty());  // breaks the run
  CHECK(driver.state("amount", "ks").drifted_in_a_row == 0);
  CHECK(driver.step(one_feature(ks(kDrift))).alerts.empty());
  CHECK(driver.step(one_feature(ks(kDrift))).alerts.empty());
  const auto fired = driver.step(one_feature(ks(kDrift)));  // k = 5
  REQUIRE(fired.alerts.size() == 1);
  CHECK(fired.alerts[0].state == "firing");
  CHECK(fired.alerts[0].evaluated_at == kT0 + 5 * kMinute);

  CHECK(driver.step(one_feature(ks(kClean))).alerts.empty());
  CHECK(driver.step(one_feature(ks(kClean))).alerts.empty());
  CHECK(driver.step(one_feature(ks(kDrift))).alerts.empty());  // breaks the clean run, still firing
  CHECK(driver.state("amount", "ks").clean_in_a_row == 0);
  CHECK(driver.step(one_feature(ks(kClean))).alerts.empty());
  CHECK(driver.step(one_feature(ks(kClean))).alerts.empty());
  CHECK(driver.state("amount", "ks").firing);
  const auto resolved = driver.step(one_feature(ks(kClean)));  // k = 11
  REQUIRE(resolved.alerts.size() == 1);
  CHECK(resolved.alerts[0].state == "resolved");
  CHECK(resolved.alerts[0].evaluated_at == kT0 + 11 * kMinute);
  CHECK_FALSE(driver.state("amount", "ks").firing);
}

TEST_CASE("alert_policy: no re-fire within the cooldown, fires as soon as it has passed", "[alert_policy]") {
  Driver driver({.min_consecutive = 1, .cooldown = Millis{10 * kMinute}});
  REQUIRE(driver.step(one_feature(ks(kDrift))).alerts.size() == 1);  // fired at kT0
  const auto resolved = driver.step(one_feature(ks(kClean)));
  REQUIRE(resolved.alerts.size() == 1);
  CHECK(resolved.alerts[0].state == "resolved");
  for (int k = 2; k < 10; ++k) {
    INFO("evaluation " << k);
    CHECK(driver.step(one_feature(ks(kDrift))).alerts.empty());
  }
  const auto refired = driver.step(one_feature(ks(kDrift)));  // k = 10: exactly the cooldown after
  REQUIRE(refired.alerts.size() == 1);
  CHECK(refired.alerts[0].state == "firing");
  CHECK(refired.alerts[0].evaluated_at == kT0 + 10 * kMinute);
  CHECK(driver.state("amount", "ks").last_fired_at == std::optional<std::int64_t>(kT0 + 10 * kMinute));
}

TEST_CASE("alert_policy: event time stepping back counts as within the cooldown", "[alert_policy]") {
  AlertPolicy policy("m", {.min_consecutive = 1, .cooldown = Millis{kMinute}}, {.drifted_share = 1.0}, 1);
  const Evaluation drifted = one_feature(ks(kDrift));
  const Evaluation clean = one_feature(ks(kClean));
  const Decision drift = decide(drifted, {.correction = Correction::none});
  const Decision no_drift = decide(clean, {.correction = Correction::none});
  REQUIRE(policy.on_evaluation(drifted, drift, window_at(10)).alerts.size() == 1);
  REQUIRE(policy.on_evaluation(clean, no_drift, window_at(11)).alerts.size() == 1);
  CHECK(policy.on_evaluation(drifted, drift, window_at(5)).alerts.empty());
  CHECK(policy.on_evaluation(drifted, drift, window_at(11)).alerts.size() == 1);

  // Without a cooldown there is nothing to wait for.
  AlertPolicy eager("m", {.min_consecutive = 1, .cooldown = Millis{0}}, {.drifted_share = 1.0}, 1);
  REQUIRE(eager.on_evaluation(drifted, drift, window_at(10)).alerts.size() == 1);
  REQUIRE(eager.on_evaluation(clean, no_drift, window_at(11)).alerts.size() == 1);
  CHECK(eager.on_evaluation(drifted, drift, window_at(5)).alerts.size() == 1);
}

TEST_CASE("alert_policy: warning when only a feature drifted, critical when the model did", "[alert_policy]") {
  Driver driver;
  driver.dataset_drift_share = 0.75;  // one of two features is not enough
  const auto first = driver.step(two_features(kDrift, 0.01));
  REQUIRE(first.alerts.size() == 1);
  CHECK(first.alerts[0].feature == "amount");
  CHECK(first.alerts[0].severity == "warning");
  const auto second = driver.step(two_features(kDrift, 0.5));  // both: the model drifted
  REQUIRE(second.alerts.size() == 1);
  CHECK(second.alerts[0].feature == "country");
  CHECK(second.alerts[0].test == "psi");
  CHECK(second.alerts[0].severity == "critical");
  CHECK_FALSE(second.alerts[0].p_value.has_value());
  CHECK(second.alerts[0].statistic == 0.5);
  CHECK(second.alerts[0].threshold == 0.2);
}

TEST_CASE("alert_policy: a test that errored leaves its state unchanged", "[alert_policy]") {
  Driver driver({.min_consecutive = 3, .cooldown = Millis{0}});
  CHECK(driver.step(one_feature(failed("ks"))).alerts.empty());
  CHECK(driver.policy.state("amount", "ks") == nullptr);  // never ran: no state at all

  CHECK(driver.step(one_feature(ks(kDrift))).alerts.empty());
  CHECK(driver.step(one_feature(ks(kDrift))).alerts.empty());
  const AlertPolicy::TestState before = driver.state("amount", "ks");
  CHECK(driver.step(one_feature(failed("ks"))).alerts.empty());
  const AlertPolicy::TestState& after = driver.state("amount", "ks");
  CHECK(after.drifted_in_a_row == before.drifted_in_a_row);
  CHECK(after.clean_in_a_row == before.clean_in_a_row);
  CHECK(after.firing == before.firing);
  // The error neither reset the run nor counted: the next drift is the third.
  const auto fired = driver.step(one_feature(ks(kDrift)));
  REQUIRE(fired.alerts.size() == 1);
  CHECK(fired.alerts[0].window.end_sequence == 1400);

  CHECK(driver.step(one_feature(ks(kClean))).alerts.empty());
  CHECK(driver.step(one_feature(ks(kClean))).alerts.empty());
  CHECK(driver.step(one_feature(failed("ks"))).alerts.empty());  // does not count as the third clean one
  CHECK(driver.state("amount", "ks").firing);
  CHECK(driver.state("amount", "ks").clean_in_a_row == 2);
  const auto resolved = driver.step(one_feature(ks(kClean)));
  REQUIRE(resolved.alerts.size() == 1);
  CHECK(resolved.alerts[0].state == "resolved");
}

TEST_CASE("alert_policy: multivariate tests are keyed by their features joined by '+'", "[alert_policy]") {
  Driver driver;
  driver.dataset_drift_share = 1.0;
  Evaluation evaluation = two_features(kDrift, 0.01);
  evaluation.multivariate.push_back({.features = {"amount", "age"}, .test = mmd(0.01)});
  const auto output = driver.step(evaluation);
  REQUIRE(output.alerts.size() == 2);
  CHECK(output.alerts[0].feature == "amount");  // features first, then multivariate
  const Alert& alert = output.alerts[1];
  CHECK(alert.feature == "amount+age");
  CHECK(alert.test == "mmd");
  CHECK(alert.statistic == 0.02);
  CHECK(alert.p_value == std::optional<double>(0.01));
  CHECK(alert.threshold == 0.05);
  CHECK(alert.severity == "critical");  // a multivariate drift drifts the model
  CHECK(alert.alert_id == deterministic_id({"fraud-v3", "amount+age", "mmd", "1000", "firing"}));
  CHECK(driver.state("amount+age", "mmd").firing_alert_id == alert.alert_id);

  evaluation.multivariate[0].test = mmd(0.3);
  const auto resolved = driver.step(evaluation);
  REQUIRE(resolved.alerts.size() == 1);
  CHECK(resolved.alerts[0].feature == "amount+age");
  CHECK(resolved.alerts[0].state == "resolved");
}

TEST_CASE("alert_policy: retrain when the drifted share reaches retrain.drifted_share", "[alert_policy]") {
  Driver driver({.min_consecutive = 1, .cooldown = Millis{0}}, {.drifted_share = 0.5, .cooldown = Millis{0}});
  CHECK_FALSE(driver.step(two_features(kClean, 0.01)).retrain.has_value());

  const auto output = driver.step(two_features(kClean, 0.3));  // k = 1: country drifts, share 0.5
  REQUIRE(output.retrain.has_value());
  const RetrainTrigger& trigger = *output.retrain;
  CHECK(trigger.trigger_id == deterministic_id({"fraud-v3", "retrain", "1100"}));
  CHECK(trigger.model_id == "fraud-v3");
  CHECK(trigger.drifted_features == std::vector<std::string>{"country"});
  REQUIRE(output.alerts.size() == 1);
  CHECK(trigger.alert_ids == std::vector<std::string>{output.alerts[0].alert_id});
  CHECK(trigger.drifted_share == 0.5);
  CHECK(trigger.window.end_sequence == 1100);
  CHECK(trigger.window.start_ts == kT0 - 9 * kMinute);
  CHECK(trigger.evaluated_at == kT0 + kMinute);
  CHECK(driver.policy.last_retrain_at() == std::optional<std::int64_t>(kT0 + kMinute));

  SECTION("alert ids: those firing after the transitions, in evaluation order") {
    const auto both = driver.step(two_features(kDrift, 0.3));  // amount fires, country still firing
    REQUIRE(both.retrain.has_value());
    REQUIRE(both.alerts.size() == 1);
    CHECK(both.retrain->drifted_features == std::vector<std::string>{"amount", "country"});
    CHECK(both.retrain->alert_ids == std::vector<std::string>{both.alerts[0].alert_id, output.alerts[0].alert_id});
    CHECK(both.retrain->drifted_share == 1.0);
    const auto one = driver.step(two_features(kDrift, 0.01));  // country resolves
    REQUIRE(one.retrain.has_value());
    CHECK(one.retrain->drifted_features == std::vector<std::string>{"amount"});
    CHECK(one.retrain->alert_ids == std::vector<std::string>{both.alerts[0].alert_id});
  }
  SECTION("a share below retrain.drifted_share triggers nothing") {
    Driver strict({}, {.drifted_share = 0.75, .cooldown = Millis{0}});
    const auto below = strict.step(two_features(kDrift, 0.01));
    CHECK(below.alerts.size() == 1);
    CHECK_FALSE(below.retrain.has_value());
    CHECK_FALSE(strict.policy.last_retrain_at().has_value());
  }
  SECTION("the trigger follows the alerts, so it waits for min_consecutive too") {
    Driver slow({.min_consecutive = 3, .cooldown = Millis{0}}, {.drifted_share = 0.5, .cooldown = Millis{0}});
    CHECK_FALSE(slow.step(two_features(kDrift, 0.01)).retrain.has_value());
    CHECK_FALSE(slow.step(two_features(kDrift, 0.01)).retrain.has_value());
    const auto third = slow.step(two_features(kDrift, 0.01));
    REQUIRE(third.alerts.size() == 1);
    REQUIRE(third.retrain.has_value());
    CHECK(third.retrain->drifted_features == std::vector<std::string>{"amount"});
    CHECK(third.retrain->alert_ids == std::vector<std::string>{third.alerts[0].alert_id});
  }
}

TEST_CASE("alert_policy: retrain on a multivariate drift alone", "[alert_policy]") {
  Driver driver({}, {.drifted_share = 1.0, .cooldown = Millis{0}});
  Evaluation evaluation = two_features(kClean, 0.01);
  // Two tests over the same features (a second kind of multivariate test, named "energy" here).
  TestResult energy = mmd(0.3);
  energy.test = "energy";
  evaluation.multivariate.push_back({.features = {"amount", "age"}, .test = mmd(0.3)});
  evaluation.multivariate.push_back({.features = {"amount", "age"}, .test = energy});
  CHECK_FALSE(driver.step(evaluation).retrain.has_value());
  evaluation.multivariate[0].test.p_value = 0.01;
  evaluation.multivariate[1].test.p_value = 0.02;
  const auto output = driver.step(evaluation);
  REQUIRE(output.retrain.has_value());
  CHECK(output.retrain->drifted_share == 0.0);
  CHECK(output.retrain->drifted_features == std::vector<std::string>{"amount+age"});  // named once
  REQUIRE(output.alerts.size() == 2);
  CHECK(output.alerts[1].test == "energy");
  CHECK(output.retrain->alert_ids == std::vector<std::string>{output.alerts[0].alert_id, output.alerts[1].alert_id});
}

TEST_CASE("alert_policy: at most one retrain trigger per retrain.cooldown", "[alert_policy]") {
  Driver driver({}, {.drifted_share = 0.5, .cooldown = Millis{30 * kMinute}});
  REQUIRE(driver.step(one_feature(ks(kDrift))).retrain.has_value());  // kT0
  for (int k = 1; k < 30; ++k) {
    INFO("evaluation " << k);
    CHECK_FALSE(driver.step(one_feature(ks(kDrift))).retrain.has_value());
  }
  CHECK(driver.policy.last_retrain_at() == std::optional<std::int64_t>(kT0));
  const auto again = driver.step(one_feature(ks(kDrift)));  // k = 30
  REQUIRE(again.retrain.has_value());
  CHECK(again.retrain->evaluated_at == kT0 + 30 * kMinute);
  CHECK(driver.policy.last_retrain_at() == std::optional<std::int64_t>(kT0 + 30 * kMinute));
}

TEST_CASE("alert_policy: ids are deterministic across instances", "[alert_policy]") {
  const auto run = [] {
    Driver driver({}, {.drifted_share = 0.5, .cooldown = Millis{0}});
    std::vector<std::string> ids;
    for (const double p : {kDrift, kDrift, kClean, kDrift}) {
      const auto output = driver.step(two_features(p, 0.3));
      for (const auto& alert : output.alerts) ids.push_back(alert.alert_id);
      if (output.retrain) ids.push_back(output.retrain->trigger_id);
    }
    return ids;
  };
  const std::vector<std::string> first = run();
  // Both fire + trigger; trigger; amount resolves + trigger; trigger (amount re-drifts within its cooldown).
  CHECK(first.size() == 7);
  CHECK(std::set<std::string>(first.begin(), first.end()).size() == first.size());
  CHECK(run() == first);
  CHECK(deterministic_id({"fraud-v3", "retrain", "1000"}) == "c32edacb-6370-5348-a2fc-546bb4982fe2");
  CHECK(deterministic_id({}) == "801761fa-e1d4-5a26-a713-2af4d4a00e5e");
}

TEST_CASE("alert_policy: ids differ across windows, features, tests, states and models", "[alert_policy]") {
  const std::vector<std::vector<std::string>> inputs = {
      {"fraud-v3", "amount", "ks", "1000", "firing"},
      {"fraud-v3", "amount", "ks", "1100", "firing"},
      {"fraud-v3", "country", "ks", "1000", "firing"},
      {"fraud-v3", "amount", "psi", "1000", "firing"},
      {"fraud-v3", "amount", "ks", "1000", "resolved"},
      {"fraud-v4", "amount", "ks", "1000", "firing"},
      {"fraud-v3", "retrain", "1000"},
      {"fraud-v3", "retrain", "1100"},
      // Length prefixes keep moved boundaries apart.
      {"ab", "c"},
      {"a", "bc"},
      {"abc"},
      {"a", "b", "c"},
  };
  std::set<std::string> ids;
  for (const auto& parts : inputs) {
    const std::string id = deterministic_id(parts);
    INFO(id);
    REQUIRE(id.size() == 36);
    CHECK(id[14] == '5');                                          // version 5
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);  // RFC 4122 variant
    CHECK(id.find_first_not_of("0123456789abcdef-") == std::string::npos);
    ids.insert(id);
  }
  CHECK(ids.size() == inputs.size());
}

TEST_CASE("alert_policy: a decision that does not match the evaluation is refused", "[alert_policy]") {
  AlertPolicy policy("m", {}, {}, 1);
  const Evaluation evaluation = two_features(kDrift, 0.3);
  Decision decision = decide(evaluation, {});
  decision.tests[1].clear();
  CHECK_THROWS_AS(policy.on_evaluation(evaluation, decision, window_at(0)), std::invalid_argument);
  CHECK(policy.state("amount", "ks") == nullptr);
  CHECK(policy.state("country", "psi") == nullptr);
}

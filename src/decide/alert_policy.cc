#include "decide/alert_policy.h"

#include <algorithm>
#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <limits>
#include <stdexcept>
#include <utility>

namespace driftd {

namespace {

// The namespace of every driftd id, a random UUID fixed once and never to
// change (77a0303c-cf33-4374-90d1-96be318dfecd): an id is
// uuid5(namespace, name), so any RFC 4122 library can recompute it.
constexpr boost::uuids::uuid kIdNamespace = {
    {0x77, 0xa0, 0x30, 0x3c, 0xcf, 0x33, 0x43, 0x74, 0x90, 0xd1, 0x96, 0xbe, 0x31, 0x8d, 0xfe, 0xcd}};


// Saturates, so that a test drifting for ever never wraps back below min_consecutive.
void count_one(std::uint32_t& in_a_row) {
  if (in_a_row < std::numeric_limits<std::uint32_t>::max()) ++in_a_row;
}

// Whether `cooldown` has passed since `since` (always, when nothing happened
// yet). Event time may step back (a count window's newest event can be older
// than an earlier window's): that counts as not passed.
bool cooled_down(const std::optional<std::int64_t>& since, std::int64_t now, Millis cooldown) {
  if (!since || cooldown.count() <= 0) return true;
  if (now < *since) return false;
  // Unsigned, so that the distance between any two int64 times is exact.
  return std::uint64_t(now) - std::uint64_t(*since) >= std::uint64_t(cooldown.count());
}

// Applies one evaluation that ran to a test's state; returns the transition
// it causes ("firing" or "resolved"), or nullptr.
const char* advance(AlertPolicy::TestState& state, const TestDecision& decision, std::int64_t now,
                    const AlertingConfig& alerting) {
  if (decision.drift) {
    count_one(state.drifted_in_a_row);
    state.clean_in_a_row = 0;
    const std::uint32_t needed = decision.change_point ? 1 : std::uint32_t(alerting.min_consecutive);
    if (!state.firing && state.drifted_in_a_row >= needed &&
        cooled_down(state.last_fired_at, now, alerting.cooldown)) {
      return "firing";
    }
  } else {
    count_one(state.clean_in_a_row);
    state.drifted_in_a_row = 0;
    if (state.firing && state.clean_in_a_row >= alerting.min_consecutive) return "resolved";
  }
  return nullptr;
}

// The decision must come from decide() on this very evaluation.
void check_shapes(const Evaluation& evaluation, const Decision& decision) {
  bool same = decision.tests.size() == evaluation.features.size() &&
              decision.feature_drift.size() == evaluation.features.size() &&
              decision.multivariate.size() == evaluation.multivariate.size();
  for (std::size_t f = 0; same && f < evaluation.features.size(); ++f) {
    same = decision.tests[f].size() == evaluation.features[f].tests.size();
  }
  if (!same) throw std::invalid_argument("AlertPolicy: the decision does not match the evaluation");
}

}  // namespace

// Parts are length-prefixed ("<bytes>:<part>" each), so that no two lists of
// parts give the same name whatever characters the parts hold.
std::string deterministic_id(const std::vector<std::string>& parts) {
  std::string name;
  for (const auto& part : parts) {
    name += std::to_string(part.size());
    name += ':';
    name += part;
  }
  return boost::uuids::to_string(boost::uuids::name_generator_sha1(kIdNamespace)(name));
}

AlertPolicy::AlertPolicy(std::string model_id, AlertingConfig alerting, RetrainConfig retrain,
                         std::uint64_t reference_rows)
    : model_id_(std::move(model_id)), alerting_(alerting), retrain_(retrain), reference_rows_(reference_rows) {}

const AlertPolicy::TestState* AlertPolicy::state(const std::string& feature, const std::string& test) const {
  const auto found = states_.find(TestKey{feature, test});
  return found == states_.end() ? nullptr : &found->second;
}

std::vector<AlertStateSnapshot> AlertPolicy::snapshot() const {
  std::vector<AlertStateSnapshot> out;
  for (const auto& [key, state] : states_) {
    out.push_back({.feature = key.feature,
                   .test = key.test,
                   .firing = state.firing,
                   .drifted_in_a_row = state.drifted_in_a_row,
                   .clean_in_a_row = state.clean_in_a_row,
                   .last_fired_at = state.last_fired_at,
                   .firing_alert_id = state.firing_alert_id});
  }
  return out;
}

void AlertPolicy::restore(const std::vector<AlertStateSnapshot>& states, std::optional<std::int64_t> last_retrain_at) {
  states_.clear();
  for (const AlertStateSnapshot& s : states) {
    states_[TestKey{s.feature, s.test}] = TestState{.firing = s.firing,
                                                    .drifted_in_a_row = s.drifted_in_a_row,
                                                    .clean_in_a_row = s.clean_in_a_row,
                                                    .last_fired_at = s.last_fired_at,
                                                    .firing_alert_id = s.firing_alert_id};
  }
  last_retrain_at_ = last_retrain_at;
}

AlertOutput AlertPolicy::on_evaluation(const Evaluation& evaluation, const Decision& decision,
                                       const WindowInfo& window) {
  return evaluate(evaluation, decision, Step{.window = window, .scope = ""});
}

AlertOutput AlertPolicy::on_label_evaluation(const Evaluation& evaluation, const Decision& decision,
                                             const WindowInfo& window) {
  return evaluate(evaluation, decision, Step{.window = window, .scope = "labels"});
}

std::string AlertPolicy::scoped_id(const Step& step, std::vector<std::string> parts) {
  // Unscoped ids stay as they were, so that the feature windows' alerts keep their ids.
  if (!step.scope.empty()) parts.push_back(step.scope);
  return deterministic_id(parts);
}

AlertOutput AlertPolicy::evaluate(const Evaluation& evaluation, const Decision& decision, Step step) {
  check_shapes(evaluation, decision);
  step.severity = decision.drift ? "critical" : "warning";

  // Retraining follows the alerts, so it inherits their min_consecutive
  // debounce and every trigger names the alerts that caused it.
  std::vector<std::string> alerting;  // features with a firing alert, then multivariate joins
  for (std::size_t f = 0; f < evaluation.features.size(); ++f) {
    const FeatureEvaluation& feature = evaluation.features[f];
    bool firing = false;
    for (std::size_t t = 0; t < feature.tests.size(); ++t) {
      firing = apply(feature.name, feature.tests[t], decision.tests[f][t], step) || firing;
    }
    if (firing) alerting.push_back(feature.name);
  }
  const std::size_t alerting_features = alerting.size();
  for (std::size_t i = 0; i < evaluation.multivariate.size(); ++i) {
    const std::string joined = joined_features(evaluation.multivariate[i].features);
    // Two tests over the same features name them once.
    if (apply(joined, evaluation.multivariate[i].test, decision.multivariate[i], step) &&
        std::find(alerting.begin(), alerting.end(), joined) == alerting.end()) {
      alerting.push_back(joined);
    }
  }

  const double share = evaluation.features.empty() ? 0.0 : double(alerting_features) / double(evaluation.features.size());
  const bool wanted = (alerting_features > 0 && share >= retrain_.drifted_share) || alerting.size() > alerting_features;
  const WindowInfo& window = step.window;
  const std::int64_t now = window.end_ts;
  if (wanted && cooled_down(last_retrain_at_, now, retrain_.cooldown)) {
    step.output.retrain = RetrainTrigger{
        .trigger_id = scoped_id(step, {model_id_, "retrain", std::to_string(window.end_sequence)}),
        .model_id = model_id_,
        .drifted_features = std::move(alerting),
        .alert_ids = std::move(step.firing_ids),
        .drifted_share = share,
        .window = window,
        .evaluated_at = now,
    };
    last_retrain_at_ = now;
  }
  return std::move(step.output);
}

bool AlertPolicy::apply(const std::string& feature, const TestResult& result, const TestDecision& decision,
                        Step& step) {
  const std::int64_t now = step.window.end_ts;
  TestKey key{feature, result.test};
  if (result.ok()) {
    TestState& state = states_[key];
    if (const char* transition = advance(state, decision, now, alerting_)) {
      Alert alert{
          // The state is part of the id: a window's firing and resolved messages are distinct.
          .alert_id =
              scoped_id(step, {model_id_, feature, result.test, std::to_string(step.window.end_sequence), transition}),
          .model_id = model_id_,
          .state = transition,
          .severity = step.severity,
          .feature = feature,
          .test = result.test,
          .statistic = result.statistic,
          .p_value = result.p_value,
          .threshold = decision.threshold,
          .window = step.window,
          .reference_rows = reference_rows_,
          .evaluated_at = now,
          .calibration = step.scope.empty() ? calibration_ : std::nullopt,
      };
      if (alert.calibration) alert.calibration->alpha = decision.alpha;
      state.firing = alert.state == "firing";
      if (state.firing) state.last_fired_at = now;
      state.firing_alert_id = state.firing ? alert.alert_id : std::string();
      step.output.alerts.push_back(std::move(alert));
    }
  }
  // A test that errored keeps firing (or not) as it was.
  const auto found = states_.find(key);
  if (found == states_.end() || !found->second.firing) return false;
  step.firing_ids.push_back(found->second.firing_alert_id);
  return true;
}

}  // namespace driftd

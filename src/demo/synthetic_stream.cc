#include "demo/synthetic_stream.h"

#include <array>
#include <cmath>
#include <string_view>

#include "util/json_text.h"

namespace driftd {
namespace {

constexpr std::array<const char*, 5> kCountries = {"KR", "US", "DE", "BR", "IN"};
constexpr std::array<const char*, 3> kProducts = {"app", "web", "api"};
constexpr std::array<const char*, 3> kSupportPlans = {"free", "team", "enterprise"};
constexpr std::array<const char*, 3> kQueues = {"billing", "technical", "account"};

// What support-router-v2 learnt, and how tickets were in fact routed until
// the drift: API users have technical problems, enterprise customers have
// an account manager, short tickets are questions about a bill.
std::size_t route(int words, std::size_t product, std::size_t plan) {
  if (kProducts[product] == std::string_view("api")) return 1;
  if (kSupportPlans[plan] == std::string_view("enterprise")) return 2;
  return words < 60 ? 0 : 1;
}

// A ticket is delivered with its label one time in five (an agent triaged
// it first); the others are labelled when the ticket is closed, by a
// feedback event 1,000 to 6,000 events later (0.5 to 3 s at the demo's
// 2,000 events/s).
constexpr double kInlineLabelShare = 0.2;
constexpr std::uint64_t kMinFeedbackDelay = 1000, kMaxFeedbackDelay = 6000;

}  // namespace

SyntheticStream::SyntheticStream(std::uint64_t seed, std::uint64_t drift_after, std::uint64_t invalid_every)
    : random_(seed), drift_after_(drift_after), invalid_every_(invalid_every) {}

SyntheticStream::Event SyntheticStream::next(std::int64_t ts_ms) {
  ++produced_;
  if (invalid_every_ > 0 && produced_ % invalid_every_ == 0) {
    // A non-finite amount: counted as invalid and dead-lettered, never fatal.
    return {kDriftingModel, "{\"model_id\":\"fraud-v3\",\"ts\":" + std::to_string(ts_ms) +
                                ",\"features\":{\"amount\":\"NaN\"}}"};
  }
  if (produced_ % 4 == 2) return {kSteadyModel, churn_event(ts_ms)};
  if (produced_ % 4 == 0) return {kConceptModel, support_event(ts_ms, fraud_events_ >= drift_after_)};
  return {kDriftingModel, fraud_event(ts_ms, fraud_events_++ >= drift_after_)};
}

std::optional<SyntheticStream::Event> SyntheticStream::next_feedback(std::int64_t ts_ms) {
  if (feedback_.empty() || feedback_.begin()->first > produced_) return std::nullopt;
  const auto [ticket, label] = feedback_.begin()->second;
  feedback_.erase(feedback_.begin());
  return Event{kConceptModel, std::string("{\"model_id\":\"") + kConceptModel + "\",\"event_id\":\"T" +
                                  std::to_string(ticket) + "\",\"label\":\"" + label +
                                  "\",\"ts\":" + std::to_string(ts_ms) + "}"};
}

SyntheticStream::FraudRow SyntheticStream::draw_fraud(bool drifted) {
  std::lognormal_distribution<double> amount(drifted ? 3.6 : 3.0, 0.8);
  std::normal_distribution<double> age(41.0, 12.0);
  // After the onset, one country takes over half the traffic.
  std::discrete_distribution<int> country =
      drifted ? std::discrete_distribution<int>{5, 1, 1, 1, 2} : std::discrete_distribution<int>{2, 3, 2, 1, 2};
  std::bernoulli_distribution is_new(0.2);
  FraudRow row{};
  row.amount = amount(random_);
  row.age = age(random_);
  row.country = kCountries[std::size_t(country(random_))];
  row.is_new = is_new(random_);
  row.prediction = 1.0 / (1.0 + std::exp(-(row.amount - 40.0) / 15.0));
  return row;
}

SyntheticStream::ChurnRow SyntheticStream::draw_churn() {
  std::gamma_distribution<double> tenure(2.0, 12.0);
  std::poisson_distribution<int> tickets(1.5);
  std::discrete_distribution<int> plan{5, 3, 2};
  static constexpr std::array<const char*, 3> kPlans = {"basic", "plus", "pro"};
  ChurnRow row{};
  row.tenure_months = tenure(random_);
  row.support_tickets = tickets(random_);
  row.plan = kPlans[std::size_t(plan(random_))];
  return row;
}

SyntheticStream::SupportRow SyntheticStream::draw_support(bool drifted) {
  std::lognormal_distribution<double> words(4.0, 0.6);
  std::discrete_distribution<std::size_t> product{5, 3, 2};
  std::discrete_distribution<std::size_t> plan{5, 3, 2};
  // 8 % of tickets belong elsewhere than the rule says, before the drift and after.
  std::bernoulli_distribution misrouted(0.08);
  std::uniform_int_distribution<std::size_t> other(1, kQueues.size() - 1);
  SupportRow row{};
  row.words = int(std::lround(words(random_)));
  const std::size_t p = product(random_), q = plan(random_);
  row.product = kProducts[p];
  row.plan = kSupportPlans[q];
  const std::size_t predicted = route(row.words, p, q);
  row.prediction = kQueues[predicted];
  // The drift: an app release changed signing in, and short app tickets
  // from then on are about the account, not a bill. Nothing the model sees
  // changes, so only the labels can tell.
  std::size_t truth = predicted;
  if (drifted && kProducts[p] == std::string_view("app") && predicted == 0) truth = 2;
  // Drawn either way, so that the features after the drift are drawn
  // exactly as before it.
  const bool noise = misrouted(random_);
  const std::size_t shift = other(random_);
  row.label = kQueues[noise ? (truth + shift) % kQueues.size() : truth];
  return row;
}

std::string SyntheticStream::fraud_event(std::int64_t ts_ms, bool drifted) {
  const FraudRow row = draw_fraud(drifted);
  std::string out = "{\"model_id\":\"fraud-v3\",\"ts\":" + std::to_string(ts_ms) + ",\"features\":{\"amount\":";
  append_json_number(out, row.amount);
  out += ",\"age\":";
  append_json_number(out, row.age);
  out += ",\"country\":\"";
  out += row.country;
  out += "\",\"is_new\":";
  out += row.is_new ? "true" : "false";
  out += "},\"prediction\":";
  append_json_number(out, row.prediction);
  out += '}';
  return out;
}

std::string SyntheticStream::churn_event(std::int64_t ts_ms) {
  const ChurnRow row = draw_churn();
  std::string out = "{\"model_id\":\"churn-v1\",\"ts\":" + std::to_string(ts_ms) + ",\"features\":{\"tenure_months\":";
  append_json_number(out, row.tenure_months);
  out += ",\"support_tickets\":" + std::to_string(row.support_tickets);
  out += ",\"plan\":\"";
  out += row.plan;
  out += "\"}}";
  return out;
}

std::string SyntheticStream::support_event(std::int64_t ts_ms, bool drifted) {
  const SupportRow row = draw_support(drifted);
  const bool inline_label = std::bernoulli_distribution(kInlineLabelShare)(random_);
  const std::uint64_t delay =
      std::uniform_int_distribution<std::uint64_t>(kMinFeedbackDelay, kMaxFeedbackDelay)(random_);
  const std::uint64_t ticket = ++tickets_;
  std::string out = std::string("{\"model_id\":\"") + kConceptModel + "\",\"ts\":" + std::to_string(ts_ms);
  if (!inline_label) {
    out += ",\"event_id\":\"T" + std::to_string(ticket) + '"';
    feedback_.emplace(produced_ + delay, std::pair{ticket, row.label});
  }
  out += ",\"features\":{\"words\":" + std::to_string(row.words);
  out += ",\"product\":\"";
  out += row.product;
  out += "\",\"plan\":\"";
  out += row.plan;
  out += "\"},\"prediction\":\"";
  out += row.prediction;
  out += '"';
  if (inline_label) {
    out += ",\"label\":\"";
    out += row.label;
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace driftd

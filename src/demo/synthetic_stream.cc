#include "demo/synthetic_stream.h"

#include <array>
#include <cmath>

#include "util/json_text.h"

namespace driftd {
namespace {

constexpr std::array<const char*, 5> kCountries = {"KR", "US", "DE", "BR", "IN"};

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
  if (produced_ % 2 == 0) return {kSteadyModel, churn_event(ts_ms)};
  return {kDriftingModel, fraud_event(ts_ms, fraud_events_++ >= drift_after_)};
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

}  // namespace driftd

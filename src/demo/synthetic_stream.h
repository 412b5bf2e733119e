// The demo's synthetic traffic: events of two models as include/driftd/README.md ("Events") shows
// them, with drift injected into one model part-way. Deterministic for a
// given seed, so a demo run can be reproduced.
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace driftd {

class SyntheticStream {
 public:
  struct Event {
    std::string model_id;
    std::string json;  // the message value
  };

  // `drift_after`: events of the drifting model from which its `amount`
  // and `country` shift. Roughly one event in `invalid_every` is malformed,
  // to show dead-lettering (0: none).
  SyntheticStream(std::uint64_t seed, std::uint64_t drift_after, std::uint64_t invalid_every);

  // The next event; `ts_ms` is its event time. Alternates between the models.
  Event next(std::int64_t ts_ms);

  static constexpr const char* kDriftingModel = "fraud-v3";
  static constexpr const char* kSteadyModel = "churn-v1";

  // One event's values, drawn as next() draws them: the demo's reference
  // files (demo/reference_files.h) are drawn with these, so that they hold
  // exactly the distribution the stream has before its drift.
  struct FraudRow {
    double amount, age;
    const char* country;
    bool is_new;
    double prediction;
  };
  struct ChurnRow {
    double tenure_months;
    int support_tickets;
    const char* plan;
  };
  FraudRow draw_fraud(bool drifted);
  ChurnRow draw_churn();

 private:
  std::string fraud_event(std::int64_t ts_ms, bool drifted);
  std::string churn_event(std::int64_t ts_ms);

  std::mt19937_64 random_;
  std::uint64_t drift_after_;
  std::uint64_t invalid_every_;
  std::uint64_t produced_ = 0;
  std::uint64_t fraud_events_ = 0;
};

}  // namespace driftd

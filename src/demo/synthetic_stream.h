// The demo's synthetic traffic: events of three models as include/driftd/README.md ("Events") shows
// them, with drift injected part-way: into the features of one model, and
// into the concept (how the truth follows the features) of another, whose
// labels come inline or in delayed feedback events. Deterministic for a
// given seed, so a demo run can be reproduced.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
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
  // and `country` shift; from the same moment the router's tickets belong
  // to other queues than before. Roughly one event in `invalid_every` is
  // malformed, to show dead-lettering (0: none).
  SyntheticStream(std::uint64_t seed, std::uint64_t drift_after, std::uint64_t invalid_every);

  // The next event; `ts_ms` is its event time. Half the events are the
  // fraud model's, the other half alternate between churn and the router.
  Event next(std::int64_t ts_ms);

  // A feedback event (the true queue of a ticket routed earlier) that is
  // due after the events next() has returned so far, or nullopt. Feedback
  // comes on top of next()'s events, so that the models' shares of them,
  // and with them the moment of the drift, stay what they are.
  std::optional<Event> next_feedback(std::int64_t ts_ms);

  static constexpr const char* kDriftingModel = "fraud-v3";
  static constexpr const char* kSteadyModel = "churn-v1";
  static constexpr const char* kConceptModel = "support-router-v2";

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
  struct SupportRow {
    int words;
    const char* product;
    const char* plan;
    const char* prediction;  // the queue the model routes the ticket to
    const char* label;       // the queue it belongs to
  };
  FraudRow draw_fraud(bool drifted);
  ChurnRow draw_churn();
  // `drifted`: only the label changes; the features (and so the
  // prediction) are drawn exactly as before.
  SupportRow draw_support(bool drifted);

 private:
  std::string fraud_event(std::int64_t ts_ms, bool drifted);
  std::string churn_event(std::int64_t ts_ms);
  std::string support_event(std::int64_t ts_ms, bool drifted);

  std::mt19937_64 random_;
  std::uint64_t drift_after_;
  std::uint64_t invalid_every_;
  std::uint64_t produced_ = 0;
  std::uint64_t fraud_events_ = 0;
  std::uint64_t tickets_ = 0;
  // Labels on their way: (the event count at which each is due, ticket id
  // and label), in the order they were drawn among equals.
  std::multimap<std::uint64_t, std::pair<std::uint64_t, const char*>> feedback_;
};

}  // namespace driftd

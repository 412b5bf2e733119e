// Alerts, retrain triggers and dead letters to their Kafka topics, each
// published once: an output whose id the ledger holds is already on its
// topic (sent before a crash, or by the partition's previous owner) and is
// not sent again, only counted.
// Alerts and triggers are keyed by their model, so a model's outputs stay
// in order on one partition. Dead letters are written only when
// kafka.dead_letter_topic is set.
#pragma once

#include <cstdint>

#include "delivery/output_ledger.h"
#include "delivery/output_sink.h"
#include "driftd/config.h"
#include "kafka/output_producer.h"

namespace driftd {

class KafkaOutputSink final : public OutputSink {
 public:
  // All three must outlive the sink.
  KafkaOutputSink(const KafkaConfig& kafka, OutputProducer& producer, OutputLedger& ledger)
      : kafka_(kafka), producer_(producer), ledger_(ledger) {}

  void alert(const Alert& alert) override;
  void retrain_trigger(const RetrainTrigger& trigger) override;
  void dead_letter(const MessageSource& source, InvalidReason reason) override;
  Flush flush(std::chrono::milliseconds timeout) override;

  // Since the start.
  struct Counters {
    std::uint64_t dead_lettered = 0;          // dead letters queued
    std::uint64_t duplicates_suppressed = 0;  // outputs the ledger already held
    std::uint64_t dead_letters_truncated = 0; // cut to the producer's message.max.bytes
    std::uint64_t dead_letters_failed = 0;    // refused when queued, or by the broker
  };
  Counters counters() const;

 private:
  void publish(const std::string& topic, const std::string& model, const std::string& id, const std::string& json);

  const KafkaConfig& kafka_;
  OutputProducer& producer_;
  OutputLedger& ledger_;
  std::uint64_t dead_lettered_ = 0;
  std::uint64_t duplicates_suppressed_ = 0;
};

}  // namespace driftd

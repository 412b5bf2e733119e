// Alerts, retrain triggers and dead letters to their Kafka topics, each
// published once: an output whose id the ledger holds is already on its
// topic (sent before a crash, or by the partition's previous owner) and is
// not sent again, only counted (driftd_duplicates_suppressed_total).
// Alerts and triggers are keyed by their model, so a model's outputs stay
// in order on one partition. Dead letters are written only when
// kafka.dead_letter_topic is set.
#pragma once

#include "delivery/output_ledger.h"
#include "delivery/output_sink.h"
#include "driftd/config.h"
#include "kafka/output_producer.h"
#include "metrics/metrics.h"

namespace driftd {

class KafkaOutputSink final : public OutputSink {
 public:
  // All four must outlive the sink.
  KafkaOutputSink(const KafkaConfig& kafka, OutputProducer& producer, OutputLedger& ledger, Metrics& metrics)
      : kafka_(kafka), producer_(producer), ledger_(ledger), metrics_(metrics) {}

  void alert(const Alert& alert) override;
  void retrain_trigger(const RetrainTrigger& trigger) override;
  void dead_letter(const MessageSource& source, InvalidReason reason) override;
  Flush flush(std::chrono::milliseconds timeout) override;

 private:
  void publish(const std::string& topic, const std::string& model, const std::string& id, const std::string& json);

  const KafkaConfig& kafka_;
  OutputProducer& producer_;
  OutputLedger& ledger_;
  Metrics& metrics_;
};

}  // namespace driftd

#include "delivery/kafka_output_sink.h"

namespace driftd {

void KafkaOutputSink::alert(const Alert& alert) {
  publish(kafka_.alert_topic, alert.model_id, alert.alert_id, alert_json(alert));
}

void KafkaOutputSink::retrain_trigger(const RetrainTrigger& trigger) {
  publish(kafka_.retrain_topic, trigger.model_id, trigger.trigger_id, retrain_json(trigger));
}

void KafkaOutputSink::publish(const std::string& topic, const std::string& model, const std::string& id,
                              const std::string& json) {
  if (ledger_.contains(id)) {
    ++duplicates_suppressed_;
    return;
  }
  producer_.send(topic, model, json);
  ledger_.remember(id);
}

void KafkaOutputSink::dead_letter(const MessageSource& source, InvalidReason reason) {
  if (kafka_.dead_letter_topic.empty()) return;
  std::string id = OutputLedger::dead_letter_id(source.topic, source.partition, source.offset);
  if (ledger_.contains(id)) {
    ++duplicates_suppressed_;
    return;
  }
  if (producer_.dead_letter(kafka_.dead_letter_topic, source, reason)) ++dead_lettered_;
  ledger_.remember(std::move(id));
}

KafkaOutputSink::Counters KafkaOutputSink::counters() const {
  return {.dead_lettered = dead_lettered_,
          .duplicates_suppressed = duplicates_suppressed_,
          .dead_letters_truncated = producer_.dead_letters_truncated(),
          .dead_letters_failed = producer_.dead_letters_failed()};
}

OutputSink::Flush KafkaOutputSink::flush(std::chrono::milliseconds timeout) { return producer_.flush(timeout); }

}  // namespace driftd

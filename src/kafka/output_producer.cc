#include "kafka/output_producer.h"

#include <stdexcept>

#include "kafka/client_config.h"

namespace driftd {

// Delivery reports arrive on the thread calling poll() or flush().
class OutputProducer::Reports final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    if (message.err() == RdKafka::ERR_NO_ERROR) return;
    ++failed_total;
    ++failed_since_flush;
    last_error = message.topic_name() + ": " + message.errstr();
  }
  std::uint64_t failed_total = 0;
  std::uint64_t failed_since_flush = 0;
  std::string last_error;
};

OutputProducer::OutputProducer(const KafkaConfig& kafka) : reports_(std::make_unique<Reports>()) {
  std::unique_ptr<RdKafka::Conf> conf = producer_conf(kafka);
  std::string problem;
  if (conf->set("dr_cb", reports_.get(), problem) != RdKafka::Conf::CONF_OK) {
    throw std::runtime_error("kafka producer: " + problem);
  }
  producer_.reset(RdKafka::Producer::create(conf.get(), problem));
  if (!producer_) throw std::runtime_error("kafka producer: " + problem);
}

OutputProducer::~OutputProducer() {
  if (producer_) producer_->flush(5'000);
}

void OutputProducer::produce(const std::string& topic, std::string_view key, std::string_view value,
                             RdKafka::Headers* headers) {
  while (true) {
    const RdKafka::ErrorCode err = producer_->produce(
        topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(value.data()),
        value.size(), key.data(), key.size(), 0, headers, nullptr);
    if (err == RdKafka::ERR_NO_ERROR) return;  // librdkafka owns the headers now
    if (err != RdKafka::ERR__QUEUE_FULL) {
      delete headers;
      throw std::runtime_error("kafka produce to " + topic + ": " + RdKafka::err2str(err));
    }
    producer_->poll(100);  // backpressure: wait for deliveries to make room
  }
}

void OutputProducer::send(const std::string& topic, std::string_view key, std::string_view value) {
  produce(topic, key, value, nullptr);
}

void OutputProducer::dead_letter(const std::string& topic, const RdKafka::Message& source, InvalidReason reason) {
  RdKafka::Headers* headers = RdKafka::Headers::create();
  const std::string_view why = reason_name(reason);
  headers->add("driftd-error", why.data(), why.size());
  headers->add("driftd-source-topic", source.topic_name());
  headers->add("driftd-source-partition", std::to_string(source.partition()));
  headers->add("driftd-source-offset", std::to_string(source.offset()));
  const std::string* key = source.key();
  produce(topic, key ? std::string_view(*key) : std::string_view(),
          std::string_view(static_cast<const char*>(source.payload()), source.len()), headers);
}

void OutputProducer::poll() { producer_->poll(0); }

OutputProducer::Flush OutputProducer::flush(std::chrono::milliseconds timeout) {
  const RdKafka::ErrorCode err = producer_->flush(int(timeout.count()));
  if (reports_->failed_since_flush > 0) {
    last_error_ = "delivery failed: " + reports_->last_error;
    reports_->failed_since_flush = 0;
    return Flush::failed;
  }
  if (err != RdKafka::ERR_NO_ERROR) {
    last_error_ = "not delivered yet: " + RdKafka::err2str(err);
    return Flush::pending;
  }
  return Flush::delivered;
}

bool OutputProducer::reachable(std::chrono::milliseconds timeout) {
  RdKafka::Metadata* metadata = nullptr;
  const RdKafka::ErrorCode err = producer_->metadata(false, nullptr, &metadata, int(timeout.count()));
  delete metadata;
  if (err != RdKafka::ERR_NO_ERROR) last_error_ = RdKafka::err2str(err);
  return err == RdKafka::ERR_NO_ERROR;
}

std::uint64_t OutputProducer::delivery_errors() const { return reports_->failed_total; }

}  // namespace driftd

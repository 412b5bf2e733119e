#include "kafka/output_producer.h"

#include <unistd.h>

#include <stdexcept>

#include "kafka/client_config.h"

namespace driftd {
namespace {

// Stable across restarts of the same instance, so that a restarted driftd
// fences its own zombie; distinct between hosts sharing a group.
std::string transactional_id(const KafkaConfig& kafka) {
  if (!kafka.transactional_id.empty()) return kafka.transactional_id;
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return kafka.group_id + "-" + host;
}

// Takes ownership of a librdkafka error object; throws unless it is null.
void check(RdKafka::Error* raw, const std::string& what) {
  const std::unique_ptr<RdKafka::Error> error(raw);
  if (error) throw std::runtime_error(what + ": " + error->str());
}

}  // namespace

// Delivery reports arrive on the thread calling poll() or flush().
class OutputProducer::Reports final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    if (message.err() == RdKafka::ERR_NO_ERROR) return;
    ++failed_since_flush;
    last_error = message.topic_name() + ": " + message.errstr();
  }
  std::uint64_t failed_since_flush = 0;
  std::string last_error;
};

OutputProducer::OutputProducer(const KafkaConfig& kafka)
    : reports_(std::make_unique<Reports>()), transactional_(kafka.exactly_once) {
  std::unique_ptr<RdKafka::Conf> conf = producer_conf(kafka);
  if (transactional_) set_property(*conf, "transactional.id", transactional_id(kafka));
  std::string problem;
  if (conf->set("dr_cb", reports_.get(), problem) != RdKafka::Conf::CONF_OK) {
    throw std::runtime_error("kafka producer: " + problem);
  }
  producer_.reset(RdKafka::Producer::create(conf.get(), problem));
  if (!producer_) throw std::runtime_error("kafka producer: " + problem);
}

OutputProducer::~OutputProducer() {
  // An open transaction is left to time out: uncommitted, its events are read again.
  if (producer_ && !transactional_) producer_->flush(5'000);
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

void OutputProducer::start_transactions(std::chrono::milliseconds timeout) {
  if (!transactional_) return;
  check(producer_->init_transactions(int(timeout.count())), "kafka init_transactions");
  check(producer_->begin_transaction(), "kafka begin_transaction");
}

OutputProducer::Flush OutputProducer::commit_transaction(const std::vector<PartitionOffset>& offsets,
                                                         const RdKafka::ConsumerGroupMetadata& group,
                                                         std::chrono::milliseconds timeout) {
  std::vector<RdKafka::TopicPartition*> partitions;
  for (const PartitionOffset& o : offsets) {
    partitions.push_back(RdKafka::TopicPartition::create(o.id.topic, o.id.partition, o.offset));
  }
  std::unique_ptr<RdKafka::Error> error;
  if (!partitions.empty()) {
    error.reset(producer_->send_offsets_to_transaction(partitions, &group, int(timeout.count())));
  }
  RdKafka::TopicPartition::destroy(partitions);
  if (!error) error.reset(producer_->commit_transaction(int(timeout.count())));
  if (!error) {
    check(producer_->begin_transaction(), "kafka begin_transaction");
    return Flush::delivered;
  }
  last_error_ = "transaction: " + error->str();
  if (error->is_retriable()) return Flush::pending;
  if (error->txn_requires_abort()) {
    // What the transaction held is gone; its events are not committed
    // either, so a restart reads them again and publishes their outputs.
    std::unique_ptr<RdKafka::Error> abort(producer_->abort_transaction(int(timeout.count())));
  }
  throw std::runtime_error(last_error_);
}

bool OutputProducer::reachable(std::chrono::milliseconds timeout) {
  RdKafka::Metadata* metadata = nullptr;
  const RdKafka::ErrorCode err = producer_->metadata(false, nullptr, &metadata, int(timeout.count()));
  delete metadata;
  if (err != RdKafka::ERR_NO_ERROR) last_error_ = RdKafka::err2str(err);
  return err == RdKafka::ERR_NO_ERROR;
}

}  // namespace driftd

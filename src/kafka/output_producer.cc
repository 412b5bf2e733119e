#include "kafka/output_producer.h"

#include <unistd.h>

#include <iostream>
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

// Tell a dead letter's or a snapshot's delivery report from an alert's or a trigger's.
char dead_letter_kind = 'd';
char snapshot_kind = 's';

// What a record spends besides its key, value and header texts (lengths,
// attributes, per-header framing): the room left under message.max.bytes.
constexpr std::size_t kRecordOverhead = 1024;

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
    if (message.msg_opaque() == &dead_letter_kind) {
      ++dead_letters_failed;
      std::cerr << "driftd: dead letter not written to " << message.topic_name() << ": " << message.errstr()
                << " (counted in driftd_dead_letters_failed_total; the message stays on its input topic)\n";
      return;
    }
    if (message.msg_opaque() == &snapshot_kind) {
      ++snapshots_failed;
      std::cerr << "driftd: state snapshot not written to " << message.topic_name() << ": " << message.errstr()
                << " (counted in driftd_state_snapshots_failed_total; a restart reads more of the log)\n";
      return;
    }
    ++failed_since_flush;
    last_error = message.topic_name() + ": " + message.errstr();
  }
  std::uint64_t failed_since_flush = 0;
  std::uint64_t dead_letters_failed = 0;
  std::uint64_t snapshots_failed = 0;
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
  std::string max_bytes;
  conf->get("message.max.bytes", max_bytes);
  max_message_bytes_ = std::stoul(max_bytes);
  producer_.reset(RdKafka::Producer::create(conf.get(), problem));
  if (!producer_) throw std::runtime_error("kafka producer: " + problem);
}

OutputProducer::~OutputProducer() {
  // An open transaction is left to time out: uncommitted, its events are read again.
  if (producer_ && !transactional_) producer_->flush(5'000);
}

RdKafka::ErrorCode OutputProducer::produce(const std::string& topic, std::string_view key, std::string_view value,
                                           RdKafka::Headers* headers, void* kind) {
  while (true) {
    const RdKafka::ErrorCode err = producer_->produce(
        topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(value.data()),
        value.size(), key.data(), key.size(), 0, headers, kind);
    if (err == RdKafka::ERR_NO_ERROR) return err;  // librdkafka owns the headers now
    if (err != RdKafka::ERR__QUEUE_FULL) {
      delete headers;
      return err;
    }
    if (stop_ != nullptr && stop_->load()) {
      delete headers;
      throw Stopping();
    }
    producer_->poll(100);  // backpressure: wait for deliveries to make room
  }
}

void OutputProducer::send(const std::string& topic, std::string_view key, std::string_view value) {
  const RdKafka::ErrorCode err = produce(topic, key, value, nullptr, nullptr);
  if (err != RdKafka::ERR_NO_ERROR) throw std::runtime_error("kafka produce to " + topic + ": " + RdKafka::err2str(err));
}

bool OutputProducer::dead_letter(const std::string& topic, const MessageSource& source, InvalidReason reason) {
  const std::string source_topic(source.topic);
  const std::string coordinates = source_topic + "/" + std::to_string(source.partition) + "@" +
                                  std::to_string(source.offset);
  RdKafka::Headers* headers = RdKafka::Headers::create();
  const std::string_view why = reason_name(reason);
  headers->add("driftd-error", why.data(), why.size());
  headers->add("driftd-source-topic", source_topic);
  headers->add("driftd-source-partition", std::to_string(source.partition));
  headers->add("driftd-source-offset", std::to_string(source.offset));
  std::string_view key = source.key.value_or(std::string_view());
  std::string_view value = source.payload;
  // Cut to what the producer accepts: the key to a quarter of the room, the
  // value to the rest. The original stays on the input topic at the
  // coordinates the headers name.
  const std::size_t room = max_message_bytes_ > 4 * kRecordOverhead ? max_message_bytes_ - 2 * kRecordOverhead : 0;
  if (key.size() + value.size() > room) {
    if (key.size() > room / 4) {
      headers->add("driftd-truncated-key", std::to_string(key.size()));
      key = key.substr(0, room / 4);
    }
    headers->add("driftd-truncated", std::to_string(value.size()));
    value = value.substr(0, room - key.size());
    ++dead_letters_truncated_;
    std::cerr << "driftd: dead letter of " << coordinates << " cut from " << source.payload.size() << " to " << value.size()
              << " bytes (the producer's message.max.bytes is " << max_message_bytes_ << ")\n";
  }
  const RdKafka::ErrorCode err = produce(topic, key, value, headers, &dead_letter_kind);
  if (err != RdKafka::ERR_NO_ERROR) {
    ++dead_letters_refused_;
    std::cerr << "driftd: dead letter of " << coordinates << " not written to " << topic << ": "
              << RdKafka::err2str(err) << " (counted in driftd_dead_letters_failed_total)\n";
    return false;
  }
  return true;
}

bool OutputProducer::snapshot(const std::string& topic, std::string_view key, std::string_view value) {
  const RdKafka::ErrorCode err = produce(topic, key, value, nullptr, &snapshot_kind);
  if (err == RdKafka::ERR_NO_ERROR) return true;
  ++snapshots_refused_;
  std::cerr << "driftd: state snapshot of " << key << " (" << value.size() << " bytes) not written to " << topic << ": "
            << RdKafka::err2str(err)
            << (err == RdKafka::ERR_MSG_SIZE_TOO_LARGE ? " (raise message.max.bytes in kafka.properties and the topic's "
                                                         "max.message.bytes)"
                                                       : "")
            << " (counted in driftd_state_snapshots_failed_total)\n";
  return false;
}

std::uint64_t OutputProducer::snapshots_failed() const { return snapshots_refused_ + reports_->snapshots_failed; }

std::uint64_t OutputProducer::dead_letters_failed() const {
  return dead_letters_refused_ + reports_->dead_letters_failed;
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

#include "kafka/event_consumer.h"

#include <iostream>
#include <stdexcept>
#include <utility>

#include "kafka/client_config.h"

namespace driftd {
namespace {

constexpr int kCommittedTimeoutMs = 10'000;

std::vector<PartitionId> ids_of(const std::vector<RdKafka::TopicPartition*>& partitions) {
  std::vector<PartitionId> ids;
  for (const RdKafka::TopicPartition* p : partitions) ids.push_back({p->topic(), p->partition()});
  return ids;
}

// The group's committed offsets of `partitions` (-1 where there is none).
// Asked of the broker: a partition moving in was committed by its last owner.
std::vector<PartitionOffset> committed(RdKafka::KafkaConsumer* consumer,
                                       const std::vector<RdKafka::TopicPartition*>& partitions) {
  std::vector<PartitionOffset> out;
  const RdKafka::ErrorCode err = consumer->committed(const_cast<std::vector<RdKafka::TopicPartition*>&>(partitions),
                                                     kCommittedTimeoutMs);
  for (const RdKafka::TopicPartition* p : partitions) {
    const bool known = err == RdKafka::ERR_NO_ERROR && p->err() == RdKafka::ERR_NO_ERROR && p->offset() >= 0;
    out.push_back({{p->topic(), p->partition()}, known ? p->offset() : -1});
  }
  if (err != RdKafka::ERR_NO_ERROR) {
    // Without the committed offset everything re-read is treated as new:
    // the output ledger still keeps it from being published twice.
    std::cerr << "driftd: committed offsets unavailable: " << RdKafka::err2str(err) << "\n";
  }
  return out;
}

struct OwnedPartitions {
  std::vector<RdKafka::TopicPartition*> list;
  ~OwnedPartitions() { RdKafka::TopicPartition::destroy(list); }
};

}  // namespace

// Tells the listener, then applies the change with the protocol in use:
// incremental for cooperative-sticky, whole-set for the eager strategies.
class EventConsumer::Rebalance final : public RdKafka::RebalanceCb {
 public:
  explicit Rebalance(PartitionListener& listener) : listener_(listener) {}

  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override {
    const bool cooperative = consumer->rebalance_protocol() == "COOPERATIVE";
    RdKafka::Error* error = nullptr;
    RdKafka::ErrorCode code = RdKafka::ERR_NO_ERROR;
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      const std::vector<std::int64_t> starts = listener_.on_assigned(committed(consumer, partitions));
      for (std::size_t i = 0; i < partitions.size(); ++i) {
        const bool given = i < starts.size() && starts[i] >= 0;
        partitions[i]->set_offset(given ? starts[i] : RdKafka::Topic::OFFSET_BEGINNING);
      }
      if (cooperative) {
        error = consumer->incremental_assign(partitions);
      } else {
        code = consumer->assign(partitions);
      }
    } else {
      listener_.on_revoking(ids_of(partitions), consumer->assignment_lost());
      if (cooperative) {
        error = consumer->incremental_unassign(partitions);
      } else {
        code = consumer->unassign();
      }
    }
    if (error != nullptr) {
      std::cerr << "driftd: rebalance: " << error->str() << "\n";
      delete error;
    } else if (code != RdKafka::ERR_NO_ERROR) {
      std::cerr << "driftd: rebalance: " << RdKafka::err2str(code) << "\n";
    }
  }

 private:
  PartitionListener& listener_;
};

// The outcome of asynchronous commits, served from inside consume().
class EventConsumer::Commits final : public RdKafka::OffsetCommitCb {
 public:
  explicit Commits(PartitionListener& listener) : listener_(listener) {}

  void offset_commit_cb(RdKafka::ErrorCode err, std::vector<RdKafka::TopicPartition*>& partitions) override {
    std::vector<PartitionOffset> done;
    for (const RdKafka::TopicPartition* p : partitions) {
      if (err == RdKafka::ERR_NO_ERROR && p->err() == RdKafka::ERR_NO_ERROR && p->offset() >= 0) {
        done.push_back({{p->topic(), p->partition()}, p->offset()});
      } else {
        last_error = "commit " + p->topic() + "/" + std::to_string(p->partition()) + ": " +
                     RdKafka::err2str(err != RdKafka::ERR_NO_ERROR ? err : p->err());
      }
    }
    if (!done.empty()) listener_.on_committed(done);
  }
  std::string last_error;

 private:
  PartitionListener& listener_;
};

std::unique_ptr<RdKafka::KafkaConsumer> create_consumer(const KafkaConfig& kafka, RdKafka::RebalanceCb* rebalance,
                                                        RdKafka::OffsetCommitCb* commits) {
  std::unique_ptr<RdKafka::Conf> conf = consumer_conf(kafka);
  std::string problem;
  if (conf->set("rebalance_cb", rebalance, problem) != RdKafka::Conf::CONF_OK ||
      conf->set("offset_commit_cb", commits, problem) != RdKafka::Conf::CONF_OK) {
    throw std::runtime_error("kafka consumer: " + problem);
  }
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), problem));
  if (!consumer) throw std::runtime_error("kafka consumer: " + problem);
  return consumer;
}

EventConsumer::EventConsumer(const KafkaConfig& kafka, PartitionListener& listener)
    : rebalance_(std::make_unique<Rebalance>(listener)),
      commits_(std::make_unique<Commits>(listener)),
      consumer_(create_consumer(kafka, rebalance_.get(), commits_.get())),
      fetch_waker_(*consumer_) {
  const RdKafka::ErrorCode err = consumer_->subscribe(kafka.input_topics);
  if (err != RdKafka::ERR_NO_ERROR) throw std::runtime_error("kafka subscribe: " + RdKafka::err2str(err));
}

EventConsumer::~EventConsumer() { close(); }

std::vector<std::unique_ptr<RdKafka::Message>> EventConsumer::poll_batch(std::size_t max,
                                                                         std::chrono::milliseconds wait) {
  std::vector<std::unique_ptr<RdKafka::Message>> batch;
  std::size_t bytes = 0;
  int timeout_ms = int(wait.count());
  while (batch.size() < max) {
    std::unique_ptr<RdKafka::Message> message(consumer_->consume(timeout_ms));
    const RdKafka::ErrorCode err = message->err();
    if (err == RdKafka::ERR__TIMED_OUT) break;
    if (err == RdKafka::ERR_NO_ERROR) {
      bytes += message->len();
      batch.push_back(std::move(message));
      timeout_ms = 0;  // the rest of the batch is what is already queued
    } else if (err != RdKafka::ERR__PARTITION_EOF) {
      last_error_ = message->errstr();
      break;
    }
  }
  if (!commits_->last_error.empty()) last_error_ = std::exchange(commits_->last_error, {});
  // One look per batch: the watch counts what the batch took as possibly
  // still queued, which covers a queue that filled before or during it.
  fetch_waker_.look(batch.size(), bytes);
  return batch;
}

bool EventConsumer::commit(const std::vector<PartitionOffset>& offsets) {
  if (offsets.empty()) return true;
  OwnedPartitions partitions;
  for (const PartitionOffset& o : offsets) {
    partitions.list.push_back(RdKafka::TopicPartition::create(o.id.topic, o.id.partition, o.offset));
  }
  const RdKafka::ErrorCode err = consumer_->commitSync(partitions.list);
  if (err != RdKafka::ERR_NO_ERROR) {
    last_error_ = "commit: " + RdKafka::err2str(err);
    return false;
  }
  for (const RdKafka::TopicPartition* p : partitions.list) {
    if (p->err() != RdKafka::ERR_NO_ERROR) {
      last_error_ = "commit " + p->topic() + "/" + std::to_string(p->partition()) + ": " + RdKafka::err2str(p->err());
      return false;
    }
  }
  return true;
}

void EventConsumer::commit_async(const std::vector<PartitionOffset>& offsets) {
  if (offsets.empty()) return;
  OwnedPartitions partitions;
  for (const PartitionOffset& o : offsets) {
    partitions.list.push_back(RdKafka::TopicPartition::create(o.id.topic, o.id.partition, o.offset));
  }
  const RdKafka::ErrorCode err = consumer_->commitAsync(partitions.list);
  if (err != RdKafka::ERR_NO_ERROR) last_error_ = "commit: " + RdKafka::err2str(err);
}

std::vector<PartitionLag> EventConsumer::lag(const std::vector<PartitionOffset>& positions) const {
  std::vector<PartitionLag> lags;
  for (const PartitionOffset& p : positions) {
    std::int64_t low = 0, high = 0;
    if (consumer_->get_watermark_offsets(p.id.topic, p.id.partition, &low, &high) != RdKafka::ERR_NO_ERROR) continue;
    if (high < 0) continue;  // not fetched yet
    std::int64_t from = p.offset;
    if (from < 0) {  // nothing read yet: where the consumer will start
      OwnedPartitions position;
      position.list.push_back(RdKafka::TopicPartition::create(p.id.topic, p.id.partition));
      if (consumer_->position(position.list) != RdKafka::ERR_NO_ERROR) continue;
      from = position.list.front()->offset();
      if (from < 0) continue;  // not known until the first fetch
    }
    lags.push_back({p.id, high > from ? high - from : 0});
  }
  return lags;
}

void EventConsumer::close() {
  if (closed_ || !consumer_) return;
  closed_ = true;
  consumer_->close();
}

}  // namespace driftd

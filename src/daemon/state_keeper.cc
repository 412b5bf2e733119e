#include "daemon/state_keeper.h"

#include <algorithm>
#include <iostream>
#include <optional>
#include <set>

#include "kafka/state_topic.h"
#include "kafka/topic_scan.h"
#include "state/snapshot_codec.h"

namespace driftd {
namespace {

// How long a restore waits for the state topic before reading from the start.
constexpr std::chrono::seconds kReadTimeout{10};

const char* result_name(SnapshotError::Kind kind) {
  switch (kind) {
    case SnapshotError::Kind::foreign:
      return "foreign";
    case SnapshotError::Kind::other_format:
      return "other_format";
    case SnapshotError::Kind::corrupt:
      break;
  }
  return "corrupt";
}

}  // namespace

StateKeeper::StateKeeper(const Config& config, Metrics& metrics, const std::atomic<bool>& stop)
    : config_(config), metrics_(metrics), stop_(stop), topic_(state_topic(config.kafka, config.state)) {}

std::vector<std::int64_t> StateKeeper::restore(const std::vector<PartitionOffset>& partitions, Pipeline& pipeline,
                                               PartitionTracker& tracker) {
  std::vector<std::int64_t> starts(partitions.size(), -1);
  if (partitions.empty()) return starts;
  std::set<std::string> keys;
  std::vector<PartitionId> ids;
  for (const PartitionOffset& p : partitions) {
    keys.insert(state_key(p.id));
    ids.push_back(p.id);
  }
  StateRead read;
  std::string unreadable;
  std::map<PartitionId, std::int64_t> log_start;
  try {
    read = read_state(config_.kafka, topic_, keys, kReadTimeout, stop_);
    log_start = log_starts(config_.kafka, ids, kReadTimeout);
  } catch (const std::runtime_error& e) {
    unreadable = e.what();
  }
  for (std::size_t i = 0; i < partitions.size(); ++i) {
    const PartitionId& id = partitions[i].id;
    const std::string key = state_key(id);
    const auto from_start = [&](const std::string& result, const std::string& why) {
      std::cerr << "driftd: " << key << ": " << why << ": reading it from its start\n";
      tracker.restored(id, -1, -1, result);
      metrics_.add_state_restore(result);
    };
    if (!unreadable.empty()) {
      from_start("unreadable", "the state topic " + topic_ + " could not be read (" + unreadable + ")");
      continue;
    }
    const auto found = read.latest.find(key);
    if (found == read.latest.end()) {
      from_start("no_snapshot", read.topic_missing ? "no state topic " + topic_ + " yet" : "no snapshot in " + topic_);
      continue;
    }
    // Of several candidates (one per state partition), the usable one that
    // is furthest along.
    std::optional<PartitionSnapshot> snapshot;
    std::optional<SnapshotError> unusable;
    for (const std::string& bytes : found->second) {
      try {
        PartitionSnapshot candidate = decode_snapshot(bytes);
        if (!snapshot || candidate.next_offset > snapshot->next_offset) snapshot = std::move(candidate);
      } catch (const SnapshotError& e) {
        if (!unusable) unusable = e;
      }
    }
    if (!snapshot) {
      from_start(result_name(unusable->kind), std::string("its snapshot is unusable: ") + unusable->what());
      continue;
    }
    if (snapshot->topic != id.topic || snapshot->partition != id.partition || snapshot->replay_from < 0 ||
        snapshot->replay_from > snapshot->next_offset) {
      from_start("foreign", "its snapshot names " + snapshot->topic + "/" + std::to_string(snapshot->partition) +
                                " or offsets that do not add up");
      continue;
    }
    // Retention deleted events the windows need (the instances were down
    // for longer than the log keeps): restore what is left, and say so.
    std::string result = "snapshot";
    if (const auto start = log_start.find(id); start != log_start.end() && start->second > snapshot->replay_from) {
      result = "snapshot_truncated";
      std::cerr << "driftd: " << key << ": the log no longer holds offsets " << snapshot->replay_from << " to "
                << start->second - 1 << " that its snapshot's windows need: they refill from offset " << start->second
                << ", and until they are full again evaluations may differ from an uninterrupted run\n";
      snapshot->replay_from = std::min(start->second, snapshot->next_offset);
    }
    std::size_t restored = 0, fresh = 0;
    for (const ModelSnapshot& model : snapshot->models) {
      const std::size_t m = pipeline.model_index(model.model_id);
      if (m == Pipeline::kNoModel) {
        std::cerr << "driftd: " << key << ": model '" << model.model_id
                  << "' of its snapshot is no longer configured: its state is dropped\n";
        continue;
      }
      std::string why;
      if (pipeline.restore(m, model, why)) {
        ++restored;
      } else {
        ++fresh;
        std::cerr << "driftd: " << key << ": model '" << model.model_id << "' starts afresh: " << why << "\n";
      }
      tracker.adopt(m, id);
    }
    metrics_.add_models_started_fresh(fresh);
    metrics_.add_state_restore(result);
    tracker.restored(id, snapshot->replay_from, snapshot->next_offset, result);
    starts[i] = snapshot->replay_from;
    std::cerr << "driftd: " << key << ": " << restored << " model(s) restored from the snapshot at offset "
              << snapshot->next_offset << "; reading from offset " << snapshot->replay_from << " ("
              << snapshot->next_offset - snapshot->replay_from << " messages refill the windows)\n";
  }
  return starts;
}

std::vector<PartitionOffset> StateKeeper::write(const Pipeline& pipeline, const PartitionTracker& tracker,
                                                OutputProducer& producer) {
  std::vector<PartitionOffset> queued;
  std::uint64_t bytes = 0;
  for (const auto& [id, position] : tracker.partitions()) {
    if (position.next < 0 || position.next <= position.snapshot_at || position.next < position.refill_until) continue;
    PartitionSnapshot snapshot{.topic = id.topic, .partition = id.partition, .next_offset = position.next,
                               .replay_from = position.next};
    for (const std::size_t m : tracker.models_of(id)) {
      snapshot.models.push_back(pipeline.snapshot(m));
      const std::int64_t oldest = snapshot.models.back().window.refill_offset;
      if (oldest >= 0) snapshot.replay_from = std::min(snapshot.replay_from, oldest);
    }
    const std::string encoded = encode_snapshot(snapshot);
    if (producer.snapshot(topic_, state_key(id), encoded)) {
      queued.push_back({id, position.next});
      bytes += encoded.size();
    }
  }
  metrics_.add_snapshots_written(queued.size(), bytes);
  return queued;
}

}  // namespace driftd

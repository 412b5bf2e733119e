#include "daemon/partition_tracker.h"

#include <algorithm>
#include <utility>

namespace driftd {

PartitionTracker::PartitionTracker(std::size_t models) : model_partition_(models), model_run_(models, 0) {}

PartitionTracker::Position* PartitionTracker::begin_run(PartitionId id) {
  run_id_ = std::move(id);
  ++run_;
  const auto owned = positions_.find(run_id_);
  return owned == positions_.end() ? nullptr : &owned->second;
}

std::vector<std::size_t> PartitionTracker::assign(const std::vector<PartitionOffset>& partitions) {
  assigned_ = true;
  std::vector<std::size_t> models;
  for (const PartitionOffset& p : partitions) {
    positions_[p.id] = Position{.next = -1, .committed = p.offset, .replay_until = p.offset};
    for (const std::size_t m : models_of(p.id)) models.push_back(m);
  }
  return models;
}

void PartitionTracker::restored(const PartitionId& id, std::int64_t read_from, std::int64_t snapshot_offset,
                                std::string how) {
  Position& p = positions_.at(id);
  // Reading starts there: with nothing after the snapshot, nothing is left to re-read.
  if (read_from >= 0) p.next = read_from;
  p.read_from = read_from;
  p.refill_until = snapshot_offset;
  p.snapshot_at = snapshot_offset;
  p.restored = std::move(how);
}

void PartitionTracker::snapshots_written(const std::vector<PartitionOffset>& snapshots) {
  for (const PartitionOffset& s : snapshots) {
    const auto it = positions_.find(s.id);
    if (it != positions_.end()) it->second.snapshot_at = std::max(it->second.snapshot_at, s.offset);
  }
}

std::vector<std::size_t> PartitionTracker::models_of(const PartitionId& id) const {
  std::vector<std::size_t> out;
  for (std::size_t m = 0; m < model_partition_.size(); ++m) {
    if (model_partition_[m] == id) out.push_back(m);
  }
  return out;
}

void PartitionTracker::revoke(const std::vector<PartitionId>& partitions) {
  for (const PartitionId& id : partitions) positions_.erase(id);
}

void PartitionTracker::committed(const std::vector<PartitionOffset>& offsets) {
  for (const PartitionOffset& o : offsets) {
    auto it = positions_.find(o.id);
    if (it != positions_.end()) it->second.committed = std::max(it->second.committed, o.offset);
  }
}

bool PartitionTracker::replaying() const {
  return std::any_of(positions_.begin(), positions_.end(), [](const auto& entry) { return entry.second.replaying(); });
}

std::vector<PartitionOffset> PartitionTracker::positions() const {
  std::vector<PartitionOffset> out;
  for (const auto& [id, position] : positions_) out.push_back({id, position.next});
  return out;
}

std::vector<PartitionOffset> PartitionTracker::uncommitted() const {
  std::vector<PartitionOffset> out;
  for (const auto& [id, position] : positions_) {
    if (position.next > position.committed) out.push_back({id, position.next});
  }
  return out;
}

}  // namespace driftd

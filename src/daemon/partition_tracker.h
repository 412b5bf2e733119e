// The partitions this instance owns, how far it has read and committed
// each, which of their messages are replayed, and which partition each
// model's events come from.
//
// A partition assigned to us is read from its snapshot's replay-from offset
// (or, without a usable snapshot, from its start): messages before the
// snapshot's offset refill windows, those before the committed offset
// rebuild state (replayed), the rest are live. The models whose events came
// from a partition that moves in are restored or rebuilt, so assign() names
// them.
//
// Messages come in runs from one partition; begin_run() is called when the
// partition changes, so that a message costs no lookup.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kafka/partition.h"

namespace driftd {

class PartitionTracker {
 public:
  struct Position {
    std::int64_t next = -1;          // one past the last processed message (or where reading starts); -1: none yet
    std::int64_t committed = -1;     // what the group has stored
    std::int64_t replay_until = -1;  // messages before this offset are replayed
    std::int64_t refill_until = -1;  // messages before this offset only refill windows (a snapshot's offset)
    std::int64_t read_from = -1;     // where reading started: a snapshot's replay-from; -1: the start
    std::int64_t snapshot_at = -1;   // the offset of the last snapshot written (or restored)
    std::string restored;            // how its state came back: "snapshot", or why from the start
    bool replaying() const { return next < std::max(replay_until, refill_until); }
  };

  explicit PartitionTracker(std::size_t models);

  // Starts a run of messages of `id`: its position, or nullptr when it is
  // not ours (taken before a revocation that came in the same batch: its
  // new owner processes it, and we must not).
  Position* begin_run(PartitionId id);
  const PartitionId& run_partition() const { return run_id_; }
  // Model `model` had an event in the current run.
  void saw_model(std::size_t model) {
    if (model_run_[model] == run_) return;
    model_run_[model] = run_;
    model_partition_[model] = run_id_;
  }

  // Partitions moved in, with their committed offsets. Gives the models
  // whose events came from them: their state must be forgotten.
  std::vector<std::size_t> assign(const std::vector<PartitionOffset>& partitions);
  // How partition `id`'s state came back: from a snapshot at
  // `snapshot_offset` that says to read from `read_from` (-1, -1: from its
  // start), and `how` ("snapshot", or why not).
  void restored(const PartitionId& id, std::int64_t read_from, std::int64_t snapshot_offset, std::string how);
  // Snapshots of these partitions, taken at these offsets, were delivered.
  void snapshots_written(const std::vector<PartitionOffset>& snapshots);
  void adopt(std::size_t model, const PartitionId& id) { model_partition_[model] = id; }
  // The models whose events come from partition `id`.
  std::vector<std::size_t> models_of(const PartitionId& id) const;
  void revoke(const std::vector<PartitionId>& partitions);
  // The group has stored these offsets.
  void committed(const std::vector<PartitionOffset>& offsets);

  bool assigned() const { return assigned_; }
  bool replaying() const;
  // Every owned partition's next offset, and those not committed yet.
  std::vector<PartitionOffset> positions() const;
  std::vector<PartitionOffset> uncommitted() const;
  const std::map<PartitionId, Position>& partitions() const { return positions_; }

 private:
  std::map<PartitionId, Position> positions_;
  bool assigned_ = false;  // the group has given us an assignment
  PartitionId run_id_;
  std::uint64_t run_ = 0;  // counts runs
  std::vector<std::optional<PartitionId>> model_partition_;  // where each model's events come from
  std::vector<std::uint64_t> model_run_;  // per model: the run its partition was recorded in
};

}  // namespace driftd

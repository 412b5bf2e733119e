// State snapshots for `driftd run` (include/driftd/README.md, "State
// snapshots"): when partitions move in, their models' decision state comes
// back from the state topic and reading starts at the snapshot's
// replay-from offset; at each checkpoint, every owned partition that moved
// on gets a new snapshot, delivered before its offsets are committed.
//
// Anything wrong with a snapshot (missing, unreadable, corrupt, another
// format, another program's) falls back to reading the partition from its
// start, as if there were none: logged and counted, never fatal. A model
// whose configuration or reference changed starts afresh; the others of
// the same snapshot are restored.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "daemon/partition_tracker.h"
#include "driftd/config.h"
#include "engine/pipeline.h"
#include "kafka/output_producer.h"
#include "kafka/partition.h"
#include "metrics/metrics.h"

namespace driftd {

class StateKeeper {
 public:
  StateKeeper(const Config& config, Metrics& metrics, const std::atomic<bool>& stop);

  // Partitions just given to `tracker` (assign() done, their old models
  // reset): restores their models into `pipeline` from their snapshots and
  // returns where to start reading each, in order (-1: its start).
  std::vector<std::int64_t> restore(const std::vector<PartitionOffset>& partitions, Pipeline& pipeline,
                                    PartitionTracker& tracker);

  // Queues a snapshot of every owned partition that moved on since its last
  // one (and is not refilling its windows). Returns the partitions and the
  // offsets they were taken at, for PartitionTracker::snapshots_written()
  // once they are delivered.
  std::vector<PartitionOffset> write(const Pipeline& pipeline, const PartitionTracker& tracker,
                                     OutputProducer& producer);

 private:
  const Config& config_;
  Metrics& metrics_;
  const std::atomic<bool>& stop_;
  std::string topic_;
};

}  // namespace driftd

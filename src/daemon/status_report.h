// The document GET /v1/status serves: whether driftd is ready, its
// counters, each model's window and last evaluation (and, with labels, what
// its ground truth came to), and each owned
// partition's position, commit and lag. One JSON object, remade about once
// a second by the daemon's thread and handed to the HTTP thread whole.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "daemon/partition_tracker.h"
#include "driftd/window_info.h"
#include "engine/pipeline.h"
#include "kafka/partition.h"

namespace driftd {

// What the status keeps of a model's last evaluation.
struct LastEvaluation {
  WindowInfo window;
  bool drift = false;
  double drifted_share = 0.0;
};

struct StatusFacts {
  bool ready = false;
  bool broker_reachable = false;
  std::uint64_t transactions = 0;  // exactly_once: transactions committed
  std::uint64_t fetch_wakes = 0;
  const Pipeline& pipeline;
  const std::vector<ModelConfig>& models;                                    // as the pipeline's, for how each decides
  const std::vector<std::optional<LastEvaluation>>& last_evaluations;        // per model, of its feature window
  const std::vector<std::optional<LastEvaluation>>& last_label_evaluations;  // per model, of its labelled window
  const std::map<PartitionId, PartitionTracker::Position>& partitions;
  const std::vector<PartitionLag>& lags;  // of the partitions librdkafka knows the high watermark of
};

std::string status_json(const StatusFacts& facts);

}  // namespace driftd

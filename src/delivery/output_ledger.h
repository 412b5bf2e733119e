// What driftd has already published: the ids of the alerts and retrain
// triggers (include/driftd/README.md, "Ids") and the source coordinates of the dead letters found at
// the end of the output topics, plus what this process sent since. After a
// crash or a partition move, events whose offsets were not committed are
// processed again and produce the same deterministic ids: the ledger is how
// they are not published twice (effectively-once output).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "driftd/config.h"

namespace driftd {

class OutputLedger {
 public:
  // Remembers at most `capacity` ids (the oldest are forgotten first).
  explicit OutputLedger(std::size_t capacity = 200'000) : capacity_(capacity) {}

  // Reads the last `tail` messages of every partition of the alert, retrain
  // and dead-letter topics. Throws std::runtime_error when they cannot be
  // read within `timeout`: publishing without knowing would risk duplicates,
  // so the caller tries again. Returns false, unfinished, once `stop` is set.
  bool load(const KafkaConfig& kafka, std::size_t tail, std::chrono::milliseconds timeout,
            const std::atomic<bool>& stop);

  bool contains(std::string_view id) const { return ids_.count(std::string(id)) > 0; }
  void remember(std::string id);

  // The ledger id of a dead letter: its source coordinates.
  static std::string dead_letter_id(std::string_view topic, std::int32_t partition, std::int64_t offset);

 private:
  std::size_t capacity_;
  std::unordered_set<std::string> ids_;
  std::deque<std::string> order_;  // for forgetting the oldest
};

}  // namespace driftd

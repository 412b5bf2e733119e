// Where a message lives in Kafka: a topic's partition, and an offset in it;
// and how far behind a position is.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace driftd {

struct PartitionId {
  std::string topic;
  std::int32_t partition = 0;
  auto operator<=>(const PartitionId&) const = default;
};

struct PartitionOffset {
  PartitionId id;
  std::int64_t offset = 0;  // the next offset to read: one past the last processed message
};

struct PartitionLag {
  PartitionId id;
  std::int64_t lag = 0;  // messages in the partition after the given position
};

}  // namespace driftd

// A message as the engine receives it, with where it came from: what a dead
// letter carries back, and what names it (a message is dead-lettered once,
// however often it is read).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace driftd {

struct MessageSource {
  std::string_view payload;
  // A Kafka topic, partition and offset; for a file, its path, 0 and the
  // line number; empty for a message from nowhere in particular (tests).
  std::string_view topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::optional<std::string_view> key;  // a Kafka message's key, when it has one
};

}  // namespace driftd

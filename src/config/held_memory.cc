// The memory a configuration asks for, estimated from its values, so that
// load_config can refuse what no machine holds before anything is read.
// The figures follow src/window/model_window.h and engine/model_monitor.cc;
// they are estimates from above for the windows, and from below for text
// categories of a stream reference (whose strings may be longer).
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "driftd/config.h"

namespace driftd {
namespace {

// Per slot of a window: a 4-byte grid cell or category code per column, and
// a 4-byte entry in the free-slot list.
constexpr std::uint64_t kSlotBytesPerColumn = 4;
constexpr std::uint64_t kSlotBytes = 4;
// Per slot: the raw double of each multivariate feature (MMD needs the values).
constexpr std::uint64_t kRawBytesPerFeature = 8;
// Per event held: its (ts, sequence, slot) entry in the window's order.
constexpr std::uint64_t kEntryBytes = 24;
// A count window allocates size slots plus the events waiting to be counted.
constexpr std::uint64_t kCountBatch = 1024;
// Per labelled event in a window of labelled events: its outcome and event time.
constexpr std::uint64_t kOutcomeBytes = 32;
// Per prediction waiting for its label: a hash node keyed by its event id,
// the id again in the arrival queue, the prediction (ids of a few dozen bytes).
constexpr std::uint64_t kWaitingBytes = 192;

}  // namespace

std::uint64_t held_bytes(const ModelConfig& model) {
  std::vector<const FeatureConfig*> columns;
  for (const FeatureConfig& feature : model.features) columns.push_back(&feature);
  if (model.prediction) columns.push_back(&*model.prediction);
  std::unordered_set<std::string> raw;
  for (const MultivariateConfig& mv : model.multivariate) raw.insert(mv.features.begin(), mv.features.end());

  const WindowConfig& w = model.window;
  const std::uint64_t events = w.by_time() ? w.max_events : w.size;
  // A time window's slots grow by doubling: up to twice the events it holds.
  const std::uint64_t slots = w.by_time() ? 2 * w.max_events : w.size + kCountBatch;
  const std::uint64_t slot_bytes = kSlotBytes + kSlotBytesPerColumn * columns.size() + kRawBytesPerFeature * raw.size();
  std::uint64_t bytes = slots * slot_bytes + events * kEntryBytes;

  std::uint64_t reference_row = 0;
  for (const FeatureConfig* column : columns) {
    reference_row += column->type == FeatureType::numeric ? sizeof(double) : sizeof(std::optional<std::string>);
  }
  bytes += model.reference.from_stream * reference_row;
  if (model.labels) {
    const WindowConfig& lw = model.labels->window;
    bytes += (lw.by_time() ? lw.max_events : lw.size) * kOutcomeBytes + model.labels->max_pending * kWaitingBytes;
  }
  return bytes;
}

}  // namespace driftd

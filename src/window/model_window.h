// The current window of one model, kept as counts so that an event costs a
// grid lookup per column and an evaluation reads counts instead of sorting.
//
// Counting is deferred and done a column at a time: add() only stores an
// event's numbers, and the counts catch up (grid lookups, then increments
// for the events added and decrements for those evicted) when a sample is
// read or kCountBatch events wait. One column's grid and counts stay in
// cache for a whole batch, where looking up all columns per event missed
// cache on nearly every lookup (the engine's hottest work, see
// bench/RESULTS.md). The counts read are the same either way.
//
// Count window: the last `size` events; evaluated when it first holds
// `size` events and then every `step` events.
// Time window: the events with event time in (B - duration, B], evaluated at
// each boundary B = k * step (epoch-aligned) once an event later than B
// arrives. Events may arrive out of order: an event is kept while it can
// still be in a future window, and is late (dropped, counted) when its time
// is at or before the start of the next window to be evaluated.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "driftd/alert.h"
#include "driftd/detector.h"
#include "driftd/event.h"
#include "state/partition_snapshot.h"
#include "window/reference_profile.h"

namespace driftd {

class ModelWindow {
 public:
  // `reference` must outlive the window; its category dictionaries grow
  // with categories first seen in the stream.
  ModelWindow(const ModelSchema& schema, ReferenceProfile& reference, const WindowConfig& config);

  // Time windows: the boundaries an event at `ts` closes, earliest first.
  // For each, in order, call close_boundary() and evaluate the window,
  // then add() the event. Empty for count windows.
  std::vector<std::int64_t> boundaries_closed_by(std::int64_t ts) const;

  // Time windows: drops the events at or before `boundary - duration` and
  // makes `boundary` the end of the window; then the samples below describe it.
  void close_boundary(std::int64_t boundary);

  // Adds an event; false when it is late (time windows only).
  bool add(const DecodedEvent& event, std::uint64_t sequence);

  // Restoring from a snapshot (state/partition_snapshot.h): restore() puts
  // back the bookkeeping of an empty window, then refill() is given the
  // model's events from the snapshot's refill offset on, numbered from its
  // refill sequence, and keeps those the window held: no evaluation, no
  // bookkeeping, no lateness counted.
  WindowSnapshot snapshot() const;
  void restore(const WindowSnapshot& snapshot);
  void refill(const DecodedEvent& event, std::uint64_t sequence);

  // Count windows: whether the window is due for evaluation after the last add().
  bool due() const;
  // Count windows: call after evaluating, so that `step` more events are needed.
  void mark_evaluated() {
    since_evaluation_ = 0;
    evaluated_once_ = true;
  }

  std::size_t size() const { return order_.size(); }
  // Time windows: events evicted before their time because the window held max_events.
  std::uint64_t overflowed() const { return overflowed_; }
  WindowInfo info() const;

  GridSample numeric_sample(std::size_t column);
  // Categorical samples of reference and window over the same (current)
  // dictionary: counts of equal length, a category absent from one counting 0.
  std::pair<CategoricalSample, CategoricalSample> categorical_samples(std::size_t column);
  std::uint64_t missing(std::size_t column);
  // The window's points for a multivariate test, standardised by the
  // reference and subsampled with `seed`.
  std::vector<double> points(const MultivariateReference& test, std::uint64_t seed) const;

 private:
  struct Entry {
    std::int64_t ts;
    std::uint64_t sequence;
    std::int64_t offset;  // of its message: where a restart re-reads it from
    std::uint32_t slot;  // where its cells and raw values live in the pools
  };
  static constexpr std::uint32_t kMissing = 0xffffffffu;
  // Events whose counting may wait: large enough to keep a column's grid
  // hot over many lookups, small enough that the waiting numbers (columns x
  // this many doubles) stay in L2 too.
  static constexpr std::size_t kCountBatch = 1024;
  // Columns of waiting numbers lie this far apart: one cache line more than
  // a batch, since 8 KiB apart all of an event's stores would fall in one
  // L1 set and evict each other (measured: add() took 3x longer).
  static constexpr std::size_t kNumbersStride = kCountBatch + 8;

  // Stores an event's values and puts it in order; evicts past the size
  // (count) or max_events (time), returning whether that happened.
  // `again`: an event read again, whose new category is no news.
  bool store(const DecodedEvent& event, std::uint64_t sequence, bool again);
  std::uint32_t take_slot();
  void evict_front();
  void catch_up_counts();

  const ModelSchema& schema_;
  ReferenceProfile& reference_;
  WindowConfig config_;
  std::size_t columns_;
  std::vector<std::size_t> numeric_columns_;      // schema columns, by kind
  std::vector<std::size_t> categorical_columns_;
  std::vector<std::size_t> raw_columns_;     // schema columns kept raw (multivariate features)
  std::vector<int> raw_index_;               // schema column -> index in raw_columns_, or -1

  std::deque<Entry> order_;                  // by (ts, sequence) for time windows; arrival for count
  // Per column, then slot: grid cell or category code. Slots are reused in
  // the order they were freed, so the slots of consecutive events are
  // mostly consecutive and catching up reads each column's cells in runs.
  std::vector<std::uint32_t> cells_;         // column * capacity_ + slot
  std::size_t capacity_ = 0;                 // slots
  std::vector<double> raw_;                  // slot * raw_columns_.size() + i
  std::deque<std::uint32_t> free_slots_;

  std::vector<std::vector<GridCount>> grid_counts_;         // per numeric column: per grid cell
  std::vector<std::vector<std::uint64_t>> category_counts_; // per categorical column: per code
  std::vector<std::uint64_t> missing_;
  // Not yet counted: slots added (their numbers waiting column-major in
  // uncounted_numbers_, NaN when missing) and slots evicted. An evicted
  // slot is freed only once counted out, so its cells stay readable.
  std::vector<std::uint32_t> uncounted_added_;
  std::vector<double> uncounted_numbers_;    // column * kNumbersStride + i
  std::vector<std::uint32_t> uncounted_evicted_;
  std::vector<std::uint32_t> lookup_order_;  // scratch: catch_up_counts' order of one column's lookups
  std::size_t since_evaluation_ = 0;
  bool evaluated_once_ = false;
  std::optional<std::int64_t> window_end_;   // time windows: the boundary being filled
  std::uint64_t last_sequence_ = 0;          // of the last event added
  std::uint64_t overflowed_ = 0;
};

}  // namespace driftd

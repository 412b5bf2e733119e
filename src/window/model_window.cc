#include "window/model_window.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "grid.h"
#include "samples/samples.h"

namespace driftd {
namespace {

std::int64_t boundary_at_or_after(std::int64_t ts, std::int64_t step) {
  const std::int64_t down = ts / step * step;
  return down == ts ? ts : down + step;
}

}  // namespace

ModelWindow::ModelWindow(const ModelSchema& schema, ReferenceProfile& reference, const WindowConfig& config)
    : schema_(schema),
      reference_(reference),
      config_(config),
      columns_(schema.columns.size()),
      raw_index_(schema.columns.size(), -1),
      grid_counts_(schema.columns.size()),
      category_counts_(schema.columns.size()),
      missing_(schema.columns.size(), 0),
      uncounted_numbers_(schema.columns.size() * kNumbersStride) {
  for (const auto& test : reference.multivariate) {
    for (const std::size_t column : test.columns) {
      if (raw_index_[column] < 0) {
        raw_index_[column] = int(raw_columns_.size());
        raw_columns_.push_back(column);
      }
    }
  }
  for (std::size_t c = 0; c < columns_; ++c) {
    if (reference.numeric[c]) {
      numeric_columns_.push_back(c);
      grid_counts_[c].assign(reference.numeric[c]->counts.size(), 0);
    } else {
      categorical_columns_.push_back(c);
      // One count per category of the dictionary, in the reference and in
      // the window alike: add() grows both with a new category.
      CategoricalReference& ref = *reference.categorical[c];
      ref.counts.resize(std::max(ref.dictionary.size(), ref.counts.size()), 0);
      category_counts_[c].assign(ref.counts.size(), 0);
    }
  }
}

std::vector<std::int64_t> ModelWindow::boundaries_closed_by(std::int64_t ts) const {
  std::vector<std::int64_t> out;
  if (!config_.by_time() || !window_end_ || order_.empty()) return out;
  const std::int64_t step = config_.step_duration.count();
  const std::int64_t duration = config_.duration.count();
  std::int64_t newest = order_.back().ts;
  // Boundaries past newest + duration would see an empty window: skip them.
  for (std::int64_t boundary = *window_end_; boundary < ts && boundary - duration < newest; boundary += step) {
    out.push_back(boundary);
  }
  return out;
}

void ModelWindow::close_boundary(std::int64_t boundary) {
  const std::int64_t start = boundary - config_.duration.count();
  while (!order_.empty() && order_.front().ts <= start) evict_front();
  window_end_ = boundary;
}

bool ModelWindow::add(const DecodedEvent& event, std::uint64_t sequence) {
  if (config_.by_time()) {
    const std::int64_t step = config_.step_duration.count();
    const std::int64_t duration = config_.duration.count();
    if (!window_end_) window_end_ = boundary_at_or_after(event.ts_ms, step);
    if (event.ts_ms <= *window_end_ - duration) return false;  // no future window holds it
    if (event.ts_ms > *window_end_) {
      // Boundaries up to here have been closed: start filling the next window.
      window_end_ = boundary_at_or_after(event.ts_ms, step);
      while (!order_.empty() && order_.front().ts <= *window_end_ - duration) evict_front();
    }
  }
  if (store(event, sequence, false)) ++overflowed_;
  last_sequence_ = sequence;
  ++since_evaluation_;
  if (uncounted_added_.size() == kCountBatch) catch_up_counts();
  return true;
}

bool ModelWindow::store(const DecodedEvent& event, std::uint64_t sequence, bool again) {
  const std::uint32_t slot = take_slot();
  const std::size_t waiting = uncounted_added_.size();
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  for (const std::size_t c : numeric_columns_) {
    const ColumnValue& value = event.values[c];
    uncounted_numbers_[c * kNumbersStride + waiting] = value.missing ? kNaN : value.number;
  }
  for (const std::size_t c : categorical_columns_) {
    // Categories are coded now: codes follow first appearance, and the
    // dictionary is a hash lookup that batching would not speed up.
    const ColumnValue& value = event.values[c];
    if (value.missing) {
      cells_[c * capacity_ + slot] = kMissing;
      continue;
    }
    CategoricalReference& ref = *reference_.categorical[c];
    const std::uint32_t code = ref.dictionary.code(value.text, !again);
    if (code >= ref.counts.size()) {  // first seen in the stream: the reference has none of it
      ref.counts.resize(code + 1, 0);
      category_counts_[c].resize(code + 1, 0);
    }
    cells_[c * capacity_ + slot] = code;
  }
  for (std::size_t i = 0; i < raw_columns_.size(); ++i) {
    const ColumnValue& value = event.values[raw_columns_[i]];
    raw_[slot * raw_columns_.size() + i] = value.missing ? kNaN : value.number;
  }
  uncounted_added_.push_back(slot);

  const Entry entry{event.ts_ms, sequence, event.offset, slot};
  if (config_.by_time()) {
    // Mostly in order: search from the back.
    auto it = order_.end();
    while (it != order_.begin() && std::prev(it)->ts > entry.ts) --it;
    order_.insert(it, entry);
    // Memory is bounded by configuration, not by the event rate (include/driftd/README.md, "Limits").
    if (order_.size() > config_.max_events) {
      evict_front();
      return true;
    }
  } else {
    order_.push_back(entry);
    if (order_.size() > config_.size) evict_front();
  }
  return false;
}

WindowSnapshot ModelWindow::snapshot() const {
  WindowSnapshot out{.since_evaluation = since_evaluation_,
                     .evaluated_once = evaluated_once_,
                     .window_end = window_end_,
                     .last_sequence = last_sequence_,
                     .overflowed = overflowed_};
  // A time window is ordered by event time, not by offset: look at all.
  const auto oldest = std::min_element(order_.begin(), order_.end(),
                                       [](const Entry& a, const Entry& b) { return a.offset < b.offset; });
  if (oldest != order_.end()) {
    out.refill_offset = oldest->offset;
    out.refill_sequence = oldest->sequence;
  }
  return out;
}

void ModelWindow::restore(const WindowSnapshot& snapshot) {
  since_evaluation_ = std::size_t(snapshot.since_evaluation);
  evaluated_once_ = snapshot.evaluated_once;
  window_end_ = snapshot.window_end;
  last_sequence_ = snapshot.last_sequence;
  overflowed_ = snapshot.overflowed;
}

// Exact because both ways of leaving a time window take its oldest events:
// an event newer than the window's start was never late (the start only
// moves forward), and of those, the window keeps the newest max_events.
// An event past the window's end cannot have been in it; keeping the newest
// event within the end also bounds the boundaries the next event closes,
// whatever end a snapshot names.
void ModelWindow::refill(const DecodedEvent& event, std::uint64_t sequence) {
  if (config_.by_time() && (!window_end_ || event.ts_ms <= *window_end_ - config_.duration.count() ||
                            event.ts_ms > *window_end_)) {
    return;
  }
  store(event, sequence, true);
  if (uncounted_added_.size() == kCountBatch) catch_up_counts();
}

bool ModelWindow::due() const {
  if (config_.by_time() || order_.size() < config_.size) return false;
  return !evaluated_once_ || since_evaluation_ >= config_.step;
}

std::uint32_t ModelWindow::take_slot() {
  if (free_slots_.empty()) {
    // A count window needs its size plus the evicted awaiting catch-up; a
    // time window grows by doubling (its events are bounded by max_events).
    const std::size_t grown = capacity_ == 0 && !config_.by_time() ? config_.size + kCountBatch
                                                                   : std::max<std::size_t>(2 * capacity_, 64);
    std::vector<std::uint32_t> cells(columns_ * grown, kMissing);
    for (std::size_t c = 0; c < columns_; ++c) {
      std::copy_n(cells_.begin() + long(c * capacity_), capacity_, cells.begin() + long(c * grown));
    }
    cells_ = std::move(cells);
    raw_.resize(grown * raw_columns_.size());
    for (std::size_t slot = capacity_; slot < grown; ++slot) free_slots_.push_back(std::uint32_t(slot));
    capacity_ = grown;
  }
  const std::uint32_t slot = free_slots_.front();
  free_slots_.pop_front();
  return slot;
}

void ModelWindow::evict_front() {
  uncounted_evicted_.push_back(order_.front().slot);
  order_.pop_front();
}

void ModelWindow::catch_up_counts() {
  if (uncounted_added_.empty() && uncounted_evicted_.empty()) return;
  // Added before evicted, column by column: an event may have come and gone
  // since the last catch-up.
  for (std::size_t c = 0; c < columns_; ++c) {
    std::uint32_t* cells = &cells_[c * capacity_];
    const auto count_out = [&](auto& counts) {
      for (const std::uint32_t slot : uncounted_evicted_) {
        if (cells[slot] == kMissing) --missing_[c];
        else --counts[cells[slot]];
      }
    };
    if (reference_.numeric[c]) {
      std::vector<GridCount>& counts = grid_counts_[c];
      const GridIndex& grid = reference_.numeric[c]->grid;
      const std::span<const double> numbers(&uncounted_numbers_[c * kNumbersStride], uncounted_added_.size());
      grid.lookup_order(numbers, lookup_order_);
      for (const std::uint32_t i : lookup_order_) {
        const std::uint32_t cell = std::isnan(numbers[i]) ? kMissing : std::uint32_t(grid.cell(numbers[i]));
        cells[uncounted_added_[i]] = cell;
        if (cell == kMissing) ++missing_[c];
        else ++counts[cell];
      }
      count_out(counts);
    } else {
      std::vector<std::uint64_t>& counts = category_counts_[c];
      for (const std::uint32_t slot : uncounted_added_) {
        if (cells[slot] == kMissing) {
          ++missing_[c];
        } else {
          ++counts[cells[slot]];
        }
      }
      count_out(counts);
    }
  }
  free_slots_.insert(free_slots_.end(), uncounted_evicted_.begin(), uncounted_evicted_.end());
  uncounted_added_.clear();
  uncounted_evicted_.clear();
}

WindowInfo ModelWindow::info() const {
  WindowInfo info{.count = order_.size(), .end_sequence = last_sequence_};
  if (config_.by_time() && window_end_) {
    info.start_ts = *window_end_ - config_.duration.count();
    info.end_ts = *window_end_;
  } else if (!order_.empty()) {
    const auto [oldest, newest] = std::minmax_element(
        order_.begin(), order_.end(), [](const Entry& a, const Entry& b) { return a.ts < b.ts; });
    info.start_ts = oldest->ts;
    info.end_ts = newest->ts;
  }
  return info;
}

std::uint64_t ModelWindow::missing(std::size_t column) {
  catch_up_counts();
  return missing_[column];
}

GridSample ModelWindow::numeric_sample(std::size_t column) {
  catch_up_counts();
  // Every event in the window is counted in a cell or as missing.
  return GridSample{.points = reference_.numeric[column]->grid.points(),
                    .counts = grid_counts_[column],
                    .total = order_.size() - missing_[column]};
}

std::pair<CategoricalSample, CategoricalSample> ModelWindow::categorical_samples(std::size_t column) {
  catch_up_counts();
  return {CategoricalSample{reference_.categorical[column]->counts}, CategoricalSample{category_counts_[column]}};
}

std::vector<double> ModelWindow::points(const MultivariateReference& test, std::uint64_t seed) const {
  std::vector<std::vector<double>> values(test.columns.size());
  for (const Entry& entry : order_) {
    for (std::size_t f = 0; f < test.columns.size(); ++f) {
      values[f].push_back(raw_[entry.slot * raw_columns_.size() + std::size_t(raw_index_[test.columns[f]])]);
    }
  }
  std::vector<const std::vector<double>*> columns;
  for (const auto& v : values) columns.push_back(&v);
  return standardised_points(columns, test.mean, test.deviation, test.max_points, seed);
}

}  // namespace driftd

#include "adwin.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace driftd {
namespace {

// Layout of save(): the parameters (so a state only loads into a detector
// configured alike), then the scalars, then the rows.
constexpr std::size_t kParamsSize = 5;
constexpr std::size_t kScalarsSize = 6;  // num_instances, width, total, variance, drift, rows
constexpr std::size_t kHeaderSize = kParamsSize + kScalarsSize;
// Integers in a state stay below 2^53, so the window's rows stay below 54.
constexpr double kMaxExactInteger = 9007199254740992.0;
constexpr std::size_t kMaxRows = 54;

double bucket_size(std::size_t row) { return std::ldexp(1.0, int(row)); }

bool is_count(double value, double max) {
  return std::isfinite(value) && value >= 0.0 && value <= max && value == std::floor(value);
}

}  // namespace

Adwin::Adwin(const AdwinParams& params) : params_(params) {
  // Negated comparisons so that NaN is rejected too.
  if (!(params_.delta > 0.0 && params_.delta < 1.0)) throw std::invalid_argument("adwin: delta must be in (0, 1)");
  if (params_.m < 1) throw std::invalid_argument("adwin: m must be at least 1");
  if (params_.clock < 1) throw std::invalid_argument("adwin: clock must be at least 1");
  if (params_.min_window_size < 1) throw std::invalid_argument("adwin: min_window_size must be at least 1");
  if (params_.min_num_instances < 1) throw std::invalid_argument("adwin: min_num_instances must be at least 1");
  totals_.assign(row_capacity(), 0.0);
  variances_.assign(row_capacity(), 0.0);
  counts_.assign(1, 0);
}

std::size_t Adwin::bucket_count() const {
  std::size_t count = 0;
  for (std::size_t row = 0; row < rows_; ++row) count += counts_[row];
  return count;
}

void Adwin::reset() {
  // Keeps the allocated rows: a reset after every drift must not allocate.
  num_instances_ = 0;
  width_ = 0;
  total_ = 0.0;
  variance_ = 0.0;
  drift_ = false;
  rise_ = false;
  std::fill(counts_.begin(), counts_.end(), 0u);
  rows_ = 1;
}

void Adwin::append_bucket(std::size_t row, double total, double variance) {
  const std::size_t index = counts_[row]++;
  bucket_total(row, index) = total;
  bucket_variance(row, index) = variance;
}

void Adwin::drop_oldest_buckets(std::size_t row, std::size_t how_many) {
  const std::size_t begin = row * row_capacity();
  const std::size_t count = counts_[row];
  std::copy(totals_.begin() + std::ptrdiff_t(begin + how_many), totals_.begin() + std::ptrdiff_t(begin + count),
            totals_.begin() + std::ptrdiff_t(begin));
  std::copy(variances_.begin() + std::ptrdiff_t(begin + how_many), variances_.begin() + std::ptrdiff_t(begin + count),
            variances_.begin() + std::ptrdiff_t(begin));
  counts_[row] = std::uint32_t(count - how_many);
}

void Adwin::open_row() {
  if (rows_ == counts_.size()) {
    // The only allocation: the first time the window needs this many rows.
    totals_.resize(totals_.size() + row_capacity(), 0.0);
    variances_.resize(variances_.size() + row_capacity(), 0.0);
    counts_.push_back(0);
  }
  counts_[rows_] = 0;
  ++rows_;
}

ErrorStreamStatus Adwin::update(double error) {
  ++num_instances_;
  insert(error);
  if (num_instances_ % params_.clock == 0 && width_ > params_.min_num_instances) cut_while_changed();
  return drift_ ? ErrorStreamStatus::drift : ErrorStreamStatus::in_control;
}

void Adwin::insert(double error) {
  append_bucket(0, error, 0.0);
  ++width_;
  if (width_ > 1) {
    // Welford's update of the sum of squared deviations, in Frouros's order of operations.
    const double previous_width = double(width_ - 1);
    const double deviation = error - total_ / previous_width;
    variance_ += previous_width * deviation * deviation / double(width_);
  }
  total_ += error;
  merge_full_rows();
}

void Adwin::merge_full_rows() {
  for (std::size_t row = 0; row < rows_; ++row) {
    if (counts_[row] != row_capacity()) break;
    if (row + 1 == rows_) open_row();
    const double size = bucket_size(row);
    const double older_mean = bucket_total(row, 0) / size;
    const double newer_mean = bucket_total(row, 1) / size;
    // The two buckets' variances plus the spread between their means (Chan et al.'s pairwise update).
    const double between = size * size * (older_mean - newer_mean) * (older_mean - newer_mean) / (size * 2.0);
    const double total = bucket_total(row, 0) + bucket_total(row, 1);
    const double variance = bucket_variance(row, 0) + bucket_variance(row, 1) + between;
    append_bucket(row + 1, total, variance);
    drop_oldest_buckets(row, 2);
    if (counts_[row + 1] <= params_.m) break;
  }
}

double Adwin::cut_threshold(std::uint64_t older_width, std::uint64_t newer_width) const {
  const double delta_prime = std::log(2.0 * std::log(double(width_)) / params_.delta);
  const std::uint64_t offset = std::uint64_t(params_.min_window_size) + 1;
  // A part of exactly min_window_size + 1 values makes Frouros's bound
  // 1/0 = inf (NaN when the variance is 0): never exceeded either way.
  if (older_width == offset || newer_width == offset) return std::numeric_limits<double>::infinity();
  const double reciprocal = 1.0 / double(older_width - offset) + 1.0 / double(newer_width - offset);
  const double variance_window = variance_ / double(width_);
  // sqrt of a variance rounded below 0 is NaN, which like Frouros's never cuts.
  return std::sqrt(2.0 * reciprocal * variance_window * delta_prime) + 2.0 / 3.0 * delta_prime * reciprocal;
}

void Adwin::cut_while_changed() {
  const std::uint64_t min_part = params_.min_window_size;
  bool cut = true;
  while (cut) {
    cut = false;
    std::uint64_t older_width = 0;
    std::uint64_t newer_width = width_;
    double older_total = 0.0;
    double newer_total = total_;
    // Oldest row first, oldest bucket first: the older part grows bucket by bucket.
    for (std::size_t row = rows_; row-- > 0 && !cut;) {
      const std::uint64_t size = std::uint64_t(1) << row;
      const std::size_t count = counts_[row];
      // As in Frouros, the newest bucket of each row never moves into the
      // older part: it stays counted with the newer one, so the two parts are
      // not quite a split in time. Kept, because it moves the drift step.
      for (std::size_t index = 0; index + 1 < count; ++index) {
        older_width += size;
        newer_width -= size;
        older_total += bucket_total(row, index);
        newer_total -= bucket_total(row, index);
        if (newer_width <= min_part || older_width <= min_part) continue;
        const double older_mean = older_total / double(older_width);
        const double newer_mean = newer_total / double(newer_width);
        if (std::abs(older_mean - newer_mean) > cut_threshold(older_width, newer_width)) {
          // Frouros drops one oldest bucket and scans again from scratch
          // (its guard width > 0 always holds: the newer part is not empty).
          if (!drift_) rise_ = newer_mean > older_mean;
          drift_ = true;
          cut = true;
          drop_oldest_bucket();
          break;
        }
      }
    }
  }
}

void Adwin::drop_oldest_bucket() {
  const std::size_t row = rows_ - 1;
  const std::uint64_t size = std::uint64_t(1) << row;
  const double bucket_sum = bucket_total(row, 0);
  width_ -= size;
  total_ -= bucket_sum;
  const double bucket_mean = bucket_sum / double(size);
  const double window_mean = total_ / double(width_);
  const double deviation = bucket_mean - window_mean;
  const double removed =
      bucket_variance(row, 0) + double(size * width_) * deviation * deviation / double(size + width_);
  variance_ -= removed;
  drop_oldest_buckets(row, 1);
  // Row 0 stays even when empty: new values go there (Frouros never empties it
  // here either, as a cut needs a window of at least 2 * (min_window_size + 1)).
  if (counts_[row] == 0 && rows_ > 1) --rows_;
}

void Adwin::save(std::vector<double>& state) const {
  state.clear();
  state.reserve(kHeaderSize + rows_ + 2 * bucket_count());
  state.push_back(params_.delta);
  state.push_back(double(params_.m));
  state.push_back(double(params_.clock));
  state.push_back(double(params_.min_window_size));
  state.push_back(double(params_.min_num_instances));
  state.push_back(double(num_instances_));
  state.push_back(double(width_));
  state.push_back(total_);
  state.push_back(variance_);
  state.push_back(drift_ ? 1.0 : 0.0);
  state.push_back(double(rows_));
  for (std::size_t row = 0; row < rows_; ++row) state.push_back(double(counts_[row]));
  for (std::size_t row = 0; row < rows_; ++row) {
    for (std::size_t index = 0; index < counts_[row]; ++index) {
      state.push_back(totals_[row * row_capacity() + index]);
      state.push_back(variances_[row * row_capacity() + index]);
    }
  }
}

bool Adwin::load(std::span<const double> state) {
  reset();
  if (state.size() < kHeaderSize) return false;
  if (state[0] != params_.delta || state[1] != double(params_.m) || state[2] != double(params_.clock) ||
      state[3] != double(params_.min_window_size) || state[4] != double(params_.min_num_instances)) {
    return false;
  }
  const double num_instances = state[5];
  const double width = state[6];
  const double total = state[7];
  const double variance = state[8];
  const double drift = state[9];
  const double rows = state[10];
  if (!is_count(num_instances, kMaxExactInteger - 1) || !is_count(width, num_instances)) return false;
  if (!std::isfinite(total) || !std::isfinite(variance) || (drift != 0.0 && drift != 1.0)) return false;
  if (!is_count(rows, double(kMaxRows)) || rows < 1.0) return false;
  const std::size_t row_count = std::size_t(rows);
  if (state.size() < kHeaderSize + row_count) return false;
  // At rest every row holds at most m buckets (a full row merges at once),
  // and the oldest row holds at least one (an empty one is dropped).
  std::uint64_t buckets = 0;
  std::uint64_t covered_width = 0;
  for (std::size_t row = 0; row < row_count; ++row) {
    const double count = state[kHeaderSize + row];
    if (!is_count(count, double(params_.m))) return false;
    if (row > 0 && row + 1 == row_count && count < 1.0) return false;
    buckets += std::uint64_t(count);
    covered_width += std::uint64_t(count) << row;
  }
  if (covered_width != std::uint64_t(width)) return false;
  if (state.size() != kHeaderSize + row_count + 2 * buckets) return false;
  for (std::size_t i = kHeaderSize + row_count; i < state.size(); ++i) {
    if (!std::isfinite(state[i]) || state[i] < 0.0) return false;
  }

  while (rows_ < row_count) open_row();
  std::size_t next = kHeaderSize + row_count;
  for (std::size_t row = 0; row < row_count; ++row) {
    const std::size_t count = std::size_t(state[kHeaderSize + row]);
    for (std::size_t index = 0; index < count; ++index) {
      append_bucket(row, state[next], state[next + 1]);
      next += 2;
    }
  }
  num_instances_ = std::uint64_t(num_instances);
  width_ = std::uint64_t(width);
  total_ = total;
  variance_ = variance;
  drift_ = drift == 1.0;
  return true;
}

}  // namespace driftd

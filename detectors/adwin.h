// ADWIN, adaptive windowing (Bifet and Gavaldà, "Learning from
// time-changing data with adaptive windowing", SIAM SDM 2007), with the
// update rules and defaults of Frouros's ADWIN.
//
// Why: ADWIN keeps the longest recent window of errors in which no split
// into an older and a newer part has means further apart than a Hoeffding-
// and Bernstein-style bound allows; when some split does, the older part is
// dropped and that is a drift. It needs no guess of the error level and
// adapts the window to the stream, so it works on 0/1 errors of a
// classifier and on absolute errors of a regressor alike.
//
// Caution for driftd: ADWIN compares means in both directions, so an error
// rate that falls (the model got better) is a drift as well; Frouros has no
// one-sided ADWIN. drift_was_rise() tells the engine which it was, so that
// it alerts only on a rise. It has no warning level either.
//
// The window is an exponential histogram: row i holds up to m buckets of
// 2^i values each (their sum and their variance around their own mean);
// when a row fills to m + 1 its two oldest buckets merge into one of the
// next row. A window of W values thus takes O(m log W) buckets. Like
// Frouros, a split is only checked every `clock` values, once the window
// holds more than min_num_instances values, and both parts need more than
// min_window_size values (the bound uses 1 / (n - min_window_size - 1), so
// a part of exactly min_window_size + 1 values is never cut).
//
// Frouros's quirks kept on purpose, because they move the drift step: the
// scan of cut points never moves the newest bucket of a row into the older
// part (it stays counted with the newer part, so with m = 1 no cut point
// exists at all and ADWIN never drifts); once a cut is found only the
// oldest bucket is dropped and the whole scan starts again until no cut is
// found. drift stays set until reset().
//
// statistic(): the window width, the number of values ADWIN still trusts
// as one stationary stream; it grows by one per value, falls when a drift
// cuts the window, and is 0 after reset().
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "driftd/error_stream_detector.h"

namespace driftd {

struct AdwinParams {
  // Confidence of a cut: a smaller delta widens the bound (fewer false cuts, later true ones).
  double delta = 0.002;
  // Buckets kept per row of the histogram: memory against how finely the cut points are spaced
  // (m = 1 is accepted, as by Frouros, but leaves no cut point: it never drifts).
  std::uint32_t m = 5;
  // A cut is looked for every `clock` values (a cost saving: the scan is O(m log W)).
  std::uint32_t clock = 32;
  // Each part of a split must hold more than this many values.
  std::uint32_t min_window_size = 5;
  // No cut is looked for while the window holds this many values or fewer.
  std::uint32_t min_num_instances = 10;
};

class Adwin final : public ErrorStreamDetector {
 public:
  // Throws std::invalid_argument for parameters Frouros rejects (and for
  // clock 0, which Frouros accepts but then divides by).
  explicit Adwin(const AdwinParams& params = {});

  std::string_view name() const override { return "adwin"; }
  ErrorStreamStatus update(double error) override;
  void reset() override;
  bool drift_was_rise() const override { return rise_; }
  double statistic() const override { return double(width_); }
  std::string_view statistic_name() const override { return "window_width"; }
  void save(std::vector<double>& state) const override;
  bool load(std::span<const double> state) override;

  const AdwinParams& params() const { return params_; }
  // The histogram's size, for the memory bound: rows in use, buckets in
  // them, and rows ever allocated (storage is reused after a cut or reset).
  std::size_t bucket_rows() const { return rows_; }
  std::size_t bucket_count() const;
  std::size_t allocated_rows() const { return counts_.size(); }

 private:
  std::size_t row_capacity() const { return std::size_t(params_.m) + 1; }
  double& bucket_total(std::size_t row, std::size_t index) { return totals_[row * row_capacity() + index]; }
  double& bucket_variance(std::size_t row, std::size_t index) { return variances_[row * row_capacity() + index]; }
  void append_bucket(std::size_t row, double total, double variance);
  void drop_oldest_buckets(std::size_t row, std::size_t how_many);
  void open_row();
  void insert(double error);
  void merge_full_rows();
  void cut_while_changed();
  double cut_threshold(std::uint64_t older_width, std::uint64_t newer_width) const;
  void drop_oldest_bucket();

  AdwinParams params_;
  std::uint64_t num_instances_ = 0;  // values since reset: drives the clock
  std::uint64_t width_ = 0;
  double total_ = 0.0;
  double variance_ = 0.0;  // sum of squared deviations from the window's mean
  bool drift_ = false;
  // At the first cut since reset: whether the newer part's mean was above
  // the older part's. Only read right after a drift (the engine then
  // resets), so snapshots need not keep it.
  bool rise_ = false;
  // Row r's buckets are totals_/variances_[r * (m + 1) + k], oldest first,
  // k < counts_[r]; rows_ rows are in use, counts_.size() are allocated.
  std::vector<double> totals_;
  std::vector<double> variances_;
  std::vector<std::uint32_t> counts_;
  std::size_t rows_ = 1;
};

}  // namespace driftd

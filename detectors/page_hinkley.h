// Page-Hinkley test (Page, "Continuous inspection schemes", Biometrika
// 41, 1954), with the update rule and defaults of Frouros's PageHinkley.
//
// Why: a cumulative sum of how far each error lies above the running mean
// of all errors so far (less a tolerance delta) grows steadily once the
// error level rises and drifts downward while it stays put, so a rise shows
// as the sum crossing lambda. It is one-sided in Frouros: only an increase
// of the error is detected, which is the direction driftd watches for.
//
// Frouros's variant differs from the textbook test in two ways kept here:
// the sum fades by the forgetting factor alpha at each step
// (sum = alpha * sum + (x - mean - delta), the running mean already
// including x), and it is compared with lambda directly, not after
// subtracting its running minimum. Without a minimum, the sum of a long
// stationary stream settles near -delta / (1 - alpha) = -50 with the
// defaults, so a rise after a long calm has to climb about 100 instead of
// 50 before it is seen. No drift is reported before min_num_instances
// values, although those values do enter the mean and the sum. There is no
// warning level; and as in Frouros the status is recomputed at each value,
// so drift turns back to in_control if the sum falls under lambda before
// reset().
//
// statistic(): that sum ("cumulative_sum"); drift once it exceeds lambda.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "driftd/error_stream_detector.h"

namespace driftd {

struct PageHinkleyParams {
  // Tolerance: how far above the running mean an error must lie to push the sum up.
  double delta = 0.005;
  // Threshold on the sum: drift once the sum exceeds it.
  double lambda = 50.0;
  // Forgetting factor of the sum, in [0, 1]: 1 keeps the whole past, smaller values forget it faster.
  double alpha = 0.9999;
  // No drift is reported before this many values since reset.
  std::uint32_t min_num_instances = 30;
};

class PageHinkley final : public ErrorStreamDetector {
 public:
  // Throws std::invalid_argument for parameters Frouros rejects.
  explicit PageHinkley(const PageHinkleyParams& params = {});

  std::string_view name() const override { return "page_hinkley"; }
  ErrorStreamStatus update(double error) override;
  void reset() override;
  double statistic() const override { return sum_; }
  std::string_view statistic_name() const override { return "cumulative_sum"; }
  void save(std::vector<double>& state) const override;
  bool load(std::span<const double> state) override;

  const PageHinkleyParams& params() const { return params_; }

 private:
  bool drifted() const;

  PageHinkleyParams params_;
  std::uint64_t num_instances_ = 0;
  double mean_ = 0.0;
  double sum_ = 0.0;
};

}  // namespace driftd

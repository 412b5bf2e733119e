// A test's statistic on the scale of surprise, L(s) = -log P(S >= s) under
// the null. Up to its kSpliceCount-th largest simulated value, P is the
// simulated statistics' own survival function, so that every test of a
// model reaches a level equally often where simulation can tell; beyond, L
// follows the tail of the test's asymptotic null distribution, joined on:
// KS by its distribution at the effective sample size, chi-square by its chi-square law, PSI as
// n_e * PSI ~ chi-square(bins - 1), MMD by a gamma fitted to the first three
// moments of the simulated statistics. The calibration (calibrator.h)
// measures alarm rates on this scale where simulation resolves them and
// extrapolates beyond along e^-L, so the tail decides how a threshold far
// out is placed.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace driftd {

class TailScale {
 public:
  // KS between samples of `reference` and `window` values: the one-sample
  // KS distribution at the effective size n_e = nm/(n+m).
  static TailScale ks(std::uint64_t reference, std::uint64_t window);
  // A statistic that `scale` times is chi-square with `dof` degrees of
  // freedom (dof 0: a statistic that is always 0, never surprising).
  static TailScale chi_square(double dof, double scale);
  // A gamma distribution shifted to match the mean, variance and skewness
  // of `simulated` (a normal one when they are nearly symmetric).
  static TailScale fitted(std::span<const double> simulated);

  // This scale's tail joined onto the survival function of `simulated`
  // (NaN values are left out) at its kSpliceCount-th largest value.
  TailScale spliced(std::span<const double> simulated) const;
  static constexpr std::size_t kSpliceCount = 50;

  // L(statistic), >= 0, non-decreasing; large values are capped at kMaxSurprise.
  double surprise(double statistic) const;
  // The smallest statistic whose surprise is at least `surprise`.
  double statistic_at(double surprise) const;

  static constexpr double kMaxSurprise = 700.0;

 private:
  enum class Kind { kolmogorov, chi_square, gamma, normal, never };
  Kind kind_ = Kind::never;
  double a_ = 0.0;  // kolmogorov: n_e, rounded; chi_square: dof; gamma: shape; normal: mean
  double b_ = 0.0;  // chi_square: scale; gamma: scale; normal: standard deviation
  double shift_ = 0.0;  // gamma: added to the statistic
  // spliced(): the simulated statistics, ascending, and where the tail
  // takes over: the statistic and its surprises, empirical and asymptotic.
  std::vector<double> body_;
  double splice_at_ = 0.0;
  double splice_surprise_ = 0.0;
  double splice_tail_surprise_ = 0.0;

  double tail_surprise(double statistic) const;
};

}  // namespace driftd

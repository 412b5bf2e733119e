#include "ks.h"

#include <cmath>

#include "ks_distribution.h"

namespace driftd {

double ks_statistic(std::span<const double> r, std::span<const double> c) {
  const double n = double(r.size());
  const double m = double(c.size());
  std::size_t i = 0;
  std::size_t j = 0;
  double d = 0.0;
  while (i < r.size() && j < c.size()) {
    // Step both ECDFs past every copy of the smallest remaining value, so
    // that a tie moves both before the distance is measured.
    const double x = std::min(r[i], c[j]);
    while (i < r.size() && r[i] == x) ++i;
    while (j < c.size() && c[j] == x) ++j;
    d = std::max(d, std::abs(double(i) / n - double(j) / m));
  }
  // Once one sample is exhausted its ECDF is 1 and the other's only grows
  // towards 1, so the distance can only shrink: nothing more to scan.
  return d;
}

double ks_statistic(std::span<const std::uint64_t> r, std::span<const std::uint64_t> c, std::uint64_t n,
                    std::uint64_t m) {
  // |i/n - j/m| is largest where |i*m - j*n| is: find that in exact integer
  // arithmetic (cheap, no division per cell), then compute the double as the
  // merge walk does, at every cell that attains the maximum, so the result
  // is the same double to the last bit.
  std::int64_t below_r = 0;
  std::int64_t below_c = 0;
  std::int64_t widest = -1;
  double d = 0.0;
  for (std::size_t cell = 0; cell < r.size(); ++cell) {
    below_r += std::int64_t(r[cell]);
    below_c += std::int64_t(c[cell]);
    const std::int64_t gap = std::abs(below_r * std::int64_t(m) - below_c * std::int64_t(n));
    if (gap >= widest) {
      const double distance = std::abs(double(below_r) / double(n) - double(below_c) / double(m));
      d = gap > widest ? distance : std::max(d, distance);
      widest = gap;
    }
  }
  return d;
}

TestResult KsDetector::compare(const Sample& reference, const Sample& current) const {
  TestResult result{.test = "ks", .kind = TestKind::p_value};
  if (const auto* r = std::get_if<GridSample>(&reference)) {
    const auto* c = std::get_if<GridSample>(&current);
    if (c == nullptr || r->counts.size() != c->counts.size()) {
      result.error = "ks needs two samples on the same grid";
      return result;
    }
    std::uint64_t n = 0;
    std::uint64_t m = 0;
    for (std::size_t cell = 0; cell < r->counts.size(); ++cell) {
      n += r->counts[cell];
      m += c->counts[cell];
    }
    if (n == 0 || m == 0) {
      result.error = "ks needs at least one value in each sample";
      return result;
    }
    result.statistic = ks_statistic(r->counts, c->counts, n, m);
    result.p_value = ks_2samp_p_value(n, m, result.statistic);
    return result;
  }
  const auto* r = std::get_if<NumericSample>(&reference);
  const auto* c = std::get_if<NumericSample>(&current);
  if (r == nullptr || c == nullptr) {
    result.error = "ks needs numeric samples";
  } else if (r->sorted.empty() || c->sorted.empty()) {
    result.error = "ks needs at least one value in each sample";
  } else {
    result.statistic = ks_statistic(r->sorted, c->sorted);
    result.p_value = ks_2samp_p_value(r->sorted.size(), c->sorted.size(), result.statistic);
  }
  return result;
}

}  // namespace driftd

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

TestResult KsDetector::compare(const Sample& reference, const Sample& current) const {
  TestResult result{.test = "ks", .kind = TestKind::p_value};
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

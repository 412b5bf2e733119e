#include "chi2.h"

#include <boost/math/special_functions/gamma.hpp>
#include <numeric>

namespace driftd {

TestResult Chi2Detector::test(const Sample& current) {
  TestResult result{.test = "chi2", .kind = TestKind::p_value};
  const auto* r = std::get_if<CategoricalSample>(&reference());
  const auto* c = std::get_if<CategoricalSample>(&current);
  if (r == nullptr || c == nullptr || r->counts.size() != c->counts.size()) {
    result.error = "chi2 needs two categorical samples";
    return result;
  }
  const double n = double(std::accumulate(r->counts.begin(), r->counts.end(), std::uint64_t{0}));
  const double m = double(std::accumulate(c->counts.begin(), c->counts.end(), std::uint64_t{0}));
  if (n == 0 || m == 0) {
    result.error = "chi2 needs at least one value in each sample";
    return result;
  }
  const double total = n + m;
  double statistic = 0.0;
  std::size_t categories = 0;
  for (std::size_t k = 0; k < r->counts.size(); ++k) {
    const double column = double(r->counts[k] + c->counts[k]);
    if (column == 0) continue;  // a category of the dictionary seen in neither sample
    ++categories;
    const double expected_r = n * column / total;
    const double expected_c = m * column / total;
    statistic += (double(r->counts[k]) - expected_r) * (double(r->counts[k]) - expected_r) / expected_r;
    statistic += (double(c->counts[k]) - expected_c) * (double(c->counts[k]) - expected_c) / expected_c;
  }
  if (categories < 2) {
    // One category: both samples are identical in distribution, and SciPy
    // reports the degenerate table as chi2 = 0, p = 1.
    result.statistic = 0.0;
    if (with_p_value_) result.p_value = 1.0;
    return result;
  }
  result.statistic = statistic;
  if (!with_p_value_) return result;
  const double dof = double(categories - 1);
  result.p_value = statistic <= 0 ? 1.0 : boost::math::gamma_q(dof / 2.0, statistic / 2.0);
  return result;
}

}  // namespace driftd

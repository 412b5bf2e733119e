// Null distributions of the Kolmogorov–Smirnov statistics, computed exactly
// as SciPy 1.10.1 does, so that our p-values can be checked against SciPy's
// (detectors/README.md, "ks").
#pragma once

#include <cstdint>

namespace driftd {

// p-value of the two-sided two-sample KS test for sample sizes n and m and
// observed statistic d, as scipy.stats.ks_2samp(alternative='two-sided', method='auto').
// d <= 0 gives 1; n == 0, m == 0 or a NaN d gives NaN.
double ks_2samp_p_value(std::uint64_t n, std::uint64_t m, double d);

// Survival function of the one-sample two-sided KS statistic D_n (scipy.stats.kstwo.sf(d, n)).
// n == 0 or a NaN d gives NaN.
double kstwo_sf(std::uint64_t n, double d);

}  // namespace driftd

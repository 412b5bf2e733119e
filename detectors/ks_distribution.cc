// Null distributions of the KS statistics, following SciPy 1.10.1 branch for
// branch so that a p-value here and in SciPy differ only by rounding.
//
// Two-sample test, ks_2samp_p_value (scipy.stats.ks_2samp, method 'auto'):
//  - exact, max(n, m) <= 10000: D_{n,m} only takes the values h/lcm(n, m),
//    and its null law is a count of lattice paths, affordable in O(n m)
//    up to SciPy's MAX_AUTO_N. Small and unbalanced samples need it: there
//    the asymptotic law is visibly wrong.
//      n == m: the reflection principle gives an alternating sum of binomial
//        ratios; evaluating it Horner-style keeps it free of cancellation.
//      n != m: Hodges' inside method, in Viehmann's form that carries the
//        probability of having left the band, so a tiny p keeps its
//        relative precision instead of being 1 - (something close to 1).
//      Rounding can push the n == m sum just above 1 (at h = 1); SciPy then
//        takes the asymptotic path, and so do we so that the numbers agree.
//  - asymptotic, max(n, m) > 10000: counting paths is too slow there, and
//    SciPy uses the one-sample law D_N for the effective size
//    N = round(n m / (n + m)).
//
// One-sample law, kstwo_sf (scipy.stats.kstwo.sf, Simard & L'Ecuyer 2011):
//  - t = n d <= 1 or t >= n - 1: Ruben & Gambino's closed forms are exact.
//  - d >= 0.5: D_n^+ >= d and D_n^- >= d cannot both happen, so the tail is
//    exactly twice the one-sided (Smirnov) tail.
//  - n <= 140: the exact Durbin matrix (Marsaglia-Tsang-Wang) while its
//    order 2 ceil(t) - 1 is small (n d^2 <= 0.754693), Pomeranz's recursion
//    up to n d^2 = 4, then twice the Smirnov tail (the overlap of the two
//    one-sided events is below rounding there).
//  - n > 140: in the tail (n d^2 >= 2.2) twice the Smirnov tail, which keeps
//    tiny p-values relative-accurate (0 once n d^2 >= 370, where it
//    underflows); in the body 1 - cdf, the cdf from the Durbin matrix while
//    it stays small (n <= 100000, n d^1.5 <= 1.4), else from the Pelz-Good
//    asymptotic series.
//
// The one-sided Smirnov tail (cephes smirnov) is the Birnbaum-Tingey sum;
// its terms are all positive, so summing them in log space loses nothing.
// Beyond n = 10^6 cephes switches to Miller's approximation, and so do we.
#include "ks_distribution.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <unordered_map>
#include <utility>
#include <vector>

#include <Eigen/Dense>
#include <boost/math/constants/constants.hpp>

namespace driftd {
namespace {

namespace constants = boost::math::constants;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// SciPy rescales the Durbin and Pomeranz intermediates by 2^+-128 to stay
// clear of overflow and underflow; the same steps keep our rounding alike.
constexpr int kScaleExponent = 128;
constexpr double kScaleUp = 0x1p128;
constexpr double kScaleDown = 0x1p-128;

// cephes MINLOG = log(DBL_MIN): a tail exp(-2 n x^2) below it is 0.
constexpr double kMinLog = -708.3964185322641;

double clip_probability(double p) { return std::clamp(p, 0.0, 1.0); }

// P(D_n^+ >= x), cephes smirnov(n, x), for 1 < n x < n - 1 (the only range
// kstwo_sf asks for).
double smirnov_sf(std::uint64_t n, double x) {
  const double nd = double(n);
  if (-2.0 * nd * x * x < kMinLog) return 0.0;
  if (n > 1000000) {
    const double log_p = -std::pow(6.0 * nd * x + 1.0, 2) / 18.0 / nd;
    return log_p < -constants::ln_two<double>() ? std::exp(log_p) : 1.0 + std::expm1(log_p);
  }
  // n x = floor_nx + alpha exactly, so that 1 - x - j/n = (n - j - n x)/n
  // stays accurate when it is close to 0.
  const double nx = nd * x;
  double floor_nx = std::floor(nx);
  double alpha = (nx - floor_nx) + std::fma(nd, x, -nx);
  if (alpha < 0.0) {
    floor_nx -= 1.0;
    alpha += 1.0;
  }
  if (alpha >= 1.0) {
    floor_nx += 1.0;
    alpha -= 1.0;
  }
  // Birnbaum-Tingey: x * sum_{j=0}^{last} C(n,j) (1-x-j/n)^(n-j) (x+j/n)^(j-1),
  // last = ceil(n (1 - x)) - 1 (the term at j = n (1 - x) is 0). The running
  // sum is kept as sum * exp(log_scale), so that no term over- or
  // underflows however far the terms are from 1.
  const auto last = std::uint64_t(nd - floor_nx - 1.0);
  // log C(n, j) grows by log((n - j)/(j + 1)) a term. Kept by compensated
  // (Kahan) addition, it is cheaper than lgamma(n+1) - lgamma(j+1) -
  // lgamma(n-j+1) and does not lose that difference's ulps of n log n.
  double log_binomial = 0.0;
  double log_binomial_carry = 0.0;
  double log_scale = 0.0;
  double sum = 0.0;
  for (std::uint64_t jj = 0; jj <= last; ++jj) {
    const double j = double(jj);
    const double log_term = log_binomial + (nd - j) * std::log(((nd - j - floor_nx) - alpha) / nd) +
                            (j - 1.0) * std::log(((j + floor_nx) + alpha) / nd);
    if (sum == 0.0) {
      log_scale = log_term;
    } else if (log_term > log_scale + 300.0) {
      sum *= std::exp(log_scale - log_term);
      log_scale = log_term;
    }
    const double term = std::exp(log_term - log_scale);
    sum += term;
    // cephes stops as soon as the terms left cannot move the sum by an ulp;
    // stopping at the same place keeps us on its rounding.
    if (4.0 * double(last + 1 - jj) * term < std::numeric_limits<double>::epsilon() * sum) break;
    const double step = std::log((nd - j) / (j + 1.0)) - log_binomial_carry;
    const double next = log_binomial + step;
    log_binomial_carry = (next - log_binomial) - step;
    log_binomial = next;
  }
  return std::exp(std::log(x) + log_scale + std::log(sum));
}

// Pr(D_n <= d) for 1 < n d and d < 1: Durbin's matrix H^n scaled by n!/n^n,
// as Marsaglia, Tsang & Wang (2003) arrange it.
double kolmogorov_cdf_durbin(std::uint64_t n, double d) {
  const double nd = double(n) * d;
  const auto k = std::size_t(std::ceil(nd));
  const double h = double(k) - nd;
  const std::size_t order = 2 * k - 1;

  // v[j] = (1 - h^(j+1)) / (j+1)!, w[j] = 1/j!
  std::vector<double> v(order), w(order);
  double factorial_inverse = 1.0;
  for (std::size_t j = 1; j <= order; ++j) {
    w[j - 1] = factorial_inverse;
    factorial_inverse /= double(j);
    v[j - 1] = (1.0 - std::pow(h, double(j))) * factorial_inverse;
  }
  const double tt = std::pow(std::max(2.0 * h - 1.0, 0.0), double(order)) - 2.0 * std::pow(h, double(order));
  v[order - 1] = (1.0 + tt) * factorial_inverse;

  const auto size = Eigen::Index(order);
  Eigen::MatrixXd hm = Eigen::MatrixXd::Zero(size, size);
  for (Eigen::Index c = 1; c < size; ++c) {
    for (Eigen::Index r = c - 1; r < size; ++r) hm(r, c) = w[std::size_t(r - c + 1)];
  }
  for (Eigen::Index r = 0; r < size; ++r) hm(r, 0) = v[std::size_t(r)];
  for (Eigen::Index c = 0; c < size; ++c) hm(size - 1, c) = v[std::size_t(size - 1 - c)];

  // H^n by repeated squaring; the squares are rescaled (exponent kept
  // apart) because their entries grow like e^n.
  Eigen::MatrixXd power = Eigen::MatrixXd::Identity(size, size);
  const auto centre = Eigen::Index(k - 1);
  long exponent = 0;
  long hm_exponent = 0;
  for (std::uint64_t rest = n;;) {
    if (rest % 2 == 1) {
      power = power * hm;
      exponent += hm_exponent;
    }
    rest /= 2;
    if (rest == 0) break;
    hm = hm * hm;
    hm_exponent *= 2;
    if (std::abs(hm(centre, centre)) > kScaleUp) {
      hm *= kScaleDown;
      hm_exponent += kScaleExponent;
    }
  }

  double p = power(centre, centre);
  for (std::uint64_t i = 1; i <= n; ++i) {
    p = double(i) * p / double(n);
    if (std::abs(p) < kScaleDown) {
      p *= kScaleUp;
      exponent -= kScaleExponent;
    }
  }
  return std::ldexp(p, int(exponent));
}

// First and last column that row i of Pomeranz's recursion can reach.
std::pair<std::int64_t, std::int64_t> pomeranz_row_bounds(std::int64_t i, std::int64_t n, std::int64_t ll,
                                                          std::int64_t has_fraction, std::int64_t fraction_above_half) {
  std::int64_t j1 = 0;
  std::int64_t j2 = 0;
  if (i == 0) {
    j1 = -ll - has_fraction - 1;
    j2 = ll + has_fraction - 1;
  } else {
    const std::int64_t half = (i + 1) / 2;
    if ((i + 1) % 2 == 0) {
      if (half == n + 1) {
        j1 = n - ll - has_fraction - 1;
        j2 = n + ll + has_fraction - 1;
      } else {
        j1 = half - 1 - ll - fraction_above_half - 1;
        j2 = half + ll - 1 + has_fraction - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + fraction_above_half - 1;
    }
  }
  return {std::max<std::int64_t>(j1 + 2, 0), std::min(j2, n)};
}

// Pr(D_n <= x) for 1 < n x and x < 0.5 by Pomeranz's (1974) recursion: each
// row is the previous one convolved with Poisson-like weights, and only a
// short band of each row can be non-zero.
double kolmogorov_cdf_pomeranz(std::uint64_t n_unsigned, double x) {
  const auto n = std::int64_t(n_unsigned);
  const double t = double(n) * x;
  const auto ll = std::int64_t(std::floor(t));
  const double f = t - double(ll);
  const double g = std::min(f, 1.0 - f);
  const std::int64_t has_fraction = f > 0.0 ? 1 : 0;
  const std::int64_t fraction_above_half = f > 0.5 ? 1 : 0;
  const auto width = std::size_t(2 * (ll + 1));

  // (g/n)^k/k!, (2g/n)^k/k!, ((1-2g)/n)^k/k!: Poisson weights without their
  // normalising factor.
  std::vector<double> g_power(width), two_g_power(width), one_minus_two_g_power(width);
  g_power[0] = two_g_power[0] = one_minus_two_g_power[0] = 1.0;
  const double g_over_n = g / double(n);
  const double two_g_over_n = 2.0 * g / double(n);
  const double one_minus_two_g_over_n = (1.0 - 2.0 * g) / double(n);
  for (std::size_t k = 1; k < width; ++k) {
    g_power[k] = g_power[k - 1] * g_over_n / double(k);
    two_g_power[k] = two_g_power[k - 1] * two_g_over_n / double(k);
    one_minus_two_g_power[k] = one_minus_two_g_power[k - 1] * one_minus_two_g_over_n / double(k);
  }

  // Two rows suffice; each keeps the column its first stored entry stands for.
  std::vector<double> previous(width, 0.0), current(width, 0.0);
  current[0] = 1.0;
  std::int64_t previous_start = 0;
  std::int64_t current_start = 0;
  long exponent = 0;
  auto [j1, j2] = pomeranz_row_bounds(0, n, ll, has_fraction, fraction_above_half);
  for (std::int64_t i = 1; i <= 2 * n + 1; ++i) {
    const std::int64_t k1 = j1;
    std::swap(previous, current);
    std::swap(previous_start, current_start);
    std::fill(current.begin(), current.end(), 0.0);
    std::tie(j1, j2) = pomeranz_row_bounds(i, n, ll, has_fraction, fraction_above_half);
    const std::vector<double>& weights =
        (i == 1 || i == 2 * n + 1) ? g_power : (i % 2 == 1 ? two_g_power : one_minus_two_g_power);
    const std::int64_t len = j2 - k1 + 1;
    if (len <= 0) continue;
    // Entries j1 - k1 .. j2 - k1 of the convolution of previous[k1 ..] (len
    // values) with weights[0 .. len).
    const double* source = previous.data() + (k1 - previous_start);
    const std::int64_t conv_start = j1 - k1;
    for (std::int64_t r = 0; r <= j2 - j1; ++r) {
      const std::int64_t at = conv_start + r;
      double s = 0.0;
      for (std::int64_t a = std::max<std::int64_t>(0, at - (len - 1)); a <= std::min(at, len - 1); ++a) {
        s += source[a] * weights[std::size_t(at - a)];
      }
      current[std::size_t(r)] = s;
    }
    const double largest = *std::max_element(current.begin(), current.end());
    if (largest > 0.0 && largest < kScaleDown) {
      for (double& e : current) e *= kScaleUp;
      exponent -= kScaleExponent;
    }
    current_start = previous_start + j1 - k1;
  }

  // Multiply by n!.
  double answer = current[std::size_t(n - current_start)];
  for (std::int64_t k = 1; k <= n; ++k) {
    if (std::abs(answer) > kScaleUp) {
      answer *= kScaleDown;
      exponent += kScaleExponent;
    }
    answer *= double(k);
  }
  return std::ldexp(answer, int(exponent));
}

// Pelz & Good's (1976) series for Pr(D_n <= x): the Li-Chien/Korolyuk
// expansion in 1/sqrt(n), with each term turned by Jacobi's theta identity
// into a series that converges fast for small z = x sqrt(n).
double kolmogorov_cdf_pelz_good(std::uint64_t n, double x) {
  const double pi = constants::pi<double>();
  const double pi2 = constants::pi_sqr<double>();
  const double pi4 = pi2 * pi2;
  const double pi6 = pi4 * pi2;
  const double sqrt_two_pi = constants::root_two_pi<double>();

  const double z = std::sqrt(double(n)) * x;
  const double z2 = z * z;
  const double z3 = std::pow(z, 3);
  const double z4 = std::pow(z, 4);
  const double z6 = std::pow(z, 6);
  const double q_log = -pi2 / 8.0 / z2;
  if (q_log < -708.0) return 0.0;  // every term underflows
  double q = std::exp(q_log);

  const double k1a = -z2;
  const double k1b = pi2 / 4.0;
  const double k2a = 6.0 * z6 + 2.0 * z4;
  const double k2b = (2.0 * z4 - 5.0 * z2) * pi2 / 4.0;
  const double k2c = pi4 * (1.0 - 2.0 * z2) / 16.0;
  const double k3d = pi6 * (5.0 - 30.0 * z2) / 64.0;
  const double k3c = pi4 * (-60.0 * z2 + 212.0 * z4) / 16.0;
  const double k3b = pi2 * (135.0 * z4 - 96.0 * z6) / 4.0;
  const double k3a = -30.0 * z6 - 90.0 * std::pow(z, 8);

  // K0..K3 as sums over odd m = 2k - 1 of c(m) q^(m^2), Horner-style in
  // q^(8k), since (2k+1)^2 - (2k-1)^2 = 8k.
  double big_k[4] = {0.0, 0.0, 0.0, 0.0};
  const auto max_k = std::int64_t(std::ceil(16.0 * z / pi));
  for (std::int64_t k = max_k; k > 0; --k) {
    const double m2 = double((2 * k - 1) * (2 * k - 1));
    const double m4 = m2 * m2;
    const double m6 = m4 * m2;
    const double q_power = std::pow(q, double(8 * k));
    const double coefficients[4] = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                                    k3a + k3b * m2 + k3c * m4 + k3d * m6};
    for (int i = 0; i < 4; ++i) big_k[i] = big_k[i] * q_power + coefficients[i];
  }
  const double divisors[4] = {z, 6.0 * z4, 72.0 * std::pow(z, 7), 6480.0 * std::pow(z, 10)};
  for (int i = 0; i < 4; ++i) big_k[i] = big_k[i] * q * sqrt_two_pi / divisors[i];

  // K2 and K3 also have sums over all integers k of polynomials in k times
  // q^(k^2), with another q; no cancellation to fear, so summed directly.
  q = std::exp(-pi2 / 2.0 / z2);
  const double sqrt3_z = constants::root_three<double>() * z;
  double k2_extra = 0.0;
  double k3_extra = 0.0;
  for (std::int64_t k = max_k; k > 0; --k) {
    const double k2 = double(k * k);
    const double k_pi = pi * double(k);
    const double q_power = std::pow(q, k2);
    k2_extra += k2 * q_power;
    k3_extra += (sqrt3_z + k_pi) * (sqrt3_z - k_pi) * k2 * q_power;
  }
  big_k[2] += k2_extra * (pi2 * sqrt_two_pi / (-36.0 * z3));
  big_k[3] += k3_extra * (pi2 * sqrt_two_pi / (216.0 * z6));

  double cdf = 0.0;
  for (int i = 0; i < 4; ++i) cdf += big_k[i] / std::pow(double(n), i / 2.0);
  return cdf;
}

// Pr(D_{n,n} >= h/n): 2 sum_{k>=1} (-1)^(k-1) C(2n, n-kh) / C(2n, n), as
// 2 A1 (1 - A2 (1 - A3 (...))) with Ak = C(2n, n-kh) / C(2n, n-(k-1)h),
// each a product of h ratios.
double prob_outside_square(std::int64_t n, std::int64_t h) {
  double p = 0.0;
  for (std::int64_t k = n / h; k >= 0; --k) {
    double a = 1.0;
    for (std::int64_t j = 0; j < h; ++j) a = double(n - k * h - j) * a / double(n + k * h + j + 1);
    p = a * (1.0 - p);
  }
  return 2.0 * p;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return -floor_div(-a, b); }

// Pr(D_{m,n} >= h/lcm) for m != n: the share of lattice paths from (0, 0) to
// (m, n) that leave the band |x/m - y/n| < h/lcm. Column by column, a[j]
// holds the probability that a uniform path to (i, j) has left the band
// already (Viehmann's recursion); outside the band it is 1. Only the band
// part of a column is stored, shifted down by min_j.
double prob_outside_band(std::int64_t m, std::int64_t n, std::int64_t g, std::int64_t h) {
  if (m < n) std::swap(m, n);
  const std::int64_t mg = m / g;
  const std::int64_t ng = n / g;
  // The recursion divides by i + j at every cell, and those divisions, chained,
  // would set its pace: multiply by a table of 1/(i + j) instead.
  std::vector<double> inverse(std::size_t(m + n + 1));
  for (std::size_t k = 1; k < inverse.size(); ++k) inverse[k] = 1.0 / double(k);
  std::int64_t min_j = 0;
  std::int64_t max_j = std::min(ceil_div(h, mg), n + 1);
  std::int64_t length = max_j - min_j;
  std::vector<double> a(std::size_t(std::min(2 * max_j + 2, n + 1)), 1.0);
  std::fill(a.begin(), a.begin() + max_j, 0.0);
  // Leading cells of the column that no path can have left the band before
  // reaching: exact zeros, which stay zeros in the next column while the band
  // still starts at row 0. Skipping them halves the work for wide bands.
  std::int64_t zeros = length;
  for (std::int64_t i = 1; i <= m; ++i) {
    const std::int64_t last_min_j = min_j;
    const std::int64_t last_length = length;
    min_j = std::min(std::max(floor_div(ng * i - h, mg) + 1, std::int64_t(0)), n);
    max_j = std::min(ceil_div(ng * i + h, mg), n + 1);
    if (max_j <= min_j) return 1.0;  // the band closed: every path left it
    length = max_j - min_j;
    const std::int64_t shift = min_j - last_min_j;  // >= 0: an in-place forward pass is safe
    const std::int64_t first = min_j == 0 ? std::min(zeros, length) : 0;
    const double di = double(i);
    const double* inv = inverse.data() + i + min_j;
    double value = min_j == 0 ? 0.0 : 1.0;
    for (std::int64_t jj = first; jj < length; ++jj) {
      const double j = double(jj + min_j);
      value = a[std::size_t(jj + shift)] * (di * inv[jj]) + value * (j * inv[jj]);
      a[std::size_t(jj)] = value;
    }
    zeros = first;
    while (zeros < length && a[std::size_t(zeros)] == 0.0) ++zeros;
    if (last_length > length) {
      // Cells the shorter band no longer covers are outside it next column.
      const auto end = std::min<std::size_t>(std::size_t(last_length), a.size());
      std::fill(a.begin() + length, a.begin() + std::ptrdiff_t(end), 1.0);
    }
  }
  // 1/(i + j) makes the weights of a cell sum to 1 only up to rounding, which
  // may leave the result an ulp above 1; SciPy's division never does.
  return std::min(a[std::size_t(length - 1)], 1.0);
}

}  // namespace

double kstwo_sf(std::uint64_t n, double d) {
  if (n == 0 || std::isnan(d)) return kNaN;
  if (d >= 1.0) return 0.0;
  const double nd = double(n);
  const double t = nd * d;
  if (t <= 1.0) {
    if (t <= 0.5) return 1.0;
    // Pr(D_n <= d) = n!/n^n (2t - 1)^n; beyond n = 140, n!/n^n < 1e-58 and
    // 1 minus it rounds to 1.
    if (n > 140) return 1.0;
    double cdf = 1.0;
    for (std::uint64_t i = 1; i <= n; ++i) cdf *= double(i) * (1.0 / nd) * (2.0 * t - 1.0);
    return clip_probability(1.0 - cdf);
  }
  if (t >= nd - 1.0) return clip_probability(2.0 * std::pow(1.0 - d, nd));
  if (d >= 0.5) return clip_probability(2.0 * smirnov_sf(n, d));

  const double nx2 = t * d;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip_probability(1.0 - clip_probability(kolmogorov_cdf_durbin(n, d)));
    if (nx2 <= 4.0) return clip_probability(1.0 - clip_probability(kolmogorov_cdf_pomeranz(n, d)));
    return clip_probability(2.0 * smirnov_sf(n, d));
  }
  if (nx2 >= 370.0) return 0.0;
  if (nx2 >= 2.2) return clip_probability(2.0 * smirnov_sf(n, d));
  if (n <= 100000 && nd * std::pow(d, 1.5) <= 1.4) {
    return clip_probability(1.0 - clip_probability(kolmogorov_cdf_durbin(n, d)));
  }
  return clip_probability(1.0 - kolmogorov_cdf_pelz_good(n, d));
}

double ks_2samp_p_value(std::uint64_t n, std::uint64_t m, double d) {
  if (n == 0 || m == 0 || std::isnan(d)) return kNaN;
  if (d <= 0.0) return 1.0;
  constexpr std::uint64_t kMaxExact = 10000;  // SciPy's MAX_AUTO_N
  if (std::max(n, m) <= kMaxExact) {
    const auto g = std::int64_t(std::gcd(n, m));
    const std::int64_t lcm = std::int64_t(n) / g * std::int64_t(m);
    // D lives on the lattice h/lcm; SciPy snaps d to it (half to even).
    // Every h > lcm gives 0 (no path leaves so wide a band), so h is capped
    // there to bound the work.
    const auto h = std::int64_t(std::nearbyint(std::min(d * double(lcm), double(lcm) + 1.0)));
    if (h == 0) return 1.0;
    d = double(h) / double(lcm);  // what SciPy's fallback below is given
    // The exact p-value depends on (n, m, h) alone and costs 20 µs to ms; a
    // window sliding over a steady stream asks for the same few again and
    // again. Per thread, so distinct detectors may test concurrently.
    struct KeyHash {
      std::size_t operator()(const std::pair<std::uint64_t, std::int64_t>& k) const {
        return std::hash<std::uint64_t>()(k.first * 0x9e3779b97f4a7c15ULL ^ std::uint64_t(k.second));
      }
    };
    thread_local std::unordered_map<std::pair<std::uint64_t, std::int64_t>, double, KeyHash> memo;
    const std::pair<std::uint64_t, std::int64_t> key{n << 32 | m, h};  // n, m <= 10,000
    if (const auto hit = memo.find(key); hit != memo.end()) return hit->second;
    if (memo.size() >= 100'000) memo.clear();  // bounded memory
    const double p = n != m ? prob_outside_band(std::int64_t(n), std::int64_t(m), g, h)
                            : prob_outside_square(std::int64_t(n), h);
    if (p <= 1.0 || n != m) {
      memo.emplace(key, p);
      return p;
    }
  }
  const double large = double(std::max(n, m));
  const double small = double(std::min(n, m));
  const double effective_n = std::nearbyint(large * small / (large + small));
  return clip_probability(kstwo_sf(std::uint64_t(effective_n), d));
}

}  // namespace driftd

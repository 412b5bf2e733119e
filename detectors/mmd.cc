// MMD detector. The cost is the pooled kernel matrix K over the N = n + m
// points, built once per comparison in double precision (its upper triangle
// only), and the permutation test, which evaluates all permutations with one
// float matrix product U·S (U: K's upper triangle; S: N × P membership
// indicators) instead of one pass over K each. The float results carry
// rigorous error bounds; the few permutations whose comparison with the
// observed statistic they cannot decide are recomputed in double.
//
// Randomness is specified exactly so that tests/golden/gen_mmd.py (and any
// other implementation) can reproduce it:
//  * generator: splitmix64 (Steele, Lea & Flood 2014), 64-bit state s:
//      s += 0x9E3779B97F4A7C15; z = s;
//      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
//      z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
//      return z ^ (z >> 31)
//  * below(k), uniform in [0, k): draw x until x >= 2^64 mod k; return x mod k.
//  * shuffle_prefix(a, c): for i in 0..c-1: j = i + below(len(a) - i),
//    swap a[i] and a[j] (the first c steps of a forward Fisher–Yates shuffle,
//    so a[0..c) is a uniform random c-subset).
//  * permutations: one generator seeded with `seed`. The pooled points are
//    numbered R then C, 0..N-1. Each permutation in turn starts from the
//    identity a = [0, N) and runs shuffle_prefix(a, min(n, m)); the points
//    a[0..min(n, m)) play the smaller sample (the reference when n == m).
//  * sigma subsample: a second generator seeded with ~seed (bitwise not). If
//    n > 1000: a = [0, n), shuffle_prefix(a, 1000), and R's points a[0..1000)
//    are used; then the same for C if m > 1000, from the same generator.
//
// Ties: a permuted statistic counts as >= the observed one when it is at
// least observed − 1e-10 × (mean k_RR + mean k_CC + 2 mean k_RC) of the
// observed split. Exact ties (a permutation that recreates the observed split,
// swaps the samples when n == m, or swaps duplicate points) would otherwise
// be decided by rounding, which differs between builds and implementations.
#include "mmd.h"

#include "split_mix64.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace driftd {
namespace {

using Index = Eigen::Index;
using Matrix = Eigen::MatrixXd;
using Points = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr Index kSigmaPoints = 1000;            // per sample (detectors/README.md, "mmd")
constexpr double kTieTolerance = 1e-10;         // relative to the observed split's kernel means
constexpr double kLargestValue = 1e150;         // keeps squared norms finite
constexpr Index kPanel = 32;                    // columns of N doubles that stay in L2
constexpr std::uint64_t kMedianSample = 32768;  // pairs that bracket the median
constexpr Index kDepthBlock = 64;               // float sums never run longer than this
constexpr Index kPermutationBatch = 256;        // bounds S's memory for large P
constexpr double kFloatUnit = 0x1p-24;          // unit roundoff of float
constexpr double kFloatTiny = 0x1p-149;         // smallest float subnormal
constexpr double kDoubleUnit = 0x1p-53;

void shuffle_prefix(std::vector<Index>& a, Index count, SplitMix64& rng) {
  const auto size = static_cast<std::uint64_t>(a.size());
  for (Index i = 0; i < count; ++i) {
    const auto j = i + static_cast<Index>(rng.below(size - static_cast<std::uint64_t>(i)));
    std::swap(a[static_cast<std::size_t>(i)], a[static_cast<std::size_t>(j)]);
  }
}

// Squared distances between all points, by the Gram trick |a|² + |b|² − 2a·b,
// in the upper triangle only (row <= column; nothing reads below it). Column
// panels small enough to stay in cache fuse the product with the rest.
// Results within the trick's rounding error of 0 are set to 0, so duplicate
// points are exactly 0 apart, as the median heuristic must see them.
Matrix upper_squared_distances(const Points& points) {
  const Index n = points.rows();
  const Eigen::ArrayXd norms = points.rowwise().squaredNorm();
  const double rounding = 4.0 * static_cast<double>(points.cols() + 2) * kDoubleUnit;
  Matrix d2(n, n);
  for (Index j0 = 0; j0 < n; j0 += kPanel) {
    const Index width = std::min(kPanel, n - j0);
    const Index rows = j0 + width;
    auto panel = d2.block(0, j0, rows, width);
    panel.noalias() = points.topRows(rows) * points.middleRows(j0, width).transpose();
    for (Index c = 0; c < width; ++c) {
      auto column = panel.col(c).array();
      const auto scale = norms.head(rows) + norms(j0 + c);
      column = scale - 2.0 * column;
      column = (column > rounding * scale).select(column, 0.0);
    }
  }
  return d2;
}

// The values of the strict upper triangle within half_width of middle, and
// in `below` how many lie under them. One comparison decides membership, so
// that it is an interval of values even with rounding, and the filtering loop
// has a single, rarely taken branch; the count is a loop of its own so that
// it vectorises.
std::vector<double> pairs_near(const Matrix& d2, double middle, double half_width, std::uint64_t& below) {
  std::vector<double> values;
  below = 0;
  for (Index j = 1; j < d2.cols(); ++j) {
    const auto column = d2.col(j).head(j).array();
    below += static_cast<std::uint64_t>((column < middle).count());
    for (Index i = 0; i < j; ++i) {
      if (std::abs(column(i) - middle) <= half_width) values.push_back(column(i));
    }
  }
  below -=
      static_cast<std::uint64_t>(std::count_if(values.begin(), values.end(), [&](double x) { return x < middle; }));
  return values;
}

// The median of the strict upper triangle of d2, the squared distances
// between `points` (numpy's median: the mean of the two middle values for an
// even count). Selecting among all ~2 million pairs would cost more than the
// kernel, so the quantiles of a sample of pairs bracket the middle ranks
// first; in the rare case that the bracket misses them, all pairs are used.
// The sample pairs are drawn independently, not as whole rows or columns: the
// distances from one point are correlated, and would bias the bracket.
double median_of_pairs(const Matrix& d2, const Points& points) {
  const auto count = static_cast<std::uint64_t>(points.rows());
  const std::uint64_t pairs = count * (count - 1) / 2;
  const std::uint64_t low_rank = (pairs - 1) / 2;
  const std::uint64_t high_rank = pairs / 2;

  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  double middle = 0.0;
  double half_width = kInfinity;
  if (pairs > 2 * kMedianSample) {
    SplitMix64 rng(count);  // any fixed stream: the result does not depend on it
    std::vector<double> sample(kMedianSample);
    for (double& value : sample) {
      const auto i = static_cast<Index>(rng.below(count));
      const auto j = static_cast<Index>(rng.below(count - 1));
      value = (points.row(i) - points.row(j < i ? j : j + 1)).squaredNorm();
    }
    // The true median's rank in the sample has a standard deviation of about
    // sqrt(size)/2; the bracket spans six of them either side.
    const auto margin = static_cast<std::ptrdiff_t>(3 * std::sqrt(static_cast<double>(kMedianSample)));
    const auto centre = sample.begin() + static_cast<std::ptrdiff_t>(kMedianSample / 2);
    std::nth_element(sample.begin(), centre - margin, sample.end());
    std::nth_element(centre - margin + 1, centre + margin, sample.end());
    middle = (centre[-margin] + centre[margin]) / 2;
    half_width = (centre[margin] - centre[-margin]) / 2;
  }
  std::uint64_t below = 0;
  std::vector<double> near = pairs_near(d2, middle, half_width, below);
  if (below > low_rank || below + near.size() <= high_rank) near = pairs_near(d2, 0.0, kInfinity, below);
  const auto at_low = near.begin() + static_cast<std::ptrdiff_t>(low_rank - below);
  std::nth_element(near.begin(), at_low, near.end());
  const double at_high = high_rank == low_rank ? *at_low : *std::min_element(at_low + 1, near.end());
  return (*at_low + at_high) / 2.0;
}

// The pooled kernel matrix K (symmetric, zero diagonal), stored as its upper
// triangle U: nothing reads or writes below it, so exp() runs on half the
// matrix and the memory below is never even paged in. The float copy of U
// feeds the permutation product; below the diagonal it holds zeros within
// its diagonal blocks of kDepthBlock, so that each column block is whole.
struct Kernel {
  Matrix upper;
  Eigen::MatrixXf upper_float;
  Eigen::VectorXd row_sums;
};

// Turns the upper triangle of squared distances into the kernel, in place;
// the float copy only when permutations will read it.
Kernel make_kernel(Matrix&& d2, double inverse_width, bool for_permutations) {
  const Index n = d2.rows();
  Kernel kernel{std::move(d2), Eigen::MatrixXf(for_permutations ? n : 0, for_permutations ? n : 0),
                Eigen::VectorXd::Zero(n)};
  for (Index j = 0; j < n; ++j) {
    auto column = kernel.upper.col(j).head(j + 1);
    column.array() = (column.array() * -inverse_width).exp();
    column(j) = 0.0;
    kernel.row_sums(j) += column.sum();
    kernel.row_sums.head(j + 1) += column;
    if (!for_permutations) continue;
    const Index block_end = std::min(n, (j / kDepthBlock + 1) * kDepthBlock);
    kernel.upper_float.col(j).head(j + 1) = column.cast<float>();
    kernel.upper_float.col(j).segment(j + 1, block_end - j - 1).setZero();
  }
  return kernel;
}

// Up to 1,000 points of each sample, drawn as the header describes.
Points sigma_subsample(const Points& pooled, Index n, Index m, std::uint64_t seed) {
  SplitMix64 rng(~seed);
  std::vector<Index> rows;
  const auto take = [&](Index first, Index count) {
    std::vector<Index> order(static_cast<std::size_t>(count));
    std::iota(order.begin(), order.end(), Index{0});
    const Index kept = std::min(count, kSigmaPoints);
    if (count > kSigmaPoints) shuffle_prefix(order, kept, rng);
    for (Index i = 0; i < kept; ++i) rows.push_back(first + order[static_cast<std::size_t>(i)]);
  };
  take(0, n);
  take(n, m);
  return pooled(rows, Eigen::all);
}

// The unbiased MMD² of a split of the pooled points into a group A of size a
// (the smaller sample's size) and the rest B of size b, from q = the sum of K
// over pairs inside A and u = the sum of K's row sums over A; total = 1ᵀK1.
// K has a zero diagonal, so sum_AB = u − q and sum_BB = total − 2u + q.
struct SplitStatistic {
  double a;
  double b;
  double total;

  double operator()(double q, double u) const {
    return q / (a * (a - 1)) + (total - 2 * u + q) / (b * (b - 1)) - 2 * (u - q) / (a * b);
  }
  // mean k_AA + mean k_BB + 2 mean k_AB: the size of the terms that cancel.
  double scale(double q, double u) const {
    return q / (a * (a - 1)) + (total - 2 * u + q) / (b * (b - 1)) + 2 * (u - q) / (a * b);
  }
  // Bounds the rounding of operator() itself: a few ulps of its operands.
  double rounding(double q, double u) const {
    return 16 * kDoubleUnit * (q / (a * (a - 1)) + (total + 2 * u + q) / (b * (b - 1)) + 2 * (u + q) / (a * b));
  }
  double q_coefficient() const { return 1 / (a * (a - 1)) + 1 / (b * (b - 1)) + 2 / (a * b); }
};

// How many of the permuted statistics are >= threshold, exactly as double
// arithmetic decides. The product runs in float, one depth block at a time
// with the blocks added in double, so each q carries a rigorous error bound:
// float rounding of K and of sums of at most kDepthBlock terms, plus the
// double sums here and in the recomputation; all terms are nonnegative, so
// the bound is relative to q itself (plus float underflow). Only the
// permutations whose bound straddles the threshold are recomputed in double.
std::size_t count_at_least(const Kernel& kernel, const SplitStatistic& statistic, double threshold, Index group,
                           std::size_t permutations, std::uint64_t seed) {
  const Index n = kernel.upper.rows();
  const double q_relative_error = (kDepthBlock + 3) * kFloatUnit + (3 * n + 64) * kDoubleUnit;
  const double q_absolute_error = 4.0 * static_cast<double>(n * group) * kFloatTiny;

  SplitMix64 rng(seed);
  std::vector<Index> order(static_cast<std::size_t>(n));
  Eigen::MatrixXf members;
  Eigen::MatrixXf product;
  Matrix sums;
  std::size_t count = 0;
  for (std::size_t done = 0; done < permutations;) {
    const Index batch = static_cast<Index>(std::min<std::size_t>(kPermutationBatch, permutations - done));
    members.setZero(n, batch);
    Eigen::VectorXd u(batch);
    for (Index p = 0; p < batch; ++p) {
      std::iota(order.begin(), order.end(), Index{0});
      shuffle_prefix(order, group, rng);
      double up = 0.0;
      for (Index i = 0; i < group; ++i) {
        const Index point = order[static_cast<std::size_t>(i)];
        members(point, p) = 1.0f;
        up += kernel.row_sums(point);
      }
      u(p) = up;
    }

    // q = sᵀKs = 2 sᵀUs: the product needs U·S only, half of K·S.
    sums.setZero(n, batch);
    for (Index j0 = 0; j0 < n; j0 += kDepthBlock) {
      const Index end = std::min(n, j0 + kDepthBlock);
      product.noalias() = kernel.upper_float.block(0, j0, end, end - j0) * members.middleRows(j0, end - j0);
      sums.topRows(end) += product.cast<double>();
    }
    const Eigen::VectorXd q = 2 * (sums.array() * members.cast<double>().array()).colwise().sum().transpose().matrix();

    std::vector<Index> unsure;
    for (Index p = 0; p < batch; ++p) {
      const double error =
          statistic.q_coefficient() * (q(p) * q_relative_error / (1 - q_relative_error) + q_absolute_error) +
          statistic.rounding(q(p), u(p));
      const double approximate = statistic(q(p), u(p));
      if (approximate - error >= threshold) {
        ++count;
      } else if (approximate + error >= threshold) {
        unsure.push_back(p);
      }
    }
    if (!unsure.empty()) {
      const Matrix chosen = members(Eigen::all, unsure).cast<double>();
      const Matrix kernel_chosen = kernel.upper.selfadjointView<Eigen::Upper>() * chosen;
      for (std::size_t f = 0; f < unsure.size(); ++f) {
        const Index column = static_cast<Index>(f);
        const double exact_q = chosen.col(column).dot(kernel_chosen.col(column));
        if (statistic(exact_q, u(unsure[f])) >= threshold) ++count;
      }
    }
    done += static_cast<std::size_t>(batch);
  }
  return count;
}

TestResult failure(std::string message) {
  TestResult result;
  result.test = "mmd";
  result.error = std::move(message);
  return result;
}

// Empty when every value is finite and small enough to square safely.
std::string check_values(const PointSample& sample, const char* which) {
  for (const double value : sample.values) {
    if (!std::isfinite(value)) return std::string("non-finite value in the ") + which + " sample";
    if (std::abs(value) > kLargestValue) {
      return std::string("value out of range (|x| > 1e150) in the ") + which + " sample";
    }
  }
  return {};
}

}  // namespace

MmdDetector::MmdDetector(std::size_t permutations, std::optional<double> sigma, std::uint64_t seed)
    : permutations_(permutations), sigma_(sigma), seed_(seed) {}

TestResult MmdDetector::test(const Sample& current) {
  const auto* ref = std::get_if<PointSample>(&reference());
  const auto* cur = std::get_if<PointSample>(&current);
  if (ref == nullptr || cur == nullptr) return failure("mmd takes point samples (several numeric features)");
  if (ref->dims != cur->dims) {
    return failure("reference has " + std::to_string(ref->dims) + " features, current has " +
                   std::to_string(cur->dims));
  }
  if (ref->dims == 0 || ref->values.size() % ref->dims != 0 || cur->values.size() % cur->dims != 0) {
    return failure("point values are not a whole number of rows of dims values");
  }
  if (ref->rows() < 2 || cur->rows() < 2) {
    return failure("mmd needs at least 2 points in each sample (reference " + std::to_string(ref->rows()) +
                   ", current " + std::to_string(cur->rows()) + ")");
  }
  if (sigma_ && !(std::isfinite(*sigma_) && *sigma_ > 0)) {
    return failure("sigma must be a positive finite number");
  }
  for (const auto& [sample, which] : {std::pair{ref, "reference"}, std::pair{cur, "current"}}) {
    if (std::string problem = check_values(*sample, which); !problem.empty()) return failure(problem);
  }

  const auto n = static_cast<Index>(ref->rows());
  const auto m = static_cast<Index>(cur->rows());
  const auto dims = static_cast<Index>(ref->dims);
  using PointsMap = Eigen::Map<const Points>;
  Points pooled(n + m, dims);
  pooled.topRows(n) = PointsMap(ref->values.data(), n, dims);
  pooled.bottomRows(m) = PointsMap(cur->values.data(), m, dims);

  Matrix d2 = upper_squared_distances(pooled);
  double sigma = 1.0;
  if (sigma_) {
    sigma = *sigma_;
  } else {
    double median = 0.0;
    if (n <= kSigmaPoints && m <= kSigmaPoints) {
      median = median_of_pairs(d2, pooled);
    } else {
      const Points subsample = sigma_subsample(pooled, n, m, seed_);
      median = median_of_pairs(upper_squared_distances(subsample), subsample);
    }
    if (median > 0) sigma = std::sqrt(median / 2);
  }
  const double inverse_width = 1 / (2 * sigma * sigma);
  if (!std::isfinite(inverse_width)) return failure("kernel width too small to evaluate");
  const Kernel kernel = make_kernel(std::move(d2), inverse_width, permutations_ > 0);

  // The smaller sample is the permuted group: its block sums are the least
  // exposed to cancellation in total − 2u + q.
  const Index group = std::min(n, m);
  const Index group_first = n <= m ? 0 : n;
  const SplitStatistic statistic{static_cast<double>(group), static_cast<double>(n + m - group), kernel.row_sums.sum()};
  double q = 0.0;  // twice the group's block above the diagonal
  for (Index j = 1; j < group; ++j) q += 2 * kernel.upper.col(group_first + j).segment(group_first, j).sum();
  const double u = kernel.row_sums.segment(group_first, group).sum();
  const double observed = statistic(q, u);

  TestResult result;
  result.test = "mmd";
  result.kind = TestKind::p_value;
  result.statistic = observed;
  result.sigma = sigma;
  if (permutations_ > 0) {
    const double threshold = observed - kTieTolerance * statistic.scale(q, u);
    const std::size_t at_least = count_at_least(kernel, statistic, threshold, group, permutations_, seed_);
    result.p_value = static_cast<double>(1 + at_least) / static_cast<double>(1 + permutations_);
  }
  return result;
}

}  // namespace driftd

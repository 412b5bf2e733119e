// MMD detector. With N = n + m pooled points, the cost is the Gaussian
// kernel K over the N(N − 1)/2 pairs and the permutation test. Nothing of
// size N² is kept: a matrix that large (48 MB of doubles and floats at
// N = 2,000) costs more in first-touch page faults than its arithmetic, and
// recomputing a tile's squared distances from the points costs little. So
// K's upper triangle U (zero diagonal) is swept in row panels of kTile
// points, each cut into square tiles computed into a buffer that is reused,
// and each sweep takes what it needs from a tile while it is in cache:
//  * sigma by the median heuristic: a sample of pairs drawn from the points
//    brackets the median; one sweep over the squared distances keeps the
//    pairs inside the bracket and counts those below it, and the median is
//    selected among the kept ones (all pairs in the rare case that the
//    bracket misses it).
//  * the kernel sweep turns each tile into kernel values (double) and adds
//    them to K's row sums and to the observed split's block sum, and for the
//    permutation test multiplies the tile's float copy by the membership
//    indicators S (N × P) of the permutations: q = sᵀKs = 2 sᵀUs for all of
//    them at once as the product U·S, instead of one pass over K each. The
//    float results carry rigorous error bounds; the few permutations whose
//    comparison with the observed statistic they cannot decide are
//    recomputed in double by one more sweep.
// A sweep shares its row panels among up to hardware_concurrency() threads.
// Each panel writes partial sums of its own, added in panel order at the
// end, so the results do not depend on the number of threads.
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
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <numeric>
#include <string>
#include <system_error>
#include <thread>
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
constexpr std::uint64_t kMedianSample = 32768;  // pairs that bracket the median
constexpr Index kDepthBlock = 64;               // float sums never run longer than this
constexpr Index kTile = kDepthBlock;            // rows of a panel, side of a tile: one depth block
constexpr Index kPermutationBatch = 256;        // bounds S's memory for large P
constexpr Index kParallelPoints = 512;          // below, starting a thread costs more than it saves
constexpr unsigned kMostThreads = 8;
constexpr double kFloatUnit = 0x1p-24;   // unit roundoff of float
constexpr double kFloatTiny = 0x1p-149;  // smallest float subnormal
constexpr double kDoubleUnit = 0x1p-53;

void shuffle_prefix(std::vector<Index>& a, Index count, SplitMix64& rng) {
  const auto size = static_cast<std::uint64_t>(a.size());
  for (Index i = 0; i < count; ++i) {
    const auto j = i + static_cast<Index>(rng.below(size - static_cast<std::uint64_t>(i)));
    std::swap(a[static_cast<std::size_t>(i)], a[static_cast<std::size_t>(j)]);
  }
}

// exp(x) in place, for the kernel's arguments x = −d²/(2σ²) ≤ 0. Eigen's
// vectorised exp for double is a rational approximation, and its division
// made it a third of the kernel sweep's time; this is the same reduction to
// exp(r) · 2^k with |r| ≤ ln(2)/2 and a polynomial instead: Taylor's to
// degree 13 (truncation error below 2^-57), evaluated by Horner, so within a
// few ulp like Eigen's. It needs 2^k to be a normal number; the rare values
// with x < kLowest (pairs over 700 kernel widths apart) are left to std::exp.
// The loops are written so that GCC vectorises them: no branch inside.
void exp_nonpositive(double* values, Index count) {
  constexpr double kLowest = -708.0;                // exp(kLowest) > 2^-1021
  constexpr double kShift = 0x1.8p52;               // adding it rounds to an integer, kept in the low bits
  constexpr double kLog2e = 1.4426950408889634074;  // 1 / ln 2
  constexpr double kLn2High = 0.693145751953125;    // ln 2 = kLn2High + kLn2Low, k · kLn2High exact
  constexpr double kLn2Low = 1.42860682030941723212e-6;
  constexpr auto kTaylor = [] {  // 1/k! for k = 13 down to 0
    std::array<double, 14> coefficients{};
    double factorial = 1.0;  // exact up to 13!
    for (std::size_t k = 0; k < coefficients.size(); ++k) {
      if (k > 0) factorial *= static_cast<double>(k);
      coefficients[coefficients.size() - 1 - k] = 1.0 / factorial;
    }
    return coefficients;
  }();
  Index lowest = 0;
  for (Index i = 0; i < count; ++i) lowest += values[i] < kLowest;
  if (lowest > 0) {
    for (Index i = 0; i < count; ++i) values[i] = std::exp(values[i]);
    return;
  }
  for (Index i = 0; i < count; ++i) {
    const double x = values[i];
    const double shifted = x * kLog2e + kShift;
    const double k = shifted - kShift;  // x / ln 2 rounded to an integer, in [−1021, 0]
    const double r = (x - k * kLn2High) - k * kLn2Low;
    double p = kTaylor[0];
    for (std::size_t c = 1; c < kTaylor.size(); ++c) p = p * r + kTaylor[c];
    // 2^k: k + 1023 in the exponent field; the low bits of `shifted` hold k modulo 2^12.
    values[i] = p * std::bit_cast<double>((std::bit_cast<std::uint64_t>(shifted) << 52) + (std::uint64_t{1023} << 52));
  }
}

// The threads a sweep over `points` points runs on.
unsigned sweep_threads(Index points) {
  if (points < kParallelPoints) return 1;
  return std::clamp(std::thread::hardware_concurrency(), 1u, kMostThreads);
}

// Calls visit(panel, worker) once for each panel in [0, panels), on up to
// `threads` threads (the calling one included), worker < threads naming the
// thread. Panels are taken in order, the largest (the first: the upper
// triangle's longest rows) first. An exception in any thread stops the
// others from taking more panels and is rethrown here.
template <class Visit>
void for_each_panel(Index panels, unsigned threads, Visit&& visit) {
  std::atomic<Index> next{0};
  std::mutex failure_lock;
  std::exception_ptr failure;
  const auto work = [&](unsigned worker) {
    try {
      for (Index panel = next++; panel < panels; panel = next++) visit(panel, worker);
    } catch (...) {
      const std::lock_guard lock(failure_lock);
      if (!failure) failure = std::current_exception();
      next = panels;
    }
  };
  std::vector<std::thread> helpers;
  helpers.reserve(threads);
  for (unsigned worker = 1; worker < threads; ++worker) {
    try {
      helpers.emplace_back(work, worker);
    } catch (const std::system_error&) {
      break;  // no thread to be had: the others do the work
    }
  }
  work(0);
  for (std::thread& helper : helpers) helper.join();
  if (failure) std::rethrow_exception(failure);
}

// The pooled points, and the squared distances between them a panel of
// kTile points at a time.
class PointSet {
 public:
  explicit PointSet(Points points)
      : points_(std::move(points)),
        columns_(Matrix::Zero(panels() * kTile, points_.cols())),
        norms_(Eigen::VectorXd::Zero(columns_.rows())),
        rounding_(4.0 * static_cast<double>(points_.cols() + 2) * kDoubleUnit) {
    columns_.topRows(size()) = points_;
    norms_.head(size()) = points_.rowwise().squaredNorm();
  }

  const Points& points() const { return points_; }
  Index size() const { return points_.rows(); }
  Index panels() const { return (size() + kTile - 1) / kTile; }
  Index panel_rows(Index panel) const { return std::min(kTile, size() - panel * kTile); }

  // out[r] = the squared distance between point j and point panel ·
  // kTile + r, for r < kTile (rows past the last point hold the
  // distance to the origin: callers leave them out). By the Gram trick
  // |a|² + |b|² − 2a·b, one coordinate at a time for the whole panel, the
  // dot products kept in registers kRegisterRows rows at a time. Results
  // within the trick's rounding error of 0 are set to 0, so duplicate points
  // are exactly 0 apart, as the median heuristic must see them.
  void distances_to(Index j, Index panel, double* out) const {
    constexpr Index kRegisterRows = 32;  // 8 AVX registers: enough independent sums to hide latency
    static_assert(kTile % kRegisterRows == 0);
    const double* point = points_.row(j).data();
    const double norm = norms_(j);
    using Rows = Eigen::Array<double, kRegisterRows, 1>;
    for (Index r0 = panel * kTile, end = r0 + kTile; r0 < end; r0 += kRegisterRows, out += kRegisterRows) {
      Rows dot = Rows::Zero();
      for (Index k = 0; k < points_.cols(); ++k) dot += columns_.col(k).segment<kRegisterRows>(r0).array() * point[k];
      const Rows scale = norms_.segment<kRegisterRows>(r0).array() + norm;
      const Rows squared = scale - 2.0 * dot;
      // A loop rather than Eigen's select(), which does not vectorise.
      for (Index r = 0; r < kRegisterRows; ++r) out[r] = squared(r) > rounding_ * scale(r) ? squared(r) : 0.0;
    }
  }

 private:
  Points points_;   // one point's coordinates together
  Matrix columns_;  // one coordinate of consecutive points together, zero rows up to whole panels
  Eigen::VectorXd norms_;
  double rounding_;
};

// How many of a panel's rows hold pairs of the strict upper triangle (row <
// column) in column j: the panel's rows before j.
Index rows_above_diagonal(Index panel, Index j, Index rows) { return std::clamp<Index>(j - panel * kTile, 0, rows); }

// The squared distances of the strict upper triangle within half_width of
// middle, and in `below` how many lie under them. One comparison decides
// membership, so that it is an interval of values even with rounding; the
// kept values are copied without a branch (most columns of a panel have a
// few, at unpredictable rows). They come in no particular order (the
// threads' lists are joined): only their order statistics are used.
std::vector<double> pairs_near(const PointSet& set, double middle, double half_width, std::uint64_t& below) {
  const unsigned threads = sweep_threads(set.size());
  std::vector<std::vector<double>> values(threads);
  std::vector<std::uint64_t> counts(threads, 0);
  for_each_panel(set.panels(), threads, [&](Index panel, unsigned worker) {
    const Index rows = set.panel_rows(panel);
    double squared[kTile];
    double kept[kTile];
    for (Index j = panel * kTile + 1; j < set.size(); ++j) {
      set.distances_to(j, panel, squared);
      const Index above = rows_above_diagonal(panel, j, rows);
      std::uint64_t under = 0;
      for (Index r = 0; r < above; ++r) under += squared[r] < middle;
      counts[worker] += under;
      std::size_t near = 0;
      for (Index r = 0; r < above; ++r) {
        kept[near] = squared[r];
        near += std::abs(squared[r] - middle) <= half_width;
      }
      values[worker].insert(values[worker].end(), kept, kept + near);
    }
  });
  std::vector<double> near = std::move(values[0]);
  for (unsigned worker = 1; worker < threads; ++worker) {
    near.insert(near.end(), values[worker].begin(), values[worker].end());
  }
  below = std::accumulate(counts.begin(), counts.end(), std::uint64_t{0}) -
          static_cast<std::uint64_t>(std::count_if(near.begin(), near.end(), [&](double x) { return x < middle; }));
  return near;
}

// The median of the squared distances between distinct points of `set`
// (numpy's median: the mean of the two middle values for an even count).
// Selecting among all ~2 million pairs would cost more than the kernel, so
// the quantiles of a sample of pairs bracket the middle ranks first; in the
// rare case that the bracket misses them, all pairs are used. The sample
// pairs are drawn independently, not as whole rows or columns: the distances
// from one point are correlated, and would bias the bracket.
double median_of_pairs(const PointSet& set) {
  const Points& points = set.points();
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
  std::vector<double> near = pairs_near(set, middle, half_width, below);
  if (below > low_rank || below + near.size() <= high_rank) near = pairs_near(set, 0.0, kInfinity, below);
  const auto at_low = near.begin() + static_cast<std::ptrdiff_t>(low_rank - below);
  std::nth_element(near.begin(), at_low, near.end());
  const double at_high = high_rank == low_rank ? *at_low : *std::min_element(at_low + 1, near.end());
  return (*at_low + at_high) / 2.0;
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

// What the kernel sweep adds up besides the permutations' products: K's row
// sums, and q for the observed split (the sum of K over the pairs inside
// the group [group_first, group_first + group)).
struct KernelTotals {
  Eigen::VectorXd row_sums;
  double group_sum = 0.0;
};

// The pooled kernel K (symmetric, zero diagonal) as its upper triangle U,
// swept tile by tile: nothing of size N² is stored. Every sweep computes
// each tile's values the same way, so they are equal in every sweep.
class KernelSweep {
 public:
  KernelSweep(const PointSet& points, double inverse_width)
      : points_(points), inverse_width_(inverse_width), threads_(sweep_threads(points.size())) {}

  Index size() const { return points_.size(); }

  // For each column s of `members` (N × batch indicators, float or double),
  // sᵀKs = 2 sᵀUs. In float, U's tiles are rounded to float and multiplied
  // one depth block of kDepthBlock columns at a time, the blocks' results
  // added in double (count_at_least bounds the error); in double, exactly as
  // double arithmetic computes it. With `totals`, the same sweep also adds up
  // K's row sums and the sum of K inside the group.
  template <class Scalar>
  Eigen::VectorXd quadratic_forms(const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>& members,
                                  KernelTotals* totals, Index group_first = 0, Index group = 0) const {
    const Index n = size();
    const Index panels = points_.panels();
    const Index batch = members.cols();
    // Per panel: its share of each quadratic form, its rows' sums over the
    // tiles' columns, the column sums of its tiles (from its first row on:
    // the triangle's panel p holds columns [p · kTile, N)) and its part
    // of the group's sum. Added in panel order at the end.
    Matrix form_parts = Matrix::Zero(panels, batch);
    Eigen::VectorXd row_parts;
    Eigen::VectorXd column_parts;
    Eigen::VectorXd group_parts;
    std::vector<Index> column_offsets(static_cast<std::size_t>(panels) + 1, 0);
    if (totals != nullptr) {
      for (Index panel = 0; panel < panels; ++panel) {
        column_offsets[static_cast<std::size_t>(panel) + 1] =
            column_offsets[static_cast<std::size_t>(panel)] + n - panel * kTile;
      }
      row_parts = Eigen::VectorXd::Zero(n);
      column_parts.resize(column_offsets.back());
      group_parts = Eigen::VectorXd::Zero(panels);
    }

    struct Scratch {
      Matrix tile{kTile, kTile};
      Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> tile_cast;  // kTile × kTile
      Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> product;    // kTile × batch
      Matrix sums;                                                      // kTile × batch
    };
    std::vector<Scratch> scratch(threads_);
    for (Scratch& s : scratch) {
      s.tile_cast.resize(kTile, kTile);
      s.product.resize(kTile, batch);
      s.sums.resize(kTile, batch);
    }

    for_each_panel(panels, threads_, [&](Index panel, unsigned worker) {
      Scratch& s = scratch[worker];
      const Index i0 = panel * kTile;
      const Index rows = points_.panel_rows(panel);
      auto sums = s.sums.topRows(rows);
      sums.setZero();
      for (Index j0 = i0; j0 < n; j0 += kTile) {
        const Index columns = std::min(kTile, n - j0);
        kernel_tile(panel, j0, columns, s.tile);
        const auto tile = s.tile.topLeftCorner(rows, columns);
        if (totals != nullptr) {
          row_parts.segment(i0, rows) += tile.rowwise().sum();
          column_parts.segment(column_offsets[static_cast<std::size_t>(panel)] + j0 - i0, columns) =
              tile.colwise().sum().transpose();
          const Index row_first = std::max(i0, group_first), row_end = std::min(i0 + rows, group_first + group);
          const Index column_first = std::max(j0, group_first);
          const Index column_end = std::min(j0 + columns, group_first + group);
          if (row_first < row_end && column_first < column_end) {
            group_parts(panel) +=
                tile.block(row_first - i0, column_first - j0, row_end - row_first, column_end - column_first).sum();
          }
        }
        if (batch == 0) continue;
        auto tile_cast = s.tile_cast.topLeftCorner(rows, columns);
        auto product = s.product.topRows(rows);
        tile_cast = tile.template cast<Scalar>();
        product.noalias() = tile_cast * members.middleRows(j0, columns);
        sums += product.template cast<double>();
      }
      if (batch > 0) {
        form_parts.row(panel) =
            (sums.array() * members.middleRows(i0, rows).template cast<double>().array()).colwise().sum();
      }
    });

    if (totals != nullptr) {
      totals->row_sums = row_parts;
      double group_sum = 0.0;
      for (Index panel = 0; panel < panels; ++panel) {
        const Index i0 = panel * kTile;
        totals->row_sums.tail(n - i0) += column_parts.segment(column_offsets[static_cast<std::size_t>(panel)], n - i0);
        group_sum += group_parts(panel);
      }
      totals->group_sum = 2 * group_sum;
    }
    Eigen::VectorXd forms = Eigen::VectorXd::Zero(batch);
    for (Index panel = 0; panel < panels; ++panel) forms += form_parts.row(panel).transpose();
    return 2 * forms;
  }

 private:
  // U's values at the panel's rows and columns [j0, j0 + columns) into
  // tile's first columns: zero on and below the diagonal.
  void kernel_tile(Index panel, Index j0, Index columns, Matrix& tile) const {
    for (Index c = 0; c < columns; ++c) {
      auto column = tile.col(c);
      points_.distances_to(j0 + c, panel, column.data());
      column *= -inverse_width_;
      exp_nonpositive(column.data(), kTile);
      const Index above = rows_above_diagonal(panel, j0 + c, kTile);
      column.tail(kTile - above).setZero();
    }
  }

  const PointSet& points_;
  double inverse_width_;
  unsigned threads_;
};

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

// The membership indicators of the next `batch` permutations (N × batch),
// drawn as the header describes.
Eigen::MatrixXf draw_members(SplitMix64& rng, Index n, Index group, Index batch) {
  std::vector<Index> order(static_cast<std::size_t>(n));
  Eigen::MatrixXf members = Eigen::MatrixXf::Zero(n, batch);
  for (Index p = 0; p < batch; ++p) {
    std::iota(order.begin(), order.end(), Index{0});
    shuffle_prefix(order, group, rng);
    for (Index i = 0; i < group; ++i) members(order[static_cast<std::size_t>(i)], p) = 1.0f;
  }
  return members;
}

// How many of the permuted statistics of one batch are >= threshold, exactly
// as double arithmetic decides, from their float quadratic forms q. Each q
// carries a rigorous error bound: float rounding of K and of sums of at most
// kDepthBlock terms, plus the double sums of the sweep and here; all terms
// are nonnegative, so the bound is relative to q itself (plus float
// underflow). Only the permutations whose bound straddles the threshold are
// recomputed, by a sweep in double.
std::size_t count_at_least(const KernelSweep& kernel, const Eigen::VectorXd& row_sums, const SplitStatistic& statistic,
                           double threshold, Index group, const Eigen::MatrixXf& members, const Eigen::VectorXd& q) {
  const Index n = kernel.size();
  const double q_relative_error = (kDepthBlock + 3) * kFloatUnit + (3 * n + 64) * kDoubleUnit;
  const double q_absolute_error = 4.0 * static_cast<double>(n * group) * kFloatTiny;

  std::size_t count = 0;
  std::vector<Index> unsure;
  Eigen::VectorXd u(members.cols());
  for (Index p = 0; p < members.cols(); ++p) {
    // Multiplying by the 0/1 indicator adds exactly the members' row sums,
    // without a branch that would be mispredicted half of the time.
    double up = 0.0;
    for (Index i = 0; i < n; ++i) up += static_cast<double>(members(i, p)) * row_sums(i);
    u(p) = up;
    const double error =
        statistic.q_coefficient() * (q(p) * q_relative_error / (1 - q_relative_error) + q_absolute_error) +
        statistic.rounding(q(p), up);
    const double approximate = statistic(q(p), up);
    if (approximate - error >= threshold) {
      ++count;
    } else if (approximate + error >= threshold) {
      unsure.push_back(p);
    }
  }
  if (!unsure.empty()) {
    const Matrix chosen = members(Eigen::all, unsure).cast<double>();
    const Eigen::VectorXd exact_q = kernel.quadratic_forms(chosen, nullptr);
    for (std::size_t f = 0; f < unsure.size(); ++f) {
      if (statistic(exact_q(static_cast<Index>(f)), u(unsure[f])) >= threshold) ++count;
    }
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

  const PointSet points(std::move(pooled));
  double sigma = 1.0;
  if (sigma_) {
    sigma = *sigma_;
  } else {
    double median = 0.0;
    if (n <= kSigmaPoints && m <= kSigmaPoints) {
      median = median_of_pairs(points);
    } else {
      median = median_of_pairs(PointSet(sigma_subsample(points.points(), n, m, seed_)));
    }
    if (median > 0) sigma = std::sqrt(median / 2);
  }
  const double inverse_width = 1 / (2 * sigma * sigma);
  if (!std::isfinite(inverse_width)) return failure("kernel width too small to evaluate");
  const KernelSweep kernel(points, inverse_width);

  // The smaller sample is the permuted group: its block sums are the least
  // exposed to cancellation in total − 2u + q.
  const Index group = std::min(n, m);
  const Index group_first = n <= m ? 0 : n;
  // The permutations are drawn first so that the first batch's products
  // come from the same sweep as the observed statistic.
  SplitMix64 rng(seed_);
  const auto batch_size = [&](std::size_t done) {
    return static_cast<Index>(std::min<std::size_t>(kPermutationBatch, permutations_ - done));
  };
  Eigen::MatrixXf members = draw_members(rng, n + m, group, batch_size(0));
  KernelTotals totals;
  Eigen::VectorXd forms = kernel.quadratic_forms(members, &totals, group_first, group);

  const SplitStatistic statistic{static_cast<double>(group), static_cast<double>(n + m - group), totals.row_sums.sum()};
  const double q = totals.group_sum;
  const double u = totals.row_sums.segment(group_first, group).sum();
  const double observed = statistic(q, u);

  TestResult result;
  result.test = "mmd";
  result.kind = TestKind::p_value;
  result.statistic = observed;
  result.sigma = sigma;
  if (permutations_ > 0) {
    const double threshold = observed - kTieTolerance * statistic.scale(q, u);
    std::size_t at_least = 0;
    for (std::size_t done = 0;;) {
      at_least += count_at_least(kernel, totals.row_sums, statistic, threshold, group, members, forms);
      done += static_cast<std::size_t>(members.cols());
      if (done == permutations_) break;
      // Later batches sweep the kernel again: recomputing it costs little
      // next to a batch's product, and storing it would cost its memory.
      members = draw_members(rng, n + m, group, batch_size(done));
      forms = kernel.quadratic_forms(members, nullptr);
    }
    result.p_value = static_cast<double>(1 + at_least) / static_cast<double>(1 + permutations_);
  }
  return result;
}

}  // namespace driftd

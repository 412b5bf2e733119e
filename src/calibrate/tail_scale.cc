#include "calibrate/tail_scale.h"

#include <algorithm>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>
#include <numeric>

#include "ks_distribution.h"

namespace driftd {
namespace {

double surprise_of(double probability) {
  if (!(probability > 0.0)) return TailScale::kMaxSurprise;
  return std::clamp(-std::log(probability), 0.0, TailScale::kMaxSurprise);
}

// The smallest statistic in (low, ...) whose surprise is at least
// `surprise`, starting from a guess `high` > low that is widened as needed.
double bisect(const TailScale& scale, double surprise, double low, double high) {
  while (scale.surprise(high) < surprise && high - low < 1e300) high = low + 2.0 * (high - low);
  for (int i = 0; i < 200 && high - low > 1e-15 * std::max(1.0, std::abs(high)); ++i) {
    const double middle = low + (high - low) / 2.0;
    (scale.surprise(middle) >= surprise ? high : low) = middle;
  }
  return high;
}

}  // namespace

TailScale TailScale::ks(std::uint64_t reference, std::uint64_t window) {
  TailScale scale;
  if (reference == 0 || window == 0) return scale;
  // As SciPy's two-sample 'asymp' method: the one-sample distribution at
  // the effective size, exact in the tail (Birnbaum–Tingey) where the
  // limit overstates it for small windows.
  const double n = double(reference) * double(window) / (double(reference) + double(window));
  scale.kind_ = Kind::kolmogorov;
  scale.a_ = std::max(1.0, std::round(n));
  return scale;
}

TailScale TailScale::chi_square(double dof, double factor) {
  TailScale scale;
  if (!(dof > 0.0) || !(factor > 0.0)) return scale;
  scale.kind_ = Kind::chi_square;
  scale.a_ = dof;
  scale.b_ = factor;
  return scale;
}

TailScale TailScale::fitted(std::span<const double> simulated) {
  TailScale scale;
  const double count = double(simulated.size());
  if (simulated.size() < 3) return scale;
  const double mean = std::accumulate(simulated.begin(), simulated.end(), 0.0) / count;
  double m2 = 0.0;
  double m3 = 0.0;
  for (const double x : simulated) {
    m2 += (x - mean) * (x - mean);
    m3 += (x - mean) * (x - mean) * (x - mean);
  }
  m2 /= count;
  m3 /= count;
  if (!(m2 > 0.0)) return scale;
  const double deviation = std::sqrt(m2);
  const double skewness = m3 / (m2 * deviation);
  if (skewness < 0.05) {
    scale.kind_ = Kind::normal;
    scale.a_ = mean;
    scale.b_ = deviation;
    return scale;
  }
  // Gamma(k, theta) - shift: skewness 2/sqrt(k), variance k theta^2, mean k theta - shift.
  scale.kind_ = Kind::gamma;
  scale.a_ = 4.0 / (skewness * skewness);
  scale.b_ = deviation * skewness / 2.0;
  scale.shift_ = scale.a_ * scale.b_ - mean;
  return scale;
}

TailScale TailScale::spliced(std::span<const double> simulated) const {
  TailScale scale = *this;
  for (const double x : simulated) {
    if (!std::isnan(x)) scale.body_.push_back(x);
  }
  if (kind_ == Kind::never || scale.body_.size() < 2 * kSpliceCount) {
    scale.body_.clear();
    return scale;
  }
  std::sort(scale.body_.begin(), scale.body_.end());
  const std::size_t count = scale.body_.size();
  scale.splice_at_ = scale.body_[count - kSpliceCount];
  const auto at_least = std::size_t(scale.body_.end() - std::lower_bound(scale.body_.begin(), scale.body_.end(), scale.splice_at_));
  scale.splice_surprise_ = -std::log(double(at_least) / double(count));
  scale.splice_tail_surprise_ = tail_surprise(scale.splice_at_);
  return scale;
}

double TailScale::surprise(double statistic) const {
  if (std::isnan(statistic)) return 0.0;
  if (body_.empty()) return tail_surprise(statistic);
  if (statistic <= splice_at_) {
    const auto at_least = std::size_t(body_.end() - std::lower_bound(body_.begin(), body_.end(), statistic));
    return -std::log(double(at_least) / double(body_.size()));
  }
  return std::min(kMaxSurprise, splice_surprise_ + std::max(0.0, tail_surprise(statistic) - splice_tail_surprise_));
}

double TailScale::tail_surprise(double statistic) const {
  switch (kind_) {
    case Kind::never:
      return 0.0;
    case Kind::kolmogorov:
      return surprise_of(kstwo_sf(std::uint64_t(a_), statistic));
    case Kind::chi_square: {
      const double x = b_ * statistic / 2.0;
      return x <= 0.0 ? 0.0 : surprise_of(boost::math::gamma_q(a_ / 2.0, x));
    }
    case Kind::gamma: {
      const double x = (statistic + shift_) / b_;
      return x <= 0.0 ? 0.0 : surprise_of(boost::math::gamma_q(a_, x));
    }
    case Kind::normal:
      return surprise_of(0.5 * boost::math::erfc((statistic - a_) / b_ / std::sqrt(2.0)));
  }
  return 0.0;
}

double TailScale::statistic_at(double surprise) const {
  if (!body_.empty()) {
    if (surprise <= 0.0) return body_.front();
    // The smallest simulated value with that surprise, or the tail's.
    if (surprise <= splice_surprise_) return bisect(*this, surprise, body_.front(), splice_at_);
    return bisect(*this, surprise, splice_at_, splice_at_ + std::max(1e-12, std::abs(splice_at_)));
  }
  switch (kind_) {
    case Kind::never:
      return std::numeric_limits<double>::infinity();
    case Kind::kolmogorov:
      return bisect(*this, surprise, 0.0, 1.0);
    case Kind::chi_square:
      return bisect(*this, surprise, 0.0, std::max(1.0, 2.0 * a_ / b_));
    case Kind::gamma:
      return bisect(*this, surprise, -shift_, -shift_ + std::max(1e-12, a_ * b_));
    case Kind::normal:
      return bisect(*this, surprise, a_ - 40.0 * b_, a_ + b_);
  }
  return std::numeric_limits<double>::infinity();
}

}  // namespace driftd

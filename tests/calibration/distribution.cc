#include "distribution.h"

#include <algorithm>
#include <cmath>

namespace driftd::calibration {

std::vector<Column> columns(Kind kind) {
  switch (kind) {
    case Kind::normal:
    case Kind::poisson: return {{"x0"}, {"x1"}, {"x2"}, {"x3"}};
    case Kind::categorical: return {{"c0", true}, {"c1", true}};
    case Kind::correlated: return {{"x0"}, {"x1"}, {"x2"}};
  }
  return {};
}

RowSource::RowSource(const Distribution& distribution) : distribution_(distribution) {
  if (distribution.kind != Kind::categorical) return;
  constexpr int kLevels = 200;
  std::vector<double> share(kLevels);
  double total = 0;
  for (int level = 0; level < kLevels; ++level) total += share[level] = 1.0 / (level + 1);
  for (auto& s : share) s /= total;
  // The top level's share multiplied, the others shrunk in proportion: only
  // that level's share and the sum change.
  const double top = std::min(share[0] * distribution.top_share_times, 1.0);
  const double rest = (1 - top) / (1 - share[0]);
  share[0] = top;
  for (int level = 1; level < kLevels; ++level) share[level] *= rest;
  double running = 0;
  for (const double s : share) c0_cumulative_.push_back(running += s);
}

void RowSource::draw(Rng& rng, std::vector<double>& row) const {
  const Distribution& d = distribution_;
  switch (d.kind) {
    case Kind::normal:
      row = {d.x0_mean + d.x0_sd * rng.normal(), rng.normal(), rng.normal(), rng.normal()};
      return;
    case Kind::poisson: row = {double(rng.poisson(3)), double(rng.poisson(3)), double(rng.poisson(3)), double(rng.poisson(3))}; return;
    case Kind::categorical: {
      // The last cumulative share may round below 1: a draw above it takes the last level.
      const double u = rng.uniform() * c0_cumulative_.back();
      const auto level = std::upper_bound(c0_cumulative_.begin(), c0_cumulative_.end(), u) - c0_cumulative_.begin();
      row = {double(std::min<std::ptrdiff_t>(level, std::ptrdiff_t(c0_cumulative_.size()) - 1)),
             double(rng.next() % 5)};
      return;
    }
    case Kind::correlated: {
      // Each marginal stays N(0, 1) whatever rho: a change of rho is a change of dependence only.
      const double z0 = rng.normal();
      const double noise = std::sqrt(1 - d.rho * d.rho);
      row = {z0, d.rho * z0 + noise * rng.normal(), d.rho * z0 + noise * rng.normal()};
      return;
    }
  }
}

}  // namespace driftd::calibration

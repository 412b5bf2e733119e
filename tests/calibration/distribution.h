// The kinds of data the calibration tests stream: each one a shape the
// calibration must handle differently (continuous, heavily tied, many
// categories, dependence that only a multivariate test sees), with the
// parameters a drift changes.
#pragma once

#include <string>
#include <vector>

#include "rng.h"

namespace driftd::calibration {

enum class Kind {
  normal,       // x0..x3 ~ N(0, 1)
  poisson,      // x0..x3 ~ Poisson(3): a handful of values, heavily tied
  categorical,  // c0: 200 levels with Zipf shares; c1: 5 equally likely levels
  correlated,   // x0..x2 ~ N(0, 1), x1 and x2 correlated rho with x0
};

struct Distribution {
  Kind kind = Kind::normal;
  double x0_mean = 0;          // normal: x0's mean (in units of its sd at rest)
  double x0_sd = 1;            // normal: x0's standard deviation
  double top_share_times = 1;  // categorical: c0's most common level's share is multiplied by this
  double rho = 0.8;            // correlated: correlation of x1 and of x2 with x0
};

struct Column {
  std::string name;
  bool categorical = false;
};

std::vector<Column> columns(Kind kind);

// Draws rows of one distribution; a categorical value is its level's index.
class RowSource {
 public:
  explicit RowSource(const Distribution& distribution);
  void draw(Rng& rng, std::vector<double>& row) const;

 private:
  Distribution distribution_;
  std::vector<double> c0_cumulative_;  // categorical: c0's cumulative shares
};

}  // namespace driftd::calibration

#include <catch2/catch.hpp>

#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <vector>

#include "calibrate/tail_scale.h"
#include "ks_distribution.h"

using driftd::TailScale;

TEST_CASE("tail scale: KS surprise is -log of the one-sample KS tail at the effective size", "[calibrate]") {
  const TailScale scale = TailScale::ks(20000, 1000);  // n_e = 952.38, rounded to 952
  for (const double d : {0.02, 0.04, 0.06, 0.08}) {
    CHECK(scale.surprise(d) == Approx(-std::log(driftd::kstwo_sf(952, d))).epsilon(1e-12));
  }
  CHECK(scale.surprise(0.0) == 0.0);
  CHECK(scale.surprise(1.0) == TailScale::kMaxSurprise);
}

TEST_CASE("tail scale: chi-square surprise and its inverse", "[calibrate]") {
  const TailScale scale = TailScale::chi_square(9.0, 100.0);  // 100 * statistic ~ chi2(9)
  CHECK(scale.surprise(0.2) == Approx(-std::log(boost::math::gamma_q(4.5, 10.0))).epsilon(1e-12));
  for (const double level : {1.0, 5.0, 12.0, 30.0}) {
    const double statistic = scale.statistic_at(level);
    CHECK(scale.surprise(statistic) >= level);
    CHECK(scale.surprise(statistic * (1 - 1e-9)) < level);
  }
  CHECK(std::isinf(TailScale::chi_square(0.0, 1.0).statistic_at(3.0)));  // one category: never surprising
}

TEST_CASE("tail scale: spliced is the simulated survival up to the splice, then the tail, continuing", "[calibrate]") {
  std::vector<double> simulated;
  for (int i = 1; i <= 1000; ++i) simulated.push_back(double(i) / 1000.0 * 0.1);  // up to 0.1
  const TailScale scale = TailScale::chi_square(9.0, 100.0).spliced(simulated);
  // 300 of the 1000 values are >= 0.0701.
  CHECK(scale.surprise(0.0701) == Approx(-std::log(0.3)));
  // The 50th largest value is the splice: up to it, the empirical survival.
  const double splice = simulated[1000 - TailScale::kSpliceCount];
  CHECK(scale.surprise(splice) == Approx(-std::log(0.05)));
  // Past it, the surprise rises as the chi-square tail does.
  const TailScale tail = TailScale::chi_square(9.0, 100.0);
  CHECK(scale.surprise(0.3) - scale.surprise(splice) == Approx(tail.surprise(0.3) - tail.surprise(splice)));
  double previous = 0.0;
  for (double s = 0.0; s < 0.5; s += 0.001) {
    CHECK(scale.surprise(s) >= previous);
    previous = scale.surprise(s);
  }
  for (const double level : {1.0, 2.5, 4.0, 9.0}) CHECK(scale.surprise(scale.statistic_at(level)) >= level);
}

TEST_CASE("tail scale: a gamma fitted to skewed statistics reproduces their mean and spread", "[calibrate]") {
  // Exponential(1) quantiles: mean 1, variance 1, skewness 2, a gamma of shape 1.
  std::vector<double> simulated;
  for (int i = 0; i < 20000; ++i) simulated.push_back(-std::log(1.0 - (double(i) + 0.5) / 20000.0));
  const TailScale scale = TailScale::fitted(simulated);
  CHECK(scale.surprise(5.0) == Approx(5.0).epsilon(0.05));
  CHECK(scale.surprise(10.0) == Approx(10.0).epsilon(0.08));
}

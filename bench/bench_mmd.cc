// CPU time of one MMD comparison: n = m = 1000 points in 10 features, current
// shifted by 0.25 sd, 100 permutations, median-heuristic sigma.
//   bench_mmd DATAFILE [POINTS]
// writes the data to DATAFILE for the Python baseline (little-endian uint64
// n, m, d, then the n + m rows of d float64, reference first) and prints the
// median CPU time over the repetitions, last line "cpu_ms <value>". Before
// it, "statistic_cpu_ms <value>": the same points with permutations 0, the
// statistic alone, which is all a calibrated decision (config/README.md, `alerting`) computes.
// The summary lines also give the wall clock: the detector may use several
// threads, so CPU time is the sum over them. POINTS (default 1000) sets
// n = m, for the larger cases that a raised `max_points` allows.
#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "detector_registry.h"
#include "mmd.h"

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: %s DATAFILE [POINTS]\n", argv[0]);
    return 2;
  }
  const std::uint64_t points = argc == 3 ? std::stoull(argv[2]) : 1000;
  const std::uint64_t n = points, m = points, dims = 10;
  const std::size_t permutations = 100;
  const int repetitions = points > 2000 ? 3 : 9;
  Eigen::setNbThreads(1);

  std::mt19937_64 rng(20240611);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> values((n + m) * dims);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = normal(rng) + (i >= n * dims ? 0.25 : 0.0);

  std::ofstream out(argv[1], std::ios::binary);
  for (const std::uint64_t header : {n, m, dims}) out.write(reinterpret_cast<const char*>(&header), sizeof header);
  out.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(double)));
  if (!out.flush()) {
    std::fprintf(stderr, "cannot write %s\n", argv[1]);
    return 1;
  }

  const driftd::PointSample reference{std::span<const double>(values).first(n * dims), dims};
  const driftd::PointSample current{std::span<const double>(values).subspan(n * dims), dims};
  // CPU and wall ms of `detector.test(current)`, sorted; the first run warms
  // caches and is not counted.
  driftd::TestResult result;
  const auto time = [&](driftd::MmdDetector& detector, std::vector<double>& cpu_ms, std::vector<double>& wall_ms) {
    detector.set_reference(reference);
    for (int r = 0; r <= repetitions; ++r) {
      const auto wall_start = std::chrono::steady_clock::now();
      const std::clock_t start = std::clock();
      result = detector.test(current);
      const std::clock_t stop = std::clock();
      const std::chrono::duration<double, std::milli> wall = std::chrono::steady_clock::now() - wall_start;
      if (r > 0) {
        cpu_ms.push_back(1000.0 * static_cast<double>(stop - start) / CLOCKS_PER_SEC);
        wall_ms.push_back(wall.count());
      }
    }
    std::sort(cpu_ms.begin(), cpu_ms.end());
    std::sort(wall_ms.begin(), wall_ms.end());
    return result.ok();
  };

  driftd::MmdDetector statistic_only(0, std::nullopt, driftd::seeds::kUnconfigured);
  std::vector<double> statistic_ms;
  std::vector<double> statistic_wall_ms;
  if (!time(statistic_only, statistic_ms, statistic_wall_ms)) {
    std::fprintf(stderr, "mmd (statistic only) failed: %s\n", result.error.c_str());
    return 1;
  }
  const double statistic = result.statistic;
  driftd::MmdDetector detector(permutations, std::nullopt, driftd::seeds::kUnconfigured);
  std::vector<double> cpu_ms;
  std::vector<double> wall_ms;
  if (!time(detector, cpu_ms, wall_ms)) {
    std::fprintf(stderr, "mmd failed: %s\n", result.error.c_str());
    return 1;
  }
  std::printf(
      "mmd n=%llu m=%llu d=%llu P=0 (statistic only): statistic %.17g; CPU ms min %.2f max %.2f; wall ms min %.2f "
      "median %.2f\n",
      static_cast<unsigned long long>(n), static_cast<unsigned long long>(m), static_cast<unsigned long long>(dims),
      statistic, statistic_ms.front(), statistic_ms.back(), statistic_wall_ms.front(),
      statistic_wall_ms[statistic_wall_ms.size() / 2]);
  std::printf(
      "mmd n=%llu m=%llu d=%llu P=%zu: statistic %.17g, p %.4g, sigma %.17g; CPU ms min %.2f max %.2f; wall ms min "
      "%.2f median %.2f\n",
      static_cast<unsigned long long>(n), static_cast<unsigned long long>(m), static_cast<unsigned long long>(dims),
      permutations, result.statistic, *result.p_value, *result.sigma, cpu_ms.front(), cpu_ms.back(), wall_ms.front(),
      wall_ms[wall_ms.size() / 2]);
  std::printf("statistic_cpu_ms %.2f\n", statistic_ms[statistic_ms.size() / 2]);
  std::printf("cpu_ms %.2f\n", cpu_ms[cpu_ms.size() / 2]);
  return 0;
}

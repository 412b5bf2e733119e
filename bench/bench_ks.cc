// KS on 10^6 vs 10^6: driftd's detector, timed in CPU seconds, on data it
// also writes for the SciPy baseline (bench/ks_scipy.py) to read.
//   bench_ks DATAFILE   (raw little-endian doubles: n, then m values... see below)
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <random>
#include <vector>

#include "ks.h"
#include "sort_values.h"

namespace {

double cpu_seconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bench_ks DATAFILE\n");
    return 2;
  }
  const std::size_t n = 1'000'000;
  std::mt19937_64 random(7);
  std::normal_distribution<double> reference_dist(0.0, 1.0);
  std::normal_distribution<double> current_dist(0.002, 1.0);
  std::vector<double> reference(n), current(n);
  for (auto& v : reference) v = reference_dist(random);
  for (auto& v : current) v = current_dist(random);
  std::ofstream(argv[1], std::ios::binary)
      .write(reinterpret_cast<const char*>(reference.data()), std::streamsize(n * sizeof(double)))
      .write(reinterpret_cast<const char*>(current.data()), std::streamsize(n * sizeof(double)));

  driftd::KsDetector ks;
  std::vector<double> with_sort, prepared;
  driftd::TestResult result;
  for (int rep = 0; rep < 5; ++rep) {
    std::vector<double> r = reference, c = current;
    const double start = cpu_seconds();
    driftd::sort_values(r);
    driftd::sort_values(c);
    const double sorted = cpu_seconds();
    ks.set_reference(driftd::NumericSample{r});
    result = ks.test(driftd::NumericSample{c});
    const double done = cpu_seconds();
    with_sort.push_back(done - start);
    prepared.push_back(done - sorted);
  }
  std::printf("driftd ks 1e6 vs 1e6: %.4f s CPU with sorting, %.4f s on sorted samples (D=%.6f p=%.6g)\n",
              median(with_sort), median(prepared), result.statistic, *result.p_value);
  std::printf("RESULT driftd_ks_seconds=%.6f driftd_ks_sorted_seconds=%.6f\n", median(with_sort), median(prepared));
  return 0;
}

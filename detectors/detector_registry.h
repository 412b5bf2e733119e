// The table of drift tests: what each configuration name is (its kind, the
// columns it takes) and how to make its detector. Questions about a test are
// answered from its row, without constructing a detector.
//
// Adding a test takes a file pair detectors/<name>.{h,cc} and one row in
// detector_registry.cc; the configuration loader, the engine, `score` and
// the metrics find it through this table.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "driftd/detector.h"

namespace driftd {

// The fixed seeds of driftd's random choices (MMD's permutations and the
// points its kernel width is taken from; the rows a large sample is cut down
// to), all here so that one is never mistaken for another. Each is part of
// what its users output: changing one changes MMD's p-values and sigma, and
// which points a subsample holds, so the recorded replay outputs
// (tests/cli/recorded) and `score`'s answers would change with it. Their
// values are arbitrary; why each is what it is:
namespace seeds {
// A detector made without a configuration (TestParams' default): unit tests
// and benchmarks. No command's output depends on it. "5eed d71f7" reads
// "seed drift" in hex.
inline constexpr std::uint64_t kUnconfigured = 0x5eedd71f7ULL;
// The streaming engine (`replay`, `run`, `demo`): the MMD detectors, the
// subsample of a multivariate reference, and, mixed with each window's end
// sequence, the subsample of that window's points, so that every evaluation
// is reproducible on its own. "driftd!" in ASCII.
inline constexpr std::uint64_t kEngine = 0x64726966746421ULL;
// `driftd score`: the MMD detectors and the rows its samples are cut down to.
// The date the project began, 2026-11-22 (scripts/make_example_data.py seeds
// the example data with it too).
inline constexpr std::uint64_t kScore = 20261122;
}  // namespace seeds

// Everything a test may be parameterised with; each detector reads the fields
// it needs. Defaults are those of config/README.md; test_params() (src/config/
// test_params.h) fills them from a configuration.
struct TestParams {
  std::size_t psi_bins = 10;        // psi: number of reference-quantile bins (>= 2)
  double psi_threshold = 0.2;       // psi: drift when PSI >= this
  std::size_t permutations = 100;   // mmd: permutations for the p-value (>= 1)
  std::optional<double> sigma;      // mmd: kernel width; unset = median heuristic
  std::uint64_t seed = seeds::kUnconfigured;  // mmd: permutations and subsampling
  // p-value tests: false gives the statistic alone (no p-value, no
  // permutations), for a decision by a threshold on the statistic.
  bool p_value = true;
};

// One row of the table.
struct DetectorInfo {
  std::string_view name;   // as configuration files name the test, e.g. "ks"
  TestKind kind;           // how its result is decided (Detector::kind() agrees)
  bool numeric;            // takes a numeric column
  bool categorical;        // takes a categorical column
  bool multivariate;       // takes several numeric features at once (listed under `multivariate`)
  std::unique_ptr<Detector> (*make)(const TestParams& params);
};

// Every test, in a stable order (for messages).
std::span<const DetectorInfo> detector_table();

// The row of the test configured as `name`, or nullptr when no test has that name.
const DetectorInfo* find_detector(std::string_view name);

// The detector configured as `name`, or nullptr when no test has that name.
std::unique_ptr<Detector> make_detector(std::string_view name, const TestParams& params);

}  // namespace driftd

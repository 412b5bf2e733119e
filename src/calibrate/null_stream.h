// Streams from a reference's own distribution, run through the engine's own
// window and detectors, so that the calibration measures exactly the
// statistics an evaluation computes. Each segment of a run draws a
// reference of the same size from that distribution (the reference is a
// sample too: its error is part of every comparison) and then a stream of
// events, evaluated as the configured window would be.
#pragma once

#include <cstdint>
#include <vector>

#include "driftd/config.h"
#include "driftd/event.h"
#include "window/reference_profile.h"

namespace driftd {

// Some of a model's tests, simulated together.
struct NullGroup {
  ModelSchema schema;  // the group's columns
  // Those columns' tests, or one multivariate test, over a count window,
  // in mode statistics_only.
  ModelConfig model;
  // Indices of the group's columns in the source reference (the model's schema).
  std::vector<std::size_t> source_columns;
  // Continuous values without ties or missing values: the null distribution
  // of KS and PSI does not depend on theirs, so uniform values stand for
  // them and one group stands for every such column with the same tests.
  bool uniform = false;
  // Rows of each drawn reference; 0: as many as the source has. A test
  // that reads only a subsample of the reference (MMD's max_points) needs
  // only enough rows for that subsample to be a sample of the distribution.
  std::uint64_t reference_rows = 0;
};

// The window is the group model's.
struct NullRun {
  std::size_t segments = 1;  // each with its own drawn reference
  std::size_t evaluations_per_segment = 0;
  std::uint64_t seed = 0;
};

// statistics[e][t]: the group's test t (its columns' tests in order, then the
// multivariate test) at simulated evaluation e, segment after segment; NaN
// where the test could not run.
std::vector<std::vector<double>> simulate_null(const NullGroup& group, const ReferenceData& source,
                                               const Defaults& defaults, const NullRun& run);

}  // namespace driftd

// The demo's reference files (config/demo-*-reference.csv): each model's
// rows drawn by SyntheticStream as its events are before any drift, with a
// seed of their own (the stream's first events are not the reference's).
// Written once by `make demo-references` (deploy/demo/write_references.cc)
// and committed; the same seed and row count rewrite the same bytes.
#pragma once

#include <cstdint>
#include <filesystem>

namespace driftd {

// The calibrated promise (config/README.md, `alerting`) needs a reference at least 20× the window,
// and config/demo.yaml's windows are 1,000 events.
constexpr std::size_t kDemoReferenceRows = 20000;
constexpr std::uint64_t kDemoReferenceSeed = 20261203;

// Writes <dir>/demo-fraud-v3-reference.csv, <dir>/demo-churn-v1-reference.csv
// and <dir>/demo-support-router-v2-reference.csv (with label and prediction
// columns).
void write_demo_references(const std::filesystem::path& dir, std::size_t rows = kDemoReferenceRows,
                           std::uint64_t seed = kDemoReferenceSeed);

}  // namespace driftd

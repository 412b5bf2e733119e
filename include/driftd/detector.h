// The one interface every drift test implements, and the values it exchanges.
//
// A detector is told its reference once (set_reference), where it may
// prepare whatever every later test needs (a threshold calibrated on the
// reference, its bins), then tests current samples against it (test), once
// per evaluation. It does no I/O and reads no clock or global state, so the
// same reference and current samples always give the same result. Samples
// arrive already prepared (sorted, counted or standardised) because the
// offline scorer prepares them once per file and the streaming engine
// maintains them incrementally; a detector never re-does that work.
//
// Lifetimes: samples are views (spans) of data their caller owns. The
// detector keeps the reference's view, so that data must stay alive and
// unchanged until the detector is told another reference or is destroyed;
// a detector that needs it longer copies it. The current sample is read
// only during test().
//
// Thread safety: set_reference() and test() may change the detector (what
// it prepared, state it carries from one test to the next), so an instance
// serves one (feature, test) pair and one thread at a time. Distinct
// instances share nothing and may be used concurrently.
#pragma once

#include <cstdint>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace driftd {

// A numeric column: finite values in ascending order, missing values removed.
struct NumericSample {
  std::span<const double> sorted;
};

// A categorical column as counts per category. The reference and current
// samples of one comparison index the same category dictionary, so both spans
// have the same length (a category seen in only one sample counts 0 in the
// other).
struct CategoricalSample {
  std::span<const std::uint64_t> counts;
};

// Points in several numeric features, row-major (point i occupies
// values[i*dims .. i*dims+dims)), already standardised by the reference.
struct PointSample {
  std::span<const double> values;
  std::size_t dims = 1;
  std::size_t rows() const { return dims == 0 ? 0 : values.size() / dims; }
};

// Counts are 32-bit: halving the arrays the window updates per event and
// KS walks per evaluation is worth more than counting past 4e9 values per
// cell (windows and references are bounded far below that).
using GridCount = std::uint32_t;

// A numeric sample summarised on a grid of points shared by the reference and
// the current sample: the streaming engine keeps its windows this way,
// one grid lookup per value. counts has 2*points.size()+1 cells:
// counts[2k+1] counts the values equal to points[k]; counts[2k] those
// strictly between points[k-1] and points[k] (below points[0] for k = 0,
// above the last point for the last cell). KS is exact on it when every
// distinct reference value is a point (order inside an open cell cannot move
// the ECDF distance, which only changes at points); PSI when, in addition,
// its quantile edges are points.
struct GridSample {
  std::span<const double> points;
  std::span<const GridCount> counts;
  // A reference may carry its PSI bins, prepared once for psi_bins bins
  // (see psi_bin_ends in detectors/psi.h), so that an evaluation need not
  // find the quantile edges again; empty otherwise.
  std::size_t psi_bins = 0;
  std::span<const std::size_t> psi_bin_ends;
  // The sum of counts, when the caller keeps it (the engine does), so that
  // a test need not add up the grid again; summed when absent.
  std::optional<std::uint64_t> total;

  // The values counted: `total`, or the counts added up.
  std::uint64_t size() const {
    return total ? *total : std::accumulate(counts.begin(), counts.end(), std::uint64_t{0});
  }
};

using Sample = std::variant<NumericSample, CategoricalSample, PointSample, GridSample>;

// How a test decides: by a p-value against a (corrected) significance level,
// or by a distance against a fixed threshold.
enum class TestKind { p_value, distance };

struct TestResult {
  std::string test;                // the configuration name: "ks", "psi", ...
  TestKind kind = TestKind::p_value;
  double statistic = 0.0;
  std::optional<double> p_value;   // p-value tests only
  double threshold = 0.0;          // distance tests: drift when statistic >= threshold
  std::optional<double> sigma;     // kernel tests: the kernel width used
  std::string error;               // non-empty when the test could not run; then no
                                   // statistic or p-value is meaningful

  bool ok() const { return error.empty(); }
};

class Detector {
 public:
  virtual ~Detector() = default;

  // The configuration name of the test, e.g. "ks".
  virtual std::string_view name() const = 0;
  virtual TestKind kind() const = 0;

  // The reference every later test() compares with, replacing any earlier
  // one (a caller whose reference changes tells it again: the engine's
  // categorical reference gains a zero count for each category first seen
  // in the stream). The default keeps the view; a detector that prepares
  // something from the reference overrides this and calls it too.
  virtual void set_reference(const Sample& reference) { reference_ = reference; }

  // Compares current against the reference. Both samples hold the same
  // alternative. A sample kind the test does not handle, or samples too small
  // to test, give a result with `error` set, never an exception; so does a
  // test before any set_reference() (the reference is then an empty numeric
  // sample).
  virtual TestResult test(const Sample& current) = 0;

 protected:
  // What set_reference() was last told.
  const Sample& reference() const { return reference_; }

 private:
  Sample reference_;
};

}  // namespace driftd

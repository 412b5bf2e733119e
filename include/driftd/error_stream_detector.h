// The one interface every concept-drift detector implements.
//
// A concept drift changes how the outcome depends on the features while
// the features' distributions may stay put, so no test of two samples of
// features can see it. What does change is how often (or how much) the
// model is wrong: these detectors watch the stream of per-event errors of
// labelled events (classification: 0 when the prediction was right, 1 when
// it was wrong; regression: the absolute error), one value at a time, and
// say when that stream has changed for the worse.
//
// Their update rules and default parameters are those of the Frouros
// library (IFCA-Advanced-Computing/frouros), checked against fixtures it
// computed (tests/golden/gen_error_stream_*.py): the same stream gives the
// same step of warning and of drift. The engine resets a detector once it has
// taken a drift (most would keep reporting it until then; Page-Hinkley
// recomputes its status at every value, as in Frouros).
//
// Detectors are pure: no clock, no I/O, no global state, so a replayed
// stream gives the same answers bit for bit. save()/load() carry a
// detector's whole state through a restart (state snapshots).
//
// Thread safety: one instance serves one model's error stream and one
// thread at a time.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace driftd {

enum class ErrorStreamStatus : std::uint8_t {
  in_control,  // nothing seen (or fewer values than the detector needs to judge)
  warning,     // the error stream may be changing (only detectors that have a warning level)
  drift,       // it has changed: a concept drift
};

class ErrorStreamDetector {
 public:
  virtual ~ErrorStreamDetector() = default;

  // The configuration name: "ddm", "eddm", "adwin", "page_hinkley", "hddm_a", "hddm_w".
  virtual std::string_view name() const = 0;

  // Takes the next error (finite, >= 0) and returns the status after it,
  // as Frouros's detector.status after detector.update(value).
  virtual ErrorStreamStatus update(double error) = 0;

  // Back to the state of a new detector (Frouros's reset()).
  virtual void reset() = 0;

  // Whether the last drift was a rise of the error. The one-sided
  // detectors drift only on a rise; ADWIN compares means both ways and also
  // drifts when the error falls (the model got better), which the engine
  // takes (it resets the detector) but does not alert on.
  virtual bool drift_was_rise() const { return true; }

  // The number that best shows how far the detector is from firing, for
  // metrics and alerts (e.g. DDM's p + s, Page-Hinkley's cumulative sum,
  // ADWIN's window width); named by statistic_name().
  virtual double statistic() const = 0;
  virtual std::string_view statistic_name() const = 0;

  // The whole state as numbers (integers are stored exactly: they stay
  // below 2^53), and putting it back into a detector of the same name and
  // parameters. load() returns false, and leaves the detector as reset()
  // would, for a state that did not come from save() of such a detector.
  virtual void save(std::vector<double>& state) const = 0;
  virtual bool load(std::span<const double> state) = 0;
};

}  // namespace driftd

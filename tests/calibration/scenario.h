// One model's test case as files: a reference CSV and a stream drawn with
// our own seeded generator, a configuration for that model alone, and the
// real `driftd replay` run over them.
#pragma once

#include <cstdint>
#include <string>

#include "distribution.h"

namespace driftd::calibration {

inline constexpr std::int64_t kFirstTs = 1'764'700'000'000;  // events are 1 ms apart from here

struct Scenario {
  std::string id;
  Distribution reference;                 // the reference and the stream until `onset`
  Distribution drifted;                   // the stream from event `onset` on
  std::uint64_t onset = UINT64_MAX;       // index of the first drifted event (none by default)
  std::uint64_t reference_rows = 50'000;  // 50 x the window: its sampling error stays small
  std::uint64_t events = 1'000'000;
  std::string window = "{size: 1000, step: 250}";
  std::string alerting;                   // the YAML mapping of alerting:
  // > 0: MMD over all numeric features too, on this many points (max_points).
  std::size_t mmd_points = 0;
  std::uint64_t seed = 1;
};

struct Replay {
  std::string out;      // alerts and retrain triggers, one JSON object a line
  std::string err;      // replay's summary and calibration log
  double seconds = 0;   // wall time of the replay, calibration included
  double writing = 0;   // wall time of writing the files
  bool ok = false;
};

// A new empty directory of our own under /tmp, removed by its destructor
// (kept when DRIFTD_CALIBRATION_KEEP is set: to rerun a replay by hand).
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Writes the scenario's files under `dir`, runs replay and removes the
// stream again (hundreds of MB for a million events) unless
// DRIFTD_CALIBRATION_KEEP is set.
Replay run_replay(const Scenario& scenario, const std::string& dir);

}  // namespace driftd::calibration

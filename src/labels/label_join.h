// Joins feedback events to the predictions they label, by event_id, in
// event order (so `replay` stays byte for byte).
//
// A prediction waits for its label until the model's event time (the
// latest seen) has passed its own by more than join_within; then it is
// let go as `expired`. At most max_pending predictions wait: beyond, the
// oldest is dropped (`dropped`). A labelled prediction stays known until
// it expires too, so that a second label for it is a `duplicate`, not
// `unmatched`. Predictions leave in the order they arrived, which is event
// order on a stream in order; on a stream out of order one may stay a
// little past join_within, and a label that finds it then is `late`.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "labels/labelled_outcome.h"
#include "state/partition_snapshot.h"

namespace driftd {

struct LabelJoinCounts {
  std::uint64_t joined = 0;     // feedback labels matched to their prediction in time
  std::uint64_t unmatched = 0;  // feedback for an event_id not waiting: never seen, or already let go
  std::uint64_t late = 0;       // feedback for a waiting prediction, but more than join_within after it
  std::uint64_t duplicate = 0;  // a second label for a prediction already labelled
  std::uint64_t expired = 0;    // predictions let go unlabelled after join_within
  std::uint64_t dropped = 0;    // predictions let go unlabelled because max_pending were waiting
};

class LabelJoin {
 public:
  LabelJoin(std::int64_t join_within_ms, std::size_t max_pending)
      : join_within_ms_(join_within_ms), max_pending_(max_pending) {}

  // A prediction that waits for its label. A second prediction with an
  // event_id already waiting replaces nothing: the first one is kept.
  void add_prediction(std::string_view event_id, std::int64_t ts_ms, const LabelValue& prediction);

  // A feedback event's label: the prediction it labels, when it is waiting
  // and within join_within; nullopt otherwise (counted by reason).
  std::optional<HeldValue> take_label(std::string_view event_id, std::int64_t ts_ms);

  // The lag of the last joined label: its event time minus its prediction's.
  std::optional<std::int64_t> last_lag_ms() const { return last_lag_ms_; }

  const LabelJoinCounts& counts() const { return counts_; }
  std::size_t pending() const { return pending_; }

  void reset();

  // For state snapshots: the waiting predictions in arrival order, the
  // latest event time and last lag into `out`; and back, false (and reset)
  // for a state no LabelJoin of these bounds could have been in.
  void save(LabelSnapshot& out) const;
  bool load(const LabelSnapshot& in);
  void set_counts(const LabelJoinCounts& counts) { counts_ = counts; }

 private:
  struct Waiting {
    std::int64_t ts_ms = 0;
    HeldValue prediction;
    bool labelled = false;
  };

  void advance_time(std::int64_t ts_ms);
  void let_go_front(bool for_room);

  std::int64_t join_within_ms_;
  std::size_t max_pending_;
  std::unordered_map<std::string, Waiting> waiting_;
  std::deque<std::string> arrival_;  // event ids in the order they arrived
  std::size_t pending_ = 0;          // waiting and not yet labelled
  std::optional<std::int64_t> latest_ts_;
  std::optional<std::int64_t> last_lag_ms_;
  LabelJoinCounts counts_;
};

}  // namespace driftd

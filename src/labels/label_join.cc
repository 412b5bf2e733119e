#include "labels/label_join.h"

namespace driftd {

void LabelJoin::reset() {
  waiting_.clear();
  arrival_.clear();
  pending_ = 0;
  latest_ts_.reset();
  last_lag_ms_.reset();
  counts_ = {};
}

void LabelJoin::let_go_front(bool for_room) {
  const auto found = waiting_.find(arrival_.front());
  if (!found->second.labelled) {
    ++(for_room ? counts_.dropped : counts_.expired);
    --pending_;
  }
  waiting_.erase(found);
  arrival_.pop_front();
}

void LabelJoin::advance_time(std::int64_t ts_ms) {
  if (latest_ts_ && ts_ms <= *latest_ts_) return;
  latest_ts_ = ts_ms;
  // Event times are within [0, 9999-12-31] and join_within within 100
  // years: no overflow.
  while (!arrival_.empty() && waiting_.at(arrival_.front()).ts_ms + join_within_ms_ < ts_ms) let_go_front(false);
}

void LabelJoin::add_prediction(std::string_view event_id, std::int64_t ts_ms, const LabelValue& prediction) {
  advance_time(ts_ms);
  std::string id(event_id);
  if (waiting_.contains(id)) return;
  // Labelled entries count too: they are memory held.
  while (waiting_.size() >= max_pending_) let_go_front(true);
  waiting_.emplace(id, Waiting{ts_ms, HeldValue::of(prediction), false});
  arrival_.push_back(std::move(id));
  ++pending_;
}

std::optional<HeldValue> LabelJoin::take_label(std::string_view event_id, std::int64_t ts_ms) {
  advance_time(ts_ms);
  const auto found = waiting_.find(std::string(event_id));
  if (found == waiting_.end()) {
    ++counts_.unmatched;
    return std::nullopt;
  }
  Waiting& waiting = found->second;
  if (waiting.labelled) {
    ++counts_.duplicate;
    return std::nullopt;
  }
  if (ts_ms - waiting.ts_ms > join_within_ms_) {
    ++counts_.late;
    return std::nullopt;
  }
  waiting.labelled = true;
  --pending_;
  ++counts_.joined;
  last_lag_ms_ = ts_ms - waiting.ts_ms;
  return std::move(waiting.prediction);
}

}  // namespace driftd

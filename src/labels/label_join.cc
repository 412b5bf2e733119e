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

void LabelJoin::save(LabelSnapshot& out) const {
  out.waiting.clear();
  for (const std::string& id : arrival_) {
    const Waiting& w = waiting_.at(id);
    out.waiting.push_back({.event_id = id,
                           .ts_ms = w.ts_ms,
                           .kind = std::uint8_t(w.prediction.kind),
                           .number = w.prediction.number,
                           .text = w.prediction.text,
                           .labelled = w.labelled});
  }
  out.latest_ts = latest_ts_;
  out.last_lag_ms = last_lag_ms_;
}

bool LabelJoin::load(const LabelSnapshot& in) {
  reset();
  bool fits = in.waiting.size() <= max_pending_;
  for (std::size_t i = 0; fits && i < in.waiting.size(); ++i) {
    const WaitingPrediction& p = in.waiting[i];
    fits = p.kind <= std::uint8_t(LabelValue::Kind::text) &&
           waiting_.emplace(p.event_id, Waiting{p.ts_ms, {LabelValue::Kind(p.kind), p.number, p.text}, p.labelled})
               .second;
    arrival_.push_back(p.event_id);
    pending_ += p.labelled ? 0 : 1;
  }
  if (!fits) {
    reset();
    return false;
  }
  latest_ts_ = in.latest_ts;
  last_lag_ms_ = in.last_lag_ms;
  return true;
}

}  // namespace driftd

#include "labels/label_monitor.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "driftd/error.h"
#include "driftd/table.h"
#include "error_stream_registry.h"
#include "samples/samples.h"
#include "util/format_number.h"

namespace driftd {
namespace {

constexpr const char* kFeature = "label";

TestDecision decided(double threshold, bool drift, bool change_point) {
  return TestDecision{.threshold = threshold, .alpha = 0.0, .drift = drift, .change_point = change_point};
}

}  // namespace

LabelMonitor::LabelMonitor(const LabelsConfig& labels, std::optional<double> reference_performance)
    : labels_(labels),
      reference_performance_(reference_performance),
      join_(labels.join_within.count(), labels.max_pending) {
  if (labels.max_drop && !reference_performance) {
    throw std::invalid_argument("LabelMonitor: the performance test needs the reference's performance");
  }
  for (const std::string& name : labels.detectors) {
    auto detector = make_error_stream_detector(name);
    if (!detector) throw std::invalid_argument("LabelMonitor: unknown detector " + name);
    watches_.push_back(Watch{std::move(detector)});
  }
}

LabelMonitor::~LabelMonitor() = default;

std::optional<LabelEvaluation> LabelMonitor::on_event(const DecodedEvent& event) {
  if (event.feedback) {
    const std::optional<HeldValue> prediction = join_.take_label(event.event_id, event.ts_ms);
    if (!prediction) return std::nullopt;
    OutcomeProblem problem;
    const auto outcome = labelled_outcome(labels_, prediction->view(), event.label, problem);
    // A waiting prediction always has a value of the right type: the decoder checked it.
    if (!outcome) return std::nullopt;
    return add_outcome(*outcome, event.ts_ms);
  }
  if (event.label.kind != LabelValue::Kind::none) {
    OutcomeProblem problem;
    const auto outcome = labelled_outcome(labels_, event.prediction, event.label, problem);
    if (!outcome) {
      ++counts_.no_prediction;
      return std::nullopt;
    }
    ++counts_.in_event;
    return add_outcome(*outcome, event.ts_ms);
  }
  if (!event.event_id.empty() && event.prediction.kind != LabelValue::Kind::none) {
    join_.add_prediction(event.event_id, event.ts_ms, event.prediction);
  }
  return std::nullopt;
}

std::optional<LabelEvaluation> LabelMonitor::add_outcome(const LabelledOutcome& outcome, std::int64_t ts_ms) {
  ++counts_.outcomes;
  for (Watch& watch : watches_) {
    if (watch.detector->update(outcome.error) == ErrorStreamStatus::drift) {
      // Only a rise of the error is a concept drift to alert on.
      if (watch.detector->drift_was_rise()) {
        watch.drifted = true;
        watch.statistic_at_drift = watch.detector->statistic();
      }
      // Taken either way: the detector starts over on the stream as it is now.
      watch.detector->reset();
    }
  }
  const WindowConfig& w = labels_.window;
  if (!w.by_time()) {
    window_.push_back({outcome, ts_ms});
    if (window_.size() > w.size) window_.pop_front();
    if (counts_.outcomes < w.size || (counts_.outcomes - w.size) % w.step != 0) return std::nullopt;
    ordered_.clear();
    for (const Labelled& l : window_) ordered_.push_back(l.outcome);
    return evaluate(window_.front().ts_ms, window_.back().ts_ms);
  }
  // A time window: the first label past the step being filled closes it.
  // Event times are at most kMaxEventTimeMs and a step at most 100 years: no overflow.
  const std::int64_t step = w.step_duration.count();
  const auto step_end = [step](std::int64_t ts) { return (ts / step + 1) * step; };
  std::optional<LabelEvaluation> out;
  if (!window_end_) {
    window_end_ = step_end(ts_ms);
  } else if (ts_ms >= *window_end_) {
    out = evaluate_until(*window_end_);
    window_end_ = step_end(ts_ms);
  }
  window_.push_back({outcome, ts_ms});
  if (window_.size() > w.max_events) window_.pop_front();
  return out;
}

std::optional<LabelEvaluation> LabelMonitor::evaluate_until(std::int64_t end) {
  const std::int64_t start = end - labels_.window.duration.count();
  while (!window_.empty() && window_.front().ts_ms < start) window_.pop_front();
  // Labels that came out of order may sit behind later ones: each is judged by its own time.
  ordered_.clear();
  std::int64_t first = end, last = start;
  for (const Labelled& l : window_) {
    if (l.ts_ms < start || l.ts_ms >= end) continue;
    ordered_.push_back(l.outcome);
    first = std::min(first, l.ts_ms);
    last = std::max(last, l.ts_ms);
  }
  if (ordered_.empty()) return std::nullopt;
  return evaluate(first, last);
}

LabelEvaluation LabelMonitor::evaluate(std::int64_t start_ts, std::int64_t end_ts) {
  LabelEvaluation out;
  out.metrics = performance_metrics(labels_, ordered_);
  last_metrics_ = out.metrics;
  out.window = WindowInfo{.count = ordered_.size(), .start_ts = start_ts, .end_ts = end_ts, .end_sequence = counts_.outcomes};

  FeatureEvaluation feature{.name = kFeature, .categorical = labels_.task == LabelTask::classification};
  std::vector<TestDecision> decisions;
  if (labels_.max_drop) {
    const double drop =
        performance_drop(labels_.task, *reference_performance_, headline_value(labels_.task, out.metrics));
    feature.tests.push_back(
        TestResult{.test = "performance", .kind = TestKind::distance, .statistic = drop, .threshold = *labels_.max_drop});
    decisions.push_back(decided(*labels_.max_drop, drop > *labels_.max_drop, false));
  }
  for (Watch& watch : watches_) {
    const double statistic = watch.drifted ? watch.statistic_at_drift : watch.detector->statistic();
    feature.tests.push_back(TestResult{.test = std::string(watch.detector->name()),
                                       .kind = TestKind::distance,
                                       .statistic = statistic});
    decisions.push_back(decided(0.0, watch.drifted, true));
    watch.drifted = false;
  }
  bool drift = false;
  for (const TestDecision& d : decisions) drift = drift || d.drift;
  out.evaluation.features.push_back(std::move(feature));
  out.decision.tests.push_back(std::move(decisions));
  out.decision.feature_drift.push_back(drift);
  out.decision.drifted_share = drift ? 1.0 : 0.0;
  out.decision.drift = drift;
  return out;
}

LabelSnapshot LabelMonitor::snapshot() const {
  LabelSnapshot out;
  const LabelCounts c = counts();
  out.counts = {c.in_event,        c.no_prediction,  c.outcomes,       c.join.joined, c.join.unmatched,
                c.join.late,       c.join.duplicate, c.join.expired,   c.join.dropped};
  for (const Labelled& l : window_) {
    out.window_errors.push_back(l.outcome.error);
    out.window_flags.push_back(std::uint8_t((l.outcome.predicted_positive ? 1 : 0) | (l.outcome.actual_positive ? 2 : 0)));
    out.window_ts.push_back(l.ts_ms);
  }
  out.window_end = window_end_;
  join_.save(out);
  for (const Watch& watch : watches_) {
    ErrorDetectorSnapshot& d = out.detectors.emplace_back();
    watch.detector->save(d.state);
    d.drifted = watch.drifted;
    d.statistic_at_drift = watch.statistic_at_drift;
  }
  return out;
}

void LabelMonitor::forget() {
  join_.reset();
  for (Watch& watch : watches_) {
    watch.detector->reset();
    watch.drifted = false;
    watch.statistic_at_drift = 0.0;
  }
  window_.clear();
  window_end_.reset();
  counts_ = {};
  last_metrics_.clear();
}

bool LabelMonitor::restore(const LabelSnapshot& in) {
  const WindowConfig& w = labels_.window;
  const std::size_t size = in.window_errors.size();
  bool fits = in.counts.size() == 9 && in.window_flags.size() == size && in.window_ts.size() == size &&
              in.detectors.size() == watches_.size() && in.counts[2] >= size;
  if (w.by_time()) {
    // The step being filled is known from the first label on; event times stay in range.
    fits = fits && size <= w.max_events && in.window_end.has_value() == (in.counts[2] > 0) &&
           (!in.window_end || (*in.window_end > 0 && *in.window_end <= kMaxEventTimeMs + w.step_duration.count()));
  } else {
    // A count window fills up to its size and then stays full.
    fits = fits && !in.window_end && (size == w.size ? in.counts[2] >= size : in.counts[2] == size);
  }
  for (std::size_t k = 0; fits && k < size; ++k) {
    fits = in.window_flags[k] <= 3 && std::isfinite(in.window_errors[k]) && in.window_ts[k] >= 0 &&
           in.window_ts[k] <= kMaxEventTimeMs;
  }
  fits = fits && join_.load(in);
  for (std::size_t d = 0; fits && d < watches_.size(); ++d) fits = watches_[d].detector->load(in.detectors[d].state);
  if (!fits) {
    // As new: the caller builds the model afresh.
    forget();
    return false;
  }
  counts_ = LabelCounts{.in_event = in.counts[0], .no_prediction = in.counts[1], .outcomes = in.counts[2]};
  join_.set_counts(LabelJoinCounts{.joined = in.counts[3],
                                   .unmatched = in.counts[4],
                                   .late = in.counts[5],
                                   .duplicate = in.counts[6],
                                   .expired = in.counts[7],
                                   .dropped = in.counts[8]});
  window_.clear();
  for (std::size_t k = 0; k < size; ++k) {
    window_.push_back({.outcome = {.error = in.window_errors[k],
                                   .predicted_positive = (in.window_flags[k] & 1) != 0,
                                   .actual_positive = (in.window_flags[k] & 2) != 0},
                       .ts_ms = in.window_ts[k]});
  }
  window_end_ = in.window_end;
  for (std::size_t d = 0; d < watches_.size(); ++d) {
    watches_[d].drifted = in.detectors[d].drifted;
    watches_[d].statistic_at_drift = in.detectors[d].statistic_at_drift;
  }
  last_metrics_.clear();
  return true;
}

std::string describe_labels(const LabelMonitor& labels) {
  const LabelCounts c = labels.counts();
  std::string out = "labels: " + std::to_string(c.outcomes) + " labelled (" + std::to_string(c.in_event) +
                    " in events, " + std::to_string(c.join.joined) + " joined)";
  const std::pair<const char*, std::uint64_t> problems[] = {
      {"no prediction", c.no_prediction}, {"unmatched", c.join.unmatched}, {"late", c.join.late},
      {"duplicate", c.join.duplicate},    {"expired", c.join.expired},     {"dropped", c.join.dropped}};
  for (const auto& [what, count] : problems) {
    if (count > 0) out += ", " + std::to_string(count) + " " + what;
  }
  out += ", " + std::to_string(labels.pending()) + " waiting";
  for (const PerformanceMetric& metric : labels.last_metrics()) {
    out += "; " + std::string(metric.name) + " " + format_number("%.4g", metric.value);
    if (metric.name == headline_metric(labels.task()) && labels.reference_performance()) {
      out += " (reference " + format_number("%.4g", *labels.reference_performance()) + ")";
    }
  }
  return out;
}

double reference_performance(const Table& table, const LabelsConfig& labels) {
  const Column* label = table.find("label");
  const Column* prediction = table.find("prediction");
  if (label == nullptr || prediction == nullptr) {
    throw InputError(table.path, 1, label == nullptr ? "label" : "prediction",
                     "labels.max_drop compares the model's performance with the reference's: the reference needs "
                     "a label and a prediction column");
  }
  // A CSV cell has no type: one that reads as a number is one, so that the
  // class "1.0" in the file is the class 1 a JSON event carries.
  const auto value_of = [](const Column& column, std::size_t row) {
    LabelValue value;
    if (column.kinds[row] == CellKind::missing) return value;
    if (const auto number = cell_number(column.cells[row], column.kinds[row])) {
      value.kind = LabelValue::Kind::number;
      value.number = *number;
    } else {
      value.kind = LabelValue::Kind::text;
      value.text = column.cells[row];
    }
    return value;
  };
  const bool numeric = labels.task == LabelTask::regression;
  std::vector<LabelledOutcome> outcomes;
  for (std::size_t row = 0; row < table.rows(); ++row) {
    const LabelValue actual = value_of(*label, row);
    const LabelValue predicted = value_of(*prediction, row);
    if (actual.kind == LabelValue::Kind::none || predicted.kind == LabelValue::Kind::none) continue;
    OutcomeProblem problem;
    const auto outcome = labelled_outcome(labels, predicted, actual, problem);
    if (!outcome) {
      const bool label_at_fault = numeric && actual.kind != LabelValue::Kind::number;
      throw InputError(table.path, table.row_line[row], label_at_fault ? "label" : "prediction",
                       "expected a finite number, found '" +
                           std::string(label_at_fault ? label->cells[row] : prediction->cells[row]) + "'");
    }
    outcomes.push_back(*outcome);
  }
  if (outcomes.empty()) {
    throw InputError(table.path, 1, "label", "no row has both a label and a prediction: no reference performance");
  }
  return headline_value(labels.task, performance_metrics(labels, outcomes));
}

}  // namespace driftd

#include "calibrate/null_stream.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/model_monitor.h"
#include "split_mix64.h"

namespace driftd {
namespace {

// The values of one event (or one reference row) of the group: a row of
// the source drawn uniformly, or uniform numbers.
class RowDraw {
 public:
  RowDraw(const NullGroup& group, const ReferenceData& source, std::uint64_t seed)
      : group_(group), source_(source), random_(seed) {}

  void event(std::vector<ColumnValue>& values) {
    values.resize(group_.schema.columns.size());
    const std::size_t row = group_.uniform ? 0 : std::size_t(random_.below(source_.rows));
    for (std::size_t c = 0; c < values.size(); ++c) {
      ColumnValue& value = values[c];
      const std::size_t from = group_.source_columns[c];
      if (group_.uniform) {
        value = {.missing = false, .number = random_.uniform()};
      } else if (group_.schema.columns[c].type == FeatureType::numeric) {
        const double number = source_.numbers[from][row];
        value = {.missing = std::isnan(number), .number = number};
      } else {
        const auto& text = source_.texts[from][row];
        value = {.missing = !text.has_value(), .text = text ? std::string_view(*text) : std::string_view()};
      }
    }
  }

  ReferenceData reference() {
    ReferenceData data;
    data.rows = group_.reference_rows > 0 ? std::min(group_.reference_rows, source_.rows) : source_.rows;
    data.numbers.resize(group_.schema.columns.size());
    data.texts.resize(group_.schema.columns.size());
    std::vector<ColumnValue> values;
    for (std::uint64_t r = 0; r < data.rows; ++r) {
      event(values);
      for (std::size_t c = 0; c < values.size(); ++c) {
        if (group_.schema.columns[c].type == FeatureType::numeric) {
          data.numbers[c].push_back(values[c].missing ? std::numeric_limits<double>::quiet_NaN() : values[c].number);
        } else {
          data.texts[c].push_back(values[c].missing ? std::nullopt : std::optional<std::string>(values[c].text));
        }
      }
    }
    return data;
  }

 private:
  const NullGroup& group_;
  const ReferenceData& source_;
  SplitMix64 random_;
};

void collect(const EvaluationReport& report, std::vector<std::vector<double>>& statistics) {
  auto& row = statistics.emplace_back();
  const auto value = [](const TestResult& result) {
    return result.ok() ? result.statistic : std::numeric_limits<double>::quiet_NaN();
  };
  for (const auto& feature : report.evaluation.features) {
    for (const auto& test : feature.tests) row.push_back(value(test));
  }
  for (const auto& multivariate : report.evaluation.multivariate) row.push_back(value(multivariate.test));
}

}  // namespace

std::vector<std::vector<double>> simulate_null(const NullGroup& group, const ReferenceData& source,
                                               const Defaults& defaults, const NullRun& run) {
  std::vector<std::vector<double>> statistics;
  statistics.reserve(run.segments * run.evaluations_per_segment);
  // Each segment's seed is drawn, not counted up: splitmix64 seeds that
  // differ by multiples of its increment give the same stream shifted.
  SplitMix64 seeds(run.seed);
  for (std::size_t segment = 0; segment < run.segments; ++segment) {
    RowDraw draw(group, source, seeds.next());
    ModelMonitor monitor(group.schema, group.model, defaults, draw.reference());
    DecodedEvent event;
    std::vector<EvaluationReport> reports;
    std::size_t evaluated = 0;
    for (std::int64_t ts = 0; evaluated < run.evaluations_per_segment; ++ts) {
      draw.event(event.values);
      event.ts_ms = ts;
      monitor.on_event(event, reports);
      for (const auto& report : reports) collect(report, statistics);
      evaluated += reports.size();
      reports.clear();
    }
  }
  return statistics;
}

}  // namespace driftd

// A model's performance over a window of labelled predictions, as
// scikit-learn computes it (tests/golden/gen_performance.py): accuracy,
// error rate, and precision, recall and F1 of the positive class for a
// classifier; MAE and RMSE for a regressor.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "driftd/config.h"
#include "driftd/evaluation_report.h"
#include "labels/labelled_outcome.h"

namespace driftd {

// The metrics of `outcomes` (at least one). precision, recall and F1 only
// with a positive class; each is 0 when its denominator is 0, as
// scikit-learn's zero_division default gives.
std::vector<PerformanceMetric> performance_metrics(const LabelsConfig& labels, std::span<const LabelledOutcome> outcomes);

// The metric the `performance` test compares with the reference's, and
// how far it is from it in the direction of "worse": accuracy's drop
// (reference - current) for a classifier, MAE's rise (current - reference)
// for a regressor.
std::string_view headline_metric(LabelTask task);
double performance_drop(LabelTask task, double reference, double current);

// The headline metric's value among `metrics`.
double headline_value(LabelTask task, const std::vector<PerformanceMetric>& metrics);

}  // namespace driftd

// `driftd validate`: checks a configuration, and the reference data it
// names, then prints what driftd would monitor.
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/options.h"
#include "driftd/config.h"
#include "driftd/decision.h"
#include "driftd/event.h"
#include "driftd/table.h"
#include "engine/calibration_summary.h"
#include "engine/model_monitor.h"
#include "labels/label_monitor.h"
#include "util/format_number.h"
#include "util/show_duration.h"
#include "window/reference_profile.h"

namespace driftd {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// What a model does with its labels, on the lines validate prints.
std::string labels_summary(const LabelsConfig& labels, std::optional<double> reference) {
  const bool regression = labels.task == LabelTask::regression;
  std::string out = std::string("  labels: ") + (regression ? "regression (absolute errors)" : "classification");
  if (!labels.positive_class.empty()) out += ", positive class " + labels.positive_class;
  if (labels.threshold) out += " when the score >= " + format_number("%g", *labels.threshold);
  const WindowConfig& w = labels.window;
  out += "; windows of " +
         (w.by_time() ? show_duration(w.duration) + " of labelled events, evaluated every " + show_duration(w.step_duration)
                      : std::to_string(w.size) + " labelled events, evaluated every " + std::to_string(w.step)) +
         "; feedback joined within " + show_duration(labels.join_within) +
         ", at most " + std::to_string(labels.max_pending) + " predictions waiting\n";
  if (labels.max_drop) {
    out += std::string("  performance: fires when ") + (regression ? "MAE rises more than " : "accuracy falls more than ") +
           format_number("%g", *labels.max_drop) + (regression ? " above" : " below") + " the reference's";
    if (reference) out += " (" + format_number("%.4g", *reference) + ")";
    out += "\n";
  }
  if (!labels.detectors.empty()) out += "  concept-drift detectors on the errors: " + join(labels.detectors) + "\n";
  return out;
}

}  // namespace

int validate_command(const std::vector<std::string>& args) {
  namespace po = boost::program_options;
  std::string config_path;
  po::options_description options("options");
  options.add_options()("config", po::value(&config_path)->required(), "the configuration file");
  po::variables_map values;
  if (!parse_options(args, "usage: driftd validate --config FILE\nChecks FILE and prints what it would monitor.",
                     options, values)) {
    return kExitOk;
  }
  const Config config = load_config(config_path);
  // Every reference file must hold every configured feature, numeric ones as numbers.
  // A file reference's model is calibrated here, as `run` would at start,
  // so what validate shows is what the daemon will decide with.
  const std::vector<ModelSchema> schemas = model_schemas(config);
  std::vector<std::optional<Calibration>> calibrations(config.models.size());
  // The performance of a reference's own labels, for the performance test.
  std::vector<std::optional<double>> performances(config.models.size());
  for (std::size_t m = 0; m < config.models.size(); ++m) {
    const ModelConfig& model = config.models[m];
    if (model.reference.path.empty()) continue;
    const Table table = read_table(model.reference.path, model.id);
    ReferenceData reference = reference_from_table(table, schemas[m]);
    if (model.labels && model.labels->max_drop) performances[m] = reference_performance(table, *model.labels);
    calibrations[m] = ModelMonitor(schemas[m], model, config.defaults, std::move(reference), std::nullopt, false,
                                   performances[m])
                          .calibration();
  }

  std::ostringstream out;
  const Defaults& d = config.defaults;
  const char* corrections[] = {"none", "bonferroni", "fdr"};
  out << config.path << ": valid\n"
      << "decisions: p_value " << d.p_value << " (" << corrections[int(d.correction)] << "), psi_threshold "
      << d.psi_threshold << " over " << d.psi_bins << " bins, dataset_drift_share " << d.dataset_drift_share << "\n";
  for (std::size_t m = 0; m < config.models.size(); ++m) {
    const ModelConfig& model = config.models[m];
    out << "model " << model.id << "\n  reference: "
        << (model.reference.path.empty() ? "first " + std::to_string(model.reference.from_stream) + " events of the stream"
                                         : model.reference.path)
        << "\n  window: "
        << (model.window.by_time() ? show_duration(model.window.duration) + " of event time, evaluated every " +
                                         show_duration(model.window.step_duration)
                                   : std::to_string(model.window.size) + " events, evaluated every " +
                                         std::to_string(model.window.step) + " events")
        << "\n";
    std::vector<FeatureConfig> features = model.features;
    if (model.prediction) features.push_back(*model.prediction);
    for (const auto& feature : features) {
      out << "  feature " << feature.name << " ("
          << (feature.type == FeatureType::numeric ? "numeric" : "categorical") << "): " << join(feature.tests) << "\n";
    }
    for (const auto& mv : model.multivariate) {
      // A calibrated threshold is on the statistic: no permutations are run.
      out << "  multivariate " << mv.test << " over " << joined_features(mv.features) << ": "
          << (model.alerting.mode == AlertMode::per_window ? std::to_string(mv.permutations) + " permutations"
                                                           : std::string("no permutations (calibrated)"))
          << ", sigma " << (mv.sigma ? std::to_string(*mv.sigma) : "auto") << "\n";
    }
    out << "  alerting: after " << model.alerting.min_consecutive << " drifted evaluation(s), cooldown "
        << show_duration(model.alerting.cooldown) << "\n  retrain: when drifted share >= " << model.retrain.drifted_share
        << ", at most every " << show_duration(model.retrain.cooldown) << "\n"
        << decision_summary(model, d, calibrations[m], "  ");
    if (model.labels) out << labels_summary(*model.labels, performances[m]);
    if (const std::string warning = reference_size_warning(model, calibrations[m]); !warning.empty()) {
      out << "  warning: " << warning << "\n";
    } else if (model.alerting.mode == AlertMode::calibrated && model.window.by_time()) {
      out << "  reference size: checked against the window's events at its first evaluation\n";
    }
  }
  std::cout << out.str();
  return kExitOk;
}

}  // namespace driftd

// `driftd score`: the offline drift check for CI/CD gates.
#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "driftd/config.h"
#include "driftd/error.h"
#include "score/distributions.h"
#include "score/html_report.h"
#include "score/report.h"
#include "score/score_input.h"
#include "score/scorer.h"

namespace driftd {

int score_command(const std::vector<std::string>& args) {
  namespace po = boost::program_options;
  std::string reference_path, current_path, config_path, format = "json";
  po::options_description options("options");
  options.add_options()
      ("reference", po::value(&reference_path)->required(), "reference data: CSV with header, or JSONL")
      ("current", po::value(&current_path)->required(), "current data, same formats")
      ("config", po::value(&config_path), "configuration whose defaults and first model choose the tests")
      ("format", po::value(&format)->default_value("json"),
       "json (include/driftd/README.md, driftd score), table, or html (a self-contained report)");
  po::variables_map values;
  if (!parse_options(args,
                     "usage: driftd score --reference REF --current CUR [--config FILE] [--format json|table|html]\n"
                     "Compares CUR with REF. Exit 0: no drift, 1: drift, 2: bad input.",
                     options, values)) {
    return kExitOk;
  }
  if (format != "json" && format != "table" && format != "html") {
    throw UsageError("--format must be json, table or html, not '" + format + "'");
  }

  std::optional<Config> config;
  if (!config_path.empty()) config = load_config(config_path, ConfigUse::score);
  const std::string model_filter = config ? config->models.front().id : std::string();
  const ScoreInputs inputs = read_score_inputs(reference_path, current_path, model_filter,
                                               config ? columns_used(config->models.front()) : std::vector<std::string>{});
  TableNumbers& reference_numbers = inputs.reference->numbers;
  TableNumbers& current_numbers = inputs.current->numbers;
  const ModelConfig model = config ? config->models.front() : default_plan(reference_numbers, current_numbers);
  const Defaults defaults = config ? config->defaults : Defaults{};
  const Score score = score_tables(reference_numbers, current_numbers, model, defaults);
  if (format == "html") {
    std::cout << score_html(score, feature_distributions(reference_numbers, current_numbers, model));
  } else {
    std::cout << (format == "json" ? score_json(score) : score_table(score));
  }
  return score.decision.drift ? kExitDrift : kExitOk;
}

}  // namespace driftd

// The offline comparison behind `driftd score`: two tables in, one
// evaluation and its decision out.
#pragma once

#include "driftd/config.h"
#include "driftd/decision.h"
#include "driftd/table.h"
#include "samples/samples.h"

namespace driftd {

struct Score {
  std::uint64_t reference_rows = 0;
  std::uint64_t current_rows = 0;
  Evaluation evaluation;
  Decision decision;
};

// What `score` tests without a configuration (include/driftd/README.md, "driftd score"): every column in both
// files, in the reference's order; KS and PSI on numeric columns, chi-square
// and PSI on categorical ones; one MMD over all numeric columns.
ModelConfig default_plan(TableNumbers& reference, TableNumbers& current);

// The model's features and then its prediction: what score_tables()
// evaluates, in that order.
std::vector<const FeatureConfig*> tested_features(const ModelConfig& model);

// The column of that name, or InputError naming the file (line 1) and the
// column: "no such column in the file".
const Column& require_column(const Table& table, const std::string& name);

// The columns the model's tests read, each once.
std::vector<std::string> columns_used(const ModelConfig& model);

// Runs the model's tests on the two tables, on as many threads as the
// machine has cores (the result does not depend on it). The columns must be
// prepared (TableNumbers::prepare) before: the tests only read them. Throws InputError when a
// configured column is absent from a file, or a numeric one holds a value
// that is not a finite number.
Score score_tables(TableNumbers& reference, TableNumbers& current, const ModelConfig& model,
                   const Defaults& defaults);

}  // namespace driftd

// One side of a `score` comparison: a data file read whole, and the columns
// the comparison uses converted to numbers and sorted. The two files are
// independent until they are compared, so each is prepared on its own core.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "driftd/table.h"
#include "samples/samples.h"

namespace driftd {

struct ScoreInput {
  // Reads `path` (read_table's rules and errors) and prepares the columns
  // named in `columns`, or every column when it is empty.
  ScoreInput(const std::string& path, std::string_view model_filter, const std::vector<std::string>& columns);
  ScoreInput(const ScoreInput&) = delete;
  ScoreInput& operator=(const ScoreInput&) = delete;

  const Table table;
  TableNumbers numbers;  // refers to `table`, hence neither moves
};

struct ScoreInputs {
  std::unique_ptr<ScoreInput> reference;
  std::unique_ptr<ScoreInput> current;
};

// Both files, the reference on a second thread. When both are at fault, the
// reference's error is the one thrown, as when they were read in turn.
ScoreInputs read_score_inputs(const std::string& reference_path, const std::string& current_path,
                              std::string_view model_filter, const std::vector<std::string>& columns);

}  // namespace driftd

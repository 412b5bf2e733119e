#include "score/score_input.h"

#include <exception>
#include <future>

namespace driftd {

ScoreInput::ScoreInput(const std::string& path, std::string_view model_filter,
                       const std::vector<std::string>& columns)
    : table(read_table(path, model_filter)), numbers(table) {
  std::vector<const Column*> prepared;
  if (columns.empty()) {
    for (const Column& column : table.columns) prepared.push_back(&column);
  }
  for (const std::string& name : columns) {
    if (const Column* column = table.find(name)) prepared.push_back(column);
  }
  numbers.prepare(prepared);
}

ScoreInputs read_score_inputs(const std::string& reference_path, const std::string& current_path,
                              std::string_view model_filter, const std::vector<std::string>& columns) {
  auto reference = std::async(std::launch::async, [&] {
    return std::make_unique<ScoreInput>(reference_path, model_filter, columns);
  });
  ScoreInputs inputs;
  std::exception_ptr current_error;
  try {
    inputs.current = std::make_unique<ScoreInput>(current_path, model_filter, columns);
  } catch (...) {
    current_error = std::current_exception();
  }
  inputs.reference = reference.get();
  if (current_error) std::rethrow_exception(current_error);
  return inputs;
}

}  // namespace driftd

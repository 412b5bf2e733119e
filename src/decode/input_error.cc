#include "driftd/error.h"

namespace driftd {
namespace {

std::string describe(const std::string& file, std::uint64_t line, const std::string& field,
                     const std::string& problem) {
  std::string text = file;
  if (line > 0) text += ":" + std::to_string(line);
  text += ": ";
  if (!field.empty()) text += field + ": ";
  return text + problem;
}

}  // namespace

InputError::InputError(std::string file, std::uint64_t line, std::string field,
                       const std::string& problem)
    : std::runtime_error(describe(file, line, field, problem)),
      file_(std::move(file)),
      line_(line),
      field_(std::move(field)) {}

}  // namespace driftd

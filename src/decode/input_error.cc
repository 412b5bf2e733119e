#include "driftd/error.h"

namespace driftd {
namespace {

std::string describe(const std::string& file, std::uint64_t line, const std::string& field,
                     const std::string& problem) {
  // Appends one piece at a time: GCC 12 reports a false -Wrestrict on
  // chains of std::string operator+.
  std::string text = file;
  if (line > 0) text.append(":").append(std::to_string(line));
  text.append(": ");
  if (!field.empty()) text.append(field).append(": ");
  return text.append(problem);
}

}  // namespace

InputError::InputError(std::string file, std::uint64_t line, std::string field,
                       const std::string& problem)
    : std::runtime_error(describe(file, line, field, problem)),
      file_(std::move(file)),
      line_(line),
      field_(std::move(field)) {}

}  // namespace driftd

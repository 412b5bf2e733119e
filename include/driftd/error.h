// Errors that stop a command before it does any work: a bad configuration, an
// unreadable or malformed input file. Each names where the fault is, so the
// user can fix it without reading our code. They are thrown at load time only;
// the per-event hot path reports errors as values instead.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace driftd {

// A fault in a file the user gave us: "FILE:LINE: FIELD: what was expected".
// line 0 means the whole file (e.g. it cannot be opened or is empty); an empty
// field means the fault is not tied to one field (e.g. a ragged row).
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, std::uint64_t line, std::string field, const std::string& problem);

  const std::string& file() const { return file_; }
  std::uint64_t line() const { return line_; }
  const std::string& field() const { return field_; }

 private:
  std::string file_;
  std::uint64_t line_;
  std::string field_;
};

// A command line that cannot be acted on (unknown option, missing argument).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace driftd

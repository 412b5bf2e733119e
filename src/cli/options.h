// Parsing a subcommand's options with Boost.Program_options, the same way
// for every command: `--help` prints the description; unknown options,
// missing required ones and any argument that is not an option's (a stray
// word, a path without its --option) are usage errors.
#pragma once

#include <boost/program_options.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "driftd/error.h"

namespace driftd {

// Parses `args`; returns false (after printing help to stdout) when --help was given.
inline bool parse_options(const std::vector<std::string>& args, const std::string& usage,
                          boost::program_options::options_description& options,
                          boost::program_options::variables_map& values) {
  namespace po = boost::program_options;
  options.add_options()("help,h", "print this help");
  const po::parsed_options parsed = po::command_line_parser(args).options(options).run();
  // No command takes positional arguments: without a positional description
  // Boost keeps them aside (position_key >= 0) rather than refusing them.
  for (const po::option& option : parsed.options) {
    if (option.position_key >= 0 && !option.value.empty()) {
      throw UsageError("unexpected argument '" + option.value.front() + "' (every argument belongs to an --option)");
    }
  }
  po::store(parsed, values);
  if (values.count("help") > 0) {
    std::cout << usage << "\n" << options;
    return false;
  }
  po::notify(values);
  return true;
}

}  // namespace driftd

// Parsing a subcommand's options with Boost.Program_options, the same way
// for every command: `--help` prints the description, unknown options and
// missing required ones are usage errors.
#pragma once

#include <boost/program_options.hpp>
#include <iostream>
#include <string>
#include <vector>

namespace driftd {

// Parses `args`; returns false (after printing help to stdout) when --help was given.
inline bool parse_options(const std::vector<std::string>& args, const std::string& usage,
                          boost::program_options::options_description& options,
                          boost::program_options::variables_map& values) {
  namespace po = boost::program_options;
  options.add_options()("help,h", "print this help");
  po::store(po::command_line_parser(args).options(options).run(), values);
  if (values.count("help") > 0) {
    std::cout << usage << "\n" << options;
    return false;
  }
  po::notify(values);
  return true;
}

}  // namespace driftd

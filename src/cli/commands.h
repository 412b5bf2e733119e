// The subcommands of the driftd binary (include/driftd/README.md, "Command line"). Each takes the arguments
// after its name and returns the process exit code; errors that stop a
// command before it works are thrown (InputError, UsageError) and turned
// into exit code 2 by run_cli.
#pragma once

#include <string>
#include <vector>

namespace driftd {

enum ExitCode : int { kExitOk = 0, kExitDrift = 1, kExitInputError = 2, kExitRuntimeError = 3 };

int score_command(const std::vector<std::string>& args);
int validate_command(const std::vector<std::string>& args);
int replay_command(const std::vector<std::string>& args);
int run_command(const std::vector<std::string>& args);
int kafka_sandbox_command(const std::vector<std::string>& args);
int demo_command(const std::vector<std::string>& args);

// Dispatches argv to a subcommand; prints errors to stderr.
int run_cli(int argc, char** argv);

}  // namespace driftd

#include <boost/program_options/errors.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/standard_output.h"
#include "driftd/error.h"

namespace driftd {
namespace {

constexpr const char* kUsage =
    "usage: driftd <command> [options]\n"
    "\n"
    "commands:\n"
    "  run       --config FILE\n"
    "            the daemon: Kafka in, alerts and retrain triggers out, metrics on HTTP\n"
    "  demo      [--seconds N] [--rate R] [--config FILE]\n"
    "            embedded Kafka, a synthetic producer with drift, and the daemon; prints alerts\n"
    "  kafka-sandbox [--brokers N] [--topics a:P,b:P]\n"
    "            an embedded Kafka (librdkafka's mock cluster); prints its bootstrap address\n"
    "  score     --reference REF --current CUR [--config FILE] [--format json|table]\n"
    "            compare two data files; exit 0 no drift, 1 drift, 2 bad input\n"
    "  validate  --config FILE\n"
    "            check a configuration and print what it would monitor\n"
    "  replay    --config FILE --input EVENTS.jsonl\n"
    "            run the streaming pipeline over a file; alerts and retrain triggers on stdout\n"
    "\n"
    "`driftd <command> --help` describes each command's options.\n";

int run_named(const std::string& command, const std::vector<std::string>& args) {
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  if (command == "--version") {
    std::cout << "driftd " << DRIFTD_VERSION << "\n";
    return kExitOk;
  }
  if (command == "score") return score_command(args);
  if (command == "validate") return validate_command(args);
  if (command == "replay") return replay_command(args);
  if (command == "run") return run_command(args);
  if (command == "demo") return demo_command(args);
  if (command == "kafka-sandbox") return kafka_sandbox_command(args);
  std::cerr << "driftd: unknown command '" << command << "'\n\n" << kUsage;
  return kExitInputError;
}

}  // namespace

int run_cli(int argc, char** argv) {
  const std::vector<std::string> all(argv + 1, argv + argc);
  if (all.empty()) {
    std::cerr << kUsage;
    return kExitInputError;
  }
  const std::string& command = all.front();
  const std::vector<std::string> args(all.begin() + 1, all.end());
  try {
    const int code = run_named(command, args);
    // After the command, whatever its exit code: output that was not all
    // written is a runtime failure (exit 3), never a silent success.
    finish_standard_output();
    return code;
  } catch (const InputError& e) {
    std::cerr << "driftd " << command << ": " << e.what() << "\n";
    return kExitInputError;
  } catch (const UsageError& e) {
    std::cerr << "driftd " << command << ": " << e.what() << " (see driftd " << command << " --help)\n";
    return kExitInputError;
  } catch (const boost::program_options::error& e) {
    std::cerr << "driftd " << command << ": " << e.what() << " (see driftd " << command << " --help)\n";
    return kExitInputError;
  } catch (const std::exception& e) {
    std::cerr << "driftd " << command << ": " << e.what() << "\n";
    return kExitRuntimeError;
  }
}

}  // namespace driftd

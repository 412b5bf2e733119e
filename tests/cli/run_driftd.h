// Runs the real driftd binary as a user would and captures what it prints.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace driftd::testing {

struct Run {
  int status = -1;  // exit code
  std::string out;
  std::string err;
};

// A fresh folder of its own under the temp folder.
inline std::filesystem::path make_temp_dir() {
  static int counter = 0;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("driftd-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::create_directories(dir);
  return dir;
}

// Writes `content` to a fresh folder of its own and returns the file's path.
inline std::string write_temp_file(const std::string& name, const std::string& content) {
  const auto path = (make_temp_dir() / name).string();
  std::ofstream(path) << content;
  return path;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Bounds on a run, for tests of hostile input: what the old code did
// without bounds (all memory, for ever) then fails the test instead of the
// machine. Only loose bounds: a loaded machine must not make a test fail.
struct RunBounds {
  int wall_seconds = 0;   // killed after this long (0: no bound)
  int cpu_seconds = 0;    // killed after this much CPU time (0: no bound)
  long memory_mib = 0;    // address space; not applied under AddressSanitizer, which reserves terabytes
};

inline bool built_with_asan() {
#if defined(__SANITIZE_ADDRESS__)
  return true;
#else
  return false;
#endif
}

// A new empty file of our own for a run's stderr (mkstemp: no name another
// process could take between choosing it and opening it).
inline std::string new_temp_file() {
  std::string path = "/tmp/driftd-cli-test-XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd >= 0) ::close(fd);
  return path;
}

// `args` is appended to the command line as it is (quote paths yourself);
// it may hold shell redirections and a pipe into it (`cat x | ` as `before`).
inline Run run_driftd(const std::string& args, const RunBounds& bounds, const std::string& before = "") {
  const std::string err_path = new_temp_file();
  std::string limits;
  if (bounds.cpu_seconds > 0) limits += "ulimit -t " + std::to_string(bounds.cpu_seconds) + "; ";
  if (bounds.memory_mib > 0 && !built_with_asan()) limits += "ulimit -v " + std::to_string(bounds.memory_mib * 1024) + "; ";
  const std::string timeout = bounds.wall_seconds > 0 ? "timeout -s KILL " + std::to_string(bounds.wall_seconds) + " " : "";
  const std::string command = "(" + limits + before + timeout + DRIFTD_BINARY + " " + args + ") 2>" + err_path;
  Run run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> chunk{};
  std::size_t got = 0;
  while ((got = std::fread(chunk.data(), 1, chunk.size(), pipe)) > 0) run.out.append(chunk.data(), got);
  const int status = ::pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.err = read_file(err_path);
  std::remove(err_path.c_str());
  return run;
}

// `args` is appended to the command line as it is (quote paths yourself).
inline Run run_driftd(const std::string& args) { return run_driftd(args, RunBounds{}); }

}  // namespace driftd::testing
